if 0: break
else:  x=1