//! CPython 3.12's symbol table (`Python/symtable.c`) and future statements (`Python/future.c`)
//! over pyrite's AST.
//!
//! # Pipeline
//!
//! `compile()` runs [`future_features`] on the parsed module (the `from __future__ import`
//! statements at its top, and their errors), then the AST optimizer, then [`build`] on the
//! optimized tree. `build` makes CPython's two passes:
//!
//! 1. **collection** (`symtable_visit_*`): a walk of the tree that opens a block ([`Scope`]) for
//!    the module, each function, lambda, class and comprehension, each `from __future__ import
//!    annotations` annotation, and PEP 695's type-parameter, `TypeVar`-bound and `type` alias
//!    scopes, and records in each block the raw facts about its names (bound, used, parameter,
//!    global, nonlocal, imported, annotated, comprehension iteration variable, type parameter:
//!    the `DEF_*` / [`USE`] bits). Most of the SyntaxErrors are raised here, in walk order;
//! 2. **analysis** (`analyze_block`): a walk of the block tree that decides each name's scope
//!    (local, global explicit or implicit, free, cell) and stores it in the bits above
//!    [`SCOPE_OFFSET`], propagates free variables outwards, makes the cells, inlines the
//!    comprehensions that PEP 709 inlines (all but generator expressions: their symbols merge into
//!    the enclosing block and their children replace them in its `children`), and raises the
//!    `nonlocal` errors.
//!
//! Everything CPython 3.12.1 keeps is kept, with the same values: flags, `varnames` (parameters in
//! order), `children` (after inlining), and the `ste_*` booleans the code generator reads. Names
//! in [`Scope::symbols`] keep CPython's dict order except the free variables the analysis adds
//! while iterating a set (an order that depends on string hashes; the code generator sorts them).
//!
//! # Keys
//!
//! CPython files every block in a dict keyed by the address of an AST object, and the code
//! generator finds a block again with `PySymtable_Lookup(st, address)`. pyrite does the same
//! with the address of pyrite's AST node ([`ScopeKey`]); the helpers compute it:
//!
//! | block | key |
//! |---|---|
//! | module (`top`) | the [`Mod`]: [`key_of_mod`] |
//! | function, async function, class, `type` alias value | the [`Stmt`]: [`key_of_stmt`] |
//! | lambda, list/set/dict comprehension, generator expression | the [`Expr`]: [`key_of_expr`] |
//! | type parameters of a generic function, class or `type` alias | the `type_params` slice (its data pointer): [`key_of_type_params`] |
//! | a `TypeVar`'s bound | the [`TypeParam`]: [`key_of_type_param`] |
//! | annotations under `from __future__ import annotations` | a function's: its `Stmt`; a return or variable annotation: the annotation `Expr` |
//!
//! As in CPython a later block filed under the key of an earlier one replaces it in the lookup
//! (a function's annotation block is shadowed by the function's own block); annotation blocks
//! are never children of anything (CPython never analyzes them). The keys are only valid while
//! the tree is alive and unmoved, and the code generator must walk the very tree (the optimized
//! one) that `build` saw.
//!
//! # Names
//!
//! Names are `&'a str` borrowed from the AST. Names CPython creates are static strings (`.0`,
//! `.type_params`, `__class__`, ...). Mangled names (`__x` in class `C` is `_C__x`) are the only
//! new strings: [`build_in`] allocates them in the caller's arena, [`build`] in a process-wide
//! interner (each distinct mangled name is stored once, for the life of the process).
//!
//! # Errors
//!
//! Errors are [`SyntaxErrorInfo`]s with CPython's message and location (1-based `offset` and
//! `end_offset` from the node's UTF-8 column, as CPython computes them), and, like CPython, the
//! `text` read back from the file `filename` names ([`program_text`]; None when there is no
//! such file). The one error that is not a SyntaxError, RecursionError ("maximum recursion depth
//! exceeded during compilation", past [`RECURSION_LIMIT`] nested statements, expressions,
//! patterns and type parameters), has no [`ErrorKind`](pyrite_parser::errors::ErrorKind) of its
//! own yet: it comes as a `MemoryError` kind that [`is_recursion_error`] recognizes. The walks
//! recurse natively: run deep inputs on a thread with a large stack (as the parser needs).
//!
//! `from __future__ imports must occur at the beginning of the file` is not raised here: in
//! 3.12 the code generator raises it (it compares each `from __future__` import with
//! [`FutureFeatures`]'s location). Neither is `'yield' outside function`, `'await' outside
//! function` and the other code generator errors. The 3.12 symbol table raises no warnings.
//!
//! # Speed
//!
//! Names are borrowed, never copied; a block's symbols are an [`IndexMap`] with the Fx hash.
//! The analysis gives a block the `bound`, `global` and `type_params` sets of its parent
//! read-only and builds the sets its own children see once, only if it has children, where
//! CPython copies all three for every child (see `analyze.rs` for why that is the same). Over
//! the standard library (each file just parsed) the symbol table takes about 0.16 s
//! (`cargo run --release -p pyrite-symtable --example bench_symtable`), CPython's
//! `_PySymtable_Build` about 0.7 s (its share of `_symtable.symtable()` under `perf`).
//!
//! # Tests
//!
//! Against the oracle (`tools/oracle/symtable_dump.py`, which dumps `_symtable.symtable()` in
//! the format of [`dump`]): the whole standard library (`tests/corpus.rs`), the symbol table
//! and future errors of `corpus/syntax-errors/compiler` (`tests/errors.rs`), the hand-written
//! cases of `tests/cases` (`tests/cases.rs`), the code snippets of CPython's test suite,
//! random programs and the recursion limit (`tests/generated.rs`).

