async def foo():
                   def bar():
                        def baz():
                            async = 1
            