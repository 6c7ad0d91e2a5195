Note 6
