  def fun(self) -> None:
      pass