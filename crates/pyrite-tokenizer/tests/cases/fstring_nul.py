f"a\0b{x}"
