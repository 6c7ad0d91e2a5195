with mock as (None):
  pass