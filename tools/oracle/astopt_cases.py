"""The AST optimizer's differential cases, run under the oracle (CPython 3.12.1).

CPython 3.12 has no API that shows the optimized AST, so each case puts an expression where
the code generator compiles it in a known place, and this script reports the instructions
compiled for it (without the control-flow and stack-shuffling ones, which carry no operand):
`x = (EXPR)` up to `STORE_NAME x`, `for _ in EXPR` up to `GET_ITER`, an annotation, a match
value, a type alias value, and so on. A fully folded expression is one `LOAD_CONST`.
Constants are shown as `type repr`, frozensets with their items sorted.

The cases are generated here, systematically (every operator over pairs of constants of
every type and edge value, the safety limits on both sides of each threshold, the special
forms). `crates/pyrite-astopt/tests/oracle_cases.rs` runs this script at test time, runs
pyrite's optimizer on the same sources and compares. With `--exprs FILE`, the expressions
listed in FILE (one per line, UTF-8 in hex) are run as `expr` cases instead:
`crates/pyrite-astopt/tests/corpus.rs` passes the foldable expressions it finds in the
standard library.

Output, one record per case:
    C <tab> category <tab> optimize <tab> source as UTF-8 hex
    I <tab> opname <tab> operand <tab> lineno <tab> col <tab> end_lineno <tab> end_col   (0 or more)
    D <tab> docstring (crepr) or None          (doc categories)
    U <tab> 1 if the annotation string is the unparsed source, else 0   (annfut)
    W <tab> number of warnings                  (warn)
    E <tab> exception class <tab> message       (when compile() raises)
"""

import ast
import dis
import sys
import types
import warnings

sys.set_int_max_str_digits(0)


def body(v):
    if type(v) is tuple:
        inner = ", ".join(body(x) for x in v)
        return "(" + inner + ("," if len(v) == 1 else "") + ")"
    if type(v) is frozenset:
        items = sorted(body(x) for x in v)
        return "frozenset({" + ", ".join(items) + "})" if items else "frozenset()"
    return repr(v)


def crepr(v):
    return type(v).__name__ + " " + body(v)


DROP = {
    "RESUME", "NOP", "CACHE", "EXTENDED_ARG", "COPY", "SWAP", "POP_TOP",
    "POP_JUMP_IF_FALSE", "POP_JUMP_IF_TRUE", "POP_JUMP_IF_NONE", "POP_JUMP_IF_NOT_NONE",
    "JUMP_FORWARD", "JUMP_BACKWARD", "JUMP", "JUMP_NO_INTERRUPT",
}
NAMES = {"LOAD_NAME", "LOAD_ATTR", "LOAD_GLOBAL", "LOAD_FAST", "STORE_NAME", "LOAD_DEREF",
         "IMPORT_NAME", "IMPORT_FROM", "STORE_FAST", "LOAD_FAST_AND_CLEAR"}
ARGREPR = {"BINARY_OP", "COMPARE_OP", "FORMAT_VALUE", "CALL_INTRINSIC_1"}


def instructions(code):
    """(opname, operand, positions) of the code's instructions, filtered."""
    out = []
    for ins in dis.get_instructions(code):
        op = ins.opname
        if op in DROP:
            continue
        if op == "RETURN_CONST":
            out.append(("LOAD_CONST", crepr(ins.argval), ins.positions))
            out.append(("RETURN_VALUE", "", ins.positions))
            continue
        if op == "LOAD_CONST":
            arg = "<code>" if isinstance(ins.argval, types.CodeType) else crepr(ins.argval)
        elif op in NAMES:
            arg = str(ins.argval)
        elif op in ARGREPR:
            arg = ins.argrepr
        elif ins.arg is None:
            arg = ""
        else:
            arg = str(ins.arg)
        out.append((op, arg, ins.positions))
    return out


def until(ins, stop):
    for i, (op, arg, _) in enumerate(ins):
        if (op, arg) == stop or (stop[1] is None and op == stop[0]):
            return ins[:i]
    raise AssertionError(f"no {stop} in {ins}")


def after(ins, start):
    for i, (op, arg, _) in enumerate(ins):
        if (op, arg) == start or (start[1] is None and op == start[0]):
            return ins[i + 1:]
    raise AssertionError(f"no {start} in {ins}")


def find_code(code, name):
    for c in code.co_consts:
        if isinstance(c, types.CodeType):
            if c.co_name == name:
                return c
            found = find_code(c, name)
            if found is not None:
                return found
    return None


