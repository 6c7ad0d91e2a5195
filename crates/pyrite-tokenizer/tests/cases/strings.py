a = 'x' "y" '''z''' """w""" b'1' B"2" r'\d' R'x' u'u' U'u' br'x' Rb'x' bR'x' rB'x' '' "" '\'' "a\
b"
