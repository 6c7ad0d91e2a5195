
match ...:
    case f"":
        pass
