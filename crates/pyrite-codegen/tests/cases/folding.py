a = 1 + 2 * 3
b = -5
c = "ab" * 3
d = (1, 2) + (3,)
e = not True
f = 2 ** 100
g = 1 / 0
h = x in [1, 2, 3]
i = x in {1, 2, 3}
for q in [1, 2, 3]:
    pass
j = ~1
k = __debug__
l = "abc"[1]
