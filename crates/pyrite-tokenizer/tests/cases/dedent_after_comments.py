if a:
    if b:
        x
  # odd comment
        # other
    y
z
