[x for x in [z for z in (y := range(3))]]
