from __future__ import annotations as a, braces as b
