async with resource:
                   pass
