# Private name mangling, and its 3.12 leak after a generic class.
__before = 1

class A:
    __x = 1
    __y__ = 2
    _A__z = 3
    def __m(self, __p):
        __q = __p
        global __g
        import __mod, __pkg.sub
        from m import __n
        def inner():
            nonlocal __q
            return __x, __q
        return [__c for __c in range(3)], lambda __l: __l
    class __Inner:
        __i = 1
    class ___:
        __u = 1

class B[T]:
    __b = 1

__after = 2

def f():
    __local = 1

class _:
    __underscore = 1

class __Dunder:
    __d = 1
