async def foo():
                   def await(): pass
