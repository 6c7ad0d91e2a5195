, in <module>
    