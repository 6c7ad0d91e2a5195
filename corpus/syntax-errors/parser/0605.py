class await:
                pass
