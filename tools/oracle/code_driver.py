"""The oracle side of `cargo xtask parity code`: for each path given on stdin, one JSON line
{"stdout": ..., "stderr": ..., "code": ...} with what pyrite's compiler must produce for the
file: a dump of the code object `compile(source_bytes, PATH, 'exec', dont_inherit=True,
optimize=N)` (N the optional argument, default 0)
returns (every field the code object exposes, nested code objects recursively, constants with
their exact types), or, when CPython rejects the file, `traceback.format_exception_only` of
the error and exit status 1. Warnings are not part of this stage's output.

The dump format is shared with `pyrite_compiler::dump_code` (Rust); keep the two in step.
"""
import json
import sys
import traceback
import types
import warnings


def const_repr(c):
    t = type(c)
    if t is types.CodeType:
        return "code " + c.co_qualname
    if t is tuple:
        return "tuple(" + ", ".join(const_repr(x) for x in c) + ")"
    if t is frozenset:
        return "frozenset(" + ", ".join(sorted(const_repr(x) for x in c)) + ")"
    return t.__name__ + " " + repr(c)


def localsplusnames(co):
    names = []
    i = 0
    while True:
        try:
            names.append(co._varname_from_oparg(i))
        except (IndexError, ValueError):
            return names
        i += 1


def dump_code(co, out, indent=""):
    w = lambda s: out.append(indent + s + "\n")
    w(f"code {co.co_qualname!r}")
    w(f"  name {co.co_name!r} filename {co.co_filename!r} firstlineno {co.co_firstlineno}")
    w(f"  argcount {co.co_argcount} posonlyargcount {co.co_posonlyargcount} kwonlyargcount {co.co_kwonlyargcount}")
    w(f"  stacksize {co.co_stacksize} flags {co.co_flags:#x} nlocals {co.co_nlocals}")
    w(f"  code {co.co_code.hex()}")
    w(f"  names {co.co_names!r}")
    w(f"  varnames {co.co_varnames!r}")
    w(f"  cellvars {co.co_cellvars!r}")
    w(f"  freevars {co.co_freevars!r}")
    w(f"  localsplusnames {tuple(localsplusnames(co))!r}")
    w(f"  linetable {co.co_linetable.hex()}")
    w(f"  exceptiontable {co.co_exceptiontable.hex()}")
    w(f"  consts {len(co.co_consts)}")
    for i, c in enumerate(co.co_consts):
        w(f"    {i}: {const_repr(c)}")
    for c in co.co_consts:
        if type(c) is types.CodeType:
            dump_code(c, out, indent + "    ")


def main():
    optimize = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    for line in sys.stdin:
        path = line.rstrip("\n")
        with open(path, "rb") as f:
            data = f.read()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                co = compile(data, path, "exec", dont_inherit=True, optimize=optimize)
            except (SyntaxError, ValueError, MemoryError, RecursionError) as e:
                out = {"stdout": "", "stderr": "".join(traceback.format_exception_only(e)), "code": 1}
            else:
                lines = []
                dump_code(co, lines)
                out = {"stdout": "".join(lines), "stderr": "", "code": 0}
        sys.stdout.write(json.dumps(out) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
