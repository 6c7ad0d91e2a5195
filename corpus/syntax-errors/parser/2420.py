FSTRING_START 'f"'          (1, 0) (1, 2)
FSTRING_MIDDLE 'hola\\\\\\r\\ndfgf' (1, 2) (1, 16)
FSTRING_END '"'           (1, 16) (1, 17)
