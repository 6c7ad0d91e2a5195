//! Operations on constants with Python 3.12's semantics, and the optimizer's safety limits
//! (`safe_multiply`, `safe_power`, `safe_lshift`, `safe_mod`). Each returns `None` where
//! CPython's operation fails (TypeError, ZeroDivisionError, OverflowError, ValueError,
//! IndexError) or a limit refuses to fold: the expression is then left as it is.

use crate::float::{self, PowResult};
use bumpalo::Bump;
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{FromPrimitive, One, Signed, ToPrimitive, Zero};
use pyrite_ast::{Constant, Int, Operator, UnaryOp};
use pyrite_unicode::Wtf8;

/// The largest int (in bits) that `*`, `**` and `<<` may produce.
pub const MAX_INT_SIZE: u64 = 128;
/// The largest tuple or frozenset that `*` may produce.
pub const MAX_COLLECTION_SIZE: i64 = 256;
/// The longest str (in code points) or bytes that `*` may produce.
pub const MAX_STR_SIZE: i64 = 4096;
/// The most items, nested collections included, that `*` may produce.
pub const MAX_TOTAL_ITEMS: i64 = 1024;

/// What a constant-folding step hands back besides its value.
pub struct Ctx<'a, 'w> {
    pub arena: &'a Bump,
    /// Set when `~` is applied to a bool (3.12 warns: DeprecationWarning).
    pub warned_invert_bool: &'w mut bool,
}

/// A number: int (bools as their int value), float or complex.
#[derive(Clone, Copy)]
enum Num<'a> {
    I(Int<'a>),
    F(f64),
    C(f64, f64),
}

fn num<'a>(c: &Constant<'a>) -> Option<Num<'a>> {
    Some(match *c {
        Constant::True => Num::I(Int::Small(1)),
        Constant::False => Num::I(Int::Small(0)),
        Constant::Int(i) => Num::I(i),
        Constant::Float(f) => Num::F(f),
        Constant::Complex { real, imag } => Num::C(real, imag),
        _ => return None,
    })
}

/// The int value of an int or bool constant.
fn int_of<'a>(c: &Constant<'a>) -> Option<Int<'a>> {
    match num(c)? {
        Num::I(i) => Some(i),
        _ => None,
    }
}

fn is_bool(c: &Constant<'_>) -> bool {
    matches!(c, Constant::True | Constant::False)
}

fn int_const<'a>(v: &BigInt, arena: &'a Bump) -> Constant<'a> {
    Constant::Int(Int::from_bigint(v, arena))
}

fn small_const<'a>(v: i128, arena: &'a Bump) -> Constant<'a> {
    match i64::try_from(v) {
        Ok(s) => Constant::Int(Int::Small(s)),
        Err(_) => int_const(&BigInt::from(v), arena),
    }
}

fn bool_const<'a>(b: bool) -> Constant<'a> {
    if b {
        Constant::True
    } else {
        Constant::False
    }
}

/// `_PyLong_NumBits`: the number of bits of the absolute value (0 for 0).
fn num_bits(i: &Int<'_>) -> u64 {
    match *i {
        Int::Small(v) => 64 - v.unsigned_abs().leading_zeros() as u64,
        Int::Big { .. } => i.to_bigint().bits(),
    }
}

fn is_zero(i: &Int<'_>) -> bool {
    matches!(i, Int::Small(0))
}

/// `PyLong_AsLong` / `PyLong_AsSsize_t`: the value if it fits 64 bits.
fn as_i64(i: &Int<'_>) -> Option<i64> {
    match *i {
        Int::Small(v) => Some(v),
        Int::Big { .. } => None,
    }
}

fn to_f64(n: Num<'_>) -> Option<f64> {
    match n {
        Num::I(i) => float::int_to_f64(&i),
        Num::F(f) => Some(f),
        Num::C(..) => None,
    }
}

fn to_complex(n: Num<'_>) -> Option<(f64, f64)> {
    match n {
        Num::C(r, i) => Some((r, i)),
        other => Some((to_f64(other)?, 0.0)),
    }
}

fn float_or_complex<'a>(r: PowResult) -> Constant<'a> {
    match r {
        PowResult::Float(f) => Constant::Float(f),
        PowResult::Complex(real, imag) => Constant::Complex { real, imag },
    }
}

/// Python's truth value of a constant (`PyObject_IsTrue`).
pub fn truth(c: &Constant<'_>) -> bool {
    match *c {
        Constant::None | Constant::False => false,
        Constant::True | Constant::Ellipsis => true,
        Constant::Int(i) => !is_zero(&i),
        Constant::Float(f) => f != 0.0,
        Constant::Complex { real, imag } => real != 0.0 || imag != 0.0,
        Constant::Str(s) => !s.is_empty(),
        Constant::Bytes(b) => !b.is_empty(),
        Constant::Tuple(t) | Constant::FrozenSet(t) => !t.is_empty(),
    }
}

