
async with c:
    if z:
        return
    else:
        a
