ASYNC      'async'       (1, 0) (1, 5)
NEWLINE    ''            (1, 5) (1, 5)
AWAIT      'await'       (3, 0) (3, 5)
