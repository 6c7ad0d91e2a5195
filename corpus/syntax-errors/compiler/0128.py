return a1()  # comment in a2
