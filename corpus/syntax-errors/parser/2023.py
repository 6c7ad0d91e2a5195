match something:
    case []:
pass
