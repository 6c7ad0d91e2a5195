a
 b
