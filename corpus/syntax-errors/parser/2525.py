, in applydecs
    @dec_error
     ^^^^^^^^^
  File "