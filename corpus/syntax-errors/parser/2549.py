, in _check_recursive_traceback_display
    f()
  File "