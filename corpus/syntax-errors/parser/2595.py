Note 3
