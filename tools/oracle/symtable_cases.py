"""Regenerate the expected outputs of pyrite-symtable's hand-written cases (run under CPython
3.12.1, the oracle).

Usage: python3.12 tools/oracle/symtable_cases.py

For each `crates/pyrite-symtable/tests/cases/**/*.py`, writes `NAME.out` next to it: what
`symtable_dump.py` prints for it (the symbol table dump, or `ERROR` and CPython's error), the file
named by its path relative to `crates/pyrite-symtable` (the directory `cargo test` runs the
tests in, so that error messages and the text CPython reads back from the file are the same).
The test `tests/cases.rs` compares pyrite with these files and checks them against the oracle.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import symtable_dump  # noqa: E402

CRATE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "crates", "pyrite-symtable")


def main():
    os.chdir(CRATE)
    cases = []
    for dirpath, dirnames, filenames in os.walk(os.path.join("tests", "cases")):
        dirnames.sort()
        cases.extend(os.path.join(dirpath, n) for n in sorted(filenames) if n.endswith(".py"))
    for path in cases:
        with open(path[:-3] + ".out", "w", encoding="utf-8", newline="\n") as f:
            f.write(symtable_dump.dump_file(path))
    print(f"{len(cases)} cases")


if __name__ == "__main__":
    main()
