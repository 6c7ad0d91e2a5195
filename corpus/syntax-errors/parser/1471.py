def f(*, %s):
  pass
