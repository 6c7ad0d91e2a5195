//! CPython 3.12's `hash()` of the constants a frozenset can hold, and the order in which a
//! frozenset built from them iterates (`Objects/setobject.c`), so that a frozenset constant is
//! shown as CPython shows it.
//!
//! `str` and `bytes` hash with SipHash-1-3 under a key that depends on `PYTHONHASHSEED`; the
//! key used here is the one of `PYTHONHASHSEED=0` (all zeros), the only setting under which
//! CPython's order of a frozenset of strings is reproducible. Ellipsis and NaN hash by object
//! address in CPython: a frozenset holding one keeps its stored order.

use num_bigint::{BigInt, Sign};
use pyrite_code::Constant;

/// `_PyHASH_BITS` and `_PyHASH_MODULUS` (64-bit builds).
const HASH_BITS: u32 = 61;
const MODULUS: u64 = (1 << HASH_BITS) - 1;
const HASH_INF: i64 = 314159;
const HASH_IMAG: u64 = 1000003;
/// `hash(None)` in 3.12 (a constant since gh-99540).
const HASH_NONE: u64 = 0xFCA86420;

/// Map CPython's error value -1 to -2.
fn fix(h: u64) -> u64 {
    if h == u64::MAX {
        (-2i64) as u64
    } else {
        h
    }
}

/// SipHash-1-3 as `Python/pyhash.c` computes it, with both keys zero.
fn siphash13(data: &[u8]) -> u64 {
    let (k0, k1) = (0u64, 0u64);
    let mut v0 = k0 ^ 0x736f6d6570736575;
    let mut v1 = k1 ^ 0x646f72616e646f6d;
    let mut v2 = k0 ^ 0x6c7967656e657261;
    let mut v3 = k1 ^ 0x7465646279746573;
    let round = |v0: &mut u64, v1: &mut u64, v2: &mut u64, v3: &mut u64| {
        *v0 = v0.wrapping_add(*v1);
        *v2 = v2.wrapping_add(*v3);
        *v1 = v1.rotate_left(13) ^ *v0;
        *v3 = v3.rotate_left(16) ^ *v2;
        *v0 = v0.rotate_left(32);
        *v2 = v2.wrapping_add(*v1);
        *v0 = v0.wrapping_add(*v3);
        *v1 = v1.rotate_left(17) ^ *v2;
        *v3 = v3.rotate_left(21) ^ *v0;
        *v2 = v2.rotate_left(32);
    };
    let mut chunks = data.chunks_exact(8);
    for chunk in &mut chunks {
        let mi = u64::from_le_bytes(chunk.try_into().unwrap());
        v3 ^= mi;
        round(&mut v0, &mut v1, &mut v2, &mut v3);
        v0 ^= mi;
    }
    let mut tail = [0u8; 8];
    let rest = chunks.remainder();
    tail[..rest.len()].copy_from_slice(rest);
    let b = ((data.len() as u64) << 56) | u64::from_le_bytes(tail);
    v3 ^= b;
    round(&mut v0, &mut v1, &mut v2, &mut v3);
    v0 ^= b;
    v2 ^= 0xff;
    round(&mut v0, &mut v1, &mut v2, &mut v3);
    round(&mut v0, &mut v1, &mut v2, &mut v3);
    round(&mut v0, &mut v1, &mut v2, &mut v3);
    (v0 ^ v1) ^ (v2 ^ v3)
}

/// `_Py_HashBytes`.
fn hash_bytes(data: &[u8]) -> u64 {
    if data.is_empty() {
        return 0;
    }
    fix(siphash13(data))
}

/// A str hashes the bytes of its PEP 393 representation: one, two or four bytes per code
/// point (native order, little-endian here) by its largest code point.
fn hash_str(s: &pyrite_code::PyStr) -> u64 {
    if s.is_ascii() {
        return hash_bytes(s.as_bytes());
    }
    let cps: Vec<u32> = s.as_wtf8().code_points().collect();
    let max = cps.iter().copied().max().unwrap_or(0);
    let mut data = Vec::new();
    for cp in cps {
        if max < 0x100 {
            data.push(cp as u8);
        } else if max < 0x10000 {
            data.extend_from_slice(&(cp as u16).to_le_bytes());
        } else {
            data.extend_from_slice(&cp.to_le_bytes());
        }
    }
    hash_bytes(&data)
}