/// A unary operator applied to a constant (`fold_unaryop`).
pub fn unary<'a>(op: UnaryOp, v: &Constant<'a>, cx: &mut Ctx<'a, '_>) -> Option<Constant<'a>> {
    if op == UnaryOp::Not {
        return Some(bool_const(!truth(v)));
    }
    let n = num(v)?;
    Some(match (op, n) {
        (UnaryOp::USub, Num::I(Int::Small(x))) => small_const(-(x as i128), cx.arena),
        (UnaryOp::USub, Num::I(i)) => int_const(&-i.to_bigint(), cx.arena),
        (UnaryOp::USub, Num::F(f)) => Constant::Float(-f),
        (UnaryOp::USub, Num::C(r, i)) => Constant::Complex { real: -r, imag: -i },
        (UnaryOp::UAdd, Num::I(i)) => Constant::Int(i),
        (UnaryOp::UAdd, Num::F(_) | Num::C(..)) => *v,
        (UnaryOp::Invert, Num::I(i)) => {
            if is_bool(v) {
                *cx.warned_invert_bool = true;
            }
            match i {
                Int::Small(x) => Constant::Int(Int::Small(!x)),
                _ => int_const(&(-i.to_bigint() - 1), cx.arena),
            }
        }
        _ => return None,
    })
}

/// `safe_multiply`'s limits for a repetition `seq * n`; `true` if it may be folded.
fn repeat_allowed(n: &Int<'_>, seq: &Constant<'_>) -> bool {
    let (size, is_collection) = match *seq {
        Constant::Tuple(t) | Constant::FrozenSet(t) => (t.len() as i64, true),
        Constant::Str(s) => (s.char_len() as i64, false),
        Constant::Bytes(b) => (b.len() as i64, false),
        _ => return true,
    };
    if size == 0 {
        return true;
    }
    // PyLong_AsLong: an overflow reads as -1, which the test below rejects.
    let n = as_i64(n).unwrap_or(-1);
    if is_collection {
        if n < 0 || n > MAX_COLLECTION_SIZE / size {
            return false;
        }
        if n != 0 && check_complexity(seq, MAX_TOTAL_ITEMS / n) < 0 {
            return false;
        }
        true
    } else {
        !(n < 0 || n > MAX_STR_SIZE / size)
    }
}

/// `check_complexity`: `limit` less the number of items in the collection and its nested
/// collections, stopping once negative.
fn check_complexity(c: &Constant<'_>, mut limit: i64) -> i64 {
    if let Constant::Tuple(items) | Constant::FrozenSet(items) = *c {
        limit -= items.len() as i64;
        for item in items {
            if limit < 0 {
                break;
            }
            limit = check_complexity(item, limit);
        }
    }
    limit
}

/// `seq * n` (`sq_repeat`); `None` when `n` does not fit a Py_ssize_t (OverflowError).
fn repeat<'a>(seq: &Constant<'a>, n: &Int<'_>, arena: &'a Bump) -> Option<Constant<'a>> {
    let n = as_i64(n)?;
    let count = n.max(0) as usize;
    Some(match *seq {
        Constant::Str(s) => {
            let b = repeat_bytes(s.as_bytes(), count, arena)?;
            Constant::Str(Wtf8::from_bytes_unchecked(b))
        }
        Constant::Bytes(b) => Constant::Bytes(repeat_bytes(b, count, arena)?),
        Constant::Tuple(t) => {
            if t.is_empty() || count == 0 {
                return Some(Constant::Tuple(&[]));
            }
            let total = t.len().checked_mul(count)?;
            let mut v = bumpalo::collections::Vec::with_capacity_in(total, arena);
            for _ in 0..count {
                v.extend_from_slice(t);
            }
            Constant::Tuple(v.into_bump_slice())
        }
        _ => return None,
    })
}

fn repeat_bytes<'a>(b: &[u8], count: usize, arena: &'a Bump) -> Option<&'a [u8]> {
    if b.is_empty() || count == 0 {
        return Some(&[]);
    }
    let total = b.len().checked_mul(count)?;
    if total > isize::MAX as usize {
        return None; // MemoryError/OverflowError in CPython
    }
    let mut v = bumpalo::collections::Vec::with_capacity_in(total, arena);
    for _ in 0..count {
        v.extend_from_slice(b);
    }
    Some(v.into_bump_slice())
}

