if x:
# c
    y
