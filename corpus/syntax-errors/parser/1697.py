if 1:
            print "Hello World"
