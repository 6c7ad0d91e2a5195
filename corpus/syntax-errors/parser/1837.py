with a as (*b, c, d+1): pass
