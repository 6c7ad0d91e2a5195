STRING     '"a\\\nde\\\nfg"' (1, 0) (3, 3)