/// `frexp`: `x == m * 2**e` with `0.5 <= |m| < 1` (finite, nonzero `x`).
fn frexp(x: f64) -> (f64, i32) {
    if x == 0.0 || !x.is_finite() {
        return (x, 0);
    }
    let (x, adjust) = if x.abs() < f64::MIN_POSITIVE {
        (x * 2f64.powi(54), -54)
    } else {
        (x, 0)
    };
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    let m = f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52));
    (m, exp - 1022 + adjust)
}

/// `_Py_HashDouble`; `None` for a NaN (hashed by address).
fn hash_float(v: f64) -> Option<u64> {
    if v.is_nan() {
        return None;
    }
    if v.is_infinite() {
        return Some(if v > 0.0 { HASH_INF as u64 } else { (-HASH_INF) as u64 });
    }
    let (mut m, mut e) = frexp(v);
    let mut sign = 1i64;
    if m < 0.0 {
        sign = -1;
        m = -m;
    }
    let mut x: u64 = 0;
    while m != 0.0 {
        x = ((x << 28) & MODULUS) | x >> (HASH_BITS - 28);
        m *= 268435456.0;
        e -= 28;
        let y = m as u64;
        m -= y as f64;
        x += y;
        if x >= MODULUS {
            x -= MODULUS;
        }
    }
    let bits = HASH_BITS as i32;
    let e = if e >= 0 { e % bits } else { bits - 1 - ((-1 - e) % bits) } as u32;
    x = ((x << e) & MODULUS) | x >> (HASH_BITS - e);
    x = x.wrapping_mul(sign as u64);
    Some(fix(x))
}

/// `long_hash`: the absolute value modulo 2**61 - 1, with the sign.
fn hash_int(n: &BigInt) -> u64 {
    let (sign, digits) = n.to_u32_digits();
    let mut x: u128 = 0;
    for d in digits.iter().rev() {
        x = ((x << 32) | *d as u128) % MODULUS as u128;
    }
    let x = x as u64;
    fix(if sign == Sign::Minus { x.wrapping_neg() } else { x })
}

const XXPRIME_1: u64 = 11400714785074694791;
const XXPRIME_2: u64 = 14029467366897019727;
const XXPRIME_5: u64 = 2870177450012600261;

/// `tuplehash` (xxHash-based).
fn hash_tuple(items: &[Constant]) -> Option<u64> {
    let mut acc = XXPRIME_5;
    for item in items {
        let lane = py_hash(item)?;
        acc = acc.wrapping_add(lane.wrapping_mul(XXPRIME_2));
        acc = acc.rotate_left(31);
        acc = acc.wrapping_mul(XXPRIME_1);
    }
    acc = acc.wrapping_add((items.len() as u64) ^ (XXPRIME_5 ^ 3527539));
    Some(if acc == u64::MAX { 1546275796 } else { acc })
}

fn shuffle_bits(h: u64) -> u64 {
    ((h ^ 89869747) ^ (h << 16)).wrapping_mul(3644798167)
}

/// `frozenset_hash`: independent of the order of the items.
fn hash_frozenset(items: &[Constant]) -> Option<u64> {
    let mut hash = 0u64;
    let mut n = 0u64;
    for i in set_order(items) {
        hash ^= shuffle_bits(py_hash(&items[i])?);
        n += 1;
    }
    hash ^= (n + 1).wrapping_mul(1927868237);
    hash ^= (hash >> 11) ^ (hash >> 25);
    hash = hash.wrapping_mul(69069).wrapping_add(907133923);
    Some(if hash == u64::MAX { 590923713 } else { hash })
}

