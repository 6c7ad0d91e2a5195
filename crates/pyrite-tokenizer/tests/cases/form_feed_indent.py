if x:
    y
    z
