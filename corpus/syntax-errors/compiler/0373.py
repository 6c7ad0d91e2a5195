[*b, *c] = range(10) # doctest:+ELLIPSIS
