//! CPython 3.12's marshal format, version 4 (`Python/marshal.c`): what `.pyc` files hold after
//! their header, and what `marshal.dumps`/`marshal.loads` produce and accept.
//!
//! Writing follows CPython's choice of type codes (short tuples, short and long ASCII strings,
//! `int` as `TYPE_INT` when it fits in 32 bits and as `TYPE_LONG` with 15-bit digits otherwise,
//! binary floats and complexes, "surrogatepass" UTF-8 for other strings) and CPython's interning
//! rules, so that the loaded objects are equal to CPython's and the same strings are interned.
//! Repeated objects are written once and referred to afterwards (`FLAG_REF`/`TYPE_REF`): equal
//! strings, equal constants (by their merge key: scalars, tuples, frozensets, code objects),
//! equal bytecode, line and exception tables and `co_consts` tuples, the empty tuple and bytes,
//! equal tuples of names — what CPython's compiler merges into one object with its constant
//! cache, so that the loaded objects are shared as in the code object `compile()` returns
//! (test_compile checks some of that identity). CPython decides what to flag from reference
//! counts, so the bytes still differ from `marshal.dumps`; what CPython loads is equal.
//!
//! Reading accepts everything CPython writes (every type code of versions 0 to 4), with
//! CPython's exceptions and messages for malformed data ([`MarshalError`]), down to the order in
//! which CPython meets the problems. It never panics and uses a bounded amount of stack whatever
//! the nesting (an explicit stack; at most [`MAX_MARSHAL_STACK_DEPTH`] levels, as CPython).
//! Lists, dicts, sets, `StopIteration` and containers that contain themselves, which marshal can
//! hold but a code object's constants cannot, are read through and then reported as
//! [`ErrorKind::Unsupported`] (unless the data has an error CPython would report). Objects
//! referred to more than once are copied, not shared; data whose references would expand
//! beyond 64 times its size is rejected.

use crate::{flags, kinds, CodeObject, Constant, ConstantKey, PyStr};
use num_bigint::{BigInt, BigUint, Sign};
use num_traits::{FromPrimitive, ToPrimitive, Zero};
use rustc_hash::FxHashMap;
use std::collections::hash_map::Entry;
use std::fmt;
use std::sync::Arc;

/// The marshal version written (`Py_MARSHAL_VERSION`).
pub const VERSION: u32 = 4;

/// The deepest nesting of objects CPython reads or writes (`MAX_MARSHAL_STACK_DEPTH`, outside
/// Windows).
pub const MAX_MARSHAL_STACK_DEPTH: usize = 2000;

/// The type codes (`Python/marshal.c`).
pub mod types {
    pub const TYPE_NULL: u8 = b'0';
    pub const TYPE_NONE: u8 = b'N';
    pub const TYPE_FALSE: u8 = b'F';
    pub const TYPE_TRUE: u8 = b'T';
    pub const TYPE_STOPITER: u8 = b'S';
    pub const TYPE_ELLIPSIS: u8 = b'.';
    pub const TYPE_INT: u8 = b'i';
    pub const TYPE_INT64: u8 = b'I';
    pub const TYPE_FLOAT: u8 = b'f';
    pub const TYPE_BINARY_FLOAT: u8 = b'g';
    pub const TYPE_COMPLEX: u8 = b'x';
    pub const TYPE_BINARY_COMPLEX: u8 = b'y';
    pub const TYPE_LONG: u8 = b'l';
    pub const TYPE_STRING: u8 = b's';
    pub const TYPE_INTERNED: u8 = b't';
    pub const TYPE_REF: u8 = b'r';
    pub const TYPE_TUPLE: u8 = b'(';
    pub const TYPE_LIST: u8 = b'[';
    pub const TYPE_DICT: u8 = b'{';
    pub const TYPE_CODE: u8 = b'c';
    pub const TYPE_UNICODE: u8 = b'u';
    pub const TYPE_UNKNOWN: u8 = b'?';
    pub const TYPE_SET: u8 = b'<';
    pub const TYPE_FROZENSET: u8 = b'>';
    pub const TYPE_ASCII: u8 = b'a';
    pub const TYPE_ASCII_INTERNED: u8 = b'A';
    pub const TYPE_SMALL_TUPLE: u8 = b')';
    pub const TYPE_SHORT_ASCII: u8 = b'z';
    pub const TYPE_SHORT_ASCII_INTERNED: u8 = b'Z';
    /// Added to a type code: the object gets the next reference index.
    pub const FLAG_REF: u8 = 0x80;
}

use types::*;

/// The Python exception CPython raises for a marshal error (or, for `Unsupported`, data that
/// CPython accepts but that is not a constant pyrite can represent).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// `EOFError`
    Eof,
    /// `ValueError`
    Value,
    /// `TypeError`
    Type,
    /// `SystemError` (CPython's code object constructor rejecting the fields)
    System,
    /// `UnicodeDecodeError`
    UnicodeDecode,
    /// Valid marshal data holding an object that is not a code object constant (a list, dict,
    /// set, `StopIteration`, or a container containing itself), or whose references would
    /// expand to too many objects.
    Unsupported,
}

/// A marshal error: the exception CPython raises for the same data and its message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarshalError {
    pub kind: ErrorKind,
    pub message: String,
}

impl MarshalError {
    fn new(kind: ErrorKind, message: impl Into<String>) -> MarshalError {
        MarshalError {
            kind,
            message: message.into(),
        }
    }

    fn eof_object() -> MarshalError {
        MarshalError::new(ErrorKind::Eof, "EOF read where object expected")
    }

    fn too_short() -> MarshalError {
        MarshalError::new(ErrorKind::Eof, "marshal data too short")
    }

    fn value(message: impl Into<String>) -> MarshalError {
        MarshalError::new(ErrorKind::Value, message)
    }

    fn bad_internal_call() -> MarshalError {
        MarshalError::new(ErrorKind::System, "bad argument to internal function")
    }

    /// The name of the Python exception.
    pub fn python_type(&self) -> &'static str {
        match self.kind {
            ErrorKind::Eof => "EOFError",
            ErrorKind::Value => "ValueError",
            ErrorKind::Type => "TypeError",
            ErrorKind::System => "SystemError",
            ErrorKind::UnicodeDecode => "UnicodeDecodeError",
            ErrorKind::Unsupported => "unsupported",
        }
    }
}

impl fmt::Display for MarshalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.python_type(), self.message)
    }
}

impl std::error::Error for MarshalError {}

// ---------------------------------------------------------------------------------------------
// Writing

/// `marshal.dumps(code)`.
///
/// # Panics
/// If the code object cannot be marshalled: constants nested more than
/// [`MAX_MARSHAL_STACK_DEPTH`] deep, or a string, bytes or container of 2**31 items or more
/// (the compiler produces neither). [`try_dumps_code`] reports these as errors.
pub fn dumps_code(code: &CodeObject) -> Vec<u8> {
    try_dumps_code(code).unwrap_or_else(|e| panic!("cannot marshal the code object: {e}"))
}

