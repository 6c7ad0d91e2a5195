NUMBER     '0xdeadbeef'  (1, 0) (1, 10)
NOTEQUAL   '!='          (1, 11) (1, 13)
MINUS      '-'           (1, 14) (1, 15)
NUMBER     '1'           (1, 15) (1, 16)
