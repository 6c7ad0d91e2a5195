class A[T]: pass
def f():
    __x = 1
    def g():
        nonlocal __x
