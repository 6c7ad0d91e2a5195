def bar():
                 {i: i async for i in els}
            