def func():
