# PEP 695 scopes: type parameters, bounds, aliases, inside and outside classes.
type Alias = list[int]
type Generic[T, *Ts, **P] = tuple[T, *Ts]
type Bounded[T: int, U: (str, bytes)] = dict[T, U]

def f[T](x: T, *args: T, y: T = None, **kw: T) -> T:
    return x

def g[T: Alias, U = 1](a=1, *, b=2): ...

async def h[T](x): await x

class C[T](Base[T], metaclass=M, x=T):
    attr: T
    type Inner[U: T] = list[U]
    def method[U: C](self, x: U) -> T:
        return super().method(x)
    class Nested[V: attr]:
        def m(self):
            return __class__, V
    x = 1
    type UsesX = x
    def generic_uses_x[W: x](self): return x

def outer():
    y = 1
    class K[T: y]:
        type A = y
        def m[U: y](self): return y, T, U
    return K

class D:
    def m[T](self, t: T):
        nonlocal_free = 1
        def inner(): return T, nonlocal_free
        return inner
    global gl
    gl = 1
    def uses_gl[T: gl](self): ...
    type Gl = gl