/// `hash(c)` as CPython 3.12 computes it under `PYTHONHASHSEED=0`, as an unsigned word;
/// `None` where it depends on an object's address (Ellipsis, NaN, code objects).
pub fn py_hash(c: &Constant) -> Option<u64> {
    Some(match c {
        Constant::None => HASH_NONE,
        Constant::True => 1,
        Constant::False => 0,
        Constant::Ellipsis | Constant::Code(_) => return None,
        Constant::Int(n) => hash_int(n),
        Constant::Float(f) => hash_float(*f)?,
        Constant::Complex { real, imag } => {
            let r = hash_float(*real)?;
            let i = hash_float(*imag)?;
            fix(r.wrapping_add(HASH_IMAG.wrapping_mul(i)))
        }
        Constant::Str(s) => hash_str(s),
        Constant::Bytes(b) => hash_bytes(b),
        Constant::Tuple(items) => hash_tuple(items)?,
        Constant::FrozenSet(items) => hash_frozenset(items)?,
    })
}

/// Python's `==` between two constants (what a set compares equal-hash items with).
pub use pyrite_code::python_eq as py_eq;

const MINSIZE: usize = 8;
const LINEAR_PROBES: usize = 9;
const PERTURB_SHIFT: u32 = 5;

/// A set's hash table: slots hold (hash, index of the item).
struct Table {
    slots: Vec<Option<(u64, usize)>>,
    fill: usize,
}

impl Table {
    fn new(size: usize) -> Table {
        Table {
            slots: vec![None; size],
            fill: 0,
        }
    }

    fn mask(&self) -> usize {
        self.slots.len() - 1
    }

    /// `set_add_entry`: add item `idx` (of `items`) unless an equal one is there.
    fn add(&mut self, items: &[Constant], idx: usize, hash: u64) {
        let mask = self.mask();
        let mut i = hash as usize & mask;
        let mut perturb = hash;
        loop {
            let probes = if i + LINEAR_PROBES <= mask { LINEAR_PROBES } else { 0 };
            for j in i..=i + probes {
                match self.slots[j] {
                    None => {
                        self.slots[j] = Some((hash, idx));
                        self.fill += 1;
                        if self.fill * 5 >= mask * 3 {
                            let used = self.fill;
                            self.resize(if used > 50000 { used * 2 } else { used * 4 });
                        }
                        return;
                    }
                    Some((h, other)) if h == hash && py_eq(&items[other], &items[idx]) => return,
                    Some(_) => {}
                }
            }
            perturb >>= PERTURB_SHIFT;
            i = (i.wrapping_mul(5).wrapping_add(1).wrapping_add(perturb as usize)) & mask;
        }
    }

    /// `set_table_resize` (no deleted entries here).
    fn resize(&mut self, minused: usize) {
        let mut size = MINSIZE;
        while size <= minused {
            size <<= 1;
        }
        let old = std::mem::replace(&mut self.slots, vec![None; size]);
        let mask = size - 1;
        for (hash, idx) in old.into_iter().flatten() {
            // set_insert_clean
            let mut i = hash as usize & mask;
            let mut perturb = hash;
            'probe: loop {
                if self.slots[i].is_none() {
                    self.slots[i] = Some((hash, idx));
                    break;
                }
                if i + LINEAR_PROBES <= mask {
                    for j in i + 1..=i + LINEAR_PROBES {
                        if self.slots[j].is_none() {
                            self.slots[j] = Some((hash, idx));
                            break 'probe;
                        }
                    }
                }
                perturb >>= PERTURB_SHIFT;
                i = (i.wrapping_mul(5).wrapping_add(1).wrapping_add(perturb as usize)) & mask;
            }
        }
    }
}

/// The order in which `frozenset(items)` (built by adding the items in order, as
/// `PyFrozenSet_New` of a tuple and marshal's reader do) iterates: indices into `items`, equal
/// items after the first left out. `None` if some item's hash is not reproducible.
pub fn try_set_order(items: &[Constant]) -> Option<Vec<usize>> {
    let hashes: Vec<u64> = items.iter().map(py_hash).collect::<Option<_>>()?;
    let mut table = Table::new(MINSIZE);
    for (idx, &hash) in hashes.iter().enumerate() {
        table.add(items, idx, hash);
    }
    Some(table.slots.iter().flatten().map(|&(_, idx)| idx).collect())
}

/// [`try_set_order`], or the items in their order if a hash is not reproducible.
pub fn set_order(items: &[Constant]) -> Vec<usize> {
    try_set_order(items).unwrap_or_else(|| (0..items.len()).collect())
}
