line one
line two