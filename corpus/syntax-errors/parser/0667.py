, in a1
