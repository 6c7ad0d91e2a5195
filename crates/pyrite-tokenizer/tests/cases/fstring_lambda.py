f"{(lambda x: x)(1)}" f"{a:=1}" f"{a!=b}"
