Dear John
