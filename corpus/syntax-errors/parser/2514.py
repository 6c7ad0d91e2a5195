, in get_exception
  |     callable()
  |   File "