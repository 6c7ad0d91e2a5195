def f():
    def g():
        nonlocal   zz
