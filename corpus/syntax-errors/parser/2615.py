, in exc
    raise ImportError(5)
ImportError: 5
