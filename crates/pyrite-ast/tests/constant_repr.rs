//! `Constant::write_repr` against the oracle's `repr()`: many values of every kind (floats from
//! special values, boundaries and random bit patterns; complex numbers; ints of every size; bytes
//! with every byte value; strs with every code point, lone surrogates included), all sent to ONE
//! oracle process, which rebuilds each value from its bits and prints its `repr()`.

mod common;

use bumpalo::Bump;
use common::{constant_to_python, run_oracle, Rng, PY_HELPERS};
use pyrite_ast::{Constant, Int};
use pyrite_unicode::wtf8::push_code_point;
use pyrite_unicode::Wtf8;

/// Floats worth testing on their own: zeros, infinities, nans, subnormals, the limits, the
/// points where `repr` switches to exponent form and their neighbours, powers of 2 and 10.
fn special_floats() -> Vec<f64> {
    let mut v = vec![
        0.0,
        -0.0,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        -f64::NAN,
        f64::from_bits(0x7ff8_0000_0000_0001),
        f64::MIN_POSITIVE,
        f64::MAX,
        f64::MIN,
        f64::EPSILON,
        f64::from_bits(1),
        f64::from_bits(0x000f_ffff_ffff_ffff),
        0.1,
        0.2,
        0.3,
        1.0 / 3.0,
        2.0 / 3.0,
        123456789.0,
        9007199254740993.0,
        9999999999999998.0,
        1.2345678901234567e19,
    ];
    for s in [
        "1e16",
        "1e-4",
        "1e-5",
        "1e15",
        "1e17",
        "0.001",
        "9.999999999999999e15",
        "1e22",
        "1e23",
    ] {
        let x: f64 = s.parse().unwrap();
        v.push(x);
    }
    for e in -330..=310 {
        let x: f64 = format!("1e{e}").parse().unwrap();
        v.push(x);
        v.push(format!("5e{e}").parse().unwrap());
        v.push(format!("1.5e{e}").parse().unwrap());
    }
    for e in -1074..=1023 {
        v.push(2f64.powi(e));
    }
    for i in 0..=1000 {
        v.push(i as f64);
        v.push(i as f64 / 10.0);
        v.push(i as f64 / 1000.0);
    }
    // Neighbours (one ulp away) of everything so far.
    let base = v.clone();
    for x in base {
        if x.is_finite() && x != 0.0 {
            v.push(f64::from_bits(x.to_bits() + 1));
            v.push(f64::from_bits(x.to_bits() - 1));
        }
    }
    let negated: Vec<f64> = v.iter().map(|x| -x).collect();
    v.extend(negated);
    v
}

/// Random floats: random bit patterns (all exponents), short random decimals (the values people
/// write), integers near 2^53, and exact binary fractions.
fn random_floats(rng: &mut Rng, n: usize) -> Vec<f64> {
    let mut v = Vec::with_capacity(n * 3);
    for _ in 0..n {
        v.push(f64::from_bits(rng.next_u64()));
        let ndigits = 1 + rng.below(17) as u32;
        let digits = rng.below(10u64.pow(ndigits));
        let exp = rng.below(60) as i32 - 30;
        v.push(format!("{digits}e{exp}").parse().unwrap());
        v.push(((1u64 << 53) - 1000 + rng.below(3000)) as f64);
        // Exact binary fractions and large integers: the values where two shortest candidates
        // are equally close (ties) are among them.
        let scale = 2f64.powi(rng.below(48) as i32 - 24);
        v.push((rng.next_u64() >> (11 + rng.below(8))) as f64 * scale);
    }
    v
}

struct Cases<'a> {
    arena: &'a Bump,
    values: Vec<Constant<'a>>,
}

impl<'a> Cases<'a> {
    fn push(&mut self, c: Constant<'a>) {
        self.values.push(c);
    }

    fn str_of(&self, cps: &[u32]) -> Constant<'a> {
        let mut buf = Vec::new();
        for &cp in cps {
            push_code_point(&mut buf, cp);
        }
        Constant::Str(Wtf8::from_bytes_unchecked(self.arena.alloc_slice_copy(&buf)))
    }

    fn int_of(&self, v: &num_bigint::BigInt) -> Constant<'a> {
        Constant::Int(Int::from_bigint(v, self.arena))
    }
}

