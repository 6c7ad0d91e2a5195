1e 1ex
