"""The oracle side of pyrite-symtable's differential tests (run under CPython 3.12.1).

Usage: python3.12 symtable_dump.py [--errors] < paths

For each path on stdin (one per line) it prints `=== PATH` and then:

- default mode: the symbol table of the file's bytes as `_symtable.symtable(source, PATH,
  "exec")` builds it, in the format of `pyrite_symtable::dump`, or `ERROR` and
  `traceback.format_exception_only` of the exception when CPython rejects the file (parser,
  future statement or symbol table errors);
- `--errors`: `SYMTABLE` and the exception text if `_symtable.symtable` rejects the file (a
  parser, future or symbol table error), else `COMPILE` and the text if `compile(source, PATH,
  "exec", dont_inherit=True)` does (a later stage: the code generator), else `OK`.

The dump of one entry (children indented by two more spaces):

    TYPE NAME line LINENO nested NESTED
      varnames NAME NAME ...
      sym NAME FLAGS
      ...
      CHILD...

TYPE is the entry's `type` (0 function, 1 class, 2 module, 3 annotation, 4 TypeVar bound,
5 type alias, 6 type parameters); FLAGS is the raw int of the entry's `symbols` dict (scope
bits included). Symbols are listed in the dict's order, except those that carry no
definition or use flag (only scope bits, DEF_FREE_CLASS or DEF_COMP_CELL: the free variables
the analysis adds while iterating a set, whose order depends on string hashes), which follow,
sorted by name.
"""
import _symtable
import sys
import traceback
import warnings

# DEF_GLOBAL | DEF_LOCAL | DEF_PARAM | DEF_NONLOCAL | USE | DEF_IMPORT | DEF_ANNOT
# | DEF_COMP_ITER | DEF_TYPE_PARAM
DEF_USE_MASK = 0x79F


def dump_entry(ste, indent, out):
    out.append(f"{indent}{ste.type} {ste.name} line {ste.lineno} nested {ste.nested}")
    out.append(f"{indent}  varnames" + "".join(" " + v for v in ste.varnames))
    ordered = [(k, v) for k, v in ste.symbols.items() if v & DEF_USE_MASK]
    rest = sorted((k, v) for k, v in ste.symbols.items() if not v & DEF_USE_MASK)
    for k, v in ordered + rest:
        out.append(f"{indent}  sym {k} {v}")
    for child in ste.children:
        dump_entry(child, indent + "  ", out)


def error_text(e):
    return "".join(traceback.format_exception_only(e))


EXCEPTIONS = (SyntaxError, ValueError, MemoryError, RecursionError, OverflowError, TypeError)


def dump_file(path, errors_mode=False):
    """What the script prints for one file, after its `=== PATH` line."""
    with open(path, "rb") as f:
        data = f.read()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            top = _symtable.symtable(data, path, "exec")
        except EXCEPTIONS as e:
            return ("SYMTABLE\n" if errors_mode else "ERROR\n") + error_text(e)
        if errors_mode:
            try:
                compile(data, path, "exec", dont_inherit=True)
            except EXCEPTIONS as e:
                return "COMPILE\n" + error_text(e)
            return "OK\n"
    lines = []
    dump_entry(top, "", lines)
    return "\n".join(lines) + "\n"


def main():
    errors_mode = "--errors" in sys.argv[1:]
    out = sys.stdout
    for line in sys.stdin:
        path = line.rstrip("\n")
        out.write(f"=== {path}\n")
        out.write(dump_file(path, errors_mode))
    out.flush()


if __name__ == "__main__":
    main()
