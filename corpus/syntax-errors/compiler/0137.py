if 1:
        try:
            continue
        except:
            pass