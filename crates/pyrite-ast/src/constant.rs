//! The value of a `Constant` node (and of `MatchSingleton`), and Python's `repr()` of it, which
//! is what `ast.dump` prints.
//!
//! CPython keeps any Python object there; the parser only ever produces None, True, False,
//! Ellipsis, int, float, complex, str and bytes, and the AST optimizer adds tuples and
//! frozensets of constants (constant folding).

use pyrite_unicode::Wtf8;
use std::fmt::Write as _;

/// A Python constant object.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Constant<'a> {
    /// `None`.
    None,
    /// `True`.
    True,
    /// `False`.
    False,
    /// `...` (`Ellipsis`).
    Ellipsis,
    /// An `int` of any size.
    Int(Int<'a>),
    /// A `float` (an IEEE 754 double, as C's `double`).
    Float(f64),
    /// A `complex`: two doubles.
    Complex { real: f64, imag: f64 },
    /// A `str`: any code points, lone surrogates included.
    Str(&'a Wtf8),
    /// A `bytes`.
    Bytes(&'a [u8]),
    /// A `tuple` of constants.
    Tuple(&'a [Constant<'a>]),
    /// A `frozenset` of constants, in the order it iterates.
    FrozenSet(&'a [Constant<'a>]),
}

/// A Python `int`: machine-sized when it fits an `i64`, otherwise a sign and a magnitude in
/// little-endian base-2^32 digits without leading zero digits. `Big` is only used for values
/// outside `i64`'s range, so each value has exactly one representation (and `==` is value
/// equality).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Int<'a> {
    Small(i64),
    Big { negative: bool, magnitude: &'a [u32] },
}

