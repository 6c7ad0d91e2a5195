
try:
    t
except:
    if z:
        return
    else:
        a
