x = """line1
line2
  line3"""
y = 1
