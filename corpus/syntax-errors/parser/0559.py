stack sizes diverge with # of consecutive snippets: %s
%s
%s