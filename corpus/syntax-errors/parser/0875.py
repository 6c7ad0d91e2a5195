")
            exit(0)