mod analyze;
mod builder;
mod dump;
mod errors;
mod future;

use indexmap::IndexMap;
use pyrite_ast::{Expr, Mod, Stmt, TypeParam};
use rustc_hash::FxBuildHasher;
use std::borrow::Cow;

pub use builder::{build, build_in};
pub use dump::dump;
pub use errors::{is_recursion_error, program_text, RECURSION_ERROR_MSG};
pub use future::{
    future_features, FutureFeatures, CO_FUTURE_ABSOLUTE_IMPORT, CO_FUTURE_ANNOTATIONS, CO_FUTURE_BARRY_AS_BDFL,
    CO_FUTURE_DIVISION, CO_FUTURE_GENERATOR_STOP, CO_FUTURE_PRINT_FUNCTION, CO_FUTURE_UNICODE_LITERALS,
    CO_FUTURE_WITH_STATEMENT,
};
pub use pyrite_parser::errors::SyntaxErrorInfo;

/// `global` statement.
pub const DEF_GLOBAL: u32 = 1;
/// Assignment in the block.
pub const DEF_LOCAL: u32 = 2;
/// Formal parameter.
pub const DEF_PARAM: u32 = 4;
/// `nonlocal` statement.
pub const DEF_NONLOCAL: u32 = 8;
/// The name is used.
pub const USE: u32 = 16;
/// Used but not defined in a nested block (unused by CPython 3.12).
pub const DEF_FREE: u32 = 32;
/// A free variable of a method that the class also binds or uses.
pub const DEF_FREE_CLASS: u32 = 64;
/// Bound by an import.
pub const DEF_IMPORT: u32 = 128;
/// Annotated (`x: int`).
pub const DEF_ANNOT: u32 = 256;
/// A comprehension iteration variable.
pub const DEF_COMP_ITER: u32 = 512;
/// A type parameter.
pub const DEF_TYPE_PARAM: u32 = 1024;
/// A cell of an inlined comprehension.
pub const DEF_COMP_CELL: u32 = 2048;
/// The binding flags.
pub const DEF_BOUND: u32 = DEF_LOCAL | DEF_PARAM | DEF_IMPORT;

/// The scope of a name is stored in its flags from this bit on.
pub const SCOPE_OFFSET: u32 = 12;
/// The scope bits, once shifted down.
pub const SCOPE_MASK: u32 = DEF_GLOBAL | DEF_LOCAL | DEF_PARAM | DEF_NONLOCAL;
/// Scope: local.
pub const LOCAL: u32 = 1;
/// Scope: declared `global`.
pub const GLOBAL_EXPLICIT: u32 = 2;
/// Scope: global or builtin, found by lookup.
pub const GLOBAL_IMPLICIT: u32 = 3;
/// Scope: free variable (from an enclosing function).
pub const FREE: u32 = 4;
/// Scope: cell variable (a local that a nested block uses).
pub const CELL: u32 = 5;

/// The deepest nesting of statements, expressions, patterns and type parameters the symbol
/// table accepts: where CPython 3.12.1 raises RecursionError for `compile()` called from
/// Python code (its limit, 3000, counted from the C recursion depth at which `compile()` starts).
pub const RECURSION_LIMIT: u32 = 2996;

/// The kind of a block (`_Py_block_ty`), with CPython's values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum BlockType {
    Function = 0,
    Class = 1,
    Module = 2,
    /// Annotations under `from __future__ import annotations` (never analyzed).
    Annotation = 3,
    /// A `TypeVar`'s bound (PEP 695).
    TypeVarBound = 4,
    /// The value of a `type` statement.
    TypeAlias = 5,
    /// The type parameters of a generic function, class or `type` alias.
    TypeParams = 6,
}

