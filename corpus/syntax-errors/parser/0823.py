
exc=