, in f_with_multiline
    if True: raise ValueError(
             ^^^^^^^^^^^^^^^^^