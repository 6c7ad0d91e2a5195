, in f_with_binary_operator
    return ( a   )   + b
           ~~~~~~~~~~^~~
