"""Module docstring."""
import os
import os.path as osp
from collections import OrderedDict as OD, defaultdict
from . import sibling
from .. import parent
from ...pkg.mod import *

def simple(a, b=1, *args, c, d=2, **kwargs):
    """Docstring."""
    return a + b + c + d

def positional(a, b, /, c, *, d):
    return locals()

@decorator
@other.decorator(1)
def decorated():
    pass

def outer():
    x = 1
    def inner():
        nonlocal x
        x += 1
        return x
    return inner

def globals_():
    global G
    G = 1
    return G

lam = lambda x, y=2: x * y
call = simple(1, 2, 3, c=4, d=5)
call2 = simple(*[1, 2], **{'c': 3})
call3 = os.path.join("a", "b")
call4 = print(*a, *b, sep='', **kw)
