class C:
  if 0: yield