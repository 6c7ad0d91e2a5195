if x:
    y
  