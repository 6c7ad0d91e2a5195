: Clean bill of health.
