def foo():
                   def bar():
                        async def baz():
                            pass
await foo()
            