FSTRING_START 'f"""'        (1, 0) (1, 4)
FSTRING_MIDDLE 'abc'         (1, 4) (1, 7)
FSTRING_END '"""'         (1, 7) (1, 10)