impl BlockType {
    /// `_PyST_IsFunctionLike`.
    #[inline]
    pub fn is_function_like(self) -> bool {
        matches!(
            self,
            BlockType::Function | BlockType::TypeVarBound | BlockType::TypeAlias | BlockType::TypeParams
        )
    }
}

/// The kind of a comprehension block (`_Py_comprehension_ty`), with CPython's values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum ComprehensionType {
    List = 1,
    Dict = 2,
    Set = 3,
    Generator = 4,
}

/// The scope of a name (`_PyST_GetScope`), with CPython's values; `None` (0) for a name the
/// block does not know.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum SymbolScope {
    None = 0,
    Local = 1,
    GlobalExplicit = 2,
    GlobalImplicit = 3,
    Free = 4,
    Cell = 5,
}

impl SymbolScope {
    /// The scope of a name whose flags are `flags`.
    #[inline]
    pub fn from_flags(flags: u32) -> SymbolScope {
        match (flags >> SCOPE_OFFSET) & SCOPE_MASK {
            1 => SymbolScope::Local,
            2 => SymbolScope::GlobalExplicit,
            3 => SymbolScope::GlobalImplicit,
            4 => SymbolScope::Free,
            5 => SymbolScope::Cell,
            _ => SymbolScope::None,
        }
    }
}

/// The key CPython files a block under: the address of an AST node (see the crate docs).
pub type ScopeKey = usize;

/// The key of the module's block.
#[inline]
pub fn key_of_mod(m: &Mod<'_>) -> ScopeKey {
    m as *const Mod<'_> as usize
}

/// The key of the block of a function, async function or class definition, or of a `type`
/// alias's value (and of a function's annotation block, which the function's block shadows).
#[inline]
pub fn key_of_stmt(s: &Stmt<'_>) -> ScopeKey {
    s as *const Stmt<'_> as usize
}

/// The key of the block of a lambda, a comprehension or a generator expression (and of the
/// annotation block of a return or variable annotation).
#[inline]
pub fn key_of_expr(e: &Expr<'_>) -> ScopeKey {
    e as *const Expr<'_> as usize
}

/// The key of the type-parameter block of a generic function, class or `type` alias: the
/// address of its (non-empty) `type_params` slice, as CPython uses the `asdl_type_param_seq`.
#[inline]
pub fn key_of_type_params(type_params: &[&TypeParam<'_>]) -> ScopeKey {
    type_params.as_ptr() as usize
}

/// The key of the block of a `TypeVar`'s bound: the type parameter node.
#[inline]
pub fn key_of_type_param(tp: &TypeParam<'_>) -> ScopeKey {
    tp as *const TypeParam<'_> as usize
}

/// A block's index in its [`SymbolTable`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ScopeId(pub(crate) u32);

impl ScopeId {
    /// The position of the block in [`SymbolTable::scopes`] (creation order).
    #[inline]
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Names to flags, in insertion order.
pub type SymbolMap<'a> = IndexMap<&'a str, u32, FxBuildHasher>;

/// A `global` or `nonlocal` declaration (or the implicit one of an assignment expression in a
/// comprehension), kept for the analysis's error locations (`ste_directives`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Directive<'a> {
    /// The mangled name.
    pub name: &'a str,
    pub lineno: i32,
    pub col_offset: i32,
    pub end_lineno: i32,
    pub end_col_offset: i32,
}

/// A block: CPython's `PySTEntryObject`.
#[derive(Clone, Debug)]
pub struct Scope<'a> {
    /// `ste_name`: `top`, the function's, class's or alias's name, `lambda`, `listcomp`,
    /// `setcomp`, `dictcomp`, `genexpr`, `_annotation`.
    pub name: &'a str,
    /// `ste_type`.
    pub kind: BlockType,
    /// `ste_id`: the key the block was filed under.
    pub key: ScopeKey,
    /// `ste_symbols`: each name's flags, its scope in the bits from [`SCOPE_OFFSET`].
    pub symbols: SymbolMap<'a>,
    /// `ste_varnames`: the parameters, in order.
    pub varnames: Vec<&'a str>,
    /// `ste_children`: the nested blocks, in order (inlined comprehensions replaced by their
    /// own children; annotation blocks never appear).
    pub children: Vec<ScopeId>,
    /// `ste_directives`.
    pub directives: Vec<Directive<'a>>,
    /// The class name names are mangled with in this block (`st_private` when the block was
    /// entered; a class's own name inside it).
    pub private: Option<&'a str>,
    /// `ste_nested`: inside a function-like block.
    pub nested: bool,
    /// `ste_free`: the block has free variables (or, nested, uses globals).
    pub free: bool,
    /// `ste_child_free`: a nested block has free variables.
    pub child_free: bool,
    /// `ste_generator`.
    pub generator: bool,
    /// `ste_coroutine`.
    pub coroutine: bool,
    /// `ste_comprehension`.
    pub comprehension: Option<ComprehensionType>,
    /// `ste_varargs`.
    pub varargs: bool,
    /// `ste_varkeywords`.
    pub varkeywords: bool,
    /// `ste_returns_value`.
    pub returns_value: bool,
    /// `ste_needs_class_closure`: a class whose methods use `__class__` (or `super`).
    pub needs_class_closure: bool,
    /// `ste_needs_classdict`: a class whose annotation scopes use `__classdict__`.
    pub needs_classdict: bool,
    /// `ste_comp_inlined`: a comprehension inlined into its parent (PEP 709).
    pub comp_inlined: bool,
    /// `ste_comp_iter_target` (only set during collection).
    pub comp_iter_target: bool,
    /// `ste_can_see_class_scope`: an annotation scope directly inside a class.
    pub can_see_class_scope: bool,
    /// `ste_comp_iter_expr` (only non-zero during collection).
    pub comp_iter_expr: i32,
    pub lineno: i32,
    pub col_offset: i32,
    pub end_lineno: i32,
    pub end_col_offset: i32,
}

