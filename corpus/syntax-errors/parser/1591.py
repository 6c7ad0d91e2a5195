
match ...:
    case {"first": first, **rest, "last": last}:
        pass
