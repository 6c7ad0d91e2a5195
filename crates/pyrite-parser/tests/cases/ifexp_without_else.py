1 if 2
