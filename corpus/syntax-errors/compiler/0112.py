async def foo():
                   def bar():
                        def baz():
                            pass
await foo()
