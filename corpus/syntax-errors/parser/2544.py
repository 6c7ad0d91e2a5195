Traceback (most recent call last):
