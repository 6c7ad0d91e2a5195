FSTRING_START 'Rf"'         (1, 0) (1, 3)
FSTRING_MIDDLE 'abc\\\ndef'  (1, 3) (2, 3)
FSTRING_END '"'           (2, 3) (2, 4)
