Your Note
