
def f():
    try:
        raise ValueError
    except* Exception as e:
        return 42
