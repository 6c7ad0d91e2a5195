f=lambda: (yield 1),(yield 2)