/// Compare each value's repr with the oracle's, in one process; report every mismatch.
fn check_against_oracle(values: &[Constant<'_>]) {
    let mut input = String::new();
    for c in values {
        constant_to_python(c, &mut input);
        input.push('\n');
    }
    let program = format!(
        "{PY_HELPERS}\nimport sys\nG = dict(globals())\nfor line in sys.stdin:\n    sys.stdout.write(repr(eval(line, G)) + '\\n')\n"
    );
    let out = run_oracle(&program, &input);
    let want: Vec<&str> = out.split('\n').collect();
    assert_eq!(want.len(), values.len() + 1, "the oracle printed {} lines", want.len());
    let mut bad = Vec::new();
    let mut ours = String::new();
    for (c, want) in values.iter().zip(&want) {
        ours.clear();
        c.write_repr(&mut ours);
        if ours != *want {
            bad.push(format!("{c:?}: pyrite {ours:?}, CPython {want:?}"));
        }
    }
    assert!(
        bad.is_empty(),
        "{} of {} reprs differ, e.g.:\n{}",
        bad.len(),
        values.len(),
        bad[..bad.len().min(20)].join("\n")
    );
}

#[test]
fn float_reprs_match_the_oracle() {
    let mut rng = Rng::new(0xF10A7);
    let mut floats = special_floats();
    floats.extend(random_floats(&mut rng, 40_000));
    let values: Vec<Constant<'_>> = floats.into_iter().map(Constant::Float).collect();
    assert!(values.len() > 100_000);
    check_against_oracle(&values);
}

#[test]
fn complex_reprs_match_the_oracle() {
    let mut rng = Rng::new(0xC0A1E);
    let pool: Vec<f64> = vec![
        0.0,
        -0.0,
        1.0,
        -1.0,
        2.0,
        0.5,
        1e16,
        1e-5,
        1e-4,
        -1e300,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        -f64::NAN,
        f64::from_bits(1),
        1.2345678901234567e19,
    ];
    let mut values = Vec::new();
    for &re in &pool {
        for &im in &pool {
            values.push(Constant::Complex { real: re, imag: im });
        }
    }
    for _ in 0..20_000 {
        let re = if rng.chance(1, 4) {
            *rng.pick(&pool)
        } else {
            f64::from_bits(rng.next_u64())
        };
        let im = if rng.chance(1, 4) {
            *rng.pick(&pool)
        } else {
            f64::from_bits(rng.next_u64())
        };
        values.push(Constant::Complex { real: re, imag: im });
    }
    check_against_oracle(&values);
}

#[test]
fn int_reprs_match_the_oracle() {
    let arena = Bump::new();
    let mut cases = Cases {
        arena: &arena,
        values: Vec::new(),
    };
    let mut rng = Rng::new(0x1E7);
    for v in [
        0,
        1,
        -1,
        9,
        10,
        -10,
        i64::MAX,
        i64::MIN,
        i64::MAX - 1,
        i64::MIN + 1,
        i32::MAX as i64,
    ] {
        cases.push(Constant::Int(Int::Small(v)));
    }
    for _ in 0..5000 {
        let bits = rng.below(64);
        let v = (rng.next_u64() >> bits) as i64;
        cases.push(Constant::Int(Int::Small(v)));
    }
    // Around the edges of i64 and of the u32 digits.
    let one = num_bigint::BigInt::from(1);
    for shift in [31, 32, 33, 62, 63, 64, 65, 95, 96, 127, 128, 1000] {
        for delta in [-1, 0, 1] {
            let v = (&one << shift) + delta;
            cases.values.push(cases.int_of(&v));
            cases.values.push(cases.int_of(&-v));
        }
    }
    // Random big ints up to ~3800 decimal digits (below CPython's 4300-digit repr limit).
    for _ in 0..2000 {
        let max = if rng.chance(1, 10) { 390 } else { 12 };
        let n = 1 + rng.below(max) as usize;
        let mut digits: Vec<u32> = (0..n).map(|_| rng.next_u64() as u32).collect();
        if rng.chance(1, 5) {
            // Runs of zero and all-ones digits.
            for d in digits.iter_mut() {
                *d = if rng.chance(1, 2) { 0 } else { u32::MAX };
            }
        }
        let sign = if rng.chance(1, 2) {
            num_bigint::Sign::Minus
        } else {
            num_bigint::Sign::Plus
        };
        let v = num_bigint::BigInt::from_slice(sign, &digits);
        let c = cases.int_of(&v);
        assert_eq!(
            matches!(c, Constant::Int(Int::Big { .. })),
            i64::try_from(&v).is_err(),
            "Big is used exactly when the value does not fit i64"
        );
        cases.push(c);
    }
    check_against_oracle(&cases.values);
}

#[test]
fn bytes_and_str_reprs_match_the_oracle() {
    let arena = Bump::new();
    let mut cases = Cases {
        arena: &arena,
        values: Vec::new(),
    };
    let mut rng = Rng::new(0xB17E5);
    // Every byte value alone, then all of them together.
    let all: Vec<u8> = (0..=255).collect();
    for b in 0..=255u8 {
        cases.push(Constant::Bytes(arena.alloc_slice_copy(&[b])));
    }
    cases.push(Constant::Bytes(arena.alloc_slice_copy(&all)));
    cases.push(Constant::Bytes(b""));
    // Random bytes, rich in the characters that decide the quoting.
    let interesting = b"'\"\\\t\n\r\x00\x7f\x80\xffaZ ~";
    for _ in 0..3000 {
        let n = rng.below(12) as usize;
        let v: Vec<u8> = (0..n)
            .map(|_| {
                if rng.chance(2, 3) {
                    *rng.pick(interesting)
                } else {
                    rng.next_u64() as u8
                }
            })
            .collect();
        cases.push(Constant::Bytes(arena.alloc_slice_copy(&v)));
    }
    // Every code point (lone surrogates included), 256 to a string.
    for start in (0..0x11_0000u32).step_by(256) {
        let cps: Vec<u32> = (start..start + 256).collect();
        let c = cases.str_of(&cps);
        cases.push(c);
    }
    // Random strs, rich in quotes, escapes and surrogates.
    let interesting = [
        0x27, 0x22, 0x5c, 0x09, 0x0a, 0x0d, 0x00, 0x7f, 0x80, 0xa0, 0xad, 0xff, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe9,
        0x2028, 0xfeff, 0x10ffff, 0x1f600, 0x61,
    ];
    for _ in 0..3000 {
        let n = rng.below(10) as usize;
        let cps: Vec<u32> = (0..n)
            .map(|_| match rng.below(4) {
                0 | 1 => *rng.pick(&interesting),
                2 => 0x20 + rng.below(0x60) as u32,
                _ => rng.below(0x11_0000) as u32,
            })
            .collect();
        let c = cases.str_of(&cps);
        cases.push(c);
    }
    check_against_oracle(&cases.values);
}

#[test]
fn other_constant_reprs_match_the_oracle() {
    let arena = Bump::new();
    let big = Int::from_bigint(&(num_bigint::BigInt::from(1) << 100), &arena);
    let s = Constant::Str(Wtf8::from_str("it's"));
    let items: &[Constant<'_>] = arena.alloc_slice_copy(&[
        Constant::Int(Int::Small(1)),
        Constant::Float(2.5),
        s,
        Constant::Bytes(b"x"),
        Constant::None,
        Constant::Ellipsis,
        Constant::Int(big),
        Constant::Complex { real: 0.0, imag: 1.0 },
    ]);
    let nested: &[Constant<'_>] = arena.alloc_slice_copy(&[Constant::Tuple(&items[..2]), Constant::Tuple(&[])]);
    // Small ints in increasing order iterate in that order in a frozenset of at most 4.
    let small: &[Constant<'_>] = arena.alloc_slice_copy(&[
        Constant::Int(Int::Small(0)),
        Constant::Int(Int::Small(1)),
        Constant::Int(Int::Small(5)),
        Constant::Int(Int::Small(7)),
    ]);
    let values = vec![
        Constant::None,
        Constant::True,
        Constant::False,
        Constant::Ellipsis,
        Constant::Tuple(&[]),
        Constant::Tuple(&items[..1]),
        Constant::Tuple(items),
        Constant::Tuple(nested),
        Constant::FrozenSet(&[]),
        Constant::FrozenSet(&small[..1]),
        Constant::FrozenSet(small),
        Constant::Tuple(arena.alloc_slice_copy(&[Constant::FrozenSet(&small[1..3])])),
    ];
    check_against_oracle(&values);
}
