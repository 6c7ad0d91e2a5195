got %d lines in pipe but expected 2, child output was:
%s