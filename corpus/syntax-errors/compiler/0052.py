async def foo():
                def bar():
                 [await i for i in els]
            