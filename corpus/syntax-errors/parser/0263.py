foo = f"""{}
foo"""
