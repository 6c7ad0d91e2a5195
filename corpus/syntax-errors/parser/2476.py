%s: %s
