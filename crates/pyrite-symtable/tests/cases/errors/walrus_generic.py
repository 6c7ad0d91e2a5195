def f[T](x=1) -> [(y := x) for x in range(3)]: pass
