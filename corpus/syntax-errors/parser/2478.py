{0}if 1:
                        import traceback;
                        raise RuntimeError('{1}')
