NAME       'foo'         (1, 0) (1, 3)
DOT        '.'           (1, 3) (1, 4)
ASYNC      'async'       (1, 4) (1, 9)