FUTURE = "from __future__ import annotations\n"


def source(cat, e):
    return {
        "expr": f"x = ({e})\n",
        "for": f"for _ in {e}: pass\n",
        "comp": f"[_ for _ in {e}]\n",
        "ann": f"x: {e}\n",
        "annfut": f"{FUTURE}x: {e}\n",
        "match": f"match s:\n case {e}: pass\n",
        "mapkeys": f"match s:\n case {e}: pass\n",
        "typealias": f"type X = {e}\n",
        "bound": f"def f[T: {e}](): pass\n",
        "doc": f"{e}\nx = 1\n",
        "fdoc": f"def f():\n {e}\n",
        "cdoc": f"class C:\n {e}\n",
        "recursion": e,
        "warn": f"x = ({e})\n",
    }[cat]


def window(cat, code, e):
    ins = instructions(code)
    if cat in ("expr", "warn"):
        return until(ins, ("STORE_NAME", "x"))
    if cat in ("for", "comp"):
        return until(ins, ("GET_ITER", None))
    if cat == "ann":
        return until(after(ins, ("SETUP_ANNOTATIONS", None)), ("LOAD_NAME", "__annotations__"))
    if cat == "annfut":
        return until(after(ins, ("STORE_NAME", "annotations")), ("LOAD_NAME", "__annotations__"))
    if cat == "match":
        return until(after(ins, ("LOAD_NAME", "s")), ("COMPARE_OP", None))
    if cat == "mapkeys":
        return until(after(ins, ("COMPARE_OP", ">=")), ("MATCH_KEYS", None))
    if cat == "typealias":
        return until(instructions(find_code(code, "X")), ("RETURN_VALUE", None))
    if cat == "bound":
        return until(instructions(find_code(code, "T")), ("RETURN_VALUE", None))
    return []


def docstring(cat, code):
    ns = {"a": 0}
    exec(code, ns)
    if cat == "doc":
        return ns.get("__doc__")
    if cat == "fdoc":
        return ns["f"].__doc__
    return ns["C"].__doc__


def run_case(cat, e, optimize):
    src = source(cat, e)
    print("C", cat, optimize, src.encode("utf-8").hex(), sep="\t")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            code = compile(src, "case.py", "exec", dont_inherit=True, optimize=optimize)
        except Exception as exc:
            print("E", type(exc).__name__, str(exc), sep="\t")
            return
    for op, arg, pos in window(cat, code, e):
        p = ["" if x is None else str(x) for x in (pos.lineno, pos.col_offset, pos.end_lineno, pos.end_col_offset)]
        print("I", op, arg, *p, sep="\t")
    if cat in ("doc", "fdoc", "cdoc"):
        d = docstring(cat, code)
        print("D", "None" if d is None else crepr(d), sep="\t")
    if cat == "annfut":
        text = instructions(code)
        text = until(after(text, ("STORE_NAME", "annotations")), ("LOAD_NAME", "__annotations__"))
        unparsed = ast.unparse(ast.parse(e, mode="eval").body)
        print("U", int(len(text) == 1 and text[0][1] == crepr(unparsed)), sep="\t")
    if cat == "warn":
        print("W", len(caught), sep="\t")


# ---------------------------------------------------------------------------------------
# The cases.

INTS = ["0", "1", "-1", "2", "3", "7", "-7", "10", "255", "2**31", str(2**53 + 1), str(2**63 - 1),
        "-9223372036854775808", str(2**63), str(2**64), str(2**100), "-" + str(2**100),
        str(2**127), str(2**128 - 1), str(10**30), str(10**400)]
BOOLS = ["True", "False"]
FLOATS = ["0.0", "-0.0", "1.0", "-1.5", "0.1", "2.5", "3.0", "1e300", "1e-300", "5e-324",
          "1.7976931348623157e308", "1e999", "-1e999", "(1e999*0)"]
COMPLEXES = ["0j", "1j", "-1j", "(1+2j)", "(1.5-0.5j)", "1e999j", "(-0.0-0j)", "(2+0j)"]
STRS = ["''", "'a'", "'abc'", "'\\xe9t\\xe9'", "'\\ud800'", "'\\U0001f600x'"]
BYTES = ["b''", "b'a'", "b'abc'", "b'\\xff\\x00'"]
TUPLES = ["()", "(1,)", "(1, 2)", "((1, 2), (3,))", "('a', b'b', None)"]
OTHERS = ["None", "...", "a"]

