STRING     "u'abc'"      (1, 0) (1, 6)
OP         '+'           (1, 7) (1, 8)
STRING     "U'abc'"      (1, 9) (1, 15)
