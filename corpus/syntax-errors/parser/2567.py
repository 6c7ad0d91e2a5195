File "%s", line %d, in fmt
  return traceback.format_stack()
