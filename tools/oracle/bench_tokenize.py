"""The oracle side of `cargo xtask bench tokens`: time CPython's tokenizers over files held in
memory. Paths come one per line on stdin; prints one JSON object with the best times (seconds)
of the `tokenize` module and of the raw C tokenizer (`_tokenize.TokenizerIter` without extra
tokens), and the token counts.
"""
import io
import json
import sys
import time
import tokenize
import _tokenize

runs = int(sys.argv[1]) if len(sys.argv) > 1 else 1
sources = [open(p.rstrip("\n"), "rb").read() for p in sys.stdin if p.strip()]


def tokenize_module():
    n = 0
    for src in sources:
        try:
            for _ in tokenize.tokenize(io.BytesIO(src).readline):
                n += 1
        except (SyntaxError, tokenize.TokenError):
            pass
    return n


def c_tokenizer():
    n = 0
    for src in sources:
        try:
            enc, _ = tokenize.detect_encoding(io.BytesIO(src).readline)
        except SyntaxError:
            continue
        if enc == "utf-8-sig":
            enc, src = "utf-8", src[3:]
        try:
            for _ in _tokenize.TokenizerIter(io.BytesIO(src).readline, encoding=enc, extra_tokens=False):
                n += 1
        except Exception:
            pass
    return n


def best(fn):
    times, count = [], 0
    for _ in range(runs):
        t0 = time.perf_counter()
        count = fn()
        times.append(time.perf_counter() - t0)
    return min(times), count


t_mod, n_mod = best(tokenize_module)
t_c, n_c = best(c_tokenizer)
print(json.dumps({"tokenize_module": t_mod, "tokenize_module_tokens": n_mod, "c_tokenizer": t_c, "c_tokenizer_tokens": n_c,
                  "files": len(sources), "bytes": sum(map(len, sources))}))
