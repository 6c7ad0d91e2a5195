def f[T: [(y := x) for x in range(3)]](): pass
