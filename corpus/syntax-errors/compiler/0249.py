
match ...:
    case _ | _ if condition():
        pass
