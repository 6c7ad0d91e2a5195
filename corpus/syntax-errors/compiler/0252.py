
match ...:
    case _ | (True | False):
        pass
