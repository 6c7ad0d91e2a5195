def foo():
                await something()
            