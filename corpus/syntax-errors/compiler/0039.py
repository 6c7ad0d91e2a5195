
for x in y:
    async with c:
        if z:
            break
        elif u:
            continue
        else:
            a
else:
    b
