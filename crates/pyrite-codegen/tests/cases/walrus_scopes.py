if (n := len(a)) > 10:
    print(n)

def f(data):
    if any((y := x) > 0 for x in data):
        return y
    return [z := i for i in data]

def g():
    x = 1
    def h():
        return x
    del x
    return h
