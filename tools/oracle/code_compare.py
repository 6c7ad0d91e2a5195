"""Compare code objects (or constants) that pyrite marshalled with CPython 3.12's, field by field.

Runs under the oracle (CPython 3.12.1).

    python3.12 tools/oracle/code_compare.py SOURCE.py PYRITE.marshal
        Compile SOURCE.py with compile(source_bytes, 'SOURCE.py', 'exec', dont_inherit=True)
        and compare the result with marshal.loads of PYRITE.marshal (the raw marshal of the
        module code object pyrite produced, or a .pyc, whose 16-byte header is checked and
        skipped). Prints `identical` (exit 0) or the first difference (exit 1):
            <module>.co_consts[3]<f>.co_code: cpython=b'...' pyrite=b'...' (...)
        Errors (the source does not compile, the file does not load) print `error: ...`, exit 2.

    python3.12 tools/oracle/code_compare.py --batch LISTFILE
        LISTFILE ('-' for stdin) holds one `SOURCE<TAB>PYRITE` pair a line; prints one line a
        pair: `SOURCE<TAB>identical`, `SOURCE<TAB>different<TAB><difference>` or
        `SOURCE<TAB>error<TAB><message>`. Exit 0 if every pair is identical, else 1.

    python3.12 tools/oracle/code_compare.py --marshal-pairs LISTFILE
        Like --batch, but each line is `EXPECTED<TAB>ACTUAL`, two marshal files (or .pyc files)
        of any marshallable constants, code objects included: compares what they load to.

    --no-kinds (with any mode) skips the comparison of co_localspluskinds, which Python does
    not expose and which this tool reads from the marshal data itself (slower).

Comparison: exact types (1, 1.0 and True differ), floats and complexes by their bits (-0.0 is
not 0.0; NaNs by payload), tuples item by item, frozensets as sets of exactly-equal items,
nested code objects recursively. For a code object: co_argcount, co_posonlyargcount,
co_kwonlyargcount, co_flags, co_nlocals, co_names, co_varnames, co_cellvars, co_freevars,
the localsplus names (via _varname_from_oparg) and kinds, co_consts, co_code, co_stacksize,
co_linetable, co_exceptiontable, co_firstlineno, co_name, co_qualname, co_filename.

Use as a module: `compare(expected, actual, path, expected_shape, actual_shape)` returns None or
a difference string; `shape(data)` gives the marshal-level view used for the kinds.
"""
import dis
import importlib.util
import marshal
import struct
import sys
import types

MAGIC = importlib.util.MAGIC_NUMBER
CodeType = types.CodeType


# --- A marshal reader that keeps what Python objects do not expose --------------------------

class CodeShape:
    """A code object as marshal holds it: its localspluskinds and the shapes of its consts."""
    __slots__ = ("kinds", "consts")

    def __init__(self):
        self.kinds = None
        self.consts = None


def shape(data):
    """The shape of the marshal data `data`: a CodeShape for each code object, a list for each
    tuple (of the shapes of its items), None for anything else."""
    pos = 0
    refs = []

    def byte():
        nonlocal pos
        b = data[pos]
        pos += 1
        return b

    def long():
        nonlocal pos
        v = int.from_bytes(data[pos:pos + 4], "little", signed=True)
        pos += 4
        return v

    def skip(n):
        nonlocal pos
        pos += n

    def read():
        nonlocal pos
        code = byte()
        flag = code & 0x80
        t = chr(code & 0x7F)
        if t in "NTF.S0":
            return None
        if t == "r":
            return refs[long()]
        idx = None
        if flag:
            idx = len(refs)
            refs.append(None)
        result = None
        if t == "i":
            skip(4)
        elif t == "I":
            skip(8)
        elif t == "l":
            skip(2 * abs(long()))
        elif t == "g":
            skip(8)
        elif t == "y":
            skip(16)
        elif t in "fx":
            for _ in range(1 if t == "f" else 2):
                skip(byte())
        elif t in "zZ":
            skip(byte())
        elif t in "aAsut":
            n = long()
            if t == "s":
                result = data[pos:pos + n]
            skip(n)
        elif t in ")([":
            n = byte() if t == ")" else long()
            result = []
            if idx is not None:
                refs[idx] = result
            for _ in range(n):
                result.append(read())
        elif t in "<>":
            for _ in range(long()):
                read()
        elif t == "{":
            while data[pos] != ord("0"):
                read()
                read()
            skip(1)
        elif t == "c":
            result = CodeShape()
            if idx is not None:
                refs[idx] = result
            skip(20)
            read()  # co_code
            result.consts = read()
            read()  # co_names
            read()  # co_localsplusnames
            result.kinds = read()
            for _ in range(3):  # filename, name, qualname
                read()
            skip(4)  # firstlineno
            read()  # linetable
            read()  # exceptiontable
        else:
            raise ValueError(f"unknown marshal type code {t!r} at offset {pos - 1}")
        if idx is not None:
            refs[idx] = result
        return result

    return read()


