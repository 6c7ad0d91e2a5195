obj.None = 1
