
class Cls[T]:
    nonlocal T
