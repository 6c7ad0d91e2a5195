STRING     '"hola\\\\\\r\\ndfgf"' (1, 0) (1, 16)
