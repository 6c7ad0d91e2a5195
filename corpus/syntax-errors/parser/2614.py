, in get_exception
    exception_or_callable()
  File "