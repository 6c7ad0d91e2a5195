try: import somemodule
except ImportError: # comment
    print('Can not import' # comment2
)else:   print('Loaded')
