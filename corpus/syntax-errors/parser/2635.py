File "foo.py", line 2, in fred
  line
