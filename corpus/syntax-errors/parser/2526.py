, in dec_error
    raise TypeError
