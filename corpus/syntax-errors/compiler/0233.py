
match ...:
    case {"k": a, "l": a}:
        pass
