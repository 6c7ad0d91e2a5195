# coding: gzip-nope
