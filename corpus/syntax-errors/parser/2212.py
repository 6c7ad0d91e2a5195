: *** Line 3: trouble in tab city! ***
