def f():
    print(0)
    return yield 42
