//! Malformed marshal data: truncations, random corruption, deep nesting and reference bombs give
//! errors (CPython's, where CPython has one), never a panic, a stack overflow or a hang.

mod common;

use common::*;
use pyrite_code::marshal::{self, loads, try_dumps_constant, ErrorKind, MarshalError, MAX_MARSHAL_STACK_DEPTH};
use pyrite_code::Constant;

/// A module with constants of every kind, nested functions and classes.
const MODULE: &str = r#"
"""Docstring \u00e9."""
import os
X = (1, -1, 2**31, -2**63, 2**64, 0.5, -0.0, 1e300*1e10, 3j, b"\x00b", "s\ud800", "\u20ac", None, ...)
S = frozenset({1, "a", (2, 3)})
def f(a, /, b=1, *c, d=frozenset(), **e):
    x = [i * 2 for i in range(a) if i not in {1, 2, 3}]
    def g(y):
        nonlocal x
        return x, y, a
    try:
        return g(b)
    except (ValueError, TypeError) as err:
        raise RuntimeError("no") from err
    finally:
        del x
class C(object):
    attr: int = 3
    def m(self, *args):
        return super().m(*args), __class__
    async def am(self):
        async with self as s:
            await s
lam = lambda q=2.5: q ** 2
"#;

fn module_marshal() -> Vec<u8> {
    let program = r#"
import marshal, sys
code = compile(sys.argv[1], "<malformed>", "exec", dont_inherit=True)
sys.stdout.write(marshal.dumps(code).hex())
"#;
    let hex = run_oracle(program, &[MODULE]);
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}

fn hex(data: &[u8]) -> String {
    data.iter().map(|b| format!("{b:02x}")).collect()
}

/// CPython's outcome of `marshal.loads` for each blob: `ok`, `ExceptionType: message`, or
/// `crash` (CPython trusts marshal data, and some corrupted code objects crash it: each blob is
/// loaded in a forked child).
fn cpython_outcomes(blobs: &[Vec<u8>]) -> Vec<String> {
    let program = r#"
import marshal, os, re, sys
for line in sys.stdin.read().split("\n")[:-1]:
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            marshal.loads(bytes.fromhex(line))
            result = "ok"
        except Exception as e:
            msg = re.sub(r"^\S+\.c:\d+: ", "", str(e))
            result = f"{type(e).__name__}: {msg}"
        os.write(w, result.encode("utf-8", "surrogatepass"))
        os._exit(0)
    os.close(w)
    chunks = []
    while chunk := os.read(r, 65536):
        chunks.append(chunk)
    os.close(r)
    _, status = os.waitpid(pid, 0)
    print(b"".join(chunks).hex() if status == 0 else "crash")
"#;
    let input: String = blobs.iter().map(|b| format!("{}\n", hex(b))).collect();
    let out = pyrite_oracle::Oracle::require()
        .run_python(program, &input)
        .expect("run the oracle");
    // Each outcome comes hex-encoded, so that any character of a message survives.
    out.lines()
        .map(|line| match line {
            "crash" => line.to_owned(),
            _ => {
                let bytes: Vec<u8> = (0..line.len())
                    .step_by(2)
                    .map(|i| u8::from_str_radix(&line[i..i + 2], 16).unwrap())
                    .collect();
                String::from_utf8_lossy(&bytes).into_owned()
            }
        })
        .collect()
}

fn outcome(r: &Result<Constant, MarshalError>) -> String {
    match r {
        Ok(_) => "ok".into(),
        Err(e) => e.to_string(),
    }
}

#[test]
fn every_truncation_is_an_eof_error_as_in_cpython() {
    let blob = module_marshal();
    assert!(loads(&blob).is_ok());
    let mut prefixes = Vec::new();
    for n in 0..blob.len() {
        let e = loads(&blob[..n]).expect_err("a truncated code object");
        assert_eq!(e.kind, ErrorKind::Eof, "prefix of {n} bytes: {e}");
        if n % 7 == 0 {
            prefixes.push(blob[..n].to_vec());
        }
    }
    let theirs = cpython_outcomes(&prefixes);
    for (p, t) in prefixes.iter().zip(&theirs) {
        assert_eq!(&outcome(&loads(p)), t, "prefix of {} bytes", p.len());
    }
}

