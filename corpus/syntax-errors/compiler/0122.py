def foo():
                   async with resource:
                       pass
