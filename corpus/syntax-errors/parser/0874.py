")
            exit(0)
        