x = 1
y = z = x + 2
a, b = b, a
a, b, c = c, b, a
a, *b, c = range(10)
[p, q] = 1, 2
x += 1
o.attr += 2
o[1] += 3
o[1:2] += [4]
del x, o.attr, o[0], o[1:2]
t = ()
t = (1,)
t = (1, 2, 3)
l = [1, 2, 3, 4]
s = {1, 2, 3}
d = {'a': 1, 'b': 2}
d = {**d, 'c': 3}
e = {x: y for x, y in d.items()}
