@%s
def f(): pass
assert f() is None