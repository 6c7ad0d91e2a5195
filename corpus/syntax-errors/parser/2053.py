import a,b,c from b as bar