/// `marshal.dumps(constant)`, with the constant's strings interned as CPython's compiler interns
/// string constants. Panics as [`dumps_code`] does.
pub fn dumps_constant(constant: &Constant) -> Vec<u8> {
    try_dumps_constant(constant).unwrap_or_else(|e| panic!("cannot marshal the constant: {e}"))
}

/// [`dumps_code`], with CPython's errors: `ValueError: object too deeply nested to marshal`,
/// `ValueError: unmarshallable object`.
pub fn try_dumps_code(code: &CodeObject) -> Result<Vec<u8>, MarshalError> {
    Writer::run(Some(code), |w| w.w_code_top(code))
}

/// [`dumps_constant`], with CPython's errors.
pub fn try_dumps_constant(constant: &Constant) -> Result<Vec<u8>, MarshalError> {
    Writer::run(None, |w| w.w_const(constant))
}

/// An object that can be written once and referred to afterwards.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Node<'a> {
    Str {
        interned: bool,
        s: &'a [u8],
    },
    EmptyBytes,
    EmptyTuple,
    Names(&'a [PyStr]),
    /// An `int`, `float`, `complex`, frozenset or code constant, compared by its key.
    Scalar(ConstantKey<'a>),
    /// A `bytes` constant or a code object's bytecode, line table or exception table: CPython's
    /// compiler merges equal ones into one object (its constant cache), so marshal shares them.
    Bytes(&'a [u8]),
    /// A tuple constant or a code object's `co_consts`, merged by the same cache.
    Tuple(TupleKey<'a>),
}

/// A tuple of constants compared item by item by their keys.
#[derive(Clone, Copy)]
struct TupleKey<'a>(&'a [Constant]);

impl PartialEq for TupleKey<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len()
            && self
                .0
                .iter()
                .zip(other.0.iter())
                .all(|(a, b)| crate::constant_key_eq(a, b))
    }
}

impl Eq for TupleKey<'_> {}

impl std::hash::Hash for TupleKey<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.len().hash(state);
        for c in self.0 {
            crate::hash_constant_key(c, state);
        }
    }
}

#[derive(Clone, Copy)]
struct Slot {
    count: u32,
    index: Option<u32>,
}

/// Writes in two passes over the same traversal: the first counts the occurrences of each
/// shareable object (without descending into repeats), the second writes, flagging the first
/// occurrence of each repeated object and referring back to it afterwards.
struct Writer<'a> {
    counting: bool,
    out: Vec<u8>,
    nodes: FxHashMap<Node<'a>, Slot>,
    next_index: u32,
    depth: usize,
    /// The identifiers of the code objects that are one non-ASCII Latin-1 character: CPython's
    /// strings of one Latin-1 character are singletons, so an identifier interns every equal
    /// string constant.
    single_char_identifiers: Vec<&'a [u8]>,
}

/// A writing error, small so that the recursive writer's stack frames stay small.
#[derive(Clone, Copy, Debug)]
enum WErr {
    TooDeep,
    Unmarshallable,
}

impl From<WErr> for MarshalError {
    fn from(e: WErr) -> MarshalError {
        MarshalError::value(match e {
            WErr::TooDeep => "object too deeply nested to marshal",
            WErr::Unmarshallable => "unmarshallable object",
        })
    }
}

