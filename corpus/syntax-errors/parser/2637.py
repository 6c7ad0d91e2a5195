, in f
    1/0
