bu"x" ub"y" rr"z" ff"w" bf"v"
