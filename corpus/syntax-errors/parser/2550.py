, in f
    f()
  File "