NUMS = INTS + BOOLS + FLOATS + COMPLEXES
ALL = NUMS + STRS + BYTES + TUPLES + OTHERS
# The numbers every operator is tried on pairwise.
CORE = ["0", "1", "-1", "3", "-7", "2**31", str(2**63), "-9223372036854775808", str(2**100),
        str(10**400), "True", "False", "0.0", "-0.0", "1.5", "-2.5", "1e300", "5e-324", "1e999",
        "-1e999", "(1e999*0)", "0j", "-1j", "(1+2j)", "1e999j"]
SEQS = STRS + BYTES + TUPLES + OTHERS
BINOPS = ["+", "-", "*", "/", "//", "%", "**", "<<", ">>", "&", "|", "^", "@"]
SMALL_INTS = ["0", "1", "2", "3", "-1", "-2", "True", "False", "2**62", str(2**70), "1.0", "2.5"]


def expr_cases():
    cases = []
    # Every operator over every pair of numbers, and sequences against small numbers and
    # each other.
    for op in BINOPS:
        for a in CORE:
            for b in CORE:
                cases.append(f"{a} {op} {b}")
        if op in ("+", "*", "%"):
            seqs, others = SEQS, SMALL_INTS + ["'a'", "b'a'", "(1,)", "None", "a"]
        else:
            seqs, others = ["'a'", "b'a'", "(1,)", "None", "...", "a"], ["1", "2.5", "'a'"]
        for a in seqs:
            for b in others:
                cases.append(f"{a} {op} {b}")
                cases.append(f"{b} {op} {a}")
    # Every number on each side of the arithmetic operators, against a few others.
    for op in ["+", "-", "*", "/", "//", "%", "**"]:
        for a in NUMS:
            for b in ["2", "-3", "0.5", "(1-1j)"]:
                cases.append(f"{a} {op} {b}")
                cases.append(f"{b} {op} {a}")
    # Unary operators and chains.
    for v in ALL:
        for op in ["-", "+", "~", "not "]:
            cases.append(f"{op}{v}")
    cases += ["--1", "-~1", "~-1", "not not 0", "- -0.0", "~~True", "-+-1.5", "not -0.0",
              "not (1e999*0)", "not 0j", "not ()", "not (0,)", "not ''", "not b''", "not ...",
              "+True", "-False", "~2**100", "-(-9223372036854775808)", "-(2**63-1)"]
    # The limits.
    for n in [0, 1, 2, 63, 64, 65, 126, 127, 128, 129, 130]:
        cases += [f"2**{n}", f"(-2)**{n}", f"1**{n}", f"(-1)**{n}", f"0**{n}", f"True**{n}",
                  f"1 << {n}", f"(-1) << {n}", f"3 << {n}", f"0 << {n}", f"2**60 << {n}",
                  f"{2**64} >> {n}", f"(-{2**64}) >> {n}"]
    for a, b in [(2**64, 2**63), (2**64, 2**64), (2**64 - 1, 2**64), (2**127, 1), (2**127, 2),
                 (2**128 - 1, 1), (2**128 - 1, -1), (2**128, 1), (2**128, 0), (3**40, 3**40),
                 (3**41, 3**40), (-(2**64), 2**64), (10**400, 0)]:
        cases.append(f"{a} * {b}")
        cases.append(f"{b} * {a}")
    cases += ["3**80", "3**81", "(2**64)**2", "(2**64+1)**2", "(2**43)**3", "2**128 - 1",
              "10**38", "10**39", "2**-1", "2**-1074", "2**-1075", "10**-400", "(-2)**-3",
              "0**-1", "0**0", f"{10**400}**0", f"{10**400}**-1", f"1**{2**64}", f"1**{2**63}",
              f"0**{2**64}", f"(-1)**{2**70}", "2**(2**7)", f"1 << {2**64}", "1 << -1",
              "0 << -1", "1 >> -1", f"1 >> {2**64}", f"-1 >> {2**64}", f"{2**70} >> 3",
              f"-{2**70} >> 3", f"-{2**70} >> 200", "2**0.5", "(-2)**0.5", "(-8)**(1/3)",
              "(-8.0)**(1/3)", "2.0**1024", "2.0**1023", "(-2.0)**1025", "0.0**-1", "(-0.0)**3",
              "(-0.0)**-3", "(-0.0)**0.5", "1e999**0", "(-1e999)**3", "(-1e999)**-3",
              "(1e999*0)**0", "1**(1e999*0)", "2**1e999", "0.5**1e999", "(-1)**1e999",
              "0.5**-1e999", "3.0**-680", "10.0**-320", "(1+1j)**1e999", "0j**-1",
              "0j**(-1+0j)", "0j**0", "0j**0j", "0j**1j", "(1e200+1e200j)**2", "(1+2j)**100",
              "(1+2j)**101", "(1+2j)**-3", "(1+2j)**0.5", "(1+2j)**(2+3j)", "2**(1+1j)",
              "(1e999+0j)**2", "(1+1j)**(1e999*0)", "(1e999*0+0j)**2", "1j**2", "1j**-2",
              "(0.5+0.5j)**1e300", "1/3", "1/-3", "0/-3", "-0.0/3", "1/0", "1.0/0", "1/0.0",
              "1j/0", "(1+2j)/(3-4j)", "1/(1e999+1e999j)", "(1e999+1e999j)/(1+1j)",
              "(1e999+1e999j)/(1e999+1j)", "(1+1j)/(1e999*0)", f"{10**400}/{10**399}",
              f"{10**400}/1", f"1/{10**400}", f"{2**1024}/{2**1023}", f"{2**1024 - 1}/2",
              f"{2**1100 + 1}/{2**1100}", f"({2**60 * 3 + 1})/3", f"{3**700}/{2**2170}",
              f"{2**53 + 1}/1", f"-{2**53 + 1}/1", f"{2**54 + 3}/2", f"({2**1023})*2.0",
              f"{2**1024} + 0.0", f"{2**1024 - 2**970} + 0.0", f"{2**1024 - 2**971} + 0.0",
              f"{2**1024} + 0j", f"{2**1024} == 0.0", "-7//2", "-7%2", "7//-2", "7%-2",
              "-7.5//2", "-7.5%2", "7.5%-2", "7.5//-2", "-0.0%5", "0.0%-5", "0.0//-1",
              "-0.0//1", "5%0", "5//0", "5.0%0", "5.0//0.0", "1e999%2", "2%1e999",
              "-2%1e999", "1e999//2", "2//1e999", "-2//1e999", "1e300//1e-300", "(1e999*0)//1",
              "1.0%(1e999*0)", "0.1%0.01", "1e16%3", "-1e-300%1", f"{2**100}%-7",
              f"-{2**100}//7", "(1j)%2", "(1j)//2", "divmod", "True&True", "True|False",
              "True^True", "True&1", "1|False", "-1&255", f"-{2**100}&{2**70 - 1}",
              f"{2**100}|-1", f"-{2**100}^-{2**64}", "1.0&1", "True+True", "True*2.5",
              "True/2", "True//True", "False**False", "True<<True", "True>>False"]
    # Sequences: concatenation, repetition and their limits.
    cases += ["'a'*4096", "'a'*4097", "4096*'a'", "4097*'a'", "'ab'*2048", "'ab'*2049",
              "'\\xe9'*4096", "'\\xe9'*4097", "b'x'*4096", "b'x'*4097", "b'xy'*2049",
              "''*10**6", "''*4611686018427387904", f"''*{2**63 - 1}", f"''*{2**63}",
              f"''*{2**70}", "''*-5", "b''*-1", "()*-1", f"()*{2**63 - 1}", f"()*{2**63}",
              "'a'*-1", "'a'*0", "b'a'*-1", "(1,)*-1", "(1,)*0", f"'a'*{2**70}",
              f"(1,)*{2**70}", "(1,)*256", "(1,)*257", "256*(1,)", "(1,2)*128", "(1,2)*129",
              "((1,2,3),)*256", "((1,2,3,4),)*205", "((1,2,3,4),)*204", "((1,),(2,))*128",
              "(((1,),),)*256", "(((1,2),),)*256", "('a'*4096,)*2", "'a'*True", "True*'ab'",
              "'a'*False", "(1,)*True", "'a'*2.0", "'a'*'b'", "b'a'*b'a'", "(1,)*(2,)",
              "'a'*4096 + 'b'*4096", "(1,)*256 + (2,)*256", "'a' + b'b'", "b'a' + 'b'",
              "(1,) + [2]", "'abc' % ()", "'abc' % (1,)", "b'%s' % (1,)", "b'%s' % b'a'",
              "'%s' % 'a'", "'%d' % 3", "5 % 'a'", "(1,) % 2", "'a' - 'a'", "'a' + 1",
              "'\\ud800' + '\\udc00'", "'\\ud83d' + '\\ude00'"]
    # Subscripts.
    for v in ["'abc'", "b'abc'", "(1, 2.5, 'x')", "'\\xe9\\ud800\\U0001f600'", "''", "()", "b''",
              "((1, 2), (3,))"]:
        for i in ["0", "1", "2", "3", "-1", "-3", "-4", "True", "False", str(2**63), str(2**70),
                  "1.0", "'a'", "None", "(0,)"]:
            cases.append(f"{v}[{i}]")
    cases += ["'abc'[1:]", "'abc'[1+1:]", "'abc'[::2]", "(1, 2)[0][0]", "((1, 2), 3)[0][1]",
              "1[0]", "None[0]", "'abc'[a]", "a[1+1]", "a[1, 2]", "a[1:2, 3]", "[1, 2][0]",
              "{1: 2}[1]", "'abc'[-1][0]"]
    # Tuples.
    cases += ["(1, 2)", "((1, 2), (3, (4, 5)))", "(1, a)", "((1, 2), a)", "(1, (a, 2))",
              "(-1, +2, ~3, not 4)", "(1+2, 'a'*2, (1,)*2)", "((), ((),))", "(a, b)",
              "(*a, 1)", "(1, *(2, 3))", "(__debug__, 1)", "[1, 2]", "[1, 2, 3]", "[a, 1]",
              "{1, 2, 3}", "{1: (1, 2)}", "(1, [2])"]
    # `in` / `not in`: lists become tuples, sets of constants frozensets.
    cases += ["a in [1, 2]", "a not in [1, 2]", "a in [a, b]", "a in [*b]", "a in [*b, 1]",
              "a in [1, [2]]", "a in {1, 2}", "a not in {1, 2}", "a in {1, 1.0, True}",
              "a in {1.0, 1, 1+0j}", "a in {0, -0.0, False, 0j}", "a in {a}", "a in {a, 1}",
              "a in {*b}", "a in (1, 2)", "a < [1, 2]", "a in b in [1]", "a in [1] in b",
              "a in [1] not in [2]", "a in []", "a in {}", "a in {x: 1}", "a in [1+2, -3]",
              "a in {(1, 2), (1, 2), (1, 2.0)}", "a in {'a', b'a', 'a'}",
              "a in {(1e999*0), (1e999*0)}", "a in {2**64, 2.0**64, 18446744073709551616}",
              f"a in {{{2**53 + 1}, {float(2**53)}, {2**53}}}", "a in {None, ..., None}",
              "a in {1, (1,), ((1,),)}", "[1, 2] in a", "a in [1, 2] or b", "a is [1]",
              "a in {1: 2}"]
    # `not` over a comparison.
    cases += ["not a is b", "not a is not b", "not a in b", "not a not in b", "not a == b",
              "not a != b", "not a < b", "not a <= b", "not a > b", "not a >= b",
              "not (a is b is c)", "not a in [1, 2]", "not a in {1, 2}", "not not a is b",
              "not (a in b) in c", "not (\n a\n is\n b\n)", "(not a is b, not a in c)"]
    # `%` formatting.
    for f in ["%s", "%r", "%a", "%5s", "%-5s", "%.2s", "%5.2s", "%-5.2r", "%05s", "%+s", "% s",
              "%#s", "%99s", "%100s", "%999s", "%.99s", "%.100s", "%.s", "%5.s", "%d", "%i",
              "%x", "%f", "%5.2f", "%%", "a%%b%s", "%s%s", "", "abc", "%(a)s", "%*s", "%c",
              "%s %", "%-0s", "%00s", "%010s", "%0-5s", "%", "%5", "%.", "%.5", "x%sy",
              "\\xe9%s\\U0001f600", "%s\\ud800"]:
        cases.append(f"'{f}' % (a,)")
    cases += ["'%s%s' % (a,)", "'%s' % (a, b)", "'%s %r' % (a, b)", "'%s, %a!' % (a, 1)",
              "'%s' % (1,)", "'%s' % (a, *b)", "'%s' % (*a,)", "b'%s' % (a,)", "f'{a}' % (a,)",
              "'%s' % a", "'%s' % [a]", "'%s' % (a+1,)", "'%s' % (1+2, a)", "'' % ()",
              "'%%' % ()", "'%s%%' % (a,)", "'%s' % ((a,),)", "('%s' + '%r') % (a, b)",
              "'%s' % (a,) % b", "'%%%s%%' % (a,)", "'%s\\n%s' % (\n a,\n b)"]
    # __debug__.
    cases += ["__debug__", "not __debug__", "__debug__ + 1", "(__debug__, 1)", "a.__debug__",
              "__debug__.real", "-__debug__"]
    # Not folded themselves, folded inside.
    cases += ["f'{1+2}'", "f'{a:{1+2}}'", "f'{\"a\"*3!r}'", "f'x{a}y{-1}'", "f'{a!s:>{-1}}'",
              "f(1+2, 'a'*2)", "(1+2).real", "a.b", "f()", "a[1:2]", "a[1:2:3]", "a[-1:-2]",
              "-a", "+a", "~a", "not a", "a + 1", "1 + a", "a + (1 + 2)", "(1 + 2) + a",
              "1 + 2 + a", "a + 1 + 2", "1 + 2 * 3 - 4", "2 * (3 + 4) ** 2 // 5 % 7",
              "(1+2j)*(3-4j)", "a @ b", "1 @ 2", "a if 1+1 else b", "a or 1+1", "a and -1",
              "-(a if 0*1 else 2)"]
    return cases