fn concat<'a, T: Copy>(a: &[T], b: &[T], arena: &'a Bump) -> &'a [T] {
    let mut v = bumpalo::collections::Vec::with_capacity_in(a.len() + b.len(), arena);
    v.extend_from_slice(a);
    v.extend_from_slice(b);
    v.into_bump_slice()
}

/// A binary operator applied to two constants (`fold_binop` without `%`-formatting).
pub fn binary<'a>(op: Operator, l: &Constant<'a>, r: &Constant<'a>, arena: &'a Bump) -> Option<Constant<'a>> {
    match op {
        Operator::Add => add(l, r, arena),
        Operator::Mult => multiply(l, r, arena),
        Operator::Mod => {
            // safe_mod: never fold printf-style formatting.
            if matches!(l, Constant::Str(_) | Constant::Bytes(_)) {
                return None;
            }
            arith(op, num(l)?, num(r)?, arena)
        }
        Operator::Pow => power(l, r, arena),
        Operator::LShift => lshift(l, r, arena),
        Operator::RShift => rshift(l, r, arena),
        Operator::BitAnd | Operator::BitOr | Operator::BitXor => bitwise(op, l, r, arena),
        Operator::MatMult => None,
        Operator::Sub | Operator::Div | Operator::FloorDiv => arith(op, num(l)?, num(r)?, arena),
    }
}

fn add<'a>(l: &Constant<'a>, r: &Constant<'a>, arena: &'a Bump) -> Option<Constant<'a>> {
    match (*l, *r) {
        (Constant::Str(a), Constant::Str(b)) => Some(Constant::Str(Wtf8::from_bytes_unchecked(concat(
            a.as_bytes(),
            b.as_bytes(),
            arena,
        )))),
        (Constant::Bytes(a), Constant::Bytes(b)) => Some(Constant::Bytes(concat(a, b, arena))),
        (Constant::Tuple(a), Constant::Tuple(b)) => Some(Constant::Tuple(concat(a, b, arena))),
        _ => arith(Operator::Add, num(l)?, num(r)?, arena),
    }
}

fn multiply<'a>(l: &Constant<'a>, r: &Constant<'a>, arena: &'a Bump) -> Option<Constant<'a>> {
    let is_seq = |c: &Constant<'_>| {
        matches!(
            c,
            Constant::Tuple(_) | Constant::FrozenSet(_) | Constant::Str(_) | Constant::Bytes(_)
        )
    };
    match (int_of(l), int_of(r)) {
        (Some(a), Some(b)) => {
            if !is_zero(&a) && !is_zero(&b) && num_bits(&a) + num_bits(&b) > MAX_INT_SIZE {
                return None;
            }
            arith(Operator::Mult, Num::I(a), Num::I(b), arena)
        }
        (Some(n), None) if is_seq(r) => {
            if !repeat_allowed(&n, r) {
                return None;
            }
            repeat(r, &n, arena)
        }
        (None, Some(n)) if is_seq(l) => {
            if !repeat_allowed(&n, l) {
                return None;
            }
            repeat(l, &n, arena)
        }
        _ => arith(Operator::Mult, num(l)?, num(r)?, arena),
    }
}

fn power<'a>(l: &Constant<'a>, r: &Constant<'a>, arena: &'a Bump) -> Option<Constant<'a>> {
    let (a, b) = (num(l)?, num(r)?);
    if let (Num::I(v), Num::I(w)) = (a, b) {
        if !is_zero(&v) && !w.is_negative() && !is_zero(&w) {
            // safe_power: PyLong_AsSize_t fails past 2^64 - 1 (and SIZE_MAX itself reads as
            // the error value); the result may have at most MAX_INT_SIZE bits.
            let wbits = match w {
                Int::Small(x) => x as u64,
                Int::Big { .. } => return None,
            };
            if num_bits(&v) > MAX_INT_SIZE / wbits {
                return None;
            }
        }
    }
    arith(Operator::Pow, a, b, arena)
}

fn lshift<'a>(l: &Constant<'a>, r: &Constant<'a>, arena: &'a Bump) -> Option<Constant<'a>> {
    let (v, w) = (int_of(l)?, int_of(r)?);
    if w.is_negative() {
        return None; // ValueError (or safe_lshift's failed conversion)
    }
    if is_zero(&v) {
        return Some(Constant::Int(Int::Small(0)));
    }
    if is_zero(&w) {
        return Some(Constant::Int(v));
    }
    let wbits = match w {
        Int::Small(x) => x as u64,
        Int::Big { .. } => return None,
    };
    if wbits > MAX_INT_SIZE || num_bits(&v) > MAX_INT_SIZE - wbits {
        return None;
    }
    match v {
        Int::Small(x) if wbits < 64 => {
            let r = (x as i128) << wbits;
            Some(small_const(r, arena))
        }
        _ => Some(int_const(&(v.to_bigint() << wbits), arena)),
    }
}

fn rshift<'a>(l: &Constant<'a>, r: &Constant<'a>, arena: &'a Bump) -> Option<Constant<'a>> {
    let (v, w) = (int_of(l)?, int_of(r)?);
    if w.is_negative() {
        return None; // ValueError: negative shift count
    }
    let shift = match w {
        Int::Small(x) => x as u64,
        Int::Big { .. } => u64::MAX,
    };
    Some(match v {
        Int::Small(x) => Constant::Int(Int::Small(x >> shift.min(63))),
        Int::Big { .. } => {
            let b = v.to_bigint();
            if shift >= b.bits() {
                Constant::Int(Int::Small(if b.is_negative() { -1 } else { 0 }))
            } else {
                // BigInt's >> rounds toward negative infinity, as Python's does.
                int_const(&(b >> shift), arena)
            }
        }
    })
}

fn bitwise<'a>(op: Operator, l: &Constant<'a>, r: &Constant<'a>, arena: &'a Bump) -> Option<Constant<'a>> {
    let (a, b) = (int_of(l)?, int_of(r)?);
    if is_bool(l) && is_bool(r) {
        let (x, y) = (truth(l), truth(r));
        return Some(bool_const(match op {
            Operator::BitAnd => x & y,
            Operator::BitOr => x | y,
            _ => x ^ y,
        }));
    }
    if let (Int::Small(x), Int::Small(y)) = (a, b) {
        return Some(Constant::Int(Int::Small(match op {
            Operator::BitAnd => x & y,
            Operator::BitOr => x | y,
            _ => x ^ y,
        })));
    }
    let (x, y) = (a.to_bigint(), b.to_bigint());
    Some(int_const(
        &match op {
            Operator::BitAnd => x & y,
            Operator::BitOr => x | y,
            _ => x ^ y,
        },
        arena,
    ))
}

/// Arithmetic on numbers: `+ - * / // % **` with the int → float → complex coercions.
fn arith<'a>(op: Operator, a: Num<'a>, b: Num<'a>, arena: &'a Bump) -> Option<Constant<'a>> {
    match (a, b) {
        (Num::I(x), Num::I(y)) => int_arith(op, &x, &y, arena),
        (Num::C(..), _) | (_, Num::C(..)) => {
            let (x, y) = (to_complex(a)?, to_complex(b)?);
            let (real, imag) = match op {
                Operator::Add => (x.0 + y.0, x.1 + y.1),
                Operator::Sub => (x.0 - y.0, x.1 - y.1),
                Operator::Mult => float::c_prod(x, y),
                Operator::Div => float::c_quot(x, y)?,
                Operator::Pow => float::complex_pow(x, y)?,
                _ => return None, // complex has no // or %
            };
            Some(Constant::Complex { real, imag })
        }
        _ => {
            let (x, y) = (to_f64(a)?, to_f64(b)?);
            float_arith(op, x, y)
        }
    }
}

fn float_arith<'a>(op: Operator, x: f64, y: f64) -> Option<Constant<'a>> {
    Some(Constant::Float(match op {
        Operator::Add => x + y,
        Operator::Sub => x - y,
        Operator::Mult => x * y,
        Operator::Div => float::float_div(x, y)?,
        Operator::FloorDiv => float::float_floor_div(x, y)?,
        Operator::Mod => float::float_mod(x, y)?,
        Operator::Pow => return Some(float_or_complex(float::float_pow(x, y)?)),
        _ => return None,
    }))
}

