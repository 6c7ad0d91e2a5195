
async for x in y:
    a
else:
    b
