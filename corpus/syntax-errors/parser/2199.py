def my_func():
	  print("hello world")
	  if True:
		print("If called")