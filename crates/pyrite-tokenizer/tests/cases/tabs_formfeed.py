if x:
	y
	z
if a:
        b
	c
