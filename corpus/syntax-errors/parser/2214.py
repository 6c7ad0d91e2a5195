inconsistent use of tabs and spaces in indentation