impl<'a> Writer<'a> {
    fn run(
        top: Option<&'a CodeObject>,
        mut walk: impl FnMut(&mut Writer<'a>) -> Result<(), WErr>,
    ) -> Result<Vec<u8>, MarshalError> {
        let mut w = Writer {
            counting: true,
            out: Vec::new(),
            nodes: FxHashMap::default(),
            next_index: 0,
            depth: 0,
            single_char_identifiers: Vec::new(),
        };
        if let Some(code) = top {
            w.collect_single_char_identifiers(code, 0);
        }
        walk(&mut w)?;
        w.counting = false;
        w.depth = 0;
        walk(&mut w)?;
        Ok(w.out)
    }

    fn byte(&mut self, b: u8) {
        if !self.counting {
            self.out.push(b);
        }
    }

    fn bytes(&mut self, b: &[u8]) {
        if !self.counting {
            self.out.extend_from_slice(b);
        }
    }

    fn long(&mut self, v: i32) {
        self.bytes(&v.to_le_bytes());
    }

    fn size(&mut self, n: usize) -> Result<(), WErr> {
        let n = i32::try_from(n).map_err(|_| WErr::Unmarshallable)?;
        self.long(n);
        Ok(())
    }

    fn collect_single_char_identifiers(&mut self, co: &'a CodeObject, depth: usize) {
        if depth > MAX_MARSHAL_STACK_DEPTH {
            return;
        }
        let identifiers = co
            .names
            .iter()
            .chain(co.localsplusnames.iter())
            .chain(std::iter::once(&co.name));
        for name in identifiers {
            let b = name.as_bytes();
            if is_latin1_single_char(b) && !b.is_ascii() && !self.single_char_identifiers.contains(&b) {
                self.single_char_identifiers.push(b);
            }
        }
        for c in co.consts.iter() {
            if let Constant::Code(inner) = c {
                self.collect_single_char_identifiers(inner, depth + 1);
            }
        }
    }

    /// Is the string constant `s` interned in CPython once its code object is made? The compiler
    /// interns the constants made of name characters (`intern_string_constants`). Strings of one
    /// Latin-1 character are singletons, interned if anything interned them: an identifier of
    /// the module, or, for `*` (the `from m import *` constant), CPython's start-up.
    fn const_interned(&self, s: &PyStr) -> bool {
        let b = s.as_bytes();
        s.is_name_chars() || b == b"*" || (is_latin1_single_char(b) && self.single_char_identifiers.contains(&b))
    }

    /// Enter an object (CPython's `w_object` depth count).
    fn enter(&mut self) -> Result<(), WErr> {
        self.depth += 1;
        if self.depth > MAX_MARSHAL_STACK_DEPTH {
            return Err(WErr::TooDeep);
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    /// For a shareable object: `None` if it was dealt with (a repeat: counted, or written as a
    /// reference), else the flag to add to its type code.
    fn share(&mut self, node: Node<'a>) -> Option<u8> {
        if self.counting {
            match self.nodes.entry(node) {
                Entry::Occupied(mut slot) => {
                    slot.get_mut().count += 1;
                    None
                }
                Entry::Vacant(slot) => {
                    slot.insert(Slot { count: 1, index: None });
                    Some(0)
                }
            }
        } else {
            let next = self.next_index;
            let slot = self.nodes.get_mut(&node).expect("counted in the first pass");
            if slot.count < 2 {
                return Some(0);
            }
            match slot.index {
                Some(index) => {
                    self.out.push(TYPE_REF);
                    self.out.extend_from_slice(&index.to_le_bytes());
                    None
                }
                None => {
                    slot.index = Some(next);
                    self.next_index += 1;
                    Some(FLAG_REF)
                }
            }
        }
    }

    fn w_str(&mut self, s: &'a PyStr, interned: bool) -> Result<(), WErr> {
        self.enter()?;
        let bytes = s.as_bytes();
        if let Some(flag) = self.share(Node::Str { interned, s: bytes }) {
            if bytes.is_ascii() {
                if bytes.len() < 256 {
                    self.byte(
                        flag | if interned {
                            TYPE_SHORT_ASCII_INTERNED
                        } else {
                            TYPE_SHORT_ASCII
                        },
                    );
                    self.byte(bytes.len() as u8);
                } else {
                    self.byte(flag | if interned { TYPE_ASCII_INTERNED } else { TYPE_ASCII });
                    self.size(bytes.len())?;
                }
            } else {
                // Generalized UTF-8 is what CPython's "surrogatepass" UTF-8 encoding gives.
                self.byte(flag | if interned { TYPE_INTERNED } else { TYPE_UNICODE });
                self.size(bytes.len())?;
            }
            self.bytes(bytes);
        }
        self.leave();
        Ok(())
    }

    /// A `bytes` field of a code object: shared when equal to another (CPython's compiler
    /// merges bytecode, line and exception tables), except `co_localspluskinds` (`merged` false),
    /// which it builds fresh for each code object. The empty one is a singleton.
    fn w_bytes(&mut self, b: &'a [u8], merged: bool) -> Result<(), WErr> {
        self.enter()?;
        let flag = if b.is_empty() {
            self.share(Node::EmptyBytes)
        } else if merged {
            self.share(Node::Bytes(b))
        } else {
            Some(0)
        };
        if let Some(flag) = flag {
            self.byte(flag | TYPE_STRING);
            self.size(b.len())?;
            self.bytes(b);
        }
        self.leave();
        Ok(())
    }

    fn w_tuple_header(&mut self, flag: u8, n: usize) -> Result<(), WErr> {
        if n < 256 {
            self.byte(flag | TYPE_SMALL_TUPLE);
            self.byte(n as u8);
            Ok(())
        } else {
            self.byte(flag | TYPE_TUPLE);
            self.size(n)
        }
    }

    /// A tuple of interned strings (`co_names`, `co_localsplusnames`).
    fn w_names(&mut self, names: &'a [PyStr]) -> Result<(), WErr> {
        self.enter()?;
        let node = if names.is_empty() {
            Node::EmptyTuple
        } else {
            Node::Names(names)
        };
        if let Some(flag) = self.share(node) {
            self.w_tuple_header(flag, names.len())?;
            for name in names {
                self.w_str(name, true)?;
            }
        }
        self.leave();
        Ok(())
    }

    /// `co_consts`, merged with equal tuples as CPython's compiler merges it.
    fn w_consts(&mut self, consts: &'a [Constant]) -> Result<(), WErr> {
        self.enter()?;
        let flag = if consts.is_empty() {
            self.share(Node::EmptyTuple)
        } else {
            self.share(Node::Tuple(TupleKey(consts)))
        };
        if let Some(flag) = flag {
            self.w_tuple_header(flag, consts.len())?;
            for c in consts {
                self.w_const(c)?;
            }
        }
        self.leave();
        Ok(())
    }

    /// A constant. Scalars are shared by value; containers are not shared (but for the empty
    /// tuple), which keeps hashing shallow: CPython's own sharing of equal tuples across code
    /// objects is a matter of identity, not of the loaded values.
    fn w_const(&mut self, c: &'a Constant) -> Result<(), WErr> {
        if let Constant::Str(s) = c {
            return self.w_str(s, self.const_interned(s));
        }
        self.enter()?;
        match c {
            Constant::None => self.byte(TYPE_NONE),
            Constant::True => self.byte(TYPE_TRUE),
            Constant::False => self.byte(TYPE_FALSE),
            Constant::Ellipsis => self.byte(TYPE_ELLIPSIS),
            Constant::Str(_) => unreachable!("written above"),
            Constant::Code(code) => {
                if let Some(flag) = self.share(Node::Scalar(ConstantKey(c))) {
                    self.w_code_body(code, flag)?;
                }
            }
            Constant::Tuple(items) => {
                let flag = if items.is_empty() {
                    self.share(Node::EmptyTuple)
                } else {
                    self.share(Node::Tuple(TupleKey(items)))
                };
                if let Some(flag) = flag {
                    self.w_tuple_header(flag, items.len())?;
                    self.w_items(items)?;
                }
            }
            Constant::FrozenSet(items) => {
                if let Some(flag) = self.share(Node::Scalar(ConstantKey(c))) {
                    self.byte(flag | TYPE_FROZENSET);
                    self.size(items.len())?;
                    self.w_items(items)?;
                }
            }
            Constant::Int(_) | Constant::Float(_) | Constant::Complex { .. } | Constant::Bytes(_) => {
                let node = match c {
                    Constant::Bytes(b) if b.is_empty() => Node::EmptyBytes,
                    Constant::Bytes(b) => Node::Bytes(b),
                    _ => Node::Scalar(ConstantKey(c)),
                };
                if let Some(flag) = self.share(node) {
                    self.w_scalar(c, flag)?;
                }
            }
        }
        self.leave();
        Ok(())
    }

    fn w_items(&mut self, items: &'a [Constant]) -> Result<(), WErr> {
        for item in items {
            self.w_const(item)?;
        }
        Ok(())
    }

    #[inline(never)]
    fn w_scalar(&mut self, c: &Constant, flag: u8) -> Result<(), WErr> {
        match c {
            Constant::Int(v) => match v.to_i32() {
                Some(small) => {
                    self.byte(flag | TYPE_INT);
                    self.long(small);
                }
                None => {
                    self.byte(flag | TYPE_LONG);
                    let digits = to_digits15(v.magnitude());
                    let n = i32::try_from(digits.len()).map_err(|_| WErr::Unmarshallable)?;
                    self.long(if v.sign() == Sign::Minus { -n } else { n });
                    if !self.counting {
                        for d in digits {
                            self.out.extend_from_slice(&d.to_le_bytes());
                        }
                    }
                }
            },
            Constant::Float(f) => {
                self.byte(flag | TYPE_BINARY_FLOAT);
                self.bytes(&f.to_le_bytes());
            }
            Constant::Complex { real, imag } => {
                self.byte(flag | TYPE_BINARY_COMPLEX);
                self.bytes(&real.to_le_bytes());
                self.bytes(&imag.to_le_bytes());
            }
            Constant::Bytes(b) => {
                self.byte(flag | TYPE_STRING);
                self.size(b.len())?;
                self.bytes(b);
            }
            _ => unreachable!("not a scalar: {c:?}"),
        }
        Ok(())
    }

    fn w_code_top(&mut self, code: &'a CodeObject) -> Result<(), WErr> {
        self.enter()?;
        self.w_code_body(code, 0)?;
        self.leave();
        Ok(())
    }

    fn w_code_body(&mut self, co: &'a CodeObject, flag: u8) -> Result<(), WErr> {
        self.byte(flag | TYPE_CODE);
        for v in [
            co.argcount,
            co.posonlyargcount,
            co.kwonlyargcount,
            co.stacksize,
            co.flags,
        ] {
            // CPython's fields are C ints; the reader rejects negative ones.
            let v = i32::try_from(v).map_err(|_| WErr::Unmarshallable)?;
            self.long(v);
        }
        self.w_bytes(&co.code, true)?;
        self.w_consts(&co.consts)?;
        self.w_names(&co.names)?;
        self.w_names(&co.localsplusnames)?;
        self.w_bytes(&co.localspluskinds, false)?;
        self.w_str(&co.filename, false)?;
        // The compiler's code names come from identifiers, which the parser interns, except
        // the made-up ones: "<module>", "<lambda>", "<genexpr>", "<listcomp>", ... A qualified
        // name is the name itself (the same object) at the top level, else a new string.
        let name_interned = !co.name.as_bytes().starts_with(b"<");
        self.w_str(&co.name, name_interned)?;
        self.w_str(&co.qualname, name_interned && co.qualname == co.name)?;
        self.long(co.firstlineno);
        self.w_bytes(&co.linetable, true)?;
        self.w_bytes(&co.exceptiontable, true)?;
        Ok(())
    }
}

/// Is `b` the generalized UTF-8 of one character below U+0100?
fn is_latin1_single_char(b: &[u8]) -> bool {
    match b {
        [c] => c.is_ascii(),
        [0xC2 | 0xC3, c] => c & 0xC0 == 0x80,
        _ => false,
    }
}

/// The magnitude in base 2**15, least significant digit first, without leading zeros.
fn to_digits15(v: &BigUint) -> Vec<u16> {
    let words = v.to_u32_digits();
    let bits = v.bits() as usize;
    let n = bits.div_ceil(15);
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let bit = i * 15;
        let (w, off) = (bit / 32, bit % 32);
        let mut d = words[w] >> off;
        if off > 17 && w + 1 < words.len() {
            d |= words[w + 1] << (32 - off);
        }
        out.push((d & 0x7FFF) as u16);
    }
    out
}

/// The inverse of [`to_digits15`].
fn from_digits15(digits: &[u16]) -> BigUint {
    let mut words = vec![0u32; (digits.len() * 15).div_ceil(32)];
    for (i, &d) in digits.iter().enumerate() {
        let bit = i * 15;
        let (w, off) = (bit / 32, bit % 32);
        words[w] |= (d as u32) << off;
        if off > 17 {
            words[w + 1] |= (d as u32) >> (32 - off);
        }
    }
    BigUint::new(words)
}

// ---------------------------------------------------------------------------------------------
// Reading

/// `marshal.loads(data)` (trailing bytes are ignored, as CPython does).
pub fn loads(data: &[u8]) -> Result<Constant, MarshalError> {
    loads_prefix(data).map(|(c, _)| c)
}

/// [`loads`], also giving the number of bytes the object took.
pub fn loads_prefix(data: &[u8]) -> Result<(Constant, usize), MarshalError> {
    let mut r = Reader {
        data,
        pos: 0,
        refs: Vec::new(),
        budget: (data.len() as u64).saturating_mul(64).max(1 << 22),
        unsupported: None,
    };
    let c = r.read_object()?;
    if let Some(what) = r.unsupported {
        return Err(MarshalError::new(
            ErrorKind::Unsupported,
            format!("marshal data holds {what}, which is not a constant"),
        ));
    }
    Ok((c, r.pos))
}

/// [`loads`] of data that must hold a code object (as a `.pyc` does).
pub fn loads_code(data: &[u8]) -> Result<CodeObject, MarshalError> {
    match loads(data)? {
        Constant::Code(code) => Ok(Arc::try_unwrap(code).unwrap_or_else(|shared| (*shared).clone())),
        other => Err(MarshalError::new(
            ErrorKind::Type,
            format!("marshal data holds a {}, not a code object", other.type_name()),
        )),
    }
}

/// A complete object: its value, what copying it costs (see `Reader::budget`), and, if it
/// cannot be hashed, the type that makes it so (as in `unhashable type: 'list'`).
#[derive(Clone)]
struct Item {
    value: Constant,
    cost: u64,
    unhashable: Option<&'static str>,
}

impl Item {
    fn new(value: Constant) -> Item {
        Item {
            value,
            cost: 1,
            unhashable: None,
        }
    }
}

/// An entry of the reference list.
enum RefSlot {
    /// Reserved by a frozenset or code object not yet complete (CPython holds `None` there
    /// until then, and a reference to it is invalid).
    Reserved,
    /// A tuple, list, dict or set being read (CPython registers it before its items, so a
    /// reference to it makes a cycle).
    InProgress,
    Done(Item),
}

struct Reader<'d> {
    data: &'d [u8],
    pos: usize,
    refs: Vec<RefSlot>,
    /// How many more constant nodes references may copy (the objects they refer to are
    /// copied, not shared, so nested references could otherwise expand exponentially).
    budget: u64,
    /// The first object read that constants cannot represent (a list, ...). It is read like
    /// the rest, as a placeholder, so that an error later in the data is still CPython's
    /// error; the read fails with this at the end.
    unsupported: Option<&'static str>,
}

/// A container being read.
enum Frame {
    Tuple {
        idx: Option<usize>,
        items: Vec<Constant>,
        len: usize,
        cost: u64,
        unhashable: Option<&'static str>,
    },
    FrozenSet {
        idx: Option<usize>,
        items: Vec<Constant>,
        len: usize,
        cost: u64,
    },
    /// A set or list: its items are read and dropped.
    Sequence {
        idx: Option<usize>,
        set: bool,
        len: usize,
        seen: usize,
    },
    /// A dict, with whether the key read so far (if any) is unhashable.
    Dict {
        idx: Option<usize>,
        key: Option<Option<&'static str>>,
    },
    Code {
        idx: Option<usize>,
        ints: [i32; 5],
        firstlineno: i32,
        fields: Vec<Constant>,
        unhashable: Option<&'static str>,
    },
}

/// The objects of a code object: 8 before `co_firstlineno`, 2 after.
const CODE_FIELDS_BEFORE_LINENO: usize = 8;
const CODE_FIELDS: usize = 10;

fn unhashable_error(type_name: &str) -> MarshalError {
    MarshalError::new(ErrorKind::Type, format!("unhashable type: '{type_name}'"))
}

impl Reader<'_> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.data.get(self.pos)?;
        self.pos += 1;
        Some(b)
    }

    /// A count read as one byte (`r_byte`).
    fn count_byte(&mut self) -> Result<usize, MarshalError> {
        self.byte()
            .map(usize::from)
            .ok_or_else(|| MarshalError::new(ErrorKind::Eof, "EOF read where not expected"))
    }

    fn take(&mut self, n: usize) -> Result<&[u8], MarshalError> {
        if self.data.len() - self.pos < n {
            return Err(MarshalError::too_short());
        }
        let s = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    fn long(&mut self) -> Result<i32, MarshalError> {
        let b = self.take(4)?;
        Ok(i32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// A size read as a `long`; negative sizes are `bad marshal data ({what} size out of range)`.
    fn size(&mut self, what: &str) -> Result<usize, MarshalError> {
        let n = self.long()?;
        usize::try_from(n).map_err(|_| MarshalError::value(format!("bad marshal data ({what} size out of range)")))
    }

    fn reserve(&mut self, flag: bool, slot: RefSlot) -> Option<usize> {
        flag.then(|| {
            self.refs.push(slot);
            self.refs.len() - 1
        })
    }

    fn register(&mut self, idx: Option<usize>, item: &Item) {
        if let Some(i) = idx {
            self.refs[i] = RefSlot::Done(item.clone());
        }
    }

    /// A placeholder for an object constants cannot represent.
    fn unsupported(&mut self, what: &'static str, unhashable: Option<&'static str>) -> Item {
        self.unsupported.get_or_insert(what);
        Item {
            value: Constant::None,
            cost: 1,
            unhashable,
        }
    }

    fn read_object(&mut self) -> Result<Constant, MarshalError> {
        let mut stack: Vec<Frame> = Vec::new();
        loop {
            let Some(code) = self.byte() else {
                return Err(MarshalError::eof_object());
            };
            if stack.len() + 1 > MAX_MARSHAL_STACK_DEPTH {
                return Err(MarshalError::value("recursion limit exceeded"));
            }
            let flag = code & FLAG_REF != 0;
            let ty = code & !FLAG_REF;
            // Read one object: a scalar is complete at once, a container pushes a frame.
            let mut item = match ty {
                TYPE_NULL => match self.null(&mut stack)? {
                    Some(item) => item,
                    None => continue,
                },
                TYPE_NONE => Item::new(Constant::None),
                TYPE_TRUE => Item::new(Constant::True),
                TYPE_FALSE => Item::new(Constant::False),
                TYPE_ELLIPSIS => Item::new(Constant::Ellipsis),
                TYPE_STOPITER => self.unsupported("StopIteration", None),
                TYPE_REF => {
                    let n = self.long()?;
                    match usize::try_from(n).ok().and_then(|i| self.refs.get(i)) {
                        None | Some(RefSlot::Reserved) => {
                            return Err(MarshalError::value("bad marshal data (invalid reference)"))
                        }
                        Some(RefSlot::InProgress) => self.unsupported("a container that contains itself", None),
                        Some(RefSlot::Done(item)) => {
                            let item = item.clone();
                            if item.cost > self.budget {
                                return Err(MarshalError::new(
                                    ErrorKind::Unsupported,
                                    "marshal data holds references that expand to too many objects",
                                ));
                            }
                            self.budget -= item.cost;
                            // A reference is not itself registered, even with FLAG_REF.
                            item
                        }
                    }
                }
                TYPE_SMALL_TUPLE | TYPE_TUPLE => {
                    let len = if ty == TYPE_SMALL_TUPLE {
                        self.count_byte()?
                    } else {
                        self.size("tuple")?
                    };
                    let idx = self.reserve(flag, RefSlot::InProgress);
                    if len == 0 {
                        let item = Item::new(Constant::Tuple(Box::new([])));
                        self.register(idx, &item);
                        item
                    } else {
                        let cap = len.min(self.data.len() - self.pos);
                        stack.push(Frame::Tuple {
                            idx,
                            items: Vec::with_capacity(cap),
                            len,
                            cost: 1,
                            unhashable: None,
                        });
                        continue;
                    }
                }
                TYPE_FROZENSET => {
                    let len = self.size("set")?;
                    if len == 0 {
                        let item = Item::new(Constant::FrozenSet(Box::new([])));
                        if flag {
                            self.refs.push(RefSlot::Done(item.clone()));
                        }
                        item
                    } else {
                        let idx = self.reserve(flag, RefSlot::Reserved);
                        let cap = len.min(self.data.len() - self.pos);
                        stack.push(Frame::FrozenSet {
                            idx,
                            items: Vec::with_capacity(cap),
                            len,
                            cost: 1,
                        });
                        continue;
                    }
                }
                TYPE_LIST | TYPE_SET => {
                    let set = ty == TYPE_SET;
                    let len = self.size(if set { "set" } else { "list" })?;
                    let idx = self.reserve(flag, RefSlot::InProgress);
                    stack.push(Frame::Sequence { idx, set, len, seen: 0 });
                    match self.complete_sequence(&mut stack) {
                        Some(item) => item,
                        None => continue,
                    }
                }
                TYPE_DICT => {
                    let idx = self.reserve(flag, RefSlot::InProgress);
                    stack.push(Frame::Dict { idx, key: None });
                    continue;
                }
                TYPE_CODE => {
                    let idx = self.reserve(flag, RefSlot::Reserved);
                    let mut ints = [0i32; 5];
                    for v in ints.iter_mut() {
                        *v = self.long()?;
                    }
                    stack.push(Frame::Code {
                        idx,
                        ints,
                        firstlineno: 0,
                        fields: Vec::with_capacity(CODE_FIELDS),
                        unhashable: None,
                    });
                    continue;
                }
                _ => {
                    let value = self.read_scalar(ty)?;
                    let item = Item {
                        cost: 1 + scalar_payload(&value) / 16,
                        value,
                        unhashable: None,
                    };
                    if flag {
                        self.refs.push(RefSlot::Done(item.clone()));
                    }
                    item
                }
            };
            // Give the complete object to the containers being read, completing them in turn.
            loop {
                let Some(frame) = stack.last_mut() else {
                    return Ok(item.value);
                };
                match frame {
                    Frame::Tuple {
                        items,
                        len,
                        cost,
                        unhashable,
                        ..
                    } => {
                        items.push(item.value);
                        *cost += item.cost;
                        if unhashable.is_none() {
                            *unhashable = item.unhashable;
                        }
                        if items.len() < *len {
                            break;
                        }
                    }
                    Frame::FrozenSet { items, len, cost, .. } => {
                        if let Some(t) = item.unhashable {
                            return Err(unhashable_error(t));
                        }
                        items.push(item.value);
                        *cost += item.cost;
                        if items.len() < *len {
                            break;
                        }
                    }
                    Frame::Sequence { set, seen, .. } => {
                        if let (true, Some(t)) = (*set, item.unhashable) {
                            return Err(unhashable_error(t));
                        }
                        *seen += 1;
                        match self.complete_sequence(&mut stack) {
                            Some(done) => {
                                item = done;
                                continue;
                            }
                            None => break,
                        }
                    }
                    Frame::Dict { key, .. } => match key.take() {
                        None => {
                            *key = Some(item.unhashable);
                            break;
                        }
                        Some(Some(t)) => return Err(unhashable_error(t)),
                        Some(None) => break,
                    },
                    Frame::Code {
                        fields,
                        firstlineno,
                        unhashable,
                        ..
                    } => {
                        if fields.len() == 1 {
                            // co_consts: a code object hashes its constants.
                            *unhashable = item.unhashable;
                        }
                        fields.push(item.value);
                        if fields.len() == CODE_FIELDS_BEFORE_LINENO {
                            *firstlineno = self.long()?;
                        }
                        if fields.len() < CODE_FIELDS {
                            break;
                        }
                    }
                }
                let (idx, done) = match stack.pop().expect("a frame") {
                    Frame::Tuple {
                        idx,
                        items,
                        cost,
                        unhashable,
                        ..
                    } => (
                        idx,
                        Item {
                            value: Constant::Tuple(items.into()),
                            cost,
                            unhashable,
                        },
                    ),
                    Frame::FrozenSet { idx, items, cost, .. } => (
                        idx,
                        Item {
                            value: Constant::FrozenSet(dedup_set(items).into()),
                            cost,
                            unhashable: None,
                        },
                    ),
                    Frame::Code {
                        idx,
                        ints,
                        firstlineno,
                        fields,
                        unhashable,
                    } => {
                        let code = build_code(ints, firstlineno, fields)?;
                        (
                            idx,
                            Item {
                                value: Constant::Code(Arc::new(code)),
                                cost: 1,
                                unhashable,
                            },
                        )
                    }
                    Frame::Sequence { .. } | Frame::Dict { .. } => unreachable!("completed elsewhere"),
                };
                self.register(idx, &done);
                item = done;
            }
        }
    }

    /// Pop the set or list on top of the stack if all its items are read, giving its
    /// placeholder.
    fn complete_sequence(&mut self, stack: &mut Vec<Frame>) -> Option<Item> {
        let Some(&Frame::Sequence { idx, set, len, seen }) = stack.last() else {
            unreachable!("a sequence frame")
        };
        if seen < len {
            return None;
        }
        stack.pop();
        let (what, name) = if set { ("a set", "set") } else { ("a list", "list") };
        let item = self.unsupported(what, Some(name));
        self.register(idx, &item);
        Some(item)
    }

    /// `TYPE_NULL`: a dict takes it as its end (the completed dict is returned); anywhere else
    /// it is CPython's `TypeError`.
    fn null(&mut self, stack: &mut Vec<Frame>) -> Result<Option<Item>, MarshalError> {
        let what = match stack.last() {
            None => "object",
            Some(Frame::Tuple { .. }) => "tuple",
            Some(Frame::FrozenSet { .. }) | Some(Frame::Sequence { set: true, .. }) => "set",
            Some(Frame::Sequence { set: false, .. }) => "list",
            Some(Frame::Code { .. }) => "code object",
            Some(&Frame::Dict { idx, .. }) => {
                stack.pop();
                let item = self.unsupported("a dict", Some("dict"));
                self.register(idx, &item);
                return Ok(Some(item));
            }
        };
        Err(MarshalError::new(
            ErrorKind::Type,
            format!("NULL object in marshal data for {what}"),
        ))
    }

    /// An object without sub-objects, its type code read.
    fn read_scalar(&mut self, ty: u8) -> Result<Constant, MarshalError> {
        Ok(match ty {
            TYPE_INT => Constant::Int(BigInt::from(self.long()?)),
            TYPE_INT64 => {
                let b = self.take(8)?;
                Constant::Int(BigInt::from(i64::from_le_bytes(b.try_into().expect("8 bytes"))))
            }
            TYPE_LONG => Constant::Int(self.read_long()?),
            TYPE_BINARY_FLOAT => Constant::Float(self.binary_float()?),
            TYPE_BINARY_COMPLEX => {
                let real = self.binary_float()?;
                let imag = self.binary_float()?;
                Constant::Complex { real, imag }
            }
            TYPE_FLOAT => Constant::Float(self.text_float()?),
            TYPE_COMPLEX => {
                let real = self.text_float()?;
                let imag = self.text_float()?;
                Constant::Complex { real, imag }
            }
            TYPE_STRING => {
                let n = self.size("bytes object")?;
                Constant::Bytes(self.take(n)?.into())
            }
            TYPE_ASCII | TYPE_ASCII_INTERNED => {
                let n = self.size("string")?;
                Constant::Str(PyStr::from_latin1(self.take(n)?))
            }
            TYPE_SHORT_ASCII | TYPE_SHORT_ASCII_INTERNED => {
                let n = self.count_byte()?;
                Constant::Str(PyStr::from_latin1(self.take(n)?))
            }
            TYPE_UNICODE | TYPE_INTERNED => {
                let n = self.size("string")?;
                let bytes = self.take(n)?;
                Constant::Str(decode_utf8_surrogatepass(bytes)?)
            }
            _ => return Err(MarshalError::value("bad marshal data (unknown type code)")),
        })
    }

    fn binary_float(&mut self) -> Result<f64, MarshalError> {
        let b = self.take(8)?;
        Ok(f64::from_le_bytes(b.try_into().expect("8 bytes")))
    }

    /// The float of `TYPE_FLOAT` (marshal versions 0 and 1): its `repr` as a short string.
    fn text_float(&mut self) -> Result<f64, MarshalError> {
        let n = self.count_byte()?;
        let text = self.take(n)?;
        // CPython parses the text as a C string: up to its first NUL.
        let text = &text[..text.iter().position(|&b| b == 0).unwrap_or(text.len())];
        std::str::from_utf8(text)
            .ok()
            .and_then(parse_python_float)
            .ok_or_else(|| {
                // The message holds at most 200 bytes of the text, decoded with replacement.
                let shown = String::from_utf8_lossy(&text[..text.len().min(200)]);
                MarshalError::value(format!("could not convert string to float: '{shown}'"))
            })
    }

    /// `TYPE_LONG`: a signed count of 15-bit digits, then the digits, least significant first.
    fn read_long(&mut self) -> Result<BigInt, MarshalError> {
        let n = self.long()?;
        if n == 0 {
            return Ok(BigInt::zero());
        }
        if n == i32::MIN {
            return Err(MarshalError::value("bad marshal data (long size out of range)"));
        }
        let count = n.unsigned_abs() as usize;
        let mut digits = Vec::with_capacity(count.min((self.data.len() - self.pos) / 2));
        for i in 0..count {
            let b = self.take(2)?;
            let d = i16::from_le_bytes([b[0], b[1]]);
            if d < 0 {
                return Err(MarshalError::value("bad marshal data (digit out of range in long)"));
            }
            if d == 0 && i == count - 1 {
                return Err(MarshalError::value("bad marshal data (unnormalized long data)"));
            }
            digits.push(d as u16);
        }
        let sign = if n < 0 { Sign::Minus } else { Sign::Plus };
        Ok(BigInt::from_biguint(sign, from_digits15(&digits)))
    }
}

/// The bytes a scalar holds (for the reference budget).
fn scalar_payload(c: &Constant) -> u64 {
    match c {
        Constant::Str(s) => s.as_bytes().len() as u64,
        Constant::Bytes(b) => b.len() as u64,
        Constant::Int(v) => v.bits() / 8,
        _ => 0,
    }
}

/// `float(s)` as `PyOS_string_to_double` parses it: a decimal or hexadecimal-free literal,
/// `inf`, `infinity` or `nan` in any case, with an optional sign, no spaces or underscores.
fn parse_python_float(s: &str) -> Option<f64> {
    if s.is_empty() || s.contains('_') || s.trim() != s {
        return None;
    }
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(s);
    let lower = unsigned.to_ascii_lowercase();
    let negative = s.starts_with('-');
    let special = match lower.as_str() {
        "inf" | "infinity" => Some(f64::INFINITY),
        "nan" => Some(f64::NAN),
        _ => None,
    };
    if let Some(v) = special {
        return Some(if negative { -v } else { v });
    }
    if !unsigned
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        return None;
    }
    s.parse::<f64>().ok()
}

/// Python's `bytes.decode("utf-8", "surrogatepass")`, with the message of its
/// `UnicodeDecodeError`.
fn decode_utf8_surrogatepass(b: &[u8]) -> Result<PyStr, MarshalError> {
    if let Some(s) = PyStr::from_wtf8_bytes(b) {
        return Ok(s);
    }
    let fail = |start: usize, end: usize, reason: &str| {
        let what = if end - start == 1 {
            format!("byte 0x{:02x} in position {start}", b[start])
        } else {
            format!("bytes in position {start}-{}", end - 1)
        };
        MarshalError::new(
            ErrorKind::UnicodeDecode,
            format!("'utf-8' codec can't decode {what}: {reason}"),
        )
    };
    let cont = |x: u8| (0x80..=0xBF).contains(&x);
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c < 0x80 {
            i += 1;
            continue;
        }
        // The sequence length and the range of the second byte of strict UTF-8.
        let (n, lo, hi) = match c {
            0xC2..=0xDF => (2, 0x80, 0xBF),
            0xE0 => (3, 0xA0, 0xBF),
            0xED => (3, 0x80, 0x9F),
            0xE1..=0xEF => (3, 0x80, 0xBF),
            0xF0 => (4, 0x90, 0xBF),
            0xF1..=0xF3 => (4, 0x80, 0xBF),
            0xF4 => (4, 0x80, 0x8F),
            _ => return Err(fail(i, i + 1, "invalid start byte")),
        };
        // "surrogatepass" accepts the three-byte encoding of a surrogate.
        if c == 0xED && i + 2 < b.len() && (0xA0..=0xBF).contains(&b[i + 1]) && cont(b[i + 2]) {
            i += 3;
            continue;
        }
        for k in 1..n {
            let Some(&x) = b.get(i + k) else {
                return Err(fail(i, b.len(), "unexpected end of data"));
            };
            let ok = if k == 1 { (lo..=hi).contains(&x) } else { cont(x) };
            if !ok {
                return Err(fail(i, i + k, "invalid continuation byte"));
            }
        }
        i += n;
    }
    // Unreachable in practice: the bytes were found not to be generalized UTF-8.
    Err(fail(0, 1, "invalid start byte"))
}

