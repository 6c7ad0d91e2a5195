NUMBER     '0xdeadc0de'  (1, 0) (1, 10)
OP         '&'           (1, 11) (1, 12)
NUMBER     '12345'       (1, 13) (1, 18)
