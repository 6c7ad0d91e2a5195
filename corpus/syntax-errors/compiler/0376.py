*a # doctest:+ELLIPSIS
