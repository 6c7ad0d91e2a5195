class A:
    x = 1
    def method(self):
        return self.x

class B(A, metaclass=type):
    """Doc."""
    __slots__ = ('y',)
    def method(self):
        return super().method() + 1
    def other(self):
        return super(B, self).method()
    @property
    def prop(self):
        return __class__
    def __private(self):
        return self.__secret

class C:
    def f(self):
        class D:
            def g(self):
                return D
        return D
