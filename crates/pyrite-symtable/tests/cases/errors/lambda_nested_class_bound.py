class C:
    class D[T: (lambda: 1)]: pass
