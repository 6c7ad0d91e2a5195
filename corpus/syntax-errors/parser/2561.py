, in h
    g()
