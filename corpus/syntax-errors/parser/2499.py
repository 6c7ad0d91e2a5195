, in f_with_multiline
    2 + 1 /
        ^^^