if True:
    1 + 1 = 2
