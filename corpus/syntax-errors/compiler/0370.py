
from test.test_type_params import make_base

class C[T]:
    T = "class"
    class Inner[U](make_base([T for _ in (1,)]), make_base(T)):
        pass
