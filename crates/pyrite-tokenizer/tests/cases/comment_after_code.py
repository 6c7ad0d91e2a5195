x = 1  # comment
if x:  # c
    pass  # d
