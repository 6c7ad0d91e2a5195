
match ...:
    case x | [_ as x] if x:
        pass
