FSTRING_START 'f"'          (1, 0) (1, 2)
FSTRING_MIDDLE 'abc\\\ndef'  (1, 2) (2, 3)
FSTRING_END '"'           (2, 3) (2, 4)
