async def foo():
                   def bar(): pass
                   if 1:
                       await = 1
