, in f_with_binary_operator
    return 10 + áóí / 0 + 30
                ~~~~^~~
