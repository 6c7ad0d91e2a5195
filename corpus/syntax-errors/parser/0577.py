async def foo():
                   def async(): pass
