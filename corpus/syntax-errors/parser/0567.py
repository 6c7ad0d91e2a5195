async def foo():
                   def bar(): pass
                   await = 1
