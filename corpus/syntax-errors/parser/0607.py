def async():
                pass