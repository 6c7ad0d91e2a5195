, in <module>
