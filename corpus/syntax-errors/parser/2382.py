a
  b
    c
  \
  c
