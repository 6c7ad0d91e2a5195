# -*- coding: latin-1 -*-
x = "é"; lambda q, q: 0
