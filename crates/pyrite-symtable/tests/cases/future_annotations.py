from __future__ import annotations
import typing

x: int = 1
y: [z for z in range(3)]

def f(a: A, *b: B, c: C = 1, **d: D) -> R:
    e: E = a
    return e

class C:
    attr: Attr
    other: lambda: 1 = 2
    def m[T](self, t: T) -> T: ...

def g(a: (lambda: 1), b: [q for q in range(2)]) -> (lambda r: r): ...
