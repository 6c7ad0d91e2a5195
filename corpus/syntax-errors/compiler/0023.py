def foo(x,x):
   pass
