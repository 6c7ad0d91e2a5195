a = [x for x in range(10)]
b = {x: x * 2 for x in range(10) if x % 2}
c = {x for x in range(10) for y in range(x)}
d = (x for x in range(10))
e = [y for x in range(3) for y in [x]]

def f(n):
    return [i + n for i in range(n)]

def g(items):
    return [lambda: i for i in items]

class K:
    attrs = [x for x in range(3)]
    other = [attrs for _ in range(2)]
