if False:
    # NL
    
    True = False # NEWLINE
