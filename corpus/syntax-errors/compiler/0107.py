async def foo(a:await b):
                   pass
            