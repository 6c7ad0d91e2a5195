, in g
    return g(count-1)
           ^^^^^^^^^^
  File "