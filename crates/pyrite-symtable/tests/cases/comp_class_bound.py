class C[T: [x for x in y]]: pass
