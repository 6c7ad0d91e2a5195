
def outer2[T]():
    def inner1():
        nonlocal T
