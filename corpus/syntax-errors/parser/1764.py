
"'01234567\abfnrtvx