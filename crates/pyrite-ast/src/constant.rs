//! The values a `Constant` node holds, and Python's `repr()` of them.

use pyrite_unicode::Wtf8;
use std::fmt::Write as _;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Constant<'a> {
    None,
    True,
    False,
    Ellipsis,
    Int(Int<'a>),
    Float(f64),
    Complex { real: f64, imag: f64 },
    Str(&'a Wtf8),
    Bytes(&'a [u8]),
    Tuple(&'a [Constant<'a>]),
    FrozenSet(&'a [Constant<'a>]),
}

/// A Python int: machine-sized, or a magnitude in little-endian base-2^32 digits (only when it
/// does not fit an `i64`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Int<'a> {
    Small(i64),
    Big { negative: bool, magnitude: &'a [u32] },
}

impl Int<'_> {
    pub fn to_bigint(&self) -> num_bigint::BigInt {
        match *self {
            Int::Small(v) => v.into(),
            Int::Big { negative, magnitude } => {
                let m = num_bigint::BigUint::new(magnitude.to_vec());
                let sign = if negative {
                    num_bigint::Sign::Minus
                } else {
                    num_bigint::Sign::Plus
                };
                num_bigint::BigInt::from_biguint(sign, m)
            }
        }
    }

    /// An int from a big integer, its digits allocated in `arena`.
    pub fn from_bigint<'a>(v: &num_bigint::BigInt, arena: &'a bumpalo::Bump) -> Int<'a> {
        if let Ok(s) = i64::try_from(v) {
            return Int::Small(s);
        }
        let (sign, digits) = v.to_u32_digits();
        Int::Big {
            negative: sign == num_bigint::Sign::Minus,
            magnitude: arena.alloc_slice_copy(&digits),
        }
    }
}

/// Python's `repr()` of a float (`float_repr`: shortest round-trip digits, `.0` added to
/// integral values, exponent form below 1e-4 and from 1e16 on).
pub fn write_float_repr(x: f64, out: &mut String) {
    write_float(x, true, out)
}

/// `format_float_short(x, 'r', 0, flags)`; `add_dot_0` is `Py_DTSF_ADD_DOT_0`.
fn write_float(x: f64, add_dot_0: bool, out: &mut String) {
    if x.is_nan() {
        out.push_str("nan");
        return;
    }
    if x.is_infinite() {
        out.push_str(if x < 0.0 { "-inf" } else { "inf" });
        return;
    }
    if x.is_sign_negative() {
        out.push('-');
    }
    let x = x.abs();
    if x == 0.0 {
        out.push_str(if add_dot_0 { "0.0" } else { "0" });
        return;
    }
    // Shortest round-trip digits and the decimal exponent.
    let s = format!("{x:e}");
    let (mant, exp) = s.split_once('e').unwrap();
    let digits: String = mant.chars().filter(|c| *c != '.').collect();
    let exp: i32 = exp.parse().unwrap();
    let decpt = exp + 1; // position of the decimal point relative to the digits
    let nd = digits.len() as i32;
    if !(-4 < decpt && decpt <= 16) {
        out.push_str(&digits[..1]);
        if nd > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let e = decpt - 1;
        let _ = write!(out, "e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs());
    } else if decpt <= 0 {
        out.push_str("0.");
        for _ in 0..-decpt {
            out.push('0');
        }
        out.push_str(&digits);
    } else if decpt < nd {
        out.push_str(&digits[..decpt as usize]);
        out.push('.');
        out.push_str(&digits[decpt as usize..]);
    } else {
        out.push_str(&digits);
        for _ in 0..decpt - nd {
            out.push('0');
        }
        if add_dot_0 {
            out.push_str(".0");
        }
    }
}

/// Python's `repr()` of a complex number (`complex_repr`).
pub fn write_complex_repr(real: f64, imag: f64, out: &mut String) {
    if real == 0.0 && real.is_sign_positive() {
        write_float(imag, false, out);
        out.push('j');
        return;
    }
    out.push('(');
    write_float(real, false, out);
    if !(imag.is_sign_negative() || imag.is_nan() && imag.is_sign_negative()) || imag.is_nan() {
        out.push('+');
    }
    write_float(imag, false, out);
    out.push_str("j)");
}

/// Python's `repr()` of a bytes object.
pub fn write_bytes_repr(b: &[u8], out: &mut String) {
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') {
        '"'
    } else {
        '\''
    };
    out.push('b');
    out.push(quote);
    for &c in b {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            c if c as char == quote => {
                out.push('\\');
                out.push(c as char);
            }
            c if !(0x20..0x7f).contains(&c) => {
                let _ = write!(out, "\\x{c:02x}");
            }
            c => out.push(c as char),
        }
    }
    out.push(quote);
}

impl Constant<'_> {
    /// Append Python's `repr()` of the value.
    pub fn write_repr(&self, out: &mut String) {
        match *self {
            Constant::None => out.push_str("None"),
            Constant::True => out.push_str("True"),
            Constant::False => out.push_str("False"),
            Constant::Ellipsis => out.push_str("Ellipsis"),
            Constant::Int(Int::Small(v)) => out.push_str(itoa::Buffer::new().format(v)),
            Constant::Int(i) => {
                let _ = write!(out, "{}", i.to_bigint());
            }
            Constant::Float(f) => write_float_repr(f, out),
            Constant::Complex { real, imag } => write_complex_repr(real, imag, out),
            Constant::Str(s) => pyrite_unicode::wtf8::write_repr_code_points(s.code_points(), out),
            Constant::Bytes(b) => write_bytes_repr(b, out),
            Constant::Tuple(items) => {
                out.push('(');
                for (i, c) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    c.write_repr(out);
                }
                if items.len() == 1 {
                    out.push(',');
                }
                out.push(')');
            }
            Constant::FrozenSet(items) => {
                if items.is_empty() {
                    out.push_str("frozenset()");
                    return;
                }
                out.push_str("frozenset({");
                for (i, c) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    c.write_repr(out);
                }
                out.push_str("})");
            }
        }
    }

    pub fn repr(&self) -> String {
        let mut s = String::new();
        self.write_repr(&mut s);
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(x: f64) -> String {
        let mut s = String::new();
        write_float_repr(x, &mut s);
        s
    }

    #[test]
    fn float_reprs() {
        assert_eq!(f(1.0), "1.0");
        assert_eq!(f(1e16), "1e+16");
        assert_eq!(f(1e15), "1000000000000000.0");
        assert_eq!(f(0.0001), "0.0001");
        assert_eq!(f(0.00001), "1e-05");
        assert_eq!(f(-0.0), "-0.0");
        assert_eq!(f(0.1), "0.1");
        assert_eq!(f(1.5e300), "1.5e+300");
        assert_eq!(f(123.456), "123.456");
    }
}
