NAME       'await'       (1, 0) (1, 5)
OP         '='           (1, 6) (1, 7)
NUMBER     '1'           (1, 8) (1, 9)
