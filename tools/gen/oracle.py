"""Shared by the generator scripts: make sure we run under the oracle, CPython 3.12.1.

Search order (as everywhere in pyrite): $PYRITE_CPYTHON, then $(pyenv prefix 3.12.1)/bin/python3.12,
then python3.12 on PATH. If the running interpreter is not 3.12.1, re-execute under the oracle.
"""
import os
import shutil
import subprocess
import sys

VERSION = (3, 12, 1)


def _candidates():
    tried = []
    env = os.environ.get("PYRITE_CPYTHON")
    if env:
        yield f"PYRITE_CPYTHON={env}", env
    else:
        tried.append(("PYRITE_CPYTHON", "not set"))
    try:
        prefix = subprocess.run(["pyenv", "prefix", "3.12.1"], capture_output=True, text=True, check=True).stdout.strip()
        yield "$(pyenv prefix 3.12.1)/bin/python3.12", os.path.join(prefix, "bin", "python3.12")
    except (OSError, subprocess.CalledProcessError) as e:
        tried.append(("$(pyenv prefix 3.12.1)/bin/python3.12", f"pyenv failed: {e}"))
    on_path = shutil.which("python3.12")
    if on_path:
        yield "python3.12 on PATH", on_path
    else:
        tried.append(("python3.12 on PATH", "not found"))
    yield None, tried


def ensure_oracle():
    """Return if running under 3.12.1; otherwise re-exec this script under the oracle or exit."""
    if sys.version_info[:3] == VERSION:
        return
    tried = []
    for label, python in _candidates():
        if label is None:
            tried.extend(python)
            break
        try:
            out = subprocess.run([python, "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"],
                                 capture_output=True, text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError) as e:
            tried.append((label, f"could not run it: {e}"))
            continue
        if out != "3.12.1":
            tried.append((label, f"version {out}"))
            continue
        os.execv(python, [python] + sys.argv)
    lines = "\n".join(f"  - {label}: {why}" for label, why in tried)
    sys.exit(f"CPython 3.12.1 (the oracle) was not found. Tried:\n{lines}")


def write_or_check(path, text, regenerate):
    """Write the generated `text` to `path`, or with --check on the command line, exit 1 if the
    file differs (naming the `regenerate` command)."""
    if "--check" in sys.argv:
        with open(path, encoding="utf-8") as f:
            if f.read() != text:
                sys.exit(f"{path} is stale: regenerate with {regenerate}")
        print("up to date")
    else:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"wrote {path}")
