async def foo():
                   def bar():
                        def baz():
                            pass
                        async = 1
            