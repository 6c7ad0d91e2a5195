STRING     'u"""a\\\nb"""' (1, 0) (2, 4)
