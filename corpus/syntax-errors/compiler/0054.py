async def foo():
                def bar():
                 [i for i in els
                    async for b in els]
            