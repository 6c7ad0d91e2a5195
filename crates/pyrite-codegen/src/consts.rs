//! Constants: conversion from the AST's arena constants, and a `co_consts` table that merges
//! equal constants as CPython's `_PyCode_ConstantKey` does (type-exact: `1`, `1.0` and `True`
//! are different constants, so are `0.0` and `-0.0`).

use pyrite_ast::{Constant as AstConstant, Int};
use pyrite_code::{Constant, PyStr};
use rustc_hash::FxHashMap;
use std::hash::Hasher;

/// The owned constant of an AST constant.
pub fn from_ast(c: &AstConstant<'_>) -> Constant {
    match *c {
        AstConstant::None => Constant::None,
        AstConstant::True => Constant::True,
        AstConstant::False => Constant::False,
        AstConstant::Ellipsis => Constant::Ellipsis,
        AstConstant::Int(Int::Small(v)) => Constant::Int(v.into()),
        AstConstant::Int(i @ Int::Big { .. }) => Constant::Int(i.to_bigint()),
        AstConstant::Float(f) => Constant::Float(f),
        AstConstant::Complex { real, imag } => Constant::Complex { real, imag },
        AstConstant::Str(s) => Constant::Str(PyStr::new(s)),
        AstConstant::Bytes(b) => Constant::Bytes(b.into()),
        AstConstant::Tuple(items) => Constant::Tuple(items.iter().map(from_ast).collect()),
        AstConstant::FrozenSet(items) => Constant::FrozenSet(items.iter().map(from_ast).collect()),
    }
}

/// A `str` constant.
pub fn str_const(s: &str) -> Constant {
    Constant::Str(PyStr::from(s))
}

fn contains_nan(c: &Constant) -> bool {
    match c {
        Constant::Float(f) => f.is_nan(),
        Constant::Complex { real, imag } => real.is_nan() || imag.is_nan(),
        Constant::Tuple(items) | Constant::FrozenSet(items) => items.iter().any(contains_nan),
        _ => false,
    }
}

/// `co_consts` under construction: each distinct constant once, in order of first use.
#[derive(Default)]
pub struct ConstTable {
    pub items: Vec<Constant>,
    index: FxHashMap<u64, Vec<u32>>,
}

impl ConstTable {
    /// The index of `c`, added if new (`compiler_add_const`). A NaN is never equal to another
    /// constant: CPython's keys compare two NaN float objects unequal.
    pub fn add(&mut self, c: Constant) -> u32 {
        if contains_nan(&c) {
            self.items.push(c);
            return (self.items.len() - 1) as u32;
        }
        let mut h = rustc_hash::FxHasher::default();
        pyrite_code::hash_constant_key(&c, &mut h);
        let key = h.finish();
        let bucket = self.index.entry(key).or_default();
        for &i in bucket.iter() {
            if pyrite_code::constant_key_eq(&self.items[i as usize], &c) {
                return i;
            }
        }
        let i = self.items.len() as u32;
        bucket.push(i);
        self.items.push(c);
        i
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}
