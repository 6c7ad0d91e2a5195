//! Float and complex arithmetic as CPython 3.12 computes it (`Objects/floatobject.c`,
//! `Objects/complexobject.c`), and the int-to-float conversions of `Objects/longobject.c`
//! (`PyLong_AsDouble`, `long_true_divide`). Every function returns `None` where CPython raises
//! (ZeroDivisionError, OverflowError, ValueError): the optimizer then leaves the expression
//! alone, for the error to happen at run time.
//!
//! The libm functions (`pow`, `fmod`, `floor`, `hypot`, `atan2`, `exp`, `log`, `cos`, `sin`)
//! are Rust's `f64` methods, which call the platform's C library as CPython does.

use num_bigint::{BigInt, BigUint};
use num_integer::Integer;
use num_traits::{ToPrimitive, Zero};
use pyrite_ast::Int;

/// 2^e as a double, for -1074 <= e <= 1023.
fn pow2(e: i64) -> f64 {
    debug_assert!((-1074..=1023).contains(&e));
    if e >= -1022 {
        f64::from_bits(((e + 1023) as u64) << 52)
    } else {
        f64::from_bits(1u64 << (e + 1074))
    }
}

/// The magnitude of a big integer as a correctly rounded (half to even) double, or `None`
/// if it rounds to 2^1024 or more (`PyLong_AsDouble`'s OverflowError).
fn biguint_to_f64(m: &BigUint) -> Option<f64> {
    let bits = m.bits();
    if bits <= 64 {
        return Some(m.to_u64().expect("at most 64 bits") as f64);
    }
    let shift = bits - 64;
    let mut top = (m >> shift).to_u64().expect("64 bits");
    // A sticky bit below the rounding position keeps round-half-even exact.
    if m.trailing_zeros().unwrap_or(0) < shift {
        top |= 1;
    }
    let f = top as f64;
    // f is a multiple of 2^11 at most 2^64; f * 2^shift overflows exactly when the value
    // rounds to 2^1024 or more.
    if shift > 1023 {
        return None;
    }
    let r = f * pow2(shift as i64);
    r.is_finite().then_some(r)
}

/// `PyLong_AsDouble`: the int as a correctly rounded double; `None` on OverflowError.
pub fn int_to_f64(i: &Int<'_>) -> Option<f64> {
    match *i {
        Int::Small(v) => Some(v as f64),
        Int::Big { .. } => {
            let b = i.to_bigint();
            let f = biguint_to_f64(b.magnitude())?;
            Some(if b.sign() == num_bigint::Sign::Minus { -f } else { f })
        }
    }
}

/// `long_true_divide`: `a / b` for ints, correctly rounded; `None` on ZeroDivisionError or
/// OverflowError ("integer division result too large for a float").
pub fn int_true_divide(a: &BigInt, b: &BigInt) -> Option<f64> {
    if b.is_zero() {
        return None;
    }
    let negate = (a.sign() == num_bigint::Sign::Minus) != (b.sign() == num_bigint::Sign::Minus);
    let signed = |x: f64| if negate { -x } else { x };
    if a.is_zero() {
        return Some(signed(0.0));
    }
    let (ma, mb) = (a.magnitude(), b.magnitude());
    let (na, nb) = (ma.bits() as i64, mb.bits() as i64);
    if na <= 53 && nb <= 53 {
        // Both exact as doubles: one correctly rounded division.
        let q = ma.to_u64().unwrap() as f64 / mb.to_u64().unwrap() as f64;
        return Some(signed(q));
    }
    // e = floor(log2(ma / mb)).
    let d = na - nb;
    let ge = if d >= 0 {
        *ma >= (mb << (d as u64))
    } else {
        (ma << ((-d) as u64)) >= *mb
    };
    let e = if ge { d } else { d - 1 };
    if e > 1023 {
        return None;
    }
    // The weight of the last bit kept: 53 significant bits, or fewer below the normal range.
    let lsb = (e - 52).max(-1074);
    let (num, den) = if lsb <= 0 {
        (ma << ((-lsb) as u64), mb.clone())
    } else {
        (ma.clone(), mb << (lsb as u64))
    };
    let (q, r) = num.div_rem(&den);
    let mut m = q.to_u64().expect("at most 53 bits");
    let twice: BigUint = r << 1u32;
    if twice > den || (twice == den && m & 1 == 1) {
        m += 1;
    }
    let x = m as f64 * pow2(lsb);
    if x.is_infinite() {
        return None;
    }
    Some(signed(x))
}

