//! CPython 3.12's abstract syntax tree, its types generated from `grammar/Python.asdl` by
//! `build.rs` (as CPython generates `pycore_ast.h` with `Parser/asdl_c.py`).
//!
//! Nodes live in an arena (`bumpalo::Bump`) and refer to each other with plain references:
//! `Expr<'a>` is a `kind` and a `loc`; sequences are `&'a [&'a Expr<'a>]`. Everything is `Copy`,
//! which the PEG parser's memo table relies on.

pub mod constant;
pub mod dump;

pub use constant::{Constant, Int};
pub use dump::{dump_mod, Dumper};

/// A node's source range: 1-based lines, 0-based UTF-8 byte columns, as CPython stores them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Loc {
    pub lineno: u32,
    pub col_offset: u32,
    pub end_lineno: u32,
    pub end_col_offset: u32,
}

mod generated {
    #![allow(clippy::all)]
    use super::*;
    include!(concat!(env!("OUT_DIR"), "/ast.rs"));
}
pub use generated::*;
