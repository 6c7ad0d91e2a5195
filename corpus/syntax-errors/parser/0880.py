
  File "bad.py", line 1
    abcdefg
       ^
SyntaxError: bad bad
