//! Equality of constants as CPython's compiler sees it when it merges them (`_PyCode_ConstantKey`
//! in `Objects/codeobject.c`): the type is part of the key, so `1`, `1.0`, `True` and `1+0j` are
//! four constants; `0.0` and `-0.0` differ, and so do the four complex zeros; floats are compared
//! by their bits (a NaN equals only a NaN with the same bits); tuples compare item by item and
//! frozensets as sets, both by the keys of their items; code objects compare as CPython's
//! `code_richcompare` does (name, argument counts, flags, first line, bytecode, constants by key,
//! names, `localsplusnames`, line and exception tables — not the qualified name, file name,
//! stack size or local kinds).

use crate::{CodeObject, Constant};
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

/// Are `a` and `b` the same constant for CPython's compiler (`_PyCode_ConstantKey(a) ==
/// _PyCode_ConstantKey(b)`)?
pub fn constant_key_eq(a: &Constant, b: &Constant) -> bool {
    use Constant::*;
    match (a, b) {
        (None, None) | (True, True) | (False, False) | (Ellipsis, Ellipsis) => true,
        (Int(x), Int(y)) => x == y,
        (Float(x), Float(y)) => x.to_bits() == y.to_bits(),
        (Complex { real: xr, imag: xi }, Complex { real: yr, imag: yi }) => {
            xr.to_bits() == yr.to_bits() && xi.to_bits() == yi.to_bits()
        }
        (Str(x), Str(y)) => x == y,
        (Bytes(x), Bytes(y)) => x == y,
        (Tuple(x), Tuple(y)) => slices_key_eq(x, y),
        (FrozenSet(x), FrozenSet(y)) => {
            // The items of a set are distinct, so equal sizes and every item of one having a
            // match in the other is set equality. (Plain loops keep the stack frames of deeply
            // nested constants few and small.)
            if x.len() != y.len() {
                return false;
            }
            for i in x.iter() {
                let mut found = false;
                for j in y.iter() {
                    if constant_key_eq(i, j) {
                        found = true;
                        break;
                    }
                }
                if !found {
                    return false;
                }
            }
            true
        }
        (Code(x), Code(y)) => std::sync::Arc::ptr_eq(x, y) || code_key_eq(x, y),
        _ => false,
    }
}

fn slices_key_eq(x: &[Constant], y: &[Constant]) -> bool {
    if x.len() != y.len() {
        return false;
    }
    for i in 0..x.len() {
        if !constant_key_eq(&x[i], &y[i]) {
            return false;
        }
    }
    true
}

/// `code_richcompare`. (CPython compares the bytecode with specialized instructions undone
/// and inline caches skipped; a code object that has not run has plain instructions and zero
/// caches, so comparing the bytes is the same.)
fn code_key_eq(a: &CodeObject, b: &CodeObject) -> bool {
    a.name == b.name
        && a.argcount == b.argcount
        && a.posonlyargcount == b.posonlyargcount
        && a.kwonlyargcount == b.kwonlyargcount
        && a.flags == b.flags
        && a.firstlineno == b.firstlineno
        && a.code == b.code
        && slices_key_eq(&a.consts, &b.consts)
        && a.names == b.names
        && a.localsplusnames == b.localsplusnames
        && a.linetable == b.linetable
        && a.exceptiontable == b.exceptiontable
}

/// Feed `c`'s key to `state`: constants equal under [`constant_key_eq`] feed the same data.
pub fn hash_constant_key<H: Hasher>(c: &Constant, state: &mut H) {
    std::mem::discriminant(c).hash(state);
    match c {
        Constant::None | Constant::True | Constant::False | Constant::Ellipsis => {}
        Constant::Int(v) => v.hash(state),
        Constant::Float(f) => f.to_bits().hash(state),
        Constant::Complex { real, imag } => {
            real.to_bits().hash(state);
            imag.to_bits().hash(state);
        }
        Constant::Str(s) => s.hash(state),
        Constant::Bytes(b) => b.hash(state),
        Constant::Tuple(items) => {
            items.len().hash(state);
            for i in 0..items.len() {
                hash_constant_key(&items[i], state);
            }
        }
        Constant::FrozenSet(items) => {
            // Order-independent: combine the items' own hashes commutatively.
            let mut sum = 0u64;
            let mut xor = 0u64;
            for i in 0..items.len() {
                let h = constant_key_hash(&items[i]);
                sum = sum.wrapping_add(h);
                xor ^= h.rotate_left(29);
            }
            items.len().hash(state);
            sum.hash(state);
            xor.hash(state);
        }
        Constant::Code(code) => {
            code.name.hash(state);
            code.argcount.hash(state);
            code.flags.hash(state);
            code.firstlineno.hash(state);
            code.code.hash(state);
        }
    }
}

/// A 64-bit hash of `c`'s key, consistent with [`constant_key_eq`] (and the same in every run).
pub fn constant_key_hash(c: &Constant) -> u64 {
    let mut h = DefaultHasher::new();
    hash_constant_key(c, &mut h);
    h.finish()
}

