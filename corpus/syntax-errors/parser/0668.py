, in a2
