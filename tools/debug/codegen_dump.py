"""Print the code generator's output for the module unit of a file, as CPython 3.12's
`_testinternalcapi.compiler_codegen` returns it (before the flow-graph passes): one line per
instruction, `INDEX OPNAME OPARG @LINE:COL-ENDLINE:ENDCOL`, a jump's oparg being the index of
its target. Compare with `pyrite compile --codegen FILE`. A debugging aid, run under the oracle:

    $(pyenv prefix 3.12.1)/bin/python3.12 tools/debug/codegen_dump.py FILE
"""
import ast
import sys

import _testinternalcapi
import opcode

path = sys.argv[1]
with open(path, "rb") as f:
    tree = ast.parse(f.read(), path)
insts, md = _testinternalcapi.compiler_codegen(tree, path, 0)
names = {v: k for k, v in opcode.opmap.items()}
for i, (op, arg, l, el, c, ec) in enumerate(insts):
    print(f"{i} {names.get(op, op)} {arg} @{l}:{c}-{el}:{ec}")
for key in ("consts", "names", "varnames", "cellvars", "freevars"):
    print(key, [k for k, _ in sorted(md[key].items(), key=lambda kv: kv[1])])
