, in f_with_binary_operator
    return 10 + divisor / 0 + 30
                ~~~~~~~~^~~