impl<'a> Int<'a> {
    /// The int of value `v`, its digits (if it needs them) allocated in `arena`.
    pub fn from_bigint(v: &num_bigint::BigInt, arena: &'a bumpalo::Bump) -> Int<'a> {
        if let Ok(small) = i64::try_from(v) {
            return Int::Small(small);
        }
        let (sign, digits) = v.to_u32_digits();
        Int::Big {
            negative: sign == num_bigint::Sign::Minus,
            magnitude: arena.alloc_slice_copy(&digits),
        }
    }

    /// The non-negative int of value `v`, its digits (if it needs them) allocated in `arena`.
    pub fn from_biguint(v: &num_bigint::BigUint, arena: &'a bumpalo::Bump) -> Int<'a> {
        if let Ok(small) = i64::try_from(v) {
            return Int::Small(small);
        }
        Int::Big {
            negative: false,
            magnitude: arena.alloc_slice_copy(&v.to_u32_digits()),
        }
    }

    /// The value as a big integer.
    pub fn to_bigint(&self) -> num_bigint::BigInt {
        match *self {
            Int::Small(v) => v.into(),
            Int::Big { negative, magnitude } => {
                let sign = if negative {
                    num_bigint::Sign::Minus
                } else {
                    num_bigint::Sign::Plus
                };
                num_bigint::BigInt::from_slice(sign, magnitude)
            }
        }
    }

    /// Is the value below zero?
    pub fn is_negative(&self) -> bool {
        match *self {
            Int::Small(v) => v < 0,
            Int::Big { negative, .. } => negative,
        }
    }

    /// Append the value in decimal (`int.__repr__`).
    ///
    /// CPython refuses to convert an int of more than 4300 decimal digits to a string
    /// (`sys.get_int_max_str_digits()`), so its `repr` raises ValueError there; this writes
    /// every digit.
    pub fn write_decimal(&self, out: &mut String) {
        match *self {
            Int::Small(v) => out.push_str(itoa::Buffer::new().format(v)),
            Int::Big { .. } => {
                let _ = write!(out, "{}", self.to_bigint());
            }
        }
    }
}

/// A small stack buffer for `core::fmt` output (the shortest digits of a double fit in 32
/// bytes: 17 digits, a point, and an exponent of at most 4 characters).
struct StackBuf {
    buf: [u8; 32],
    len: usize,
}

impl std::fmt::Write for StackBuf {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        if end > self.buf.len() {
            return Err(std::fmt::Error);
        }
        self.buf[self.len..end].copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// The shortest decimal digits that read back as `x` (finite, positive), with the position of
/// the decimal point: `x` is `0.DIGITS × 10^decpt`. This is what `_Py_dg_dtoa` gives in mode 0
/// (Rust's shortest formatting makes the same choice: the fewest digits that round-trip,
/// and of those the closest to `x`).
fn shortest_digits(x: f64, digits: &mut [u8; 17]) -> (usize, i32) {
    let mut s = StackBuf { buf: [0; 32], len: 0 };
    write!(s, "{x:e}").expect("a double's shortest form fits 32 bytes");
    let text = &s.buf[..s.len];
    let e = text.iter().position(|&b| b == b'e').expect("exponent form");
    let mut n = 0;
    for &b in &text[..e] {
        if b != b'.' {
            digits[n] = b;
            n += 1;
        }
    }
    let exp: i32 = std::str::from_utf8(&text[e + 1..]).unwrap().parse().unwrap();
    let decpt = exp + 1;
    round_half_even(x, &mut digits[..n], decpt);
    (n, decpt)
}

/// Break ties as `_Py_dg_dtoa` does. When `x` lies exactly halfway between two shortest
/// candidates that both read back as `x`, Rust's formatting takes the upper one and David Gay's
/// the one with an even last digit (`781185719939306.25` is `...306.2` in Python). `digits` is
/// Rust's choice; if its last digit is odd and `x` is exactly halfway to the candidate below,
/// and that candidate reads back as `x`, switch to it.
fn round_half_even(x: f64, digits: &mut [u8], decpt: i32) {
    let n = digits.len();
    let last = digits[n - 1] - b'0';
    if last & 1 == 0 || n > 17 {
        return;
    }
    let d: u64 = digits.iter().fold(0, |acc, &b| acc * 10 + u64::from(b - b'0'));
    // The midpoint below is t × 10^k with t = 10·d − 5 (odd).
    let t = u128::from(d) * 10 - 5;
    let k = decpt - n as i32 - 1;
    // x = m × 2^e with m odd.
    let bits = x.to_bits();
    let (mut m, mut e) = match ((bits >> 52) & 0x7ff) as i32 {
        0 => (bits & ((1 << 52) - 1), -1074),
        be => ((bits & ((1 << 52) - 1)) | (1 << 52), be - 1075),
    };
    let tz = m.trailing_zeros();
    m >>= tz;
    e += tz as i32;
    // t × 10^k = t·5^k × 2^k, an odd number times 2^k: equal to x only if e == k.
    if e != k {
        return;
    }
    let Some(pow5) = 5u128.checked_pow(k.unsigned_abs()) else {
        return;
    };
    let exact = if k >= 0 {
        t.checked_mul(pow5) == Some(u128::from(m))
    } else {
        u128::from(m).checked_mul(pow5) == Some(t)
    };
    if !exact {
        return;
    }
    // The candidate below must read back as x too (the interval below a power of two is
    // narrower).
    let mut below = String::with_capacity(n + 8);
    below.push_str(itoa::Buffer::new().format(d - 1));
    below.push('e');
    below.push_str(itoa::Buffer::new().format(decpt - n as i32));
    if below.parse::<f64>() == Ok(x) {
        digits[n - 1] -= 1;
    }
}

/// CPython's `PyOS_double_to_string(x, 'r', 0, flags)`: the shortest repr of a double.
/// `add_dot_0` is `Py_DTSF_ADD_DOT_0` (append `.0` to an integral value not in exponent form),
/// `sign` is `Py_DTSF_SIGN` (a `+` before non-negative values; a nan never has a `-`).
fn write_double(x: f64, add_dot_0: bool, sign: bool, out: &mut String) {
    if x.is_nan() {
        out.push_str(if sign { "+nan" } else { "nan" });
        return;
    }
    if x.is_sign_negative() {
        out.push('-');
    } else if sign {
        out.push('+');
    }
    if x.is_infinite() {
        out.push_str("inf");
        return;
    }
    let x = x.abs();
    if x == 0.0 {
        out.push_str(if add_dot_0 { "0.0" } else { "0" });
        return;
    }
    let mut buf = [0u8; 17];
    let (nd, decpt) = shortest_digits(x, &mut buf);
    let digits = std::str::from_utf8(&buf[..nd]).unwrap();
    // 'r' switches to exponent form below 1e-4 and from 1e16 on.
    if decpt <= -4 || decpt > 16 {
        out.push_str(&digits[..1]);
        if nd > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let exp = decpt - 1;
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        if exp.abs() < 10 {
            out.push('0');
        }
        out.push_str(itoa::Buffer::new().format(exp.unsigned_abs()));
    } else if decpt <= 0 {
        out.push_str("0.");
        for _ in 0..-decpt {
            out.push('0');
        }
        out.push_str(digits);
    } else if (decpt as usize) < nd {
        out.push_str(&digits[..decpt as usize]);
        out.push('.');
        out.push_str(&digits[decpt as usize..]);
    } else {
        out.push_str(digits);
        for _ in nd..decpt as usize {
            out.push('0');
        }
        if add_dot_0 {
            out.push_str(".0");
        }
    }
}

/// Append Python's `repr()` of a float (`float_repr`): the shortest digits that round-trip,
/// `.0` added to integral values, exponent form below 1e-4 and from 1e16 on (`1e-05`,
/// `1e+16`), and `inf`, `-inf`, `nan`.
pub fn write_float_repr(x: f64, out: &mut String) {
    write_double(x, true, false, out)
}

/// Append Python's `repr()` of a complex number (`complex_repr`): with a real part of +0.0
/// only the imaginary part (`1j`, `-0j`, `infj`), otherwise both in parentheses with the
/// imaginary part's sign always written (`(1+2j)`, `(-0-1j)`, `(nan+nanj)`). Neither part gets
/// a `.0`.
pub fn write_complex_repr(real: f64, imag: f64, out: &mut String) {
    if real == 0.0 && real.is_sign_positive() {
        write_double(imag, false, false, out);
        out.push('j');
    } else {
        out.push('(');
        write_double(real, false, false, out);
        write_double(imag, false, true, out);
        out.push_str("j)");
    }
}

/// Append Python's `repr()` of a bytes object (`PyBytes_Repr` with smart quotes): `'` unless
/// the value holds `'` and no `"`; `\\`, `\t`, `\n`, `\r` and the quote escaped; other bytes
/// outside printable ASCII as `\xhh`.
pub fn write_bytes_repr(b: &[u8], out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') {
        b'"'
    } else {
        b'\''
    };
    out.reserve(b.len() + 3);
    out.push('b');
    out.push(quote as char);
    for &c in b {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c as char);
            }
            0x20..=0x7e => out.push(c as char),
            c => {
                out.push_str("\\x");
                out.push(HEX[(c >> 4) as usize] as char);
                out.push(HEX[(c & 15) as usize] as char);
            }
        }
    }
    out.push(quote as char);
}

