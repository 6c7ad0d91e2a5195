offending line: '\tprint("world")'
