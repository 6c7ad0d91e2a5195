
match ...:
    case {**rest, "key": value}:
        pass
