# -*- coding: iso8859-15 -*-
¤