
"'01234567NU\abfnrtuvx