: I am X
