dict(x=34); x $ y
