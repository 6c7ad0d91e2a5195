rb = b = r = u = f = fr = br = 1
bu"x"