impl<'a> Scope<'a> {
    /// `_PyST_GetSymbol`: the flags of `name` (already mangled), 0 if the block does not know it.
    #[inline]
    pub fn flags(&self, name: &str) -> u32 {
        self.symbols.get(name).copied().unwrap_or(0)
    }

    /// `_PyST_GetScope`: the scope of `name` (already mangled).
    #[inline]
    pub fn get_scope(&self, name: &str) -> SymbolScope {
        SymbolScope::from_flags(self.flags(name))
    }

    /// `_PyST_IsFunctionLike`.
    #[inline]
    pub fn is_function_like(&self) -> bool {
        self.kind.is_function_like()
    }
}

/// The symbol table of a module: every block, the lookup by key.
#[derive(Clone, Debug)]
pub struct SymbolTable<'a> {
    pub(crate) scopes: Vec<Scope<'a>>,
    pub(crate) blocks: rustc_hash::FxHashMap<ScopeKey, ScopeId>,
    pub(crate) top: ScopeId,
}

impl<'a> SymbolTable<'a> {
    /// The module's block (`st_top`).
    #[inline]
    pub fn top(&self) -> ScopeId {
        self.top
    }

    /// `PySymtable_Lookup`: the block filed under `key`.
    #[inline]
    pub fn lookup(&self, key: ScopeKey) -> Option<ScopeId> {
        self.blocks.get(&key).copied()
    }

    /// A block.
    #[inline]
    pub fn scope(&self, id: ScopeId) -> &Scope<'a> {
        &self.scopes[id.0 as usize]
    }

    /// Every block, in creation order (annotation blocks and inlined comprehensions included).
    pub fn scopes(&self) -> &[Scope<'a>] {
        &self.scopes
    }
}

/// `_Py_Mangle`: `__name` inside class `private` becomes `_private__name` (leading underscores of
/// the class name stripped), unless the name ends with `__`, contains a dot, or the class name
/// is all underscores.
pub fn mangle<'b>(private: Option<&str>, name: &'b str) -> Cow<'b, str> {
    match mangled_parts(private, name) {
        None => Cow::Borrowed(name),
        Some(stripped) => {
            let mut s = String::with_capacity(1 + stripped.len() + name.len());
            s.push('_');
            s.push_str(stripped);
            s.push_str(name);
            Cow::Owned(s)
        }
    }
}

/// The stripped class name `name` gets mangled with, or None if it is not mangled.
#[inline]
pub(crate) fn mangled_parts<'p>(private: Option<&'p str>, name: &str) -> Option<&'p str> {
    let private = private?;
    let b = name.as_bytes();
    if b.len() < 2 || b[0] != b'_' || b[1] != b'_' {
        return None;
    }
    if b[b.len() - 1] == b'_' && b[b.len() - 2] == b'_' || b.contains(&b'.') {
        return None;
    }
    let stripped = private.trim_start_matches('_');
    if stripped.is_empty() {
        return None;
    }
    Some(stripped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mangling() {
        assert_eq!(mangle(Some("C"), "__x"), "_C__x");
        assert_eq!(mangle(Some("__C"), "__x"), "_C__x");
        assert_eq!(mangle(Some("___"), "__x"), "__x");
        assert_eq!(mangle(Some("C"), "__x__"), "__x__");
        assert_eq!(mangle(Some("C"), "__"), "__");
        assert_eq!(mangle(Some("C"), "___"), "___");
        assert_eq!(mangle(Some("C"), "_x"), "_x");
        assert_eq!(mangle(Some("C"), "__a.b"), "__a.b");
        assert_eq!(mangle(None, "__x"), "__x");
        assert_eq!(mangle(Some("Ç"), "__é"), "_Ç__é");
    }
}
