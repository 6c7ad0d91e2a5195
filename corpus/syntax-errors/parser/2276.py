FSTRING_START 'f"'          (1, 0) (1, 2)
FSTRING_MIDDLE 'abc'         (1, 2) (1, 5)
FSTRING_END '"'           (1, 5) (1, 6)
