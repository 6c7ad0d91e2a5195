class C:
    def m[T: lambda: 1](self): pass
