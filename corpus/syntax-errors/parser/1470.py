def f(%s):
  pass
