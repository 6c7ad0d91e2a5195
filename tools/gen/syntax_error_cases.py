"""Regenerate corpus/syntax-errors: invalid Python snippets collected from CPython's own test suite.

Usage: python3 tools/gen/syntax_error_cases.py

(Any Python 3 will do: the script re-executes itself under the oracle, CPython 3.12.1.) The output
is a deterministic function of the oracle's `lib/python3.12/test`: running it again rewrites the
same files.

Sources, in the oracle's test directory: the modules listed in MODULES below (the test suites of
the grammar, the compiler and the tokenizer; of a package, each `.py` file), those of their files
that mention SyntaxError, IndentationError or TabError, in sorted path order:

- every str or bytes constant of the file's AST except docstrings (this includes the elements of
  list and tuple literals handed to helpers such as `assertAllRaise`, and `check_syntax_error`
  arguments); an indented str counts as `textwrap.dedent` makes it (tests dedent such snippets
  before compiling them), and as written too unless that only fails with "unexpected indent";
- every doctest example (found with `doctest.DocTestParser` in any str constant that contains
  `>>>`, e.g. test_syntax's module docstring) whose expected output mentions SyntaxError,
  IndentationError or TabError.

A snippet is a candidate if `compile(snippet, "<case>", "exec", dont_inherit=True)` rejects it with
a SyntaxError (or a subclass), or with another exception while `ast.parse` raises SyntaxError.
It is then stored as bytes (str snippets encoded as UTF-8; those with lone surrogates cannot be
and are skipped) and classified on those bytes, as the harness will compile them:

- `corpus/syntax-errors/parser/NNNN.py`: `ast.parse` rejects the bytes (a parser error);
- `corpus/syntax-errors/compiler/NNNN.py`: `ast.parse` accepts them but `compile` rejects them
  (symbol table or code generator errors: a later stage);

and dropped if the bytes compile after all (a str and its UTF-8 bytes can differ, e.g. bytes
honour an encoding cookie). Snippets are deduplicated by content; snippets over 20 kB are
skipped. `corpus/syntax-errors/INDEX.tsv` lists each file with its source (test file and line)
and the oracle's error in one line, for humans only: the harness always asks the oracle itself.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from oracle import ensure_oracle  # noqa: E402

ensure_oracle()

import ast  # noqa: E402
import doctest  # noqa: E402
import sysconfig  # noqa: E402
import textwrap  # noqa: E402
import warnings  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
OUT = os.path.join(ROOT, "corpus", "syntax-errors")
STDLIB = sysconfig.get_paths()["stdlib"]
TESTDIR = os.path.join(STDLIB, "test")
MAX_SIZE = 20_000
MARKERS = ("SyntaxError", "IndentationError", "TabError")


# The test modules about syntax and the compiler (a module may be a package: its .py files are read).
# Other test modules mention SyntaxError too, but their string constants are mostly data, not code.
MODULES = """
test_ast test_augassign test_builtin test_cmd_line_script test_codeop test_compile test_coroutines
test_decorators test_dictcomps test_eof test_except_star test_exception_group test_exceptions test_flufl
test_fstring test_future_stmt test_generators test_genexps test_global test_grammar test_keyword
test_keywordonlyarg test_lambda test_listcomps test_named_expressions test_patma
test_positional_only_arg test_print test_repl test_scope test_setcomps test_source_encoding test_string
test_string_literals test_symtable test_syntax test_tabnanny test_tokenize test_traceback
test_type_comments test_type_params test_unicode_identifiers test_unpack test_unpack_ex
test_utf8source test_with
""".split()


def test_files():
    found = []
    for module in MODULES:
        path = os.path.join(TESTDIR, module)
        if os.path.isdir(path):
            for dirpath, dirnames, filenames in os.walk(path):
                dirnames[:] = [d for d in dirnames if d != "__pycache__"]
                found.extend(os.path.join(dirpath, n) for n in filenames if n.endswith(".py"))
        elif os.path.exists(path + ".py"):
            found.append(path + ".py")
    found = [p for p in found if any(m.encode() in open(p, "rb").read() for m in MARKERS)]
    return sorted(found, key=lambda p: os.path.relpath(p, TESTDIR))


def snippets(path):
    """(line, snippet) pairs of one test file, in source order."""
    with open(path, "rb") as f:
        data = f.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(data, path)
    except (SyntaxError, ValueError):
        return []  # the corpus's deliberately invalid files
    found = []
    parser = doctest.DocTestParser()
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant) or not isinstance(node.value, (str, bytes)):
            continue
        value = node.value
        if id(node) not in docstrings:
            found.append((node.lineno, 0, value))
        if isinstance(value, str) and ">>>" in value:
            try:
                examples = parser.get_examples(value)
            except ValueError:
                continue
            for ex in examples:
                expected = ex.want + (ex.exc_msg or "")
                if any(m in expected for m in MARKERS):
                    found.append((node.lineno + ex.lineno, 1, ex.source))
    found.sort(key=lambda t: (t[0], t[1]))
    return [(line, value) for line, _, value in found]


def compile_error(src, flags=0):
    """The exception compiling `src` raises (None if it compiles)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compile(src, "<case>", "exec", flags=flags, dont_inherit=True)
        except (SyntaxError, ValueError, MemoryError, RecursionError, OverflowError, TypeError) as e:
            return e
    return None


def summary(err):
    name = type(err).__name__
    if isinstance(err, SyntaxError):
        where = f"line {err.lineno}"
        if err.offset is not None:
            where += f", col {err.offset}"
            if err.end_offset is not None and (err.end_lineno, err.end_offset) != (err.lineno, err.offset):
                if err.end_lineno not in (None, err.lineno):
                    where += f"-{err.end_lineno}:{err.end_offset}"
                else:
                    where += f"-{err.end_offset}"
        return f"{name}: {err.msg} ({where})".encode("unicode_escape").decode("ascii")
    return f"{name}: {err}".encode("unicode_escape").decode("ascii")


def main():
    seen = set()
    cases = {"parser": [], "compiler": []}
    stats = {"constants": 0, "candidates": 0, "duplicates": 0, "too large": 0, "lone surrogates": 0,
             "compiles as bytes": 0}

    def add(value, err, rel, line):
        if err is None:
            return
        if not isinstance(err, SyntaxError) and not isinstance(compile_error(value, ast.PyCF_ONLY_AST),
                                                               SyntaxError):
            return
        stats["candidates"] += 1
        if isinstance(value, str):
            try:
                data = value.encode("utf-8")
            except UnicodeEncodeError:
                stats["lone surrogates"] += 1
                return
        else:
            data = value
        if data in seen:
            stats["duplicates"] += 1
            return
        seen.add(data)
        err = compile_error(data, ast.PyCF_ONLY_AST)
        if err is not None:
            kind = "parser"
        else:
            err = compile_error(data)
            if err is None:
                stats["compiles as bytes"] += 1
                return
            kind = "compiler"
        cases[kind].append((data, rel, line, summary(err)))

    for path in test_files():
        rel = os.path.relpath(path, STDLIB)
        for line, value in snippets(path):
            stats["constants"] += 1
            if len(value) > MAX_SIZE:
                stats["too large"] += 1
                continue
            err = compile_error(value)
            if isinstance(value, str) and (dedented := textwrap.dedent(value)) != value:
                # Indented snippets are usually dedented by the test before it compiles them: the
                # dedented text is the real case; the text as written counts only if it fails
                # otherwise than by its indentation.
                if err is not None and not (isinstance(err, IndentationError) and err.msg == "unexpected indent"):
                    candidates = [(value, err), (dedented, compile_error(dedented))]
                else:
                    candidates = [(dedented, compile_error(dedented))]
            else:
                candidates = [(value, err)]
            for value, err in candidates:
                add(value, err, rel, line)

    index = ["file\tsource\tline\toracle error"]
    for kind, found in cases.items():
        directory = os.path.join(OUT, kind)
        os.makedirs(directory, exist_ok=True)
        for name in os.listdir(directory):
            if name.endswith(".py"):
                os.remove(os.path.join(directory, name))
        for i, (data, rel, line, err) in enumerate(found, 1):
            name = f"{i:04d}.py"
            with open(os.path.join(directory, name), "wb") as f:
                f.write(data)
            index.append(f"{kind}/{name}\t{rel}\t{line}\t{err}")
    with open(os.path.join(OUT, "INDEX.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(index) + "\n")
    print(f"parser: {len(cases['parser'])} cases, compiler: {len(cases['compiler'])} cases")
    print(", ".join(f"{k}: {v}" for k, v in stats.items()))


if __name__ == "__main__":
    main()
