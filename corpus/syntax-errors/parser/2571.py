
During handling of the above exception, another exception occurred:

