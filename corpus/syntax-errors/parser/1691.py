abc 1
