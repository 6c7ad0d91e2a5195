(y for y in (1,2)) += 10
