def bar():
                 {i async for i in els}
            