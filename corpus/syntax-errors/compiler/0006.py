async for i in arange(1):
                   a = 1