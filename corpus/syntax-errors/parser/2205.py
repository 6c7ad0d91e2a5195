first second
