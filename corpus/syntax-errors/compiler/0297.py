type A = (yield 3)