/// xorshift64*: deterministic pseudo-random numbers.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn corrupted_data_gives_cpythons_outcome() {
    let blob = module_marshal();
    // PYRITE_CODE_FUZZ="COUNT SEED" runs another sample.
    let (count, seed) = std::env::var("PYRITE_CODE_FUZZ")
        .ok()
        .and_then(|v| {
            let mut it = v.split_whitespace().map(|x| x.parse::<u64>().ok());
            Some((it.next()??, it.next()??))
        })
        .unwrap_or((3000, 0x5eed_1234_abcd_0001));
    let mut rng = Rng(seed | 1);
    let mut blobs = Vec::new();
    for _ in 0..count {
        let mut b = blob.clone();
        for _ in 0..1 + rng.below(3) {
            let i = rng.below(b.len());
            match rng.below(3) {
                0 => b[i] ^= 1 << rng.below(8),
                1 => b[i] = rng.next() as u8,
                _ => {
                    // A byte from elsewhere: type codes and small counts are likely.
                    b[i] = blob[rng.below(blob.len())];
                }
            }
        }
        blobs.push(b);
    }
    let theirs = cpython_outcomes(&blobs);
    assert_eq!(theirs.len(), blobs.len());
    let mut mismatches = Vec::new();
    let mut errors = 0;
    let mut crashes = 0;
    for (b, t) in blobs.iter().zip(&theirs) {
        let ours = loads(b);
        errors += ours.is_err() as usize;
        if t == "crash" {
            crashes += 1;
            continue;
        }
        // Data CPython accepts but constants cannot hold (a list, a self-containing tuple)
        // is pyrite's own error.
        if matches!(&ours, Err(e) if e.kind == ErrorKind::Unsupported) && t == "ok" {
            continue;
        }
        let ours = outcome(&ours);
        if &ours != t {
            mismatches.push(format!("{}\n  cpython: {t}\n  pyrite:  {ours}", hex(b)));
        }
    }
    eprintln!(
        "{} corrupted blobs: {errors} errors, CPython crashed on {crashes}",
        blobs.len()
    );
    assert!(
        errors > blobs.len() / 10,
        "only {errors} of the corrupted blobs were errors"
    );
    assert!(crashes < blobs.len() / 10, "CPython crashed on {crashes} blobs");
    assert!(
        mismatches.is_empty(),
        "{} mismatches, e.g.\n{}",
        mismatches.len(),
        mismatches[..mismatches.len().min(5)].join("\n")
    );
}

#[test]
fn nesting_is_limited_as_in_cpython() {
    let nested = |depth: usize, open: &[u8], leaf: &[u8]| -> Vec<u8> {
        let mut b = open.repeat(depth - 1);
        b.extend_from_slice(leaf);
        b
    };
    // Exactly the maximum depth loads; one more is CPython's error.
    let ok = nested(MAX_MARSHAL_STACK_DEPTH, b")\x01", b"N");
    let too_deep = nested(MAX_MARSHAL_STACK_DEPTH + 1, b")\x01", b"N");
    let frozen = nested(MAX_MARSHAL_STACK_DEPTH + 1, b">\x01\x00\x00\x00", b"N");
    let theirs = cpython_outcomes(&[ok.clone(), too_deep.clone(), frozen.clone()]);
    assert_eq!(
        theirs,
        [
            "ok",
            "ValueError: recursion limit exceeded",
            "ValueError: recursion limit exceeded"
        ]
    );
    assert_eq!(outcome(&loads(&ok)), "ok");
    assert_eq!(outcome(&loads(&too_deep)), theirs[1]);
    assert_eq!(outcome(&loads(&frozen)), theirs[2]);
    // Far deeper data, or data that never ends, is an error without overflowing the stack.
    let huge = nested(1_000_000, b"(\x01\x00\x00\x00", b"N");
    assert_eq!(loads(&huge).unwrap_err().message, "recursion limit exceeded");
    let endless = b"c".repeat(100_000);
    assert!(loads(&endless).is_err());
    let codes: Vec<u8> = [b"c".as_slice(), &[0; 20]].concat().repeat(10_000);
    assert!(loads(&codes).is_err());

    // Writing: as deep as the reader reads, and no deeper (CPython's error).
    let mut c = Constant::None;
    for _ in 0..MAX_MARSHAL_STACK_DEPTH - 1 {
        c = Constant::Tuple(vec![c].into());
    }
    let data = try_dumps_constant(&c).unwrap();
    assert_eq!(loads(&data).unwrap(), c);
    let c = Constant::Tuple(vec![c].into());
    assert_eq!(
        try_dumps_constant(&c).unwrap_err().to_string(),
        "ValueError: object too deeply nested to marshal"
    );
}

