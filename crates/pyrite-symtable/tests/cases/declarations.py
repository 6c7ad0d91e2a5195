# global and nonlocal, implicit and explicit globals, cells and free variables.
import os, os.path as p, xml.dom.minidom
from . import rel
from .. import (parent as alias)
x = 1
global x

def f():
    global y
    y = 1
    def g():
        nonlocal_target = 1
        def h():
            nonlocal nonlocal_target
            nonlocal_target += y
            return x
        return h
    return g

def cells(a, b=1, /, c=2, *args, d, e=3, **kwargs):
    def inner():
        return a, c, args, kwargs, e
    del b
    return inner

def shadow():
    x = 1
    class C:
        x = 2
        def m(self):
            return x
        def n(self):
            nonlocal x
            x = 3
        y = x
    return C

def deep():
    v = 1
    def a():
        def b():
            def c():
                return v
            return c
        return b
    return a

class Global:
    global G
    G = 1
    def m(self):
        return G

def annotated():
    z: int
    z2: int = 1
    (z3): int = 2
    obj.attr: int = 3
    obj[0]: int
    return z2

lambda a, *b, c=1, **d: (a, b, c, d, e)
try:
    pass
except Exception as exc:
    pass
else:
    orelse = 1
finally:
    fin = 1
with open(p) as (fh, fh2), open(p):
    pass
for i, (j, k) in enumerate(x):
    del i
while x:
    break
match x:
    case [1, *rest] if rest: pass
    case {"k": v, **kw}: pass
    case Point(x=px, y=py) as pt: pass
    case (1 | 2) as alt: pass
    case _: pass
assert x, x
raise x from x
x += 1
print(f"{x!r:{x}}", *x, **x)
