def k(x):
    x += 2
  x += 5
