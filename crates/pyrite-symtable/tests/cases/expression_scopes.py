# Lambdas, generator expressions and their implicit argument, yield and await.
lam = lambda: (yield)
gen = (x for x in range(3))
nested = ((y for y in x) for x in range(3))
def generator():
    yield 1
    yield from generator()
    return 2
async def coroutine():
    await coroutine()
    async with a as b:
        pass
    async for c in b:
        pass
def default_scopes(a=[x for x in range(3)], *, b=lambda: a): ...
@decorator(lambda: 1)
def decorated(): ...
class Kw(object, metaclass=lambda *a: 1): ...
