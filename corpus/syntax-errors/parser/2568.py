TypeError: print_exception(): Exception expected for value, int found
