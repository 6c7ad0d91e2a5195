with mock as (foo, None, bar):
  pass