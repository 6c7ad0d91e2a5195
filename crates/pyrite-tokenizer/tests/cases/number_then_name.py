1in x 1is y 1not in z 0b1and 2
