//! CPython 3.12's abstract syntax tree, its types generated from `grammar/Python.asdl` by
//! `build.rs` (as CPython generates `pycore_ast.h` and `Python-ast.c` with `Parser/asdl_c.py`),
//! and `ast.dump`.
//!
//! Nodes live in an arena (`bumpalo::Bump`, lifetime `'a`) and refer to each other with plain
//! references; every type is `Copy`, which the PEG parser's memo table relies on. The ASDL maps
//! to Rust as follows:
//!
//! - a sum with attributes (`stmt`, `expr`, `excepthandler`, `pattern`, `type_param`) is a
//!   struct of a kind and a location, `Expr<'a> { kind: ExprKind<'a>, loc: Loc }`, and an enum
//!   of its constructors with named fields, `ExprKind::BinOp { left, op, right }` (constructors
//!   without fields are unit variants: `StmtKind::Pass`);
//! - a sum without attributes (`mod`, `type_ignore`) is that enum alone: `Mod::Module { .. }`;
//! - a *simple* sum, whose constructors have no fields (`expr_context`, `boolop`, `operator`,
//!   `unaryop`, `cmpop`), is a plain enum without lifetime: `Operator::Add`;
//! - a product (`comprehension`, `arguments`, `arg`, ...) is a struct, with a trailing
//!   `loc: Loc` if it has attributes (`arg`, `keyword`, `alias`);
//! - type names are CamelCase (`excepthandler` → `ExceptHandler`, `withitem` → `WithItem`,
//!   `match_case` → `MatchCase`); field names are the ASDL's, `type` becoming `type_`;
//! - field types: `T` → `&'a T<'a>`, `T?` → `Option<&'a T<'a>>`, `T*` → `&'a [&'a T<'a>]`
//!   (for a simple sum `cmpop*` → `&'a [CmpOp]`); `identifier` and `string` → `&'a str`, `int` →
//!   `i32`, `constant` → [`Constant`]. The two sequences whose items CPython lets be NULL,
//!   `Dict.keys` (for `**mapping` items) and `arguments.kw_defaults`, are `&'a [Option<&'a Expr<'a>>]`.
//!
//! Every constructor enum and simple sum has `name()`, the Python class name.

pub mod constant;
pub mod dump;
pub mod unparse;

pub use constant::{Constant, Int};
pub use dump::{dump, dump_expr, dump_mod, dump_stmt, Dump, Dumper};

/// A node's source range (the ASDL attributes `lineno`, `col_offset`, `end_lineno`,
/// `end_col_offset`): 1-based lines, 0-based columns in UTF-8 bytes, as CPython stores them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Loc {
    pub lineno: u32,
    pub col_offset: u32,
    pub end_lineno: u32,
    pub end_col_offset: u32,
}

mod generated {
    use super::*;
    include!(concat!(env!("OUT_DIR"), "/ast.rs"));
}
pub use generated::*;
