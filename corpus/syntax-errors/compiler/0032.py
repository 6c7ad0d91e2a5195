
try:
    if z:
        return
    else:
        a
finally:
    f
