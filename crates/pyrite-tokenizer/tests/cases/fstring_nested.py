f'{f"{f'''{1}'''}"}' f"{'a' if b else 'c'}" f'{a:{b:{c}}}'
