, in g
    raise ValueError
ValueError