# --- Comparison -----------------------------------------------------------------------------

def fmt(v, limit=300):
    r = repr(v)
    if len(r) > limit:
        r = r[:limit] + f"... ({len(r)} chars)"
    return r


def describe(v):
    if type(v) is CodeType:
        return f"<code {v.co_qualname}>"
    return f"{fmt(v)} ({type(v).__name__})"


def code_label(co):
    name = co.co_name
    return name if name.startswith("<") and name.endswith(">") else f"<{name}>"


def localsplusnames(co):
    names = []
    i = 0
    while True:
        try:
            names.append(co._varname_from_oparg(i))
        except (IndexError, ValueError):
            return tuple(names)
        i += 1


def instruction_at(code, offset):
    op = code[offset]
    arg = code[offset + 1] if offset + 1 < len(code) else None
    return f"{dis.opname[op]} {arg}"


def code_difference(expected, actual):
    n = min(len(expected), len(actual))
    for i in range(0, n, 2):
        if expected[i:i + 2] != actual[i:i + 2]:
            return (f" (first difference at offset {i}: cpython {instruction_at(expected, i)}, "
                    f"pyrite {instruction_at(actual, i)}; lengths {len(expected)} and {len(actual)})")
    return f" (lengths {len(expected)} and {len(actual)})"


def float_bits(f):
    return struct.pack("<d", f)


def compare(expected, actual, path, eshape=None, ashape=None):
    """None if `actual` is exactly `expected`, else the first difference as
    `path: cpython=... pyrite=...`."""
    te, ta = type(expected), type(actual)
    if te is not ta:
        return f"{path}: cpython={describe(expected)} pyrite={describe(actual)}"
    if te is CodeType:
        return compare_code(expected, actual, path + code_label(expected), eshape, ashape)
    if te is float:
        same = float_bits(expected) == float_bits(actual)
    elif te is complex:
        same = (float_bits(expected.real) == float_bits(actual.real)
                and float_bits(expected.imag) == float_bits(actual.imag))
    elif te is tuple:
        if len(expected) != len(actual):
            return f"{path}: cpython={fmt(expected)} pyrite={fmt(actual)} (lengths {len(expected)} and {len(actual)})"
        for i, (e, a) in enumerate(zip(expected, actual)):
            es = eshape[i] if isinstance(eshape, list) and i < len(eshape) else None
            as_ = ashape[i] if isinstance(ashape, list) and i < len(ashape) else None
            d = compare(e, a, f"{path}[{i}]", es, as_)
            if d:
                return d
        return None
    elif te is frozenset:
        if len(expected) != len(actual):
            return f"{path}: cpython={fmt(expected)} pyrite={fmt(actual)} (sizes {len(expected)} and {len(actual)})"
        rest = list(actual)
        for e in sorted(expected, key=repr):
            for j, a in enumerate(rest):
                if compare(e, a, "") is None:
                    del rest[j]
                    break
            else:
                return f"{path}: cpython={fmt(expected)} pyrite={fmt(actual)} (pyrite lacks {describe(e)})"
        return None
    else:
        same = expected == actual
    if same:
        return None
    return f"{path}: cpython={fmt(expected)} pyrite={fmt(actual)}"


def compare_code(e, a, path, eshape=None, ashape=None):
    def field(name, ev, av, extra=""):
        if type(ev) is not type(av) or ev != av:
            return f"{path}.{name}: cpython={fmt(ev)} pyrite={fmt(av)}{extra}"
        return None

    checks = [
        ("co_argcount", e.co_argcount, a.co_argcount),
        ("co_posonlyargcount", e.co_posonlyargcount, a.co_posonlyargcount),
        ("co_kwonlyargcount", e.co_kwonlyargcount, a.co_kwonlyargcount),
        ("co_flags", e.co_flags, a.co_flags),
        ("co_nlocals", e.co_nlocals, a.co_nlocals),
        ("co_names", e.co_names, a.co_names),
        ("co_varnames", e.co_varnames, a.co_varnames),
        ("co_cellvars", e.co_cellvars, a.co_cellvars),
        ("co_freevars", e.co_freevars, a.co_freevars),
        ("co_localsplusnames", localsplusnames(e), localsplusnames(a)),
    ]
    for name, ev, av in checks:
        d = field(name, ev, av)
        if d:
            if name == "co_flags":
                d += f" (cpython {ev:#x}, pyrite {av:#x})"
            return d
    if isinstance(eshape, CodeShape) and isinstance(ashape, CodeShape):
        d = field("co_localspluskinds", eshape.kinds, ashape.kinds)
        if d:
            return d
    ec, ac = e.co_consts, a.co_consts
    if len(ec) != len(ac):
        return f"{path}.co_consts: cpython={fmt(ec)} pyrite={fmt(ac)} (lengths {len(ec)} and {len(ac)})"
    ecs = eshape.consts if isinstance(eshape, CodeShape) else None
    acs = ashape.consts if isinstance(ashape, CodeShape) else None
    for i, (ev, av) in enumerate(zip(ec, ac)):
        es = ecs[i] if isinstance(ecs, list) and i < len(ecs) else None
        as_ = acs[i] if isinstance(acs, list) and i < len(acs) else None
        d = compare(ev, av, f"{path}.co_consts[{i}]", es, as_)
        if d:
            return d
    if e.co_code != a.co_code:
        return field("co_code", e.co_code, a.co_code, code_difference(e.co_code, a.co_code))
    for name in ("co_stacksize", "co_linetable", "co_exceptiontable", "co_firstlineno",
                 "co_name", "co_qualname", "co_filename"):
        d = field(name, getattr(e, name), getattr(a, name))
        if d:
            return d
    return None


