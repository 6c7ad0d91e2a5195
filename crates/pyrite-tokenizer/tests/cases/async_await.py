async def f():
    await x
async = 1
await = 2
