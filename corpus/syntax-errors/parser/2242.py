NAME       'x'           (1, 0) (1, 1)
OP         '='           (1, 2) (1, 3)
NUMBER     '0xfffffffffff' (1, 4) (1, 17)
