async def f():

  def baz(): pass
  async def bar(): pass

  await = 2