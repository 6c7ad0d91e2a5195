, in _check_recursive_traceback_display
    h()
  File "