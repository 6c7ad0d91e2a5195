from __future__ import annotations

x: list[int] = []

def f(a: dict[str, int], *b: tuple[int, ...], c: A | None = None) -> Callable[[int], str]:
    return a

class C:
    y: lambda: 1
