x = "café"; lambda q, q: 0
