if a:
    x
    

