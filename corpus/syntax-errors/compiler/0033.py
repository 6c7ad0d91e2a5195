
try:
    t
finally:
    if z:
        return
    else:
        a
