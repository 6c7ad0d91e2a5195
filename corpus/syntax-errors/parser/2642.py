ExceptionGroup: eg2 (2 sub-exceptions)
