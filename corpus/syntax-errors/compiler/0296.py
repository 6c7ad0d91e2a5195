type A = (x := 3)
