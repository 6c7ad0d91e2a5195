ASYNC      'async'       (1, 0) (1, 5)
NEWLINE    ''            (1, 5) (1, 5)
AWAIT      'await'       (2, 0) (2, 5)
