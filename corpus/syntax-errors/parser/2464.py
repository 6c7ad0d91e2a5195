NAME       'pass'        (2, 0) (2, 4)
NEWLINE    ''            (2, 4) (2, 4)
NAME       'pass'        (5, 0) (5, 4)
NEWLINE    ''            (5, 4) (5, 4)
