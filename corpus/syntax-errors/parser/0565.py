async def foo():
                await
