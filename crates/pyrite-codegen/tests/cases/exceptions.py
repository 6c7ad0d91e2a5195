def f():
    try:
        a()
    except ValueError as e:
        b(e)
    except (TypeError, KeyError):
        c()
    except:
        d()
    else:
        e()
    finally:
        g()

def h():
    try:
        return 1
    finally:
        print("x")

def i():
    with open("f") as f, open("g") as g:
        return f.read()

def j():
    try:
        pass
    except* ValueError as eg:
        print(eg)
    except* TypeError:
        pass

def k():
    for x in y:
        try:
            continue
        finally:
            break
    raise ValueError("x") from None
