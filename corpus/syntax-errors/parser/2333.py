async def foo():
  def foo(await):
    await = 1
  if 1:
    await
async += 1
