//! Differential tests against CPython 3.12.1's `dis`.
//!
//! `stdlib_corpus`: the oracle compiles every file of the corpus (`compile(source, path,
//! 'exec', dont_inherit=True)`, as `python -m dis` does) and sends, per file, `marshal.dumps` of
//! the module's code object and what `dis.dis(code)` prints (what `python -m dis FILE` prints),
//! addresses masked (`at 0x...` → `at 0x0`). pyrite loads the marshal data and compares
//! `dis_module`'s text. One oracle process for the whole corpus; files are compared as they
//! arrive.
//!
//! Frozensets: marshal writes a frozenset's items sorted by their marshalled bytes, so the
//! order in which the compiler met them, which decides where colliding hashes land and so
//! CPython's order, is lost; pyrite's compiler keeps them in source order, and `dis_module`
//! computes CPython's order from that (`pyrite_dis::repr::frozenset_display_order`). So for a
//! file with frozenset constants the oracle also sends each one's items in the order of the
//! first set display of the source that gives it (found with `ast`), and pyrite puts them in
//! that order before disassembling. If the texts still differ, the oracle's text of the same
//! code with each frozenset built as `dis_module` builds it from the items in marshal's order
//! tells whether a frozenset's order is the only difference: such files are listed apart.

use pyrite_code::marshal::{loads, loads_code};
use pyrite_code::{CodeObject, Constant};
use pyrite_dis::dis_module;
use pyrite_oracle::Oracle;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;

const DRIVER: &str = r#"
import ast, dis, io, marshal, re, sys, warnings
warnings.simplefilter("ignore")
MASK = re.compile(r"at 0x[0-9a-f]+")
out = sys.stdout.buffer

def dis_text(code):
    buf = io.StringIO()
    dis.dis(code, file=buf)
    return MASK.sub("at 0x0", buf.getvalue())

def has_frozenset(code):
    return any(isinstance(c, frozenset) or (hasattr(c, "co_code") and has_frozenset(c)) for c in code.co_consts)

NAME = re.compile(r"[A-Za-z0-9_]{2,}\Z")

def rebuild_const(c):
    if isinstance(c, frozenset):
        # Built once by marshal's reader; rebuilt as the compiler does (constant merging, and
        # string interning if it replaces a string).
        for _ in range(2 if any(type(x) is str and NAME.match(x) for x in c) else 1):
            c = frozenset(list(c))
        return c
    if isinstance(c, tuple):
        return tuple(rebuild_const(x) for x in c)
    if hasattr(c, "co_code"):
        return c.replace(co_consts=tuple(rebuild_const(x) for x in c.co_consts))
    return c

def frozenset_consts(code, out):
    for c in code.co_consts:
        if isinstance(c, frozenset):
            out.append(c)
        elif hasattr(c, "co_code"):
            frozenset_consts(c, out)
    return out

def source_orders(source, code):
    """For each frozenset constant (depth first), its items in the order of the first set
    display of the source that gives it (duplicates dropped), or None."""
    displays = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Set):
            try:
                items = [ast.literal_eval(e) for e in node.elts]
                frozenset(items)
            except Exception:
                continue
            displays.append(((node.lineno, node.col_offset), items))
    displays.sort(key=lambda d: d[0])
    key = lambda items: {(type(x), repr(x)) for x in items}  # 0 and 0.0 differ
    orders = []
    for c in frozenset_consts(code, []):
        order = None
        for _, items in displays:
            if frozenset(items) == c and key(frozenset(items)) == key(c):
                order = []
                for x in items:
                    if not any(x == y for y in order):
                        order.append(x)
                order = tuple(order)
                break
        orders.append(order)
    return tuple(orders)

def send(index, kind, *blobs):
    out.write(("%d %s %s\n" % (index, kind, " ".join(str(len(b)) for b in blobs))).encode())
    for b in blobs:
        out.write(b)

