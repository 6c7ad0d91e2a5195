if True:
 	print("hello")
	print("world")
else:
    print("else called")
