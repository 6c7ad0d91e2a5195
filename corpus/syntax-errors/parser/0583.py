async def foo():
                   return lambda async: await
