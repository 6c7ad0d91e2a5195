
import abc, dis
import ast as art

abc = None
dix = dis
ast = art

def f():
{}
