File "%s", line %d, in test_format_stack
  result = fmt()
