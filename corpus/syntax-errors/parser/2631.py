, in f
    def f():

KeyboardInterrupt
