3 '\tprint("world")'
