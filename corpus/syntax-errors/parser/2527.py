, in applydecs_class
    @dec_error
     ^^^^^^^^^
  File "