étoile = 1
π = 3.14
名前 = "値"
x = "é" + "💩"  # ünïcode comment