/// `float_div`.
pub fn float_div(a: f64, b: f64) -> Option<f64> {
    if b == 0.0 {
        return None;
    }
    Some(a / b)
}

/// `float_rem`: the remainder with the sign of the divisor.
pub fn float_mod(vx: f64, wx: f64) -> Option<f64> {
    if wx == 0.0 {
        return None;
    }
    let mut m = vx % wx;
    if m != 0.0 {
        if (wx < 0.0) != (m < 0.0) {
            m += wx;
        }
    } else {
        m = 0.0f64.copysign(wx);
    }
    Some(m)
}

/// `float_floor_div` (`_float_div_mod`'s quotient).
pub fn float_floor_div(vx: f64, wx: f64) -> Option<f64> {
    if wx == 0.0 {
        return None;
    }
    let m = vx % wx;
    let mut div = (vx - m) / wx;
    if m != 0.0 && (wx < 0.0) != (m < 0.0) {
        div -= 1.0;
    }
    let floordiv = if div != 0.0 {
        let mut f = div.floor();
        if div - f > 0.5 {
            f += 1.0;
        }
        f
    } else {
        0.0f64.copysign(vx / wx)
    };
    Some(floordiv)
}

fn is_odd_integer(x: f64) -> bool {
    // DOUBLE_IS_ODD_INTEGER: fmod(fabs(x), 2.0) == 1.0
    x.abs() % 2.0 == 1.0
}

/// The result of a float power: a float, or a complex when a negative base meets a
/// fractional exponent.
pub enum PowResult {
    Float(f64),
    Complex(f64, f64),
}

/// `float_pow` (two-argument form).
pub fn float_pow(iv: f64, iw: f64) -> Option<PowResult> {
    use PowResult::Float as F;
    if iw == 0.0 {
        return Some(F(1.0));
    }
    if iv.is_nan() {
        return Some(F(iv));
    }
    if iw.is_nan() {
        return Some(F(if iv == 1.0 { 1.0 } else { iw }));
    }
    if iw.is_infinite() {
        let av = iv.abs();
        return Some(F(if av == 1.0 {
            1.0
        } else if (iw > 0.0) == (av > 1.0) {
            iw.abs()
        } else {
            0.0
        }));
    }
    if iv.is_infinite() {
        let odd = is_odd_integer(iw);
        return Some(F(if iw > 0.0 {
            if odd {
                iv
            } else {
                iv.abs()
            }
        } else if odd {
            0.0f64.copysign(iv)
        } else {
            0.0
        }));
    }
    if iv == 0.0 {
        let odd = is_odd_integer(iw);
        if iw < 0.0 {
            return None; // ZeroDivisionError
        }
        return Some(F(if odd { iv } else { 0.0 }));
    }
    let mut iv = iv;
    let mut negate = false;
    if iv < 0.0 {
        if iw != iw.floor() {
            let (re, im) = complex_pow((iv, 0.0), (iw, 0.0))?;
            return Some(PowResult::Complex(re, im));
        }
        iv = -iv;
        negate = is_odd_integer(iw);
    }
    if iv == 1.0 {
        return Some(F(if negate { -1.0 } else { 1.0 }));
    }
    let mut ix = iv.powf(iw);
    if ix.is_infinite() {
        return None; // OverflowError
    }
    if negate {
        ix = -ix;
    }
    Some(F(ix))
}

pub type Complex = (f64, f64);

/// `_Py_c_prod`.
pub fn c_prod(a: Complex, b: Complex) -> Complex {
    (a.0 * b.0 - a.1 * b.1, a.0 * b.1 + a.1 * b.0)
}

