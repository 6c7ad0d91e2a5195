# vim: set fileencoding=ascii :
