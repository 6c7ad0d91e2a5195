async def foo():
                   return lambda a: await
