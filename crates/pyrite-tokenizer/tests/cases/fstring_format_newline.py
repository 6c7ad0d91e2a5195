f"""{x:abc
}"""
