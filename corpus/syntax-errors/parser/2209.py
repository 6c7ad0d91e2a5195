unindent does not match any outer indentation level (<tokenize>, line 3)
