# PEP 709: inlined comprehensions and what they leave in the enclosing scope.
a = [x for x in range(3)]
b = {x: y for x in a for y in a if x}
c = {x for x in a}
d = (x for x in a)

def f(n):
    y = 1
    r = [lambda: x for x in range(n)]
    s = [[y * z for z in range(x)] for x in range(n)]
    t = [(x, y) for x in range(n) if (w := x)]
    u = [lambda: y for _ in range(n)]
    v = [x for x in [y for y in range(n)]]
    return r, s, t, u, v, w

def g():
    return [x for x in range(3) for x in range(x)]

def h():
    x = 1
    [x for x in range(3)]
    def inner():
        return x
    return inner

def cells():
    return [lambda: i for i in range(3)], [j for j in range(3) if (lambda: j)()]

class K:
    y = 1
    a = [y for _ in range(3)]
    b = [x for x in range(y)]
    c = [lambda: x for x in range(3)]
    d = [__class__ for _ in range(3)]
    def m(self):
        return [super() for _ in range(3)]

def nested_walrus():
    [[(z := x) for x in range(3)] for y in range(3)]
    return z

def gen_in_comp():
    return [list(y for y in range(x)) for x in range(3)]

async def async_comp(aiter):
    return [x async for x in aiter], [await x for x in aiter], (x async for x in aiter)

def free_in_comp_child():
    x = 1
    return [lambda: x for _ in range(2)], [x for _ in range(2)]

def comp_shadows_param(x):
    return [x for x in x]

def walrus_global():
    global g
    return [g := i for i in range(3)]

def walrus_nonlocal():
    n = 0
    def inner():
        nonlocal n
        return [n := i for i in range(3)]
    return inner

[m := i for i in range(3)]
