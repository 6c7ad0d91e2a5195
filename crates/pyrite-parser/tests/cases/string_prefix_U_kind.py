x = U'a'
