Note 2