/// A frozenset's items as `PySet_Add` keeps them: the first of equal items.
fn dedup_set(items: Vec<Constant>) -> Vec<Constant> {
    let mut out: Vec<Constant> = Vec::with_capacity(items.len());
    for item in items {
        if !out.iter().any(|o| python_eq(o, &item)) {
            out.push(item);
        }
    }
    out
}

/// A number as Python compares numbers across `bool`, `int`, `float` and `complex`.
enum Num<'a> {
    Int(std::borrow::Cow<'a, BigInt>),
    Float(f64),
    Complex(f64, f64),
}

fn as_num(c: &Constant) -> Option<Num<'_>> {
    use std::borrow::Cow;
    Some(match c {
        Constant::True => Num::Int(Cow::Owned(BigInt::from(1))),
        Constant::False => Num::Int(Cow::Owned(BigInt::from(0))),
        Constant::Int(v) => Num::Int(Cow::Borrowed(v)),
        Constant::Float(f) => Num::Float(*f),
        Constant::Complex { real, imag } => Num::Complex(*real, *imag),
        _ => return None,
    })
}

fn int_eq_float(i: &BigInt, f: f64) -> bool {
    f.is_finite() && f.fract() == 0.0 && BigInt::from_f64(f).is_some_and(|v| &v == i)
}

