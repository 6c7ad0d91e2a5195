x: int = 1
y: list[int]
z.attr: int = 2
w[0]: str

def f(a: int, *args: str, b: "B" = 2, **kw: float) -> None:
    c: int = 1

class C:
    field: int = 0
    other: dict
