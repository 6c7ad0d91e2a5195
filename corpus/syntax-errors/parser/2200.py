def my_func():
		print("Hello world")
		if True:
	        print("If called")