fn num_eq(a: &Num<'_>, b: &Num<'_>) -> bool {
    match (a, b) {
        (Num::Int(x), Num::Int(y)) => x == y,
        (Num::Int(i), Num::Float(f)) | (Num::Float(f), Num::Int(i)) => int_eq_float(i, *f),
        (Num::Float(x), Num::Float(y)) => x == y,
        (Num::Complex(r, i), other) | (other, Num::Complex(r, i)) => match other {
            Num::Complex(r2, i2) => r == r2 && i == i2,
            Num::Float(f) => *i == 0.0 && r == f,
            Num::Int(v) => *i == 0.0 && int_eq_float(v, *r),
        },
    }
}

/// Python's `==` on constants (`1 == 1.0 == True`; two NaNs are unequal, as two distinct NaN
/// objects are): what a set compares items of equal hash with.
pub fn python_eq(a: &Constant, b: &Constant) -> bool {
    if let (Some(x), Some(y)) = (as_num(a), as_num(b)) {
        return num_eq(&x, &y);
    }
    match (a, b) {
        (Constant::None, Constant::None) | (Constant::Ellipsis, Constant::Ellipsis) => true,
        (Constant::Str(x), Constant::Str(y)) => x == y,
        (Constant::Bytes(x), Constant::Bytes(y)) => x == y,
        (Constant::Tuple(x), Constant::Tuple(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(i, j)| python_eq(i, j))
        }
        (Constant::FrozenSet(x), Constant::FrozenSet(y)) => {
            x.len() == y.len() && x.iter().all(|i| y.iter().any(|j| python_eq(i, j)))
        }
        (Constant::Code(_), Constant::Code(_)) => crate::constant_key_eq(a, b),
        _ => false,
    }
}

