def foo(*, await=1):
                passasync = 1