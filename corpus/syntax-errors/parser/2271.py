STRING     'u"a\\\nde"'  (1, 0) (2, 3)
