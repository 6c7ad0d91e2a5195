
async for x in y:
    a
