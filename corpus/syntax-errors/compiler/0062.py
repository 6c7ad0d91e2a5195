async def foo():
                def bar():
                 [i for i in els
                    for b in els
                        if await b]
            