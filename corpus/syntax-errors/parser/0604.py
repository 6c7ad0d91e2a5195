class await:
                pass
            