//! Code objects as CPython 3.12 builds them (`Objects/codeobject.c`), the constants they hold,
//! and their serialized forms: the marshal format (`Python/marshal.c`, version 4) and `.pyc`
//! files (`Lib/importlib/_bootstrap_external.py`: magic number 3531, flags, source mtime and
//! size).
//!
//! The compiler's assembler produces a [`CodeObject`]; the interpreter runs one, whether pyrite
//! compiled it or it was read from a `.pyc` CPython wrote.
//!
//! - [`CodeObject`]: the fields marshal writes, with the views CPython derives from them
//!   ([`CodeObject::varnames`], [`CodeObject::cellvars`], [`CodeObject::freevars`],
//!   [`CodeObject::nlocals`], ...).
//! - [`Constant`]: what `co_consts` holds. `==` is exact (type, float bits, every code field);
//!   [`constant_key_eq`], [`hash_constant_key`] and [`ConstantKey`] are the compiler's notion of
//!   "the same constant" (`_PyCode_ConstantKey`).
//! - [`marshal`]: `dumps_code`/`dumps_constant` and `loads`/`loads_code`, with CPython's errors.
//! - [`pyc`]: `.pyc` headers and files as `py_compile` writes and importlib checks them.

use std::sync::Arc;

pub use pyrite_unicode::Wtf8;

mod key;
pub mod marshal;
pub mod pyc;

pub use key::{constant_key_eq, constant_key_hash, hash_constant_key, ConstantKey};
pub use marshal::python_eq;

/// An owned Python `str`: any code points, lone surrogates included, stored in generalized
/// UTF-8 (see [`Wtf8`]).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PyStr(Box<[u8]>);

impl PyStr {
    pub fn new(s: &Wtf8) -> PyStr {
        PyStr(s.as_bytes().into())
    }

    pub fn as_wtf8(&self) -> &Wtf8 {
        Wtf8::from_bytes_unchecked(&self.0)
    }

    /// The string as a Rust `str`, if it holds no surrogate.
    pub fn as_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.0).ok()
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// A string from its generalized UTF-8 bytes (what `"surrogatepass"` UTF-8 encoding of a
    /// Python `str` gives), or `None` if they are not generalized UTF-8.
    pub fn from_wtf8_bytes(bytes: &[u8]) -> Option<PyStr> {
        pyrite_unicode::wtf8::is_generalized_utf8(bytes).then(|| PyStr(bytes.into()))
    }

    /// A string whose code points are the given bytes (Latin-1).
    pub fn from_latin1(bytes: &[u8]) -> PyStr {
        if bytes.is_ascii() {
            return PyStr(bytes.into());
        }
        let mut buf = Vec::with_capacity(bytes.len() * 2);
        for &b in bytes {
            pyrite_unicode::wtf8::push_code_point(&mut buf, b as u32);
        }
        PyStr(buf.into())
    }

    /// Is every code point below U+0080?
    pub fn is_ascii(&self) -> bool {
        self.0.is_ascii()
    }

    /// The number of code points (Python's `len()`).
    pub fn char_len(&self) -> usize {
        self.as_wtf8().char_len()
    }

    /// CPython's `all_name_chars` (`Objects/codeobject.c`): only ASCII letters, digits and `_`
    /// (the empty string included). The compiler interns the string constants for which this
    /// holds.
    pub fn is_name_chars(&self) -> bool {
        self.0.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'_')
    }
}

impl From<&str> for PyStr {
    fn from(s: &str) -> PyStr {
        PyStr(s.as_bytes().into())
    }
}

impl From<String> for PyStr {
    fn from(s: String) -> PyStr {
        PyStr(s.into_bytes().into_boxed_slice())
    }
}

impl std::fmt::Debug for PyStr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_wtf8(), f)
    }
}

/// A constant of `co_consts`: what CPython's compiler can put there.
///
/// `==` is exact sameness of value and type: `1`, `1.0` and `True` differ, floats are compared
/// by their bits (so `-0.0 != 0.0` and a NaN equals a NaN with the same bits), frozensets as
/// sets, code objects field by field. For the compiler's merging of constants (which ignores
/// some fields of code objects) use [`constant_key_eq`].
#[derive(Clone, Debug)]
pub enum Constant {
    None,
    True,
    False,
    Ellipsis,
    /// An `int` of any size.
    Int(num_bigint::BigInt),
    Float(f64),
    Complex {
        real: f64,
        imag: f64,
    },
    Str(PyStr),
    Bytes(Box<[u8]>),
    Tuple(Box<[Constant]>),
    /// A `frozenset`, its items in the order CPython's set iterates them.
    FrozenSet(Box<[Constant]>),
    /// A nested code object (function, class body, lambda, comprehension).
    Code(Arc<CodeObject>),
}

/// `co_flags` bits (`Include/cpython/code.h`).
pub mod flags {
    pub const CO_OPTIMIZED: u32 = 0x0001;
    pub const CO_NEWLOCALS: u32 = 0x0002;
    pub const CO_VARARGS: u32 = 0x0004;
    pub const CO_VARKEYWORDS: u32 = 0x0008;
    pub const CO_NESTED: u32 = 0x0010;
    pub const CO_GENERATOR: u32 = 0x0020;
    pub const CO_NOFREE: u32 = 0x0040;
    pub const CO_COROUTINE: u32 = 0x0080;
    pub const CO_ITERABLE_COROUTINE: u32 = 0x0100;
    pub const CO_ASYNC_GENERATOR: u32 = 0x0200;
    pub const CO_FUTURE_DIVISION: u32 = 0x20000;
    pub const CO_FUTURE_ABSOLUTE_IMPORT: u32 = 0x40000;
    pub const CO_FUTURE_WITH_STATEMENT: u32 = 0x80000;
    pub const CO_FUTURE_PRINT_FUNCTION: u32 = 0x100000;
    pub const CO_FUTURE_UNICODE_LITERALS: u32 = 0x200000;
    pub const CO_FUTURE_BARRY_AS_BDFL: u32 = 0x400000;
    pub const CO_FUTURE_GENERATOR_STOP: u32 = 0x800000;
    pub const CO_FUTURE_ANNOTATIONS: u32 = 0x1000000;
}

/// `co_localspluskinds` bits (`Include/internal/pycore_code.h`).
pub mod kinds {
    pub const CO_FAST_HIDDEN: u8 = 0x10;
    pub const CO_FAST_LOCAL: u8 = 0x20;
    pub const CO_FAST_CELL: u8 = 0x40;
    pub const CO_FAST_FREE: u8 = 0x80;
}

/// A code object: the fields marshal writes for one, in its order.
///
/// `==` compares every field (see [`Constant`] for how constants compare).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeObject {
    pub argcount: u32,
    pub posonlyargcount: u32,
    pub kwonlyargcount: u32,
    pub stacksize: u32,
    pub flags: u32,
    /// `co_code`: 16-bit code units (opcode, oparg) as bytes, inline CACHE entries included.
    pub code: Box<[u8]>,
    pub consts: Box<[Constant]>,
    pub names: Box<[PyStr]>,
    /// Locals, then cells, then free variables (`co_varnames`, `co_cellvars` and
    /// `co_freevars` are views of this), with their kinds in `localspluskinds`.
    pub localsplusnames: Box<[PyStr]>,
    pub localspluskinds: Box<[u8]>,
    pub filename: PyStr,
    pub name: PyStr,
    pub qualname: PyStr,
    pub firstlineno: i32,
    /// `co_linetable` (PEP 626/657 location table).
    pub linetable: Box<[u8]>,
    /// `co_exceptiontable`.
    pub exceptiontable: Box<[u8]>,
}

