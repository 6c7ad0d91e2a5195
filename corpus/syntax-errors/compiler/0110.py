def baz():
                   async def foo(a=await b):
                       pass
