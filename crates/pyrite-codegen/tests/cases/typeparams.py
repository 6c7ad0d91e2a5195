type Alias = list[int]
type Generic[T] = dict[str, T]

def func[T: int, *Ts, **P](x: T) -> T:
    return x

class Box[T]:
    def get(self) -> T:
        return self.item
