# coding: koi8-r
x = "При"
