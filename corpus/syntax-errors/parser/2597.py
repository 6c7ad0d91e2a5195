Note 1
