def f(a, b):
    if a and b or not a:
        return 1
    elif a < b < 10:
        return 2
    else:
        pass
    while a:
        a -= 1
        if a == 5:
            break
        if a == 7:
            continue
    else:
        b = 3
    for i in range(b):
        print(i)
    else:
        print("done")
    return a if b else -a

def g(x):
    assert x, "message"
    assert (x, 1)
    x = x is None
    y = x is not None
    return x in (1, 2, 3), y not in [4, 5]