fn int_arith<'a>(op: Operator, x: &Int<'a>, y: &Int<'a>, arena: &'a Bump) -> Option<Constant<'a>> {
    if let (Int::Small(a), Int::Small(b)) = (*x, *y) {
        let (a, b) = (a as i128, b as i128);
        match op {
            Operator::Add => return Some(small_const(a + b, arena)),
            Operator::Sub => return Some(small_const(a - b, arena)),
            Operator::Mult => return Some(small_const(a * b, arena)),
            Operator::FloorDiv => {
                if b == 0 {
                    return None;
                }
                return Some(small_const(Integer::div_floor(&a, &b), arena));
            }
            Operator::Mod => {
                if b == 0 {
                    return None;
                }
                return Some(small_const(Integer::mod_floor(&a, &b), arena));
            }
            _ => {}
        }
    }
    let (a, b) = (x.to_bigint(), y.to_bigint());
    Some(match op {
        Operator::Add => int_const(&(a + b), arena),
        Operator::Sub => int_const(&(a - b), arena),
        Operator::Mult => int_const(&(a * b), arena),
        Operator::FloorDiv => {
            if b.is_zero() {
                return None;
            }
            int_const(&Integer::div_floor(&a, &b), arena)
        }
        Operator::Mod => {
            if b.is_zero() {
                return None;
            }
            int_const(&Integer::mod_floor(&a, &b), arena)
        }
        Operator::Div => Constant::Float(float::int_true_divide(&a, &b)?),
        Operator::Pow => {
            if b.is_negative() {
                // long_pow hands a negative exponent to float_pow.
                let (fa, fb) = (float::int_to_f64(x)?, float::int_to_f64(y)?);
                return Some(float_or_complex(float::float_pow(fa, fb)?));
            }
            if b.is_zero() {
                return Some(Constant::Int(Int::Small(1)));
            }
            if a.is_zero() || a.is_one() {
                return Some(Constant::Int(Int::Small(if a.is_zero() { 0 } else { 1 })));
            }
            // The caller's limits keep the exponent small unless the base is 0 or ±1.
            let e = b.to_u32()?;
            if a == BigInt::from(-1) {
                return Some(Constant::Int(Int::Small(if e % 2 == 0 { 1 } else { -1 })));
            }
            int_const(&num_traits::pow(a, e as usize), arena)
        }
        _ => return None,
    })
}

/// `PyObject_GetItem(value, index)` for constants (`fold_subscr`).
pub fn subscript<'a>(v: &Constant<'a>, idx: &Constant<'a>, arena: &'a Bump) -> Option<Constant<'a>> {
    let i = int_of(idx)?;
    let len = match *v {
        Constant::Str(s) => s.char_len(),
        Constant::Bytes(b) => b.len(),
        Constant::Tuple(t) => t.len(),
        _ => return None,
    } as i64;
    let mut i = as_i64(&i)?; // IndexError: cannot fit 'int' into an index-sized integer
    if i < 0 {
        i += len;
    }
    if i < 0 || i >= len {
        return None;
    }
    let i = i as usize;
    Some(match *v {
        Constant::Str(s) => {
            let cp = s.code_points().nth(i).expect("in range");
            let mut buf = Vec::with_capacity(4);
            pyrite_unicode::wtf8::push_code_point(&mut buf, cp);
            Constant::Str(Wtf8::from_bytes_unchecked(arena.alloc_slice_copy(&buf)))
        }
        Constant::Bytes(b) => Constant::Int(Int::Small(b[i] as i64)),
        Constant::Tuple(t) => t[i],
        _ => unreachable!(),
    })
}

/// Python's `==` between constants, as a set uses it to drop duplicates (numbers compare
/// across types: `1 == 1.0 == True == 1+0j`).
pub fn py_eq(a: &Constant<'_>, b: &Constant<'_>) -> bool {
    match (num(a), num(b)) {
        (Some(x), Some(y)) => num_eq(x, y),
        (None, None) => match (*a, *b) {
            (Constant::None, Constant::None) | (Constant::Ellipsis, Constant::Ellipsis) => true,
            (Constant::Str(x), Constant::Str(y)) => x == y,
            (Constant::Bytes(x), Constant::Bytes(y)) => x == y,
            (Constant::Tuple(x), Constant::Tuple(y)) | (Constant::FrozenSet(x), Constant::FrozenSet(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|(p, q)| py_eq(p, q))
            }
            _ => false,
        },
        _ => false,
    }
}

fn num_eq(a: Num<'_>, b: Num<'_>) -> bool {
    match (a, b) {
        (Num::I(x), Num::I(y)) => x == y,
        (Num::I(i), Num::F(f)) | (Num::F(f), Num::I(i)) => int_eq_float(&i, f),
        (Num::F(x), Num::F(y)) => x == y,
        (Num::C(r1, i1), Num::C(r2, i2)) => r1 == r2 && i1 == i2,
        (Num::C(r, im), other) | (other, Num::C(r, im)) => im == 0.0 && num_eq(Num::F(r), other),
    }
}

fn int_eq_float(i: &Int<'_>, f: f64) -> bool {
    if !f.is_finite() || f.fract() != 0.0 {
        return false;
    }
    BigInt::from_f64(f).is_some_and(|v| v == i.to_bigint())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bigint_shift_right_floors() {
        let v = BigInt::from(-5) << 100u32;
        assert_eq!((v - 1) >> 100u32, BigInt::from(-6));
    }
}
