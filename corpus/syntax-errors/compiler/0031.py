return s
