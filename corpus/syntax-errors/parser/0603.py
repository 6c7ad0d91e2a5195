class async:
                pass
