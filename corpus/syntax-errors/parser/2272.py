STRING     'rb"a\\\nd"'  (1, 0) (2, 2)
