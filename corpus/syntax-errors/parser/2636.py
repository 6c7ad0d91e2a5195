File "%s", line %d, in some_inner
  return traceback.StackSummary.extract(
  a = 1
  b = 2
  k = 3
  v = 4
