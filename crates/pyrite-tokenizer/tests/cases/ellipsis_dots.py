x[...] ; a.b..c ; 1..real ; .5.real
