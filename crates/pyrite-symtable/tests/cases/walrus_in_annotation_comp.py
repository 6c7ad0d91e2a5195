from __future__ import annotations
def f():
    x: [(y := i) for i in z]
    return x
