
try:
    raise ValueError
except* Exception as e:
    break
