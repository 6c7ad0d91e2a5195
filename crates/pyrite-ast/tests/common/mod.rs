//! Helpers shared by the oracle tests.

#![allow(dead_code)]

/// A small deterministic generator (SplitMix64), so every run tests the same values.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// True with probability `num/den`.
    pub fn chance(&mut self, num: u64, den: u64) -> bool {
        self.below(den) < num
    }

    pub fn pick<'t, T>(&mut self, items: &'t [T]) -> &'t T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// Run `program` under the oracle with `input` on stdin; its stdout. Fails the test loudly if the
/// oracle is missing or the program fails.
pub fn run_oracle(program: &str, input: &str) -> String {
    let oracle = pyrite_oracle::Oracle::require();
    oracle
        .run_python(program, input)
        .unwrap_or_else(|e| panic!("the oracle program failed: {e}"))
}

/// Python's `bytes.fromhex` argument for `b`.
pub fn hex(b: &[u8]) -> String {
    let mut s = String::with_capacity(b.len() * 2);
    for x in b {
        s.push_str(&format!("{x:02x}"));
    }
    s
}

/// Python helpers the generated expressions use: `F` (a double from its big-endian bits), `C`
/// (a complex from two such), `I` (an int from a sign and hex magnitude), `S` (a str from code
/// points), `B` (bytes from hex).
pub const PY_HELPERS: &str = r#"
import struct
def F(h): return struct.unpack('>d', bytes.fromhex(h))[0]
def C(a, b): return complex(F(a), F(b))
def I(neg, h):
    v = int(h, 16)
    return -v if neg else v
def S(*cps): return ''.join(map(chr, cps))
B = bytes.fromhex
"#;

/// The Python expression for `c`, built with [`PY_HELPERS`] (never with its repr, which is what
/// is being tested).
pub fn constant_to_python(c: &pyrite_ast::Constant<'_>, out: &mut String) {
    use pyrite_ast::{Constant, Int};
    match *c {
        Constant::None => out.push_str("None"),
        Constant::True => out.push_str("True"),
        Constant::False => out.push_str("False"),
        Constant::Ellipsis => out.push_str("..."),
        Constant::Int(Int::Small(v)) => {
            let neg = v < 0;
            out.push_str(&format!("I({}, '{:x}')", neg as u8, v.unsigned_abs()));
        }
        Constant::Int(i) => {
            let b = i.to_bigint();
            out.push_str(&format!("I({}, '{:x}')", i.is_negative() as u8, b.magnitude()));
        }
        Constant::Float(f) => out.push_str(&format!("F('{:016x}')", f.to_bits())),
        Constant::Complex { real, imag } => {
            out.push_str(&format!("C('{:016x}', '{:016x}')", real.to_bits(), imag.to_bits()))
        }
        Constant::Str(s) => {
            out.push_str("S(");
            for (i, cp) in s.code_points().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&cp.to_string());
            }
            out.push(')');
        }
        Constant::Bytes(b) => out.push_str(&format!("B('{}')", hex(b))),
        Constant::Tuple(items) => {
            out.push('(');
            for it in items {
                constant_to_python(it, out);
                out.push_str(", ");
            }
            out.push(')');
        }
        Constant::FrozenSet(items) => {
            out.push_str("frozenset([");
            for it in items {
                constant_to_python(it, out);
                out.push_str(", ");
            }
            out.push_str("])");
        }
    }
}
