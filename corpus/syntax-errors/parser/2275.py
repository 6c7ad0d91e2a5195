STRING     'rb"""a\\\nb\\\nc"""' (1, 0) (3, 4)
