async def foo():
                   def bar():
                       await
            