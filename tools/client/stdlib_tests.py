"""The real-client check of the compiler (`cargo xtask stdlib-tests`): CPython 3.12.1 runs its
own test modules from a copy of its standard library whose every `.pyc` pyrite wrote, and from
a second copy compiled by CPython itself; the results must be the same.

Run under the oracle: python3.12 tools/client/stdlib_tests.py PYRITE_BINARY WORKDIR [TEST ...]

1. Copy the oracle's `lib/python3.12` (without site-packages and __pycache__) to WORKDIR/pyrite
   and WORKDIR/cpython.
2. `pyrite compileall -q -j0` the first, `python3.12 -m compileall -q -j0` the second.
3. Run the test modules (`python3.12 -X frozen_modules=off -m test -j2 ...`) with each copy
   first on `sys.path`, so that every module the tests import, the standard library's included,
   is loaded from that copy's `.pyc` files.
4. Check that no `.pyc` of the pyrite copy was rewritten (CPython accepted all of pyrite's), and
   compare the two runs' results.
Prints a report; exit status 0 if the results agree.
"""
import os
import re
import shutil
import subprocess
import sys
import time

DEFAULT_TESTS = """
test_grammar test_compile test_peepholer test_syntax test_exceptions test_generators
test_coroutines test_patma test_fstring test_scope test_with test_contextlib test_dataclasses
test_enum test_typing test_re test_json test_ast test_dis test_string test_list test_dict
test_set test_tuple test_int test_float test_long test_bool test_unicode test_bytes test_class
test_descr test_funcattrs test_keywordonlyarg test_positional_only_arg test_unpack
test_unpack_ex test_named_expressions test_type_params test_exception_group test_except_star
test_augassign test_opcodes test_raise test_genexps test_listcomps test_setcomps
test_dictcomps test_itertools test_functools test_collections test_operator test_math
test_textwrap test_pprint test_copy test_abc test_types test_string_literals test_unparse
""".split()


def copy_stdlib(dest):
    src = os.path.dirname(os.__file__)
    if os.path.exists(dest):
        shutil.rmtree(dest)
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("site-packages", "__pycache__"))


def pycs(root):
    out = {}
    for d, _, files in os.walk(root):
        for f in files:
            if f.endswith(".pyc"):
                p = os.path.join(d, f)
                st = os.stat(p)
                out[p] = (st.st_mtime_ns, st.st_size)
    return out


def run_tests(libdir, tests, workdir):
    env = dict(os.environ, PYTHONPATH=libdir, PYTHONDONTWRITEBYTECODE="")
    env.pop("PYTHONHOME", None)
    cwd = os.path.join(workdir, "cwd-" + os.path.basename(libdir))
    os.makedirs(cwd, exist_ok=True)
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-X", "frozen_modules=off", "-m", "test", "-j2", "--timeout", "900", *tests],
        cwd=cwd, env=env, capture_output=True, text=True,
    )
    elapsed = time.perf_counter() - t0
    text = proc.stdout + proc.stderr
    result = {}
    for t in tests:
        result[t] = "?"
    # regrtest prints a summary: "N tests OK." then the names, "N tests failed:" then names, ...
    section = None
    for line in text.splitlines():
        m = re.match(r"^(\d+|All \d+) tests? (OK|failed|skipped|failed again|altered the execution environment|omitted|run no tests)\.?:?$", line.strip())
        if m:
            section = m.group(2)
            continue
        if section and line.startswith("    "):
            for name in line.split():
                result[name] = section
            continue
        if line.strip() == "":
            continue
        section = None
    # A lone test OK prints no list: "test_x" then "1 test OK." / "All N tests OK."
    for t in tests:
        if result[t] == "?" and re.search(r"\b" + re.escape(t) + r"\b.*(passed|OK)", text):
            result[t] = "OK"
    ok = re.search(r"Result: (\w+)", text)
    return result, (ok.group(1) if ok else "?"), elapsed, text


def main():
    pyrite, workdir = sys.argv[1], sys.argv[2]
    tests = sys.argv[3:] or DEFAULT_TESTS
    os.makedirs(workdir, exist_ok=True)
    lib_p = os.path.join(workdir, "pyrite")
    lib_c = os.path.join(workdir, "cpython")
    copy_stdlib(lib_p)
    copy_stdlib(lib_c)
    t0 = time.perf_counter()
    r = subprocess.run([pyrite, "compileall", "-q", "-j0", lib_p], capture_output=True, text=True)
    t_pyrite = time.perf_counter() - t0
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "compileall", "-q", "-j0", lib_c], capture_output=True, text=True)
    t_cpython = time.perf_counter() - t0
    before = pycs(lib_p)
    print(f"compileall: pyrite wrote {len(before)} .pyc files in {t_pyrite:.2f} s "
          f"(CPython: {len(pycs(lib_c))} in {t_cpython:.2f} s)")
    res_p, sum_p, el_p, text_p = run_tests(lib_p, tests, workdir)
    res_c, sum_c, el_c, text_c = run_tests(lib_c, tests, workdir)
    after = pycs(lib_p)
    rewritten = [p for p, v in after.items() if before.get(p) != v]
    new = [p for p in after if p not in before]
    same = [t for t in tests if res_p[t] == res_c[t]]
    ok_p = [t for t in tests if res_p[t] == "OK"]
    ok_c = [t for t in tests if res_c[t] == "OK"]
    print(f"test modules: {len(tests)}; same result on both: {len(same)}; "
          f"OK with pyrite's .pyc: {len(ok_p)}; OK with CPython's .pyc: {len(ok_c)}")
    print(f"regrtest result: pyrite {sum_p} ({el_p:.0f} s), CPython {sum_c} ({el_c:.0f} s)")
    print(f"pyrite .pyc files rewritten by CPython: {len(rewritten)}; written anew: {len(new)}")
    for t in tests:
        if res_p[t] != res_c[t]:
            print(f"  differs: {t}: pyrite {res_p[t]}, CPython {res_c[t]}")
    for p in rewritten[:10]:
        print(f"  rewritten: {p}")
    good = len(same) == len(tests) and not rewritten and "?" not in res_p.values()
    if not good:
        with open(os.path.join(workdir, "pyrite-run.txt"), "w") as f:
            f.write(text_p)
        with open(os.path.join(workdir, "cpython-run.txt"), "w") as f:
            f.write(text_c)
        print(f"(full regrtest output in {workdir}/pyrite-run.txt and cpython-run.txt)")
    sys.exit(0 if good else 1)


if __name__ == "__main__":
    main()
