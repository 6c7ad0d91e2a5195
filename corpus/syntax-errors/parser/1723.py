'''A short string
