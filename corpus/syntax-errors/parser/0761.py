if True:
print "No indent"