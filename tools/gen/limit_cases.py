"""Write the parser's limit cases: inputs at and past CPython's nesting limits, which must give
CPython's error (or parse) and never hang or overflow the stack.

    python3 tools/gen/limit_cases.py    # rewrites crates/pyrite-parser/tests/cases/limits/

Deterministic. The expected outputs are not stored: `cargo xtask parity ast` computes them with
the oracle (they are part of `ast-cases`). Not here yet: trees so deep that CPython's conversion
to Python objects raises RecursionError, or that `ast.dump` (recursive Python) cannot print; pyrite
does not reproduce those limits.
"""
import os

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "crates", "pyrite-parser", "tests", "cases", "limits")

CASES = {
    # The tokenizer's bracket limit (MAXLEVEL 200) and the parser's stack (MAXSTACK 6000).
    "parens_199.py": "x = " + "(" * 199 + "1" + ")" * 199 + "\n",
    "parens_200.py": "x = " + "(" * 200 + "1" + ")" * 200 + "\n",
    "parens_150_statement.py": "(" * 150 + "1" + ")" * 150 + "\n",
    "brackets_mixed.py": "x = " + "[{(" * 66 + "1" + ")}]" * 66 + "\n",
    "lists_199.py": "x = " + "[" * 199 + "]" * 199 + "\n",
    "dicts_150.py": "x = " + "{1:" * 150 + "1" + "}" * 150 + "\n",
    "tuple_targets_100.py": "(" * 100 + "a" + ")" * 100 + " = 1\n",
    "star_targets_nested.py": "[" * 60 + "*a, b" + "]" * 60 + " = c\n",
    "del_targets_nested.py": "del " + "(" * 100 + "a" + ")" * 100 + "\n",
    "minus_10000.py": "x = " + "-" * 10000 + "1\n",
    "minus_150.py": "x = " + "-" * 150 + "1\n",
    "not_150.py": "x = " + "not " * 150 + "1\n",
    "power_5000.py": "x = " + "2 ** " * 5000 + "2\n",
    "unary_mix_2000.py": "x = " + "-~+" * 2000 + "1\n",
    "await_3000.py": "async def f():\n    x = " + "await " * 3000 + "y\n",
    "lambda_300.py": "x = " + "lambda: " * 300 + "1\n",
    "star_3000.py": "x = " + "*" * 3000 + "a\n",
    "compare_5000.py": "x = " + "a < " * 5000 + "b\n",
    "fstring_nested_150.py": "x = " + 'f"{' * 150 + "1" + '}"' * 150 + "\n",
    "fstring_nested_3.py": "x = " + "f'{f\"{f'{1}'}\"}'" + "\n",
    "indent_99.py": "".join(" " * i + "if x:\n" for i in range(99)) + " " * 99 + "pass\n",
    "indent_100.py": "".join(" " * i + "if x:\n" for i in range(100)) + " " * 100 + "pass\n",
    "def_120.py": "".join(" " * i + "def f():\n" for i in range(120)) + " " * 120 + "pass\n",
    "long_line.py": "x = [" + ", ".join(str(i) for i in range(20000)) + "]\n",
    "many_statements.py": "".join(f"x{i} = {i}\n" for i in range(20000)),
    "unclosed_190.py": "x = " + "(" * 190 + "1\n",
    # Error lines longer than CPython's 999-byte line buffer.
    "long_line_error.py": "x = [" + "1, " * 800 + ")\n",
    "long_line_error_end.py": "x = " + "a + " * 700 + "\n",
    "long_line_error_unicode.py": "s = '" + "\u00e9" * 600 + "' +\n",
    "long_line_error_second_line.py": "y = 1\n" + "x = [" + "b, " * 400 + "c]]\n",
    "string_concat_2000.py": "x = (" + " ".join("'a'" for _ in range(2000)) + ")\n",
}


def main():
    os.makedirs(OUT, exist_ok=True)
    for name in os.listdir(OUT):
        if name.endswith(".py"):
            os.remove(os.path.join(OUT, name))
    for name, src in CASES.items():
        with open(os.path.join(OUT, name), "w", encoding="utf-8", newline="") as f:
            f.write(src)
    print(f"{len(CASES)} cases in {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
