+ Exception Group Traceback (most recent call last):
|   File "