"""Generate crates/pyrite-unicode/src/names.txt: every character name of the oracle's Unicode
database (15.0.0) that `\\N{...}` accepts and that is not algorithmic (Hangul syllables and CJK
unified ideographs are computed by names.rs), as sorted `NAME;HEX` lines.

Usage: python3 tools/gen/unicode_names.py [--check]
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from oracle import ensure_oracle, write_or_check  # noqa: E402

ensure_oracle()

import unicodedata  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "crates", "pyrite-unicode", "src", "names.txt")

entries = []
for cp in range(0x110000):
    name = unicodedata.name(chr(cp), None)
    if name is None or name.startswith("HANGUL SYLLABLE ") or name.startswith("CJK UNIFIED IDEOGRAPH-"):
        continue
    entries.append((name, cp))
entries.sort()
text = "".join(f"{n};{cp:X}\n" for n, cp in entries)
write_or_check(OUT, text, "python3 tools/gen/unicode_names.py")