for index, path in enumerate(sys.stdin.read().split("\n")[:-1]):
    try:
        with open(path, "rb") as f:
            source = f.read()
        code = compile(source, path, "exec", dont_inherit=True)
    except Exception as e:
        send(index, "error", ("%s: %s" % (type(e).__name__, e)).encode("utf-8", "backslashreplace"))
        continue
    data = marshal.dumps(code)
    text = dis_text(code)
    alt = ""
    orders = b""
    if has_frozenset(code):
        orders = marshal.dumps(source_orders(source, code))
        # The frozensets as `dis_module` shows them when given the items in marshal's order.
        alt = dis_text(rebuild_const(marshal.loads(data)))
        if alt == text:
            alt = ""
    send(index, "ok", data, text.encode("utf-8", "surrogatepass"), alt.encode("utf-8", "surrogatepass"), orders)
    out.flush()
"#;

/// `re.sub(r"at 0x[0-9a-f]+", "at 0x0", text)`.
fn mask_addresses(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("at 0x") {
        let after = &rest[i + 5..];
        let n = after
            .bytes()
            .take_while(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
            .count();
        out.push_str(&rest[..i]);
        if n > 0 {
            out.push_str("at 0x0");
            rest = &after[n..];
        } else {
            out.push_str("at 0x");
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

fn read_blob(reader: &mut impl Read, len: usize) -> Vec<u8> {
    let mut buf = vec![0u8; len];
    reader.read_exact(&mut buf).expect("read from the oracle");
    buf
}

/// The first differing line of two texts, for the report.
fn first_difference(ours: &str, theirs: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (ours.lines().collect(), theirs.lines().collect());
    let i = a
        .iter()
        .zip(b.iter())
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    format!(
        "line {}:\n    pyrite: {:?}\n    oracle: {:?}",
        i + 1,
        a.get(i).copied().unwrap_or("<end>"),
        b.get(i).copied().unwrap_or("<end>")
    )
}

/// Give the frozenset constants (depth first through the nested code objects) the items of
/// `orders` (a tuple of items, or None to keep them).
fn set_frozenset_orders<'a>(code: &mut CodeObject, orders: &mut impl Iterator<Item = &'a Constant>) {
    for c in code.consts.iter_mut() {
        match c {
            Constant::FrozenSet(items) => match orders.next() {
                Some(Constant::Tuple(order)) => {
                    assert_eq!(order.len(), items.len(), "a frozenset's source order has other items");
                    *items = order.clone();
                }
                Some(Constant::None) => {}
                other => panic!("bad frozenset order {other:?}"),
            },
            Constant::Code(nested) => set_frozenset_orders(Arc::make_mut(nested), orders),
            _ => {}
        }
    }
}

/// The outcome of comparing a list of files.
#[derive(Default)]
struct Report {
    total: usize,
    identical: usize,
    /// Files the oracle does not compile, with its error.
    rejected: Vec<String>,
    /// Files whose only difference is the order of a frozenset.
    frozenset_order_only: Vec<String>,
    failures: Vec<String>,
}

impl Report {
    fn print(&self, what: &str) {
        eprintln!(
            "{} files the oracle does not compile (not counted):",
            self.rejected.len()
        );
        for r in &self.rejected {
            eprintln!("  {r}");
        }
        eprintln!(
            "{} files whose only difference is the order of a frozenset (see `frozenset_display_order`):",
            self.frozenset_order_only.len()
        );
        for f in &self.frozenset_order_only {
            eprintln!("  {f}");
        }
        for f in self.failures.iter().take(30) {
            eprintln!("DIFFERENT {f}");
        }
        eprintln!(
            "{what}: {}/{} identical; {} more identical but for the order of a frozenset; {} different",
            self.identical,
            self.total,
            self.frozenset_order_only.len(),
            self.failures.len()
        );
    }
}

/// Compile each file with the oracle (one process) and compare `dis_module` with `dis.dis`.
fn compare_files(files: &[PathBuf]) -> Report {
    let oracle = Oracle::require();
    let mut child = oracle
        .command()
        .args(["-c", DRIVER])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run the oracle");
    let mut stdin = child.stdin.take().unwrap();
    let list: String = files.iter().map(|p| format!("{}\n", p.display())).collect();
    let writer = std::thread::spawn(move || stdin.write_all(list.as_bytes()));
    let mut reader = BufReader::with_capacity(1 << 20, child.stdout.take().unwrap());

    let mut report = Report::default();
    let mut header = String::new();
    for _ in 0..files.len() {
        header.clear();
        reader.read_line(&mut header).expect("read from the oracle");
        let fields: Vec<&str> = header.split_whitespace().collect();
        assert!(fields.len() >= 3, "bad header from the oracle: {header:?}");
        let path = &files[fields[0].parse::<usize>().unwrap()];
        let lens: Vec<usize> = fields[2..].iter().map(|n| n.parse().unwrap()).collect();
        let blobs: Vec<Vec<u8>> = lens.iter().map(|&n| read_blob(&mut reader, n)).collect();
        if fields[1] == "error" {
            report
                .rejected
                .push(format!("{}: {}", path.display(), String::from_utf8_lossy(&blobs[0])));
            continue;
        }
        report.total += 1;
        let code = match loads_code(&blobs[0]) {
            Ok(code) => code,
            Err(e) => {
                report
                    .failures
                    .push(format!("{}: marshal data not loaded: {e}", path.display()));
                continue;
            }
        };
        let theirs = String::from_utf8_lossy(&blobs[1]);
        let alt = String::from_utf8_lossy(&blobs[2]);
        // The frozensets' items in source order, as pyrite's compiler gives them.
        let mut with_source_order = code.clone();
        if !blobs[3].is_empty() {
            let Constant::Tuple(orders) = loads(&blobs[3]).expect("load the frozensets' orders") else {
                panic!("the frozensets' orders are not a tuple")
            };
            let mut orders = orders.iter();
            set_frozenset_orders(&mut with_source_order, &mut orders);
            assert!(
                orders.next().is_none(),
                "{}: more frozenset orders than frozensets",
                path.display()
            );
        }
        let ours = mask_addresses(&dis_module(&with_source_order));
        if ours == theirs {
            report.identical += 1;
            continue;
        }
        // Is the order of a frozenset the only difference?
        let ours_marshal_order = mask_addresses(&dis_module(&code));
        if !alt.is_empty() && ours_marshal_order == alt {
            report
                .frozenset_order_only
                .push(format!("{}:\n    {}", path.display(), first_difference(&ours, &theirs)));
        } else {
            report
                .failures
                .push(format!("{}: {}", path.display(), first_difference(&ours, &theirs)));
        }
    }
    writer.join().unwrap().expect("write to the oracle");
    let status = child.wait().expect("wait for the oracle");
    assert!(status.success(), "the oracle exited with {status}");
    report
}

/// The whole standard library.
#[test]
fn stdlib_corpus() {
    let oracle = Oracle::require();
    let corpus = oracle.corpus();
    assert!(
        !corpus.is_empty(),
        "empty corpus under {}",
        oracle.stdlib_dir().display()
    );
    let report = compare_files(&corpus);
    report.print("dis");
    assert!(report.failures.is_empty(), "{} files differ", report.failures.len());
    // test/test_pathlib.py: its strings were not interned before, so CPython does not build
    // the frozenset a third time (which `frozenset_display_order` assumes).
    assert!(
        report.frozenset_order_only.len() <= 1,
        "more frozensets in another order than before"
    );
}

/// Hand-made cases for what the standard library has little or none of.
const CASES: &[(&str, &str)] = &[
    (
        "generics.py",
        "class A[T: int, *Ts, **P]:\n    def m[U](self, x: U) -> T: return super().m(x)\n\
         type Alias[K] = dict[K, int]\ndef f[V: (int, str)](v: V): return super(A, v).x, super().y()\n",
    ),
    (
        "fstrings.py",
        "x = 1\nprint(f'{x!r} {x!s:>{x}} {x!a} {x:02} {x=} {x}')\n",
    ),
    (
        "constants.py",
        "a = (1, 2**100, -2**70, 1.5, -0.0, 1e300*1e300, -1e300*1e300, 2j, (1+2j), b'\\x00\\'\\\"', '\\ud800\\n\\\\', \n\
         ('a',), (), None, ..., True, frozenset())\n\
         b = [x for x in y if x in {1, 2.5, 'a', b'b', (1, 2), None, True, 3j, -7, 2**64}]\n\
         c = x in {1, 9, 17, 25, 33, 41, 49, 57, 65, 73, 81, 89, 97, 105, 113, 121, 129}\n",
    ),
    (
        "exceptions.py",
        "try:\n    pass\nexcept* ValueError as e:\n    raise\nfinally:\n    x = 1\n\
         async def g():\n    async with a as b:\n        async for c in d:\n            await e\n    \
         return [z async for z in w]\n",
    ),
    (
        "match.py",
        "match x:\n    case {'a': 1, **r}: pass\n    case [1, *rest] if rest: pass\n    case Point(x=0, y=_) | None: pass\n",
    ),
];

/// Cases generated here: many constants and names (EXTENDED_ARG), long jumps, line numbers of
/// five digits, offsets of five digits, a module without line numbers in parts.
fn generated_cases() -> Vec<(String, String)> {
    let mut cases = Vec::new();
    let mut big = String::from("def f(a):\n    x = 0\n    while a:\n");
    for i in 0..400 {
        big.push_str(&format!("        x += a.n{i} + {i}.5 + g{i}(k{i}=l{i})\n"));
    }
    big.push_str("    return x\n");
    cases.push(("extended_arg.py".to_string(), big));
    let mut lines = String::new();
    for _ in 0..12000 {
        lines.push('\n');
    }
    lines.push_str("def late(): return late\n");
    cases.push(("lines.py".to_string(), lines));
    let mut offsets = String::new();
    for i in 0..3000 {
        offsets.push_str(&format!("v{i} = w{i}\n"));
    }
    cases.push(("offsets.py".to_string(), offsets));
    cases
}

#[test]
fn cases() {
    let dir = std::env::temp_dir().join(format!("pyrite-dis-cases-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut files = Vec::new();
    let generated = generated_cases();
    let all = CASES
        .iter()
        .map(|(n, s)| (n.to_string(), s.to_string()))
        .chain(generated);
    for (name, source) in all {
        let path = dir.join(name);
        std::fs::write(&path, source).unwrap();
        files.push(path);
    }
    let report = compare_files(&files);
    let _ = std::fs::remove_dir_all(&dir);
    report.print("dis cases");
    assert!(report.rejected.is_empty(), "cases the oracle rejects");
    assert_eq!(report.identical, files.len());
}

/// CPython's hashes of constants, and the iteration order of frozensets of them (ints, strs,
/// bytes, floats, tuples, mixed; sizes across several resizes) built from items in a given
/// order and rebuilt from their own order as the compiler builds a frozenset constant.
#[test]
fn frozenset_order() {
    let program = r#"
import marshal, random, re, sys
random.seed(12345)
def item(kind):
    if kind == 0: return random.randrange(-50, 200)
    if kind == 1: return random.randrange(-2**70, 2**70)
    if kind == 2: return "".join(random.choice("ab_xyz\u00e9\u20ac\U0001f600") for _ in range(random.randrange(0, 12)))
    if kind == 3: return bytes(random.randrange(256) for _ in range(random.randrange(0, 20)))
    if kind == 4: return random.choice([0.5, -0.0, 1e300, float("inf"), 2.0, 1e-310, random.random() * 1e6])
    if kind == 5: return (item(0), item(2))
    if kind == 6: return random.choice([None, True, False, 1j, complex(2, -3)])
    return random.randrange(0, 1000) * 8
for n in range(600):
    kinds = [random.randrange(8)] if n % 2 else [random.randrange(8) for _ in range(3)]
    items = []
    for _ in range(random.choice([1, 3, 5, 8, 12, 20, 40, 100])):
        x = item(random.choice(kinds))
        if all(not (type(x) == type(y) and x == y) and not (x == y) for y in items):
            items.append(x)
    s = frozenset(items)
    for _ in range(2 if any(type(x) is str and re.fullmatch(r"[A-Za-z0-9_]{2,}", x) for x in items) else 1):
        s = frozenset(list(s))
    print(marshal.dumps(tuple(items)).hex(), repr(s), " ".join(str(hash(x) & (2**64 - 1)) for x in items))
"#;
    let out = Oracle::require().run_python(program, "").expect("run the oracle");
    let mut failures = 0;
    let mut count = 0;
    for line in out.lines() {
        let (hex, rest) = line.split_once(' ').unwrap();
        let data: Vec<u8> = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect();
        let Constant::Tuple(items) = loads(&data).unwrap() else {
            panic!("not a tuple")
        };
        let hashes: Vec<u64> = rest
            .rsplitn(items.len() + 1, ' ')
            .take(items.len())
            .map(|h| h.parse().unwrap())
            .collect();
        let theirs = rest[..rest.len() - hashes.iter().map(|h| h.to_string().len() + 1).sum::<usize>()].to_string();
        for (item, &h) in items.iter().zip(hashes.iter().rev()) {
            assert_eq!(pyrite_dis::hash::py_hash(item), Some(h), "hash of {item:?}");
        }
        let mut ours = String::new();
        pyrite_dis::repr::write_constant_repr(&Constant::FrozenSet(items.clone()), &mut ours);
        count += 1;
        if ours != theirs {
            failures += 1;
            eprintln!("pyrite: {ours}\noracle: {theirs}");
        }
    }
    assert!(count >= 600);
    assert_eq!(failures, 0);
}

/// Code objects `compile()` does not make (edited with `code.replace`): no line numbers at all,
/// a nested code object at line 0 (its repr says line -1), names with odd characters.
#[test]
fn edited_code_objects() {
    let program = r#"
import dis, io, marshal, re
src = "def f(a):\n    try:\n        return a\n    finally:\n        a = 2\nx = f(1)\n"
top = compile(src, "edited.py", "exec", dont_inherit=True)
f = top.co_consts[0]
variants = [
    top.replace(co_linetable=b""),
    top.replace(co_consts=(f.replace(co_firstlineno=0, co_linetable=b"", co_name="odd name"),) + top.co_consts[1:]),
    top.replace(co_consts=(f.replace(co_linetable=bytes([0xf8 | 7]) * 3),) + top.co_consts[1:]),
]
for code in variants:
    buf = io.StringIO()
    dis.dis(code, file=buf)
    print(marshal.dumps(code).hex(), re.sub(r"at 0x[0-9a-f]+", "at 0x0", buf.getvalue()).encode().hex())
"#;
    let out = Oracle::require().run_python(program, "").expect("run the oracle");
    let unhex = |h: &str| -> Vec<u8> {
        (0..h.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&h[i..i + 2], 16).unwrap())
            .collect()
    };
    let mut n = 0;
    for line in out.lines() {
        let (data, text) = line.split_once(' ').unwrap();
        let code = loads_code(&unhex(data)).unwrap();
        let theirs = String::from_utf8(unhex(text)).unwrap();
        assert_eq!(dis_module(&code), theirs);
        n += 1;
    }
    assert_eq!(n, 3);
}
