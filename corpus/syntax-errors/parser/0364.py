try:
 pass
finally: