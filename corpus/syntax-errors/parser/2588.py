
Final Note
