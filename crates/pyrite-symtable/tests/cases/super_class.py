# super(), __class__ and the class cell.
class A:
    def m(self):
        return super().m()
    def n(self):
        return __class__
    def o(self):
        super = 1
        return super
    @staticmethod
    def p():
        return lambda: super()
    def q(self):
        class Inner:
            def r(self):
                return __class__
        return Inner
    x = [super for _ in range(1)]

def not_a_method():
    return super()

super()
__class__
