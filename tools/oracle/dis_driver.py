"""The oracle side of `cargo xtask parity dis`: for each path given on stdin, one JSON line
{"stdout": ..., "stderr": ..., "code": ...} with what `pyrite dis PATH` must print: what
`python3.12 -m dis PATH` prints (`dis.dis(compile(source_bytes, PATH, 'exec'))`), object
addresses written `0x0`; when CPython rejects the file, `traceback.format_exception_only` of the
error and exit status 1. Runs under PYTHONHASHSEED=0 (re-executing itself if needed), the only
setting under which the order of a frozenset of strings can be reproduced.
"""
import dis
import io
import json
import os
import re
import sys
import traceback
import warnings

if os.environ.get("PYTHONHASHSEED") != "0":
    env = dict(os.environ, PYTHONHASHSEED="0")
    os.execve(sys.executable, [sys.executable] + sys.argv, env)

MASK = re.compile(r"at 0x[0-9a-f]+")

for line in sys.stdin:
    path = line.rstrip("\n")
    with open(path, "rb") as f:
        data = f.read()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            code = compile(data, path, "exec")
        except (SyntaxError, ValueError, MemoryError, RecursionError) as e:
            out = {"stdout": "", "stderr": "".join(traceback.format_exception_only(e)), "code": 1}
        else:
            buf = io.StringIO()
            dis.dis(code, file=buf)
            out = {"stdout": MASK.sub("at 0x0", buf.getvalue()), "stderr": "", "code": 0}
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
