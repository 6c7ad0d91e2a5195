My Note
