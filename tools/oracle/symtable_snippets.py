"""More inputs for pyrite-symtable's differential tests: the code snippets of CPython's own test
suite (run under CPython 3.12.1).

Usage: python3.12 symtable_snippets.py OUTDIR

Every str constant (and doctest example) of the oracle's `test` package that `ast.parse` accepts
and that uses a construct the symbol table cares about (definitions, lambdas, comprehensions,
declarations, assignment expressions, yield, await, imports, annotations, match statements) is
written to OUTDIR/NNNNN.py (UTF-8; indented snippets as `textwrap.dedent` makes them;
deduplicated; at most 20 kB; those with lone surrogates skipped), in a deterministic order. Then
each file is dumped as `symtable_dump.py` dumps it (`=== PATH` and the dump or the error).
"""
import ast
import doctest
import os
import sys
import sysconfig
import textwrap
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import symtable_dump  # noqa: E402

MARKERS = ("def ", "class ", "lambda", " for ", "global ", "nonlocal ", ":=", "yield", "await ", "import ",
           ": ", "match ", "type ", "super", "__class__", "async ")
MAX_SIZE = 20_000


def constants(path):
    with open(path, "rb") as f:
        data = f.read()
    try:
        tree = ast.parse(data, path)
    except (SyntaxError, ValueError):
        return
    parser = doctest.DocTestParser()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value
            if ">>>" in node.value:
                try:
                    for ex in parser.get_examples(node.value):
                        yield ex.source
                except ValueError:
                    pass


def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    testdir = os.path.join(sysconfig.get_paths()["stdlib"], "test")
    paths = []
    for dirpath, dirnames, filenames in os.walk(testdir):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        paths.extend(os.path.join(dirpath, n) for n in sorted(filenames) if n.endswith(".py"))
    seen = set()
    snippets = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for path in paths:
            for value in constants(path):
                for src in (value, textwrap.dedent(value)):
                    if len(src) > MAX_SIZE or src in seen or not any(m in src for m in MARKERS):
                        continue
                    seen.add(src)
                    try:
                        data = src.encode("utf-8")
                        ast.parse(data)
                    except (SyntaxError, ValueError, UnicodeEncodeError, MemoryError, RecursionError):
                        continue
                    snippets.append(data)
    files = []
    for i, data in enumerate(snippets):
        name = os.path.join(outdir, f"{i:05d}.py")
        with open(name, "wb") as f:
            f.write(data)
        files.append(name)
    sys.stdin = iter(f + "\n" for f in files)
    symtable_dump.main()


if __name__ == "__main__":
    main()
