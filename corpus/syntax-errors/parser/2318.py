NAME       'foo'         (1, 0) (1, 3)
OP         '.'           (1, 3) (1, 4)
NAME       'async'       (1, 4) (1, 9)
