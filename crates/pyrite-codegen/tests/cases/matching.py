def m(command):
    match command.split():
        case [action]:
            return action
        case [action, obj]:
            return action, obj
        case ["go", *rest] if rest:
            return rest
        case {"x": x, "y": y, **rest}:
            return x, y, rest
        case Point(x=0, y=0) | Point(1, 2):
            return "origin"
        case 1 | 2 | 3:
            return "small"
        case None:
            return None
        case str() as s:
            return s
        case _:
            return "other"
