File "foo.py", line 1, in fred
  line
