# c