/// `_Py_c_quot`; `None` for a zero divisor (errno EDOM, ZeroDivisionError).
pub fn c_quot(a: Complex, b: Complex) -> Option<Complex> {
    let abs_breal = b.0.abs();
    let abs_bimag = b.1.abs();
    if abs_breal >= abs_bimag {
        if abs_breal == 0.0 {
            return None;
        }
        let ratio = b.1 / b.0;
        let denom = b.0 + b.1 * ratio;
        Some(((a.0 + a.1 * ratio) / denom, (a.1 - a.0 * ratio) / denom))
    } else if abs_bimag >= abs_breal {
        let ratio = b.0 / b.1;
        let denom = b.0 * ratio + b.1;
        Some(((a.0 * ratio + a.1) / denom, (a.1 * ratio - a.0) / denom))
    } else {
        // At least one part of the divisor is a NaN.
        Some((f64::NAN, f64::NAN))
    }
}

fn c_powu(x: Complex, n: i64) -> Complex {
    let mut r = (1.0, 0.0);
    let mut p = x;
    let mut mask: i64 = 1;
    while mask > 0 && n >= mask {
        if n & mask != 0 {
            r = c_prod(r, p);
        }
        mask <<= 1;
        p = c_prod(p, p);
    }
    r
}

/// `c_powi`; `None` on a zero division.
fn c_powi(x: Complex, n: i64) -> Option<Complex> {
    if n > 0 {
        Some(c_powu(x, n))
    } else {
        c_quot((1.0, 0.0), c_powu(x, -n))
    }
}

/// `_Py_c_pow`; `None` where it sets errno to EDOM (zero to a negative or complex power, and
/// a cosine or sine of an infinite phase).
fn c_pow(a: Complex, b: Complex) -> Option<Complex> {
    if b.0 == 0.0 && b.1 == 0.0 {
        return Some((1.0, 0.0));
    }
    if a.0 == 0.0 && a.1 == 0.0 {
        if b.1 != 0.0 || b.0 < 0.0 {
            return None;
        }
        return Some((0.0, 0.0));
    }
    let vabs = a.0.hypot(a.1);
    let mut len = vabs.powf(b.0);
    let at = a.1.atan2(a.0);
    let mut phase = at * b.0;
    if b.1 != 0.0 {
        len /= (at * b.1).exp();
        phase += b.1 * vabs.ln();
    }
    if phase.is_infinite() {
        return None;
    }
    Some((len * phase.cos(), len * phase.sin()))
}

/// `complex_pow`; `None` on ZeroDivisionError or OverflowError (an infinite part).
pub fn complex_pow(a: Complex, b: Complex) -> Option<Complex> {
    let p = if b.1 == 0.0 && b.0 == b.0.floor() && b.0.abs() <= 100.0 {
        c_powi(a, b.0 as i64)?
    } else {
        c_pow(a, b)?
    };
    if p.0.is_infinite() || p.1.is_infinite() {
        return None;
    }
    Some(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn true_division_rounds_correctly() {
        let big = BigInt::from(1u64 << 60) * 3 + 1;
        assert_eq!(int_true_divide(&big, &BigInt::from(3)), Some((1u64 << 60) as f64));
        let a = BigInt::from(10).pow(400);
        assert_eq!(int_true_divide(&a, &BigInt::from(10).pow(399)), Some(10.0));
        assert_eq!(int_true_divide(&a, &BigInt::from(1)), None);
        assert_eq!(int_true_divide(&BigInt::from(1), &a), Some(0.0));
        assert_eq!(int_true_divide(&BigInt::from(-1), &a), Some(-0.0));
        assert_eq!(int_true_divide(&BigInt::from(1), &BigInt::from(0)), None);
    }

    #[test]
    fn big_ints_convert_with_overflow() {
        let arena = bumpalo::Bump::new();
        let two_1024 = Int::from_bigint(&(BigInt::from(1) << 1024u32), &arena);
        assert_eq!(int_to_f64(&two_1024), None);
        let near = Int::from_bigint(&((BigInt::from(1) << 1024u32) - 1), &arena);
        assert_eq!(int_to_f64(&near), None);
        let max = Int::from_bigint(&((BigInt::from(1) << 1024u32) - (BigInt::from(1) << 971u32)), &arena);
        assert_eq!(int_to_f64(&max), Some(f64::MAX));
    }
}
