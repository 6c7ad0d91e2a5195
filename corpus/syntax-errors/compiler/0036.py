
async with x as y:
    a
