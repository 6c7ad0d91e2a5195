def bar():
                 [await i for i in els]
            