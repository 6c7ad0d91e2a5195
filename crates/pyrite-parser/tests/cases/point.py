# The example from "A tour of CPython's bytecode compiler".


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def shifted(self, dx, dy):
        x = dx + self.x
        y = dy + self.y
        cls = type(self)
        return cls(x, y)

    def __repr__(self):
        return f"Point({self.x}, {self.y})"


print(Point(1, 2).shifted(3, 4))
