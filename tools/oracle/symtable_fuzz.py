"""Random programs for pyrite-symtable's differential tests (run under CPython 3.12.1).

Usage: python3.12 symtable_fuzz.py OUTDIR COUNT [SEED]

Writes COUNT small random modules, OUTDIR/NNNNN.py, made (deterministically, from SEED) of
nested functions, lambdas, classes, comprehensions, generic functions, classes and type aliases,
`global`/`nonlocal` declarations, assignment expressions, annotations, imports and uses of a few
shared names (private names, `super`, `__class__` among them) -- the interactions the symbol
table's analysis must get right -- then dumps each as `symtable_dump.py` does (`=== PATH` and the
dump or the error). Some are rejected (by the parser or the symbol table): their errors are
compared too.
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import symtable_dump  # noqa: E402

NAMES = ["a", "b", "x", "y", "__p", "T", "super", "__class__", "__classdict__", "_C__p"]


class Gen:
    def __init__(self, rng):
        self.r = rng
        self.depth = 0
        self.in_comp = 0

    def name(self):
        return self.r.choice(NAMES)

    def expr(self, d=0):
        r = self.r.random()
        if d > 2 or r < 0.35:
            return self.name()
        if r < 0.45:
            return f"(lambda {self.params(lam=True)}: {self.expr(d + 1)})"
        if r < 0.65:
            return self.comp(d)
        if r < 0.7:
            return f"({self.target_name()} := {self.expr(d + 1)})"
        if r < 0.74 and not self.in_comp:
            return f"(yield {self.expr(d + 1)})"
        if r < 0.75:
            return f"(await {self.expr(d + 1)})"
        if r < 0.85:
            return f"super().m({self.expr(d + 1)})"
        return f"({self.expr(d + 1)}, {self.expr(d + 1)})"

    def target_name(self):
        return self.r.choice(["a", "b", "x", "y", "__p", "w"])

    def comp(self, d):
        kind = self.r.choice(["[{e} {g}]", "{{{e} {g}}}", "{{{e}: {e2} {g}}}", "({e} {g})"])
        gens = []
        self.in_comp += 1
        for _ in range(self.r.choice([1, 1, 2])):
            tgt = self.r.choice(["a", "b", "x", "(a, b)", "y"])
            g = f"{'async ' if self.r.random() < 0.1 else ''}for {tgt} in {self.expr(d + 3)}"
            if self.r.random() < 0.3:
                g += f" if {self.expr(d + 1)}"
            gens.append(g)
        try:
            return kind.format(e=self.expr(d + 1), e2=self.expr(d + 1), g=" ".join(gens))
        finally:
            self.in_comp -= 1

    def params(self, lam=False):
        ps = []
        pool = ["a", "b", "x", "__p", "T", "y"]
        self.r.shuffle(pool)
        for n in pool[: self.r.randint(0, 3)]:
            p = n
            if not lam and self.r.random() < 0.3:
                p += f": {self.expr(2)}"
            if self.r.random() < 0.2:
                p += f"={self.expr(2)}"
            elif ps and "=" in ps[-1]:
                p += "=None"
            ps.append(p)
        if self.r.random() < 0.15:
            ps.append("*args")
        if self.r.random() < 0.1:
            ps.append("**kw")
        return ", ".join(ps)

    def type_params(self):
        if self.r.random() < 0.6:
            return ""
        tps = []
        for n in self.r.sample(["T", "U", "x", "__p"], self.r.randint(1, 2)):
            kind = self.r.random()
            if kind < 0.2:
                tps.append("*" + n)
            elif kind < 0.3:
                tps.append("**" + n)
            elif kind < 0.6:
                tps.append(f"{n}: {self.expr(3)}")
            else:
                tps.append(n)
        return "[" + ", ".join(tps) + "]"

    def block(self, indent, in_func, n=None):
        lines = []
        for _ in range(n or self.r.randint(1, 4)):
            lines.extend(self.stmt(indent, in_func))
        return lines

    def stmt(self, indent, in_func):
        p = " " * indent
        r = self.r.random()
        self.depth += 1
        try:
            if self.depth > 4 or r < 0.25:
                return [p + self.simple(in_func)]
            if r < 0.45:
                asy = "async " if self.r.random() < 0.1 else ""
                ret = f" -> {self.expr(2)}" if self.r.random() < 0.2 else ""
                head = f"{p}{asy}def {self.r.choice(['f', 'g', '__m', 'x'])}{self.type_params()}({self.params()}){ret}:"
                return [head] + self.block(indent + 4, True)
            if r < 0.6:
                bases = f"({self.expr(2)})" if self.r.random() < 0.3 else ""
                head = f"{p}class {self.r.choice(['C', 'D', '_C'])}{self.type_params()}{bases}:"
                return [head] + self.block(indent + 4, False)
            if r < 0.67:
                return [f"{p}type {self.r.choice(['A', 'x', 'T'])}{self.type_params()} = {self.expr(1)}"]
            if r < 0.75:
                return [f"{p}for {self.target_name()} in {self.expr()}:"] + self.block(indent + 4, in_func, 2)
            if r < 0.8:
                return [f"{p}try:"] + self.block(indent + 4, in_func, 1) + [f"{p}except E as {self.target_name()}:"] + \
                    self.block(indent + 4, in_func, 1) + [f"{p}else:"] + self.block(indent + 4, in_func, 1)
            return [p + self.simple(in_func)]
        finally:
            self.depth -= 1

    def simple(self, in_func):
        r = self.r.random()
        if r < 0.25:
            return f"{self.target_name()} = {self.expr()}"
        if r < 0.35:
            kw = self.r.choice(["global", "nonlocal"] if in_func else ["global", "global", "global", "nonlocal"])
            return f"{kw} {self.name()}"
        if r < 0.45 and in_func:
            return f"return {self.expr()}"
        if r < 0.52:
            return f"{self.target_name()}: {self.expr(2)}" + (f" = {self.expr()}" if self.r.random() < 0.5 else "")
        if r < 0.57:
            return f"import {self.r.choice(['os', '__p', 'a.b', 'x as __p'])}"
        if r < 0.6:
            return f"del {self.target_name()}"
        if r < 0.65:
            return f"{self.target_name()} += {self.expr()}"
        return self.expr()


def main():
    outdir, count = sys.argv[1], int(sys.argv[2])
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    os.makedirs(outdir, exist_ok=True)
    rng = random.Random(seed)
    out = sys.stdout
    for i in range(count):
        g = Gen(rng)
        lines = []
        if rng.random() < 0.15:
            lines.append("from __future__ import annotations")
        lines += g.block(0, False, rng.randint(1, 5))
        path = os.path.join(outdir, f"{i:05d}.py")
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        out.write(f"=== {path}\n")
        out.write(symtable_dump.dump_file(path))
    out.flush()


if __name__ == "__main__":
    main()