impl Constant<'_> {
    /// Append Python's `repr()` of the value.
    pub fn write_repr(&self, out: &mut String) {
        match *self {
            Constant::None => out.push_str("None"),
            Constant::True => out.push_str("True"),
            Constant::False => out.push_str("False"),
            Constant::Ellipsis => out.push_str("Ellipsis"),
            Constant::Int(i) => i.write_decimal(out),
            Constant::Float(f) => write_float_repr(f, out),
            Constant::Complex { real, imag } => write_complex_repr(real, imag, out),
            Constant::Str(s) => pyrite_unicode::wtf8::write_repr_code_points(s.code_points(), out),
            Constant::Bytes(b) => write_bytes_repr(b, out),
            Constant::Tuple(items) => {
                out.push('(');
                write_items(items, out);
                if items.len() == 1 {
                    out.push(',');
                }
                out.push(')');
            }
            Constant::FrozenSet([]) => out.push_str("frozenset()"),
            Constant::FrozenSet(items) => {
                out.push_str("frozenset({");
                write_items(items, out);
                out.push_str("})");
            }
        }
    }

    /// Python's `repr()` of the value.
    pub fn repr(&self) -> String {
        let mut s = String::new();
        self.write_repr(&mut s);
        s
    }
}

fn write_items(items: &[Constant<'_>], out: &mut String) {
    for (i, c) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        c.write_repr(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn float(x: f64) -> String {
        let mut s = String::new();
        write_float_repr(x, &mut s);
        s
    }

    fn complex(real: f64, imag: f64) -> String {
        let mut s = String::new();
        write_complex_repr(real, imag, &mut s);
        s
    }

    #[test]
    fn float_reprs() {
        let cases: &[(f64, &str)] = &[
            (1.0, "1.0"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (9999999999999998.0, "9999999999999998.0"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (-0.0, "-0.0"),
            (0.0, "0.0"),
            (0.1, "0.1"),
            (1.5e300, "1.5e+300"),
            (123.456, "123.456"),
            (1.2345678901234567e19, "1.2345678901234567e+19"),
            (5e-324, "5e-324"),
            (f64::MAX, "1.7976931348623157e+308"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (f64::NAN, "nan"),
            (-f64::NAN, "nan"),
        ];
        for &(x, want) in cases {
            assert_eq!(float(x), want, "{x:e}");
        }
    }

    #[test]
    fn complex_reprs() {
        let cases: &[(f64, f64, &str)] = &[
            (0.0, 1.0, "1j"),
            (1.0, 2.0, "(1+2j)"),
            (0.0, -0.0, "-0j"),
            (-0.0, -1.0, "(-0-1j)"),
            (-0.0, 0.0, "(-0+0j)"),
            (0.0, f64::INFINITY, "infj"),
            (f64::NAN, f64::NAN, "(nan+nanj)"),
            (1.0, -f64::NAN, "(1+nanj)"),
            (f64::NAN, f64::NEG_INFINITY, "(nan-infj)"),
            (0.0, 2.0, "2j"),
            (0.0, 1e16, "1e+16j"),
            (0.5, 1e-5, "(0.5+1e-05j)"),
        ];
        for &(re, im, want) in cases {
            assert_eq!(complex(re, im), want, "{re:e} {im:e}");
        }
    }

    #[test]
    fn other_reprs() {
        let arena = bumpalo::Bump::new();
        let big = Int::from_bigint(&(num_bigint::BigInt::from(u64::MAX) * -1000), &arena);
        assert!(matches!(big, Int::Big { negative: true, .. }) && big.is_negative());
        let items = [Constant::Int(Int::Small(1)), Constant::Int(big)];
        let cases: &[(Constant<'_>, &str)] = &[
            (Constant::None, "None"),
            (Constant::Ellipsis, "Ellipsis"),
            (Constant::Int(Int::Small(i64::MIN)), "-9223372036854775808"),
            (Constant::Int(big), "-18446744073709551615000"),
            (Constant::Bytes(b"a'b"), "b\"a'b\""),
            (Constant::Bytes(b"a'\"\x00\xff\\"), "b'a\\'\"\\x00\\xff\\\\'"),
            (Constant::Str(Wtf8::from_str("it's")), "\"it's\""),
            (Constant::Tuple(&[]), "()"),
            (Constant::Tuple(&items[..1]), "(1,)"),
            (Constant::Tuple(&items), "(1, -18446744073709551615000)"),
            (Constant::FrozenSet(&[]), "frozenset()"),
            (Constant::FrozenSet(&items[..1]), "frozenset({1})"),
        ];
        for (c, want) in cases {
            assert_eq!(c.repr(), *want);
        }
    }

    #[test]
    fn ints_have_one_representation() {
        let arena = bumpalo::Bump::new();
        let at_min = num_bigint::BigInt::from(i64::MIN);
        assert_eq!(Int::from_bigint(&at_min, &arena), Int::Small(i64::MIN));
        let past_max = num_bigint::BigUint::from(i64::MAX as u64 + 1);
        let int = Int::from_biguint(&past_max, &arena);
        assert_eq!(
            int,
            Int::Big {
                negative: false,
                magnitude: &[0, 0x8000_0000]
            }
        );
        assert_eq!(int.to_bigint(), past_max.into());
    }
}
