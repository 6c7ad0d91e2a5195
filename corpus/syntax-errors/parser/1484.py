in (range(300),)]
           dir()
           y = [