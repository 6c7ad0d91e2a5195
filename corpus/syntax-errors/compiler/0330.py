class C:
  if 0: break