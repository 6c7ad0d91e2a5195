# coding: gzip
x = 1
