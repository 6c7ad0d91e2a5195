
match ...:
    case {**_}:
        pass
