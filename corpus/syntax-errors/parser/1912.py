f(x for x in L, y for y in L)