#[test]
fn references_cannot_expand_without_bound() {
    // Level k is a tuple of 16 references to level k-1, all inside one outer tuple: the last
    // level has 16**30 leaves.
    let mut data = vec![marshal::types::TYPE_SMALL_TUPLE, 30];
    for level in 0..30u32 {
        data.extend_from_slice(&[marshal::types::TYPE_SMALL_TUPLE | marshal::types::FLAG_REF, 16]);
        for _ in 0..16 {
            if level == 0 {
                data.extend_from_slice(b"z\x03abc");
            } else {
                data.push(b'r');
                data.extend_from_slice(&(level - 1).to_le_bytes());
            }
        }
    }
    let start = std::time::Instant::now();
    let e = loads(&data).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unsupported, "{e}");
    assert!(e.message.contains("references"), "{e}");
    assert!(start.elapsed().as_secs() < 20);
    // CPython shares the objects instead, and loads it.
    assert_eq!(cpython_outcomes(&[data.clone()]), ["ok"]);
}

#[test]
fn objects_constants_cannot_hold_are_unsupported() {
    let cases: &[&[u8]] = &[
        // A tuple whose item refers to the tuple itself: CPython builds a cycle.
        b"\xa9\x01r\x00\x00\x00\x00",
        b"[\x00\x00\x00\x00",
        b"[\x02\x00\x00\x00Ni\x01\x00\x00\x00",
        b"{N)\x000",
        b"<\x01\x00\x00\x00N",
        b"S",
        // A dict ends at a NULL.
        b")\x02{NN0N",
        b")\x02{N0N",
    ];
    let blobs: Vec<Vec<u8>> = cases.iter().map(|c| c.to_vec()).collect();
    assert_eq!(cpython_outcomes(&blobs), vec!["ok"; cases.len()]);
    for b in &blobs {
        assert_eq!(loads(b).unwrap_err().kind, ErrorKind::Unsupported, "{b:?}");
    }
    // Errors after such an object, or in it, are CPython's.
    let errors: &[&[u8]] = &[
        b")\x02[\x00\x00\x00\x00\x01",
        b"[\x01\x00\x00\x00\x01",
        b"[\xff\xff\xff\xff",
        b"<\xff\xff\xff\xff",
        b"<\x01\x00\x00\x00[\x00\x00\x00\x00",
        b">\x01\x00\x00\x00)\x01[\x00\x00\x00\x00",
        b"{[\x00\x00\x00\x00N0",
        b"{N",
        b"[\x01\x00\x00\x000",
        b")\x02\xbe\x01\x00\x00\x00r\x00\x00\x00\x00N",
        b"{c\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x000",
        b"f\x03a\nb",
        b"f\x04\xff\xfe1\x00",
    ];
    let blobs: Vec<Vec<u8>> = errors.iter().map(|c| c.to_vec()).collect();
    let theirs = cpython_outcomes(&blobs);
    for (b, t) in blobs.iter().zip(&theirs) {
        assert_ne!(t, "ok", "{b:?}");
        assert_eq!(&outcome(&loads(b)), t, "{b:?}");
    }
}
