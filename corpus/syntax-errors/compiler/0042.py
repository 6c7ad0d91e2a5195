def foo():
                await something()
