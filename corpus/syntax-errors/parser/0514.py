for i in range(1):
