if 1:
    {} {{1:foo}}