# coding: bad
