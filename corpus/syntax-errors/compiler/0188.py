
y = 1
class C:
    nonlocal y
    y = 2
    # Ensure the listcomp uses the global, not the value in the
    # class namespace
    locals()['y'] = 3
    vals = [(x, y) for x in range(2)]
vals = C.vals
