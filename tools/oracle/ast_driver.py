"""The oracle side of `cargo xtask parity ast`: for each path given on stdin, one JSON line
{"stdout": ..., "stderr": ..., "code": ...} with what `pyrite ast PATH` must print:
`ast.dump(ast.parse(source_bytes, PATH), include_attributes=True)` and a newline, or, when
CPython rejects the file, `traceback.format_exception_only` of the error and exit status 1.
Warnings raised while parsing are not part of this stage's output.
"""
import ast
import json
import sys
import traceback
import warnings

for line in sys.stdin:
    path = line.rstrip("\n")
    with open(path, "rb") as f:
        data = f.read()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            tree = ast.parse(data, path)
        except (SyntaxError, ValueError, MemoryError, RecursionError) as e:
            out = {"stdout": "", "stderr": "".join(traceback.format_exception_only(e)), "code": 1}
        else:
            out = {"stdout": ast.dump(tree, include_attributes=True) + "\n", "stderr": "", "code": 0}
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
