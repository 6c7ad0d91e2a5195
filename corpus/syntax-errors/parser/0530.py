x if \
