

  
	
# c
  # d
x

