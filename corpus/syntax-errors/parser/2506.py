, in f_with_binary_operator
    return b     [    a  ] + c
           ~~~~~~^^^^^^^^^