impl PartialEq for Constant {
    fn eq(&self, other: &Constant) -> bool {
        use Constant::*;
        match (self, other) {
            (None, None) | (True, True) | (False, False) | (Ellipsis, Ellipsis) => true,
            (Int(a), Int(b)) => a == b,
            (Float(a), Float(b)) => a.to_bits() == b.to_bits(),
            (Complex { real: ar, imag: ai }, Complex { real: br, imag: bi }) => {
                ar.to_bits() == br.to_bits() && ai.to_bits() == bi.to_bits()
            }
            (Str(a), Str(b)) => a == b,
            (Bytes(a), Bytes(b)) => a == b,
            // Plain loops keep the stack frames of deeply nested constants few and small.
            (Tuple(a), Tuple(b)) => {
                if a.len() != b.len() {
                    return false;
                }
                for i in 0..a.len() {
                    if a[i] != b[i] {
                        return false;
                    }
                }
                true
            }
            (FrozenSet(a), FrozenSet(b)) => {
                if a.len() != b.len() {
                    return false;
                }
                for x in a.iter() {
                    let mut found = false;
                    for y in b.iter() {
                        if x == y {
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
            (Code(a), Code(b)) => Arc::ptr_eq(a, b) || **a == **b,
            _ => false,
        }
    }
}

impl Eq for Constant {}

impl Constant {
    /// The Python type name of the constant (`int`, `float`, `bool`, `code`, ...).
    pub fn type_name(&self) -> &'static str {
        match self {
            Constant::None => "NoneType",
            Constant::True | Constant::False => "bool",
            Constant::Ellipsis => "ellipsis",
            Constant::Int(_) => "int",
            Constant::Float(_) => "float",
            Constant::Complex { .. } => "complex",
            Constant::Str(_) => "str",
            Constant::Bytes(_) => "bytes",
            Constant::Tuple(_) => "tuple",
            Constant::FrozenSet(_) => "frozenset",
            Constant::Code(_) => "code",
        }
    }
}

impl CodeObject {
    /// The names of `localsplusnames` whose kind has any bit of `kind`, in order.
    pub fn names_of_kind(&self, kind: u8) -> Vec<&PyStr> {
        self.localsplusnames
            .iter()
            .zip(self.localspluskinds.iter())
            .filter(|(_, &k)| k & kind != 0)
            .map(|(n, _)| n)
            .collect()
    }

    /// `co_varnames`: the locals (arguments first), hidden comprehension locals included.
    pub fn varnames(&self) -> Vec<&PyStr> {
        self.names_of_kind(kinds::CO_FAST_LOCAL)
    }

    /// `co_cellvars`: the cell variables, arguments that are cells included.
    pub fn cellvars(&self) -> Vec<&PyStr> {
        self.names_of_kind(kinds::CO_FAST_CELL)
    }

    /// `co_freevars`: the free variables.
    pub fn freevars(&self) -> Vec<&PyStr> {
        self.names_of_kind(kinds::CO_FAST_FREE)
    }

    fn count_kind(&self, kind: u8) -> usize {
        self.localspluskinds.iter().filter(|&&k| k & kind != 0).count()
    }

    /// `co_nlocals`: the number of locals (`len(co_varnames)`).
    pub fn nlocals(&self) -> usize {
        self.count_kind(kinds::CO_FAST_LOCAL)
    }

    /// `len(co_cellvars)`.
    pub fn ncellvars(&self) -> usize {
        self.count_kind(kinds::CO_FAST_CELL)
    }

    /// `len(co_freevars)`.
    pub fn nfreevars(&self) -> usize {
        self.count_kind(kinds::CO_FAST_FREE)
    }

    /// The number of fast slots (locals, cells and free variables): `len(localsplusnames)`.
    pub fn nlocalsplus(&self) -> usize {
        self.localsplusnames.len()
    }

    /// The number of arguments, `*args` and `**kwargs` included (the first slots of
    /// `localsplusnames`).
    pub fn total_args(&self) -> usize {
        self.argcount as usize
            + self.kwonlyargcount as usize
            + usize::from(self.flags & flags::CO_VARARGS != 0)
            + usize::from(self.flags & flags::CO_VARKEYWORDS != 0)
    }

    /// The code units of `co_code` as (opcode, oparg) pairs.
    pub fn code_units(&self) -> impl Iterator<Item = (u8, u8)> + '_ {
        self.code.chunks_exact(2).map(|u| (u[0], u[1]))
    }
}
