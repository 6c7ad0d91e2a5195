"""The oracle side of `cargo bench -p pyrite-parser --bench corpus` (and `cargo xtask bench ast`):
time CPython's parser (an AST-only compile) over files held in memory, with the cyclic garbage
collector off so that it does not charge its passes over the new AST objects to the parser.
Paths come one per line on stdin; prints one JSON object with the best time (seconds) and the
number of files parsed.
"""
import ast
import gc
import json
import sys
import time
import warnings

runs = int(sys.argv[1]) if len(sys.argv) > 1 else 1
items = [(p.rstrip("\n"), open(p.rstrip("\n"), "rb").read()) for p in sys.stdin if p.strip()]


def parse_all():
    n = 0
    for path, src in items:
        try:
            compile(src, path, "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
            n += 1
        except (SyntaxError, ValueError):
            pass
    return n


warnings.simplefilter("ignore")
gc.disable()
best = float("inf")
count = 0
for _ in range(runs):
    t0 = time.perf_counter()
    count = parse_all()
    best = min(best, time.perf_counter() - t0)
print(json.dumps({"parse": best, "files": count}))
