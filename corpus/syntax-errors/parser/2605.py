  File "<does not exist>", line 3, in <module>
ValueError: 42
