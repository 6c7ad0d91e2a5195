, in _check_recursive_traceback_display
    g()
