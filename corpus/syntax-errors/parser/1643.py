def f(%s, /):
  pass
