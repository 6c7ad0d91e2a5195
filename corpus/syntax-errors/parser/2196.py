fruits = [
    "Apple",
    "Orange",
    "Banana",

print(fruits)