def special_cases():
    out = []
    for e in ["[1, 2]", "[a, b]", "[*a, 1]", "{1, 2}", "{a, 1}", "{1, 1.0, True}", "(1, 2)",
              "range(3)", "[]", "{1: 2}", "[1+1, -2]", "[[1], 2]", "{*a}", "a"]:
        out.append(("for", e, 0))
        out.append(("comp", e, 0))
    for e in ["1+2", "-1", "list[int]", "'a' 'b'", "(1, 2)", "__debug__", "int | None",
              "'a' * 3", "-a", "[1, 2]"]:
        out.append(("ann", e, 0))
    for e in ["1+2", "-1", "(1, 2)", "__debug__", "'a' * 3", "not 1", "~(1 << 3)"]:
        out.append(("annfut", e, 0))
    for e in ["-1", "1+2j", "-1-2j", "-0.0", "1.5", "-1.5+2j", "-0j", "0-0j", "1e999j",
              "-1e999", "a.b", "'a' 'b'", "b'x'", "-9223372036854775808",
              "-" + str(2**100) + "+1j"]:
        out.append(("match", e, 0))
    for e in ["{-1: _, 1+2j: _}", "{'a': _, -2: _}", "{a.b: _, -1.5: _}", "{0-1j: _}"]:
        out.append(("mapkeys", e, 0))
    for e in ["1+2", "(1, 2)", "-x", "__debug__", "[1, 2]", "'%s' % (x,)", "int | None"]:
        out.append(("typealias", e, 0))
        out.append(("bound", e, 0))
    for e in ["'a'", "'a' 'b'", "('a' + 'b')", "'a' * 2", "'abc'[0]", "f'a'", "b'a'", "1",
              "-1", "('a', 'b')[0]", "'%s' % (a,)", "u'a'", "__debug__"]:
        out.append(("doc", e, 0))
        out.append(("fdoc", e, 0))
        out.append(("cdoc", e, 0))
    for opt in [-1, 0, 1, 2]:
        for e in ["__debug__", "not __debug__", "(__debug__, 1)", "a.__debug__"]:
            out.append(("expr", e, opt))
    for n in [2990, 2993, 2994, 2995, 2996]:
        out.append(("recursion", "x = " + "1+" * n + "1\n", 0))
        out.append(("recursion", "x = " + "-" * n + "1\n", 0))
        out.append(("recursion", "def f():\n return " + "-" * n + "1\n", 0))
        out.append(("recursion", "x = (" + "(1, " * 50 + "-" * (n - 50) + "1" + ",)" * 50 + ")\n", 0))
    for e in ["~True", "~False", "~~True", "(~True, ~False)", "~1", "~a", "-True"]:
        out.append(("warn", e, 0))
    return out


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--exprs":
        # Expressions given by the caller (one per line, UTF-8 hex), as `expr` cases.
        with open(sys.argv[2], encoding="ascii") as f:
            for line in f:
                if line.strip():
                    run_case("expr", bytes.fromhex(line.strip()).decode("utf-8"), 0)
        return
    for e in expr_cases():
        run_case("expr", e, 0)
    for cat, e, opt in special_cases():
        run_case(cat, e, opt)


if __name__ == "__main__":
    main()