# --- Files ----------------------------------------------------------------------------------

def marshal_data(path):
    """The marshal data of a raw marshal file or of a .pyc (header checked and skipped)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] == MAGIC:
        if len(data) < 16:
            raise ValueError(f"{path}: truncated .pyc header")
        flags = int.from_bytes(data[4:8], "little")
        if flags & ~0b11:
            raise ValueError(f"{path}: invalid .pyc flags {flags}")
        return data[16:]
    if path.endswith(".pyc"):
        raise ValueError(f"{path}: bad magic number {data[:4]!r}")
    return data


def load(path, with_shape):
    data = marshal_data(path)
    obj = marshal.loads(data)
    return obj, (shape(data) if with_shape else None)


def compare_source(source_path, pyrite_path, with_kinds=True):
    """('identical' | 'different' | 'error', detail)."""
    try:
        with open(source_path, "rb") as f:
            source = f.read()
        expected = compile(source, source_path, "exec", dont_inherit=True)
    except Exception as exc:
        return "error", f"compile: {type(exc).__name__}: {exc}"
    eshape = shape(marshal.dumps(expected)) if with_kinds else None
    try:
        actual, ashape = load(pyrite_path, with_kinds)
    except Exception as exc:
        return "error", f"load {pyrite_path}: {type(exc).__name__}: {exc}"
    d = compare(expected, actual, "", eshape, ashape)
    return ("identical", "") if d is None else ("different", d)


def compare_marshal_files(expected_path, actual_path, with_kinds=True):
    try:
        expected, eshape = load(expected_path, with_kinds)
    except Exception as exc:
        return "error", f"load {expected_path}: {type(exc).__name__}: {exc}"
    try:
        actual, ashape = load(actual_path, with_kinds)
    except Exception as exc:
        return "error", f"load {actual_path}: {type(exc).__name__}: {exc}"
    d = compare(expected, actual, "", eshape, ashape)
    return ("identical", "") if d is None else ("different", d)


def clean(text):
    return text.replace("\t", "\\t").replace("\n", "\\n")


def run_batch(listfile, compare_pair, with_kinds):
    stream = sys.stdin if listfile == "-" else open(listfile, encoding="utf-8")
    all_identical = True
    with stream:
        for line in stream:
            line = line.rstrip("\n")
            if not line:
                continue
            first, _, second = line.partition("\t")
            try:
                status, detail = compare_pair(first, second, with_kinds)
            except Exception as exc:  # a bug here must not stop the batch
                status, detail = "error", f"{type(exc).__name__}: {exc}"
            all_identical &= status == "identical"
            out = f"{first}\t{status}" + (f"\t{clean(detail)}" if detail else "")
            print(out, flush=False)
    sys.stdout.flush()
    return 0 if all_identical else 1


def main(argv):
    sys.setrecursionlimit(20000)  # constants may nest up to marshal's limit of 2000 levels
    with_kinds = "--no-kinds" not in argv
    args = [a for a in argv if a != "--no-kinds"]
    if len(args) == 2 and args[0] == "--batch":
        return run_batch(args[1], compare_source, with_kinds)
    if len(args) == 2 and args[0] == "--marshal-pairs":
        return run_batch(args[1], compare_marshal_files, with_kinds)
    if len(args) == 2 and not args[0].startswith("--"):
        status, detail = compare_source(args[0], args[1], with_kinds)
        if status == "identical":
            print("identical")
            return 0
        if status == "different":
            print(detail)
            return 1
        print(f"error: {detail}")
        return 2
    print(__doc__.strip(), file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
