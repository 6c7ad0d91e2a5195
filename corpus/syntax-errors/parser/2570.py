
The above exception was the direct cause of the following exception:

