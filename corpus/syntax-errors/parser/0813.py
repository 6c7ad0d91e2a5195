if True:
%*s