if \
