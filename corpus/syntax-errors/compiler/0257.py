
match ...:
    case {0: _, 0j: _}:
        pass
