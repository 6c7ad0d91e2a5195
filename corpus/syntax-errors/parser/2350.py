do_something(else)
