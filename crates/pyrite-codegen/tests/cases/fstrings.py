name = "x"
a = f"{name}"
b = f"hello {name!r:>10} and {1 + 2=}"
c = f"{'nested'} {name:{width}.{precision}}"
d = "%s %r" % (name, name)
e = 'abc' 'def'
