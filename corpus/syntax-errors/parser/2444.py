ASYNC      'async'       (1, 0) (1, 5)
