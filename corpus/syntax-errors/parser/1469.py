def f(p, *, (k1, k2), **kw):
  pass
