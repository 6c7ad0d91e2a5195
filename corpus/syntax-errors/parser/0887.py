# -*- coding: ascii -*-

(
