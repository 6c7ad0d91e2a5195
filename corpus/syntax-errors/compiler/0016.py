def f():  [x async for x in arange(10)]
