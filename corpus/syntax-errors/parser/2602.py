Note 5
