"""The oracle side of `cargo bench -p pyrite-compiler --bench corpus` (and `cargo xtask bench
code`): time CPython's `compile(source, path, 'exec', dont_inherit=True)` (source to code
objects: parser, AST optimizer, symbol table, code generator, flow graph, assembler) over files
held in memory, with the cyclic garbage collector off. Paths come one per line on stdin; prints
one JSON object with the best time (seconds) and the number of files compiled.
"""
import gc
import json
import sys
import time
import warnings

runs = int(sys.argv[1]) if len(sys.argv) > 1 else 1
items = [(p.rstrip("\n"), open(p.rstrip("\n"), "rb").read()) for p in sys.stdin if p.strip()]


def compile_all():
    n = 0
    for path, src in items:
        try:
            compile(src, path, "exec", dont_inherit=True)
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
    count = compile_all()
    best = min(best, time.perf_counter() - t0)
print(json.dumps({"compile": best, "files": count}))
