"""Run `python -m tokenize [-e] PATH` in-process for many files, as the oracle side of
`cargo xtask parity tokens`. Paths come one per line on stdin; for each, one JSON line
{"stdout": ..., "stderr": ..., "code": N} is written to stdout.

Equivalent to running `python3.12 -m tokenize -e PATH` per file (the same `tokenize.main`,
with sys.argv, sys.stdout and sys.stderr replaced), but one process for the whole corpus.
"""
import io
import json
import sys
import tokenize

exact = "--no-exact" not in sys.argv
out = sys.stdout
for line in sys.stdin:
    path = line.rstrip("\n")
    captured_out, captured_err = io.StringIO(), io.StringIO()
    saved = sys.stdout, sys.stderr, sys.argv
    sys.stdout, sys.stderr = captured_out, captured_err
    sys.argv = ["tokenize"] + (["-e"] if exact else []) + [path]
    code = 0
    try:
        tokenize.main()
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    finally:
        sys.stdout, sys.stderr, sys.argv = saved
    out.write(json.dumps({"stdout": captured_out.getvalue(), "stderr": captured_err.getvalue(), "code": code}) + "\n")
    out.flush()
