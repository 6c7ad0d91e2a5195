def gen():
    yield 1
    x = yield
    yield from range(3)
    return x

async def coro():
    await something()
    async with ctx() as c:
        pass
    async for i in aiter_():
        print(i)
    return [x async for x in aiter_()]

async def agen():
    yield 1
    await x
