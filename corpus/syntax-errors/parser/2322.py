NAME       'async'       (1, 0) (1, 5)
OP         '.'           (1, 5) (1, 6)
NAME       'foo'         (1, 6) (1, 9)