/// A constant as a hash-map key compared by [`constant_key_eq`] (CPython's compiler uses
/// `_PyCode_ConstantKey` the same way for its `co_consts` dictionary).
#[derive(Clone, Copy, Debug)]
pub struct ConstantKey<'a>(pub &'a Constant);

impl PartialEq for ConstantKey<'_> {
    fn eq(&self, other: &Self) -> bool {
        constant_key_eq(self.0, other.0)
    }
}

impl Eq for ConstantKey<'_> {}

impl Hash for ConstantKey<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        hash_constant_key(self.0, state)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PyStr;
    use num_bigint::BigInt;
    use std::sync::Arc;

    fn int(v: i64) -> Constant {
        Constant::Int(BigInt::from(v))
    }

    fn check(a: &Constant, b: &Constant, equal: bool) {
        assert_eq!(constant_key_eq(a, b), equal, "{a:?} vs {b:?}");
        assert_eq!(constant_key_eq(b, a), equal, "{b:?} vs {a:?}");
        if equal {
            assert_eq!(constant_key_hash(a), constant_key_hash(b), "{a:?} vs {b:?}");
        }
    }

    #[test]
    fn types_are_part_of_the_key() {
        let one = [
            int(1),
            Constant::Float(1.0),
            Constant::True,
            Constant::Complex { real: 1.0, imag: 0.0 },
            Constant::Str("1".into()),
            Constant::Bytes(b"1".as_slice().into()),
            Constant::Tuple(vec![int(1)].into()),
            Constant::FrozenSet(vec![int(1)].into()),
        ];
        for (i, a) in one.iter().enumerate() {
            for (j, b) in one.iter().enumerate() {
                check(a, b, i == j);
            }
        }
        check(&int(0), &Constant::False, false);
        check(&Constant::None, &Constant::Ellipsis, false);
    }

    #[test]
    fn signed_zeros_and_nans() {
        check(&Constant::Float(0.0), &Constant::Float(-0.0), false);
        check(&Constant::Float(-0.0), &Constant::Float(-0.0), true);
        check(&Constant::Float(f64::NAN), &Constant::Float(f64::NAN), true);
        check(&Constant::Float(f64::NAN), &Constant::Float(-f64::NAN), false);
        let zeros = [(0.0, 0.0), (-0.0, 0.0), (0.0, -0.0), (-0.0, -0.0)];
        for (i, &(r1, i1)) in zeros.iter().enumerate() {
            for (j, &(r2, i2)) in zeros.iter().enumerate() {
                check(
                    &Constant::Complex { real: r1, imag: i1 },
                    &Constant::Complex { real: r2, imag: i2 },
                    i == j,
                );
            }
        }
    }

    #[test]
    fn containers() {
        let t = |v: Vec<Constant>| Constant::Tuple(v.into());
        let fs = |v: Vec<Constant>| Constant::FrozenSet(v.into());
        check(&t(vec![int(1), int(2)]), &t(vec![int(1), int(2)]), true);
        check(&t(vec![int(1), int(2)]), &t(vec![int(2), int(1)]), false);
        check(&t(vec![int(1)]), &t(vec![Constant::True]), false);
        check(&t(vec![Constant::Float(0.0)]), &t(vec![Constant::Float(-0.0)]), false);
        check(&t(vec![]), &fs(vec![]), false);
        check(&fs(vec![int(1), int(2)]), &fs(vec![int(2), int(1)]), true);
        check(&fs(vec![int(1)]), &fs(vec![Constant::Float(1.0)]), false);
        check(
            &t(vec![fs(vec![int(1), Constant::Str("a".into())])]),
            &t(vec![fs(vec![Constant::Str("a".into()), int(1)])]),
            true,
        );
    }

    #[test]
    fn code_objects_compare_like_code_richcompare() {
        let code = CodeObject {
            argcount: 0,
            posonlyargcount: 0,
            kwonlyargcount: 0,
            stacksize: 1,
            flags: 3,
            code: vec![151, 0, 121, 0].into(),
            consts: vec![Constant::None].into(),
            names: Box::new([]),
            localsplusnames: Box::new([]),
            localspluskinds: Box::new([]),
            filename: "a.py".into(),
            name: "f".into(),
            qualname: "f".into(),
            firstlineno: 1,
            linetable: Box::new([]),
            exceptiontable: Box::new([]),
        };
        let mut other = code.clone();
        other.filename = PyStr::from("b.py");
        other.qualname = PyStr::from("C.f");
        other.stacksize = 7;
        let (a, b) = (Constant::Code(Arc::new(code.clone())), Constant::Code(Arc::new(other)));
        check(&a, &b, true);
        assert_ne!(a, b, "== compares every field");
        let mut third = code;
        third.firstlineno = 2;
        check(&a, &Constant::Code(Arc::new(third)), false);
    }
}