/// The code object of marshal's fields, checked as CPython's `_PyCode_Validate` and
/// `_PyCode_New` check them.
fn build_code(ints: [i32; 5], firstlineno: i32, fields: Vec<Constant>) -> Result<CodeObject, MarshalError> {
    let [argcount, posonlyargcount, kwonlyargcount, stacksize, co_flags] = ints;
    let mut it = fields.into_iter();
    let mut next = || it.next().expect("ten fields");
    let (code, consts, names, lpnames, lpkinds) = (next(), next(), next(), next(), next());
    let (filename, name, qualname, linetable, exceptiontable) = (next(), next(), next(), next(), next());
    let bad = MarshalError::bad_internal_call;
    if argcount < posonlyargcount || posonlyargcount < 0 || kwonlyargcount < 0 || stacksize < 0 || co_flags < 0 {
        return Err(bad());
    }
    let (
        Constant::Bytes(code),
        Constant::Tuple(consts),
        Constant::Tuple(names),
        Constant::Tuple(lpnames),
        Constant::Bytes(lpkinds),
        Constant::Str(name),
        Constant::Str(qualname),
        Constant::Str(filename),
        Constant::Bytes(linetable),
        Constant::Bytes(exceptiontable),
    ) = (
        code,
        consts,
        names,
        lpnames,
        lpkinds,
        name,
        qualname,
        filename,
        linetable,
        exceptiontable,
    )
    else {
        return Err(bad());
    };
    if lpnames.len() != lpkinds.len() {
        return Err(bad());
    }
    if code.len() % 2 != 0 {
        return Err(MarshalError::value("code: co_code is malformed"));
    }
    let nlocals = lpkinds.iter().filter(|&&k| k & kinds::CO_FAST_LOCAL != 0).count() as i64;
    let nplainlocals = nlocals
        - argcount as i64
        - kwonlyargcount as i64
        - i64::from(co_flags as u32 & flags::CO_VARARGS != 0)
        - i64::from(co_flags as u32 & flags::CO_VARKEYWORDS != 0);
    if nplainlocals < 0 {
        return Err(MarshalError::value("code: co_varnames is too small"));
    }
    let strings = |items: Box<[Constant]>| -> Result<Box<[PyStr]>, MarshalError> {
        items
            .into_vec()
            .into_iter()
            .map(|c| match c {
                Constant::Str(s) => Ok(s),
                _ => Err(MarshalError::new(ErrorKind::System, "non-string found in code slot")),
            })
            .collect()
    };
    let names = strings(names)?;
    let localsplusnames = strings(lpnames)?;
    Ok(CodeObject {
        argcount: argcount as u32,
        posonlyargcount: posonlyargcount as u32,
        kwonlyargcount: kwonlyargcount as u32,
        stacksize: stacksize as u32,
        flags: co_flags as u32,
        code,
        consts,
        names,
        localsplusnames,
        localspluskinds: lpkinds,
        filename,
        name,
        qualname,
        firstlineno,
        linetable,
        exceptiontable,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(v: i64) -> Constant {
        Constant::Int(BigInt::from(v))
    }

    #[test]
    fn digits15_round_trip() {
        for bits in [1u32, 14, 15, 16, 29, 30, 31, 32, 33, 45, 60, 63, 64, 65, 100, 300] {
            for delta in [-1i64, 0, 1] {
                let v = (BigInt::from(1) << bits) + delta;
                let mag = v.magnitude();
                let d = to_digits15(mag);
                assert_eq!(&from_digits15(&d), mag, "2**{bits}{delta:+}");
                assert_ne!(d.last(), Some(&0));
            }
        }
    }

    #[test]
    fn small_values_are_written_as_cpython_writes_them() {
        let cases: Vec<(Constant, &[u8])> = vec![
            (Constant::None, b"N"),
            (Constant::True, b"T"),
            (Constant::Ellipsis, b"."),
            (int(1), b"i\x01\x00\x00\x00"),
            (int(-1), b"i\xff\xff\xff\xff"),
            (int(1 << 31), b"l\x03\x00\x00\x00\x00\x00\x00\x00\x02\x00"),
            (int(-(1 << 31)), b"i\x00\x00\x00\x80"),
            (Constant::Str("ab".into()), b"Z\x02ab"),
            (Constant::Str("a b".into()), b"z\x03a b"),
            (Constant::Str("\u{e9}".into()), b"u\x02\x00\x00\x00\xc3\xa9"),
            (Constant::Bytes(b"ab".as_slice().into()), b"s\x02\x00\x00\x00ab"),
            (
                Constant::Tuple(vec![int(1), int(1)].into()),
                b")\x02\xe9\x01\x00\x00\x00r\x00\x00\x00\x00",
            ),
            (Constant::FrozenSet(Box::new([])), b">\x00\x00\x00\x00"),
        ];
        for (c, expected) in cases {
            let got = dumps_constant(&c);
            assert_eq!(got, expected, "{c:?}");
            assert_eq!(loads(&got).unwrap(), c);
        }
    }

    #[test]
    fn errors() {
        let cases: &[(&[u8], ErrorKind, &str)] = &[
            (b"", ErrorKind::Eof, "EOF read where object expected"),
            (b"i\x01", ErrorKind::Eof, "marshal data too short"),
            (b"\x01", ErrorKind::Value, "bad marshal data (unknown type code)"),
            (
                b"l\x00\x00\x00\x80",
                ErrorKind::Value,
                "bad marshal data (long size out of range)",
            ),
            (
                b"l\x01\x00\x00\x00\x00\x00",
                ErrorKind::Value,
                "bad marshal data (unnormalized long data)",
            ),
            (
                b"l\x01\x00\x00\x00\x00\x80",
                ErrorKind::Value,
                "bad marshal data (digit out of range in long)",
            ),
            (
                b"r\x00\x00\x00\x00",
                ErrorKind::Value,
                "bad marshal data (invalid reference)",
            ),
            (
                b"u\x01\x00\x00\x00\xff",
                ErrorKind::UnicodeDecode,
                "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte",
            ),
            (b"0", ErrorKind::Type, "NULL object in marshal data for object"),
            (
                b"(\x01\x00\x00\x000",
                ErrorKind::Type,
                "NULL object in marshal data for tuple",
            ),
            (
                b"(\xff\xff\xff\xff",
                ErrorKind::Value,
                "bad marshal data (tuple size out of range)",
            ),
            (
                b"f\x03abc",
                ErrorKind::Value,
                "could not convert string to float: 'abc'",
            ),
        ];
        for &(data, kind, message) in cases {
            let e = loads(data).unwrap_err();
            assert_eq!((e.kind, e.message.as_str()), (kind, message), "{data:?}");
        }
        assert_eq!(
            loads(b"u\x03\x00\x00\x00\xed\xa0\x80").unwrap(),
            Constant::Str(PyStr::from_wtf8_bytes(b"\xed\xa0\x80").unwrap())
        );
        assert_eq!(loads(b"z\x02\xe9\xff").unwrap(), Constant::Str("\u{e9}\u{ff}".into()));
        assert_eq!(loads(b"f\x03inf").unwrap(), Constant::Float(f64::INFINITY));
        assert_eq!(loads(b"I\x01\x00\x00\x00\x00\x00\x00\x00").unwrap(), int(1));
    }

    #[test]
    fn frozenset_items_are_deduplicated_as_python_does() {
        let data = b">\x04\x00\x00\x00i\x01\x00\x00\x00g\x00\x00\x00\x00\x00\x00\xf0?Ty\x00\x00\x00\x00\x00\x00\xf0?\x00\x00\x00\x00\x00\x00\x00\x00";
        assert_eq!(loads(data).unwrap(), Constant::FrozenSet(vec![int(1)].into()));
    }
}
