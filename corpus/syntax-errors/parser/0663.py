' was never awaited
