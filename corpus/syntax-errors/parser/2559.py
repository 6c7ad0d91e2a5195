, in h
    return h(count-1)
           ^^^^^^^^^^
  File "