"""The oracle side of `cargo xtask parity c-tokens`: the C tokenizer's raw token stream (what the
parser reads: `_tokenize.TokenizerIter` without extra tokens) for each path given on stdin, one
JSON line {"stdout": ..., "stderr": "", "code": 0} per file. Each token is printed as
`NAME 'string' l1,c1-l2,c2`; an exception as `Type: message @ lineno,offset`; then each warning raised, as `Category: message @ lineno`.
"""
import io
import json
import sys
import token
import warnings
import tokenize
import _tokenize

for line in sys.stdin:
    path = line.rstrip("\n")
    with open(path, "rb") as f:
        data = f.read()
    lines = []
    caught = warnings.catch_warnings(record=True)
    raised = caught.__enter__()
    warnings.simplefilter("always")
    try:
        enc, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as e:
        lines.append(f"encoding error: {e.msg}")
    else:
        if enc == "utf-8-sig":
            enc, data = "utf-8", data[3:]
        readline = iter(io.BytesIO(data).readline, b"").__next__
        try:
            for ty, s, (l1, c1), (l2, c2), _line in _tokenize.TokenizerIter(readline, encoding=enc, extra_tokens=False):
                lines.append(f"{token.tok_name[ty]} {s!r} {l1},{c1}-{l2},{c2}")
        except Exception as e:
            msg = e.args[0] if e.args else ""
            lines.append(f"{type(e).__name__}: {msg} @ {getattr(e, 'lineno', None)},{getattr(e, 'offset', None)}")
    caught.__exit__(None, None, None)
    lines.extend(f"{w.category.__name__}: {w.message} @ {w.lineno}" for w in raised)
    sys.stdout.write(json.dumps({"stdout": "".join(l + "\n" for l in lines), "stderr": "", "code": 0}) + "\n")
    sys.stdout.flush()
