//! The code generator (CPython 3.12's `Python/compile.c`): walks the optimized AST with the
//! symbol table's scopes and emits, for every code unit (module, class body, function, lambda,
//! non-inlined comprehension, type-parameter and type-alias scope), an
//! [`InstrSequence`](pyrite_flowgraph::InstrSequence) of real and pseudo instructions with
//! labels and source locations; then runs the flow-graph passes and the assembler on it
//! (`optimize_and_assemble`) and returns the code object.
//!
//! The structure follows compile.c function by function (`compiler_visit_stmt`,
//! `compiler_nameop`, `compiler_jump_if`, `compiler_comprehension`, `compiler_pattern`, …), so
//! that CPython's code is the specification and the differential tests are the proof.

mod consts;
mod expr;
mod pattern;
mod stmt;

use bumpalo::Bump;
use indexmap::{IndexMap, IndexSet};
use pyrite_assembler::CodeUnitMetadata;
use pyrite_ast::*;
use pyrite_code::{flags as co, CodeObject, Constant, PyStr};
use pyrite_flowgraph::{Cfg, InstrSequence, Label, Location, NO_LOCATION};
use pyrite_opcode::Opcode;
use pyrite_parser::errors::{ErrorKind, SyntaxErrorInfo};
use pyrite_symtable::{BlockType, FutureFeatures, ScopeId, SymbolTable};
use rustc_hash::FxBuildHasher;
use std::sync::Arc;

pub use consts::ConstTable;

type NameSet<'a> = IndexSet<&'a str, FxBuildHasher>;

/// A soft limit on values pushed at once before building collections piecewise
/// (`STACK_USE_GUIDELINE`).
const STACK_USE_GUIDELINE: usize = 30;

// Symbol-table flag bits and scopes (`Include/internal/pycore_symtable.h`).
pub(crate) const DEF_LOCAL: u32 = 2;
pub(crate) const DEF_NONLOCAL: u32 = 8;
pub(crate) const DEF_FREE_CLASS: u32 = 64;
pub(crate) const DEF_IMPORT: u32 = 128;
pub(crate) const DEF_COMP_CELL: u32 = 2048;
pub(crate) const SCOPE_OFFSET: u32 = 12;
pub(crate) const SCOPE_MASK: u32 = 15;
pub(crate) const LOCAL: u32 = 1;
pub(crate) const GLOBAL_EXPLICIT: u32 = 2;
pub(crate) const GLOBAL_IMPLICIT: u32 = 3;
pub(crate) const FREE: u32 = 4;
pub(crate) const CELL: u32 = 5;

/// `PyCF_MASK`: the future flags every code object inherits.
const PYCF_MASK: u32 = co::CO_FUTURE_DIVISION
    | co::CO_FUTURE_ABSOLUTE_IMPORT
    | co::CO_FUTURE_WITH_STATEMENT
    | co::CO_FUTURE_PRINT_FUNCTION
    | co::CO_FUTURE_UNICODE_LITERALS
    | co::CO_FUTURE_BARRY_AS_BDFL
    | co::CO_FUTURE_GENERATOR_STOP
    | co::CO_FUTURE_ANNOTATIONS;

/// Intrinsic function numbers (`Include/internal/pycore_intrinsics.h`).
pub(crate) mod intrinsic {
    pub const PRINT: i32 = 1;
    pub const IMPORT_STAR: i32 = 2;
    pub const STOPITERATION_ERROR: i32 = 3;
    pub const ASYNC_GEN_WRAP: i32 = 4;
    pub const UNARY_POSITIVE: i32 = 5;
    pub const LIST_TO_TUPLE: i32 = 6;
    pub const TYPEVAR: i32 = 7;
    pub const PARAMSPEC: i32 = 8;
    pub const TYPEVARTUPLE: i32 = 9;
    pub const SUBSCRIPT_GENERIC: i32 = 10;
    pub const TYPEALIAS: i32 = 11;
    pub const PREP_RERAISE_STAR: i32 = 1;
    pub const TYPEVAR_WITH_BOUND: i32 = 2;
    pub const TYPEVAR_WITH_CONSTRAINTS: i32 = 3;
    pub const SET_FUNCTION_TYPE_PARAMS: i32 = 4;
}

/// Why compilation failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CompileError {
    /// A SyntaxError raised by the code generator. Its `text` is left for the caller, who has
    /// the source, to fill in.
    Syntax(SyntaxErrorInfo),
    /// What CPython would raise as SystemError (a compiler bug or an AST it cannot compile).
    System(String),
}

pub type CResult<T = ()> = Result<T, CompileError>;

/// A SyntaxWarning raised while compiling: message and line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    pub msg: String,
    pub lineno: i32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ScopeType {
    Module,
    Class,
    Function,
    AsyncFunction,
    Lambda,
    Comprehension,
    TypeParams,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FBlockType {
    WhileLoop,
    ForLoop,
    TryExcept,
    FinallyTry,
    FinallyEnd,
    With,
    AsyncWith,
    HandlerCleanup,
    PopValue,
    ExceptionHandler,
    ExceptionGroupHandler,
    AsyncComprehensionGenerator,
}

#[derive(Clone, Copy)]
pub(crate) enum FBlockDatum<'a> {
    None,
    Body(&'a [&'a Stmt<'a>]),
    Stmt(&'a Stmt<'a>),
    Name(&'a str),
    Marker,
}

#[derive(Clone, Copy)]
pub(crate) struct FBlock<'a> {
    pub ty: FBlockType,
    pub block: Label,
    pub exit: Label,
    pub datum: FBlockDatum<'a>,
}

/// The state of one code unit being compiled (`struct compiler_unit`).
pub(crate) struct Unit<'a> {
    pub ste: ScopeId,
    pub scope_type: ScopeType,
    pub private: Option<&'a str>,
    pub seq: InstrSequence,
    pub fblocks: Vec<FBlock<'a>>,
    pub in_inlined_comp: i32,
    pub name: &'a str,
    pub qualname: Option<&'a str>,
    pub consts: ConstTable,
    pub names: NameSet<'a>,
    pub varnames: NameSet<'a>,
    pub cellvars: NameSet<'a>,
    pub freevars: NameSet<'a>,
    pub fasthidden: IndexMap<&'a str, bool, FxBuildHasher>,
    pub argcount: u32,
    pub posonlyargcount: u32,
    pub kwonlyargcount: u32,
    pub firstlineno: i32,
    /// Symbols of the scope's entry temporarily replaced while an inlined comprehension is
    /// compiled (CPython writes them into `ste_symbols` and restores them afterwards).
    pub sym_overrides: rustc_hash::FxHashMap<&'a str, u32>,
    /// `ste_coroutine` as the code generator may set it (top-level await).
    pub coroutine: bool,
}

/// The compiler's global state (`struct compiler`).
pub struct Compiler<'a, 's> {
    pub(crate) arena: &'a Bump,
    pub(crate) st: &'s SymbolTable<'a>,
    pub(crate) future: FutureFeatures,
    /// `c_flags.cf_flags`: the future features merged with compile()'s flags.
    pub(crate) cf_flags: u32,
    pub(crate) optimize: i32,
    pub(crate) interactive: bool,
    pub(crate) nestlevel: i32,
    pub(crate) filename: PyStr,
    pub(crate) units: Vec<Unit<'a>>,
    pub warnings: Vec<Warning>,
    /// When set, the module unit's instruction sequence as the code generator left it (before
    /// the flow-graph passes) is written here, in the format of `tools/debug/codegen_dump.py`.
    pub codegen_listing: Option<String>,
}

#[inline]
pub(crate) fn loc(l: Loc) -> Location {
    Location::new(
        l.lineno as i32,
        l.end_lineno as i32,
        l.col_offset as i32,
        l.end_col_offset as i32,
    )
}

/// `_Py_Mangle` (`pyrite_symtable::mangle`), a new name allocated in the arena.
pub fn mangle<'a>(arena: &'a Bump, private: Option<&str>, name: &'a str) -> &'a str {
    match pyrite_symtable::mangle(private, name) {
        std::borrow::Cow::Borrowed(n) => n,
        std::borrow::Cow::Owned(n) => arena.alloc_str(&n),
    }
}

/// `_PyAST_GetDocString`.
pub(crate) fn get_docstring<'a>(body: &[&'a Stmt<'a>]) -> Option<&'a Expr<'a>> {
    let first = body.first()?;
    if let StmtKind::Expr { value } = first.kind {
        if let ExprKind::Constant {
            value: pyrite_ast::Constant::Str(_),
            ..
        } = value.kind
        {
            return Some(value);
        }
    }
    None
}

impl<'a, 's> Compiler<'a, 's> {
    pub fn new(
        arena: &'a Bump,
        st: &'s SymbolTable<'a>,
        future: FutureFeatures,
        cf_flags: u32,
        optimize: i32,
        filename: &str,
    ) -> Self {
        Compiler {
            arena,
            st,
            future,
            cf_flags: cf_flags | future.flags,
            optimize,
            interactive: false,
            nestlevel: 0,
            filename: PyStr::from(filename),
            units: Vec::new(),
            warnings: Vec::new(),
            codegen_listing: None,
        }
    }

    // ----- unit access -----

    #[inline]
    pub(crate) fn u(&mut self) -> &mut Unit<'a> {
        self.units.last_mut().expect("inside a code unit")
    }

    #[inline]
    pub(crate) fn ur(&self) -> &Unit<'a> {
        self.units.last().expect("inside a code unit")
    }

    pub(crate) fn ste(&self) -> &'s pyrite_symtable::Scope<'a> {
        self.st.scope(self.ur().ste)
    }

    /// `_PyST_IsFunctionLike` of the current scope.
    pub(crate) fn is_function_like(&self) -> bool {
        is_function_like(self.ste().kind)
    }

    /// The scope flags of `name` in the current scope, temporary overrides included.
    pub(crate) fn symbol_flags(&self, name: &str) -> u32 {
        let u = self.ur();
        if let Some(&f) = u.sym_overrides.get(name) {
            return f;
        }
        self.ste().symbols.get(name).copied().unwrap_or(0)
    }

    /// The flags of `name` in the module's scope (`_PyST_GetSymbol(st_top, name)`), with the
    /// module unit's temporary overrides.
    pub(crate) fn top_symbol_flags(&self, name: &str) -> u32 {
        if let Some(&f) = self.units.first().and_then(|u| u.sym_overrides.get(name)) {
            return f;
        }
        let top = self.st.scope(self.st.top());
        top.symbols.get(name).copied().unwrap_or(0)
    }

    /// `_PyST_GetScope` in the current scope.
    pub(crate) fn get_scope(&self, name: &str) -> u32 {
        (self.symbol_flags(name) >> SCOPE_OFFSET) & SCOPE_MASK
    }

    pub(crate) fn mangle(&self, name: &'a str) -> &'a str {
        mangle(self.arena, self.ur().private, name)
    }

    pub(crate) fn alloc_str(&self, s: &str) -> &'a str {
        self.arena.alloc_str(s)
    }

    // ----- emitting -----

    #[inline]
    pub(crate) fn addop(&mut self, loc: Location, op: Opcode) {
        self.u().seq.addop(op, 0, loc);
    }

    #[inline]
    pub(crate) fn addop_i(&mut self, loc: Location, op: Opcode, oparg: i32) {
        self.u().seq.addop(op, oparg, loc);
    }

    #[inline]
    pub(crate) fn addop_j(&mut self, loc: Location, op: Opcode, target: Label) {
        self.u().seq.addop(op, target.0, loc);
    }

    #[inline]
    pub(crate) fn new_label(&mut self) -> Label {
        self.u().seq.new_label()
    }

    #[inline]
    pub(crate) fn use_label(&mut self, lbl: Label) {
        self.u().seq.use_label(lbl);
    }

    pub(crate) fn add_const(&mut self, c: Constant) -> i32 {
        self.u().consts.add(c) as i32
    }

    pub(crate) fn load_const(&mut self, loc: Location, c: Constant) {
        let i = self.add_const(c);
        self.addop_i(loc, Opcode::LOAD_CONST, i);
    }

    pub(crate) fn load_none(&mut self, loc: Location) {
        self.load_const(loc, Constant::None);
    }

    /// ADDOP_N / compiler_addop_o on the names table, without mangling.
    pub(crate) fn addop_name_raw(&mut self, loc: Location, op: Opcode, name: &'a str) {
        let (i, _) = self.u().names.insert_full(name);
        self.addop_i(loc, op, i as i32);
    }

    /// `compiler_addop_name`: a name-table instruction, the name mangled, with the oparg
    /// encodings of LOAD_ATTR / LOAD_METHOD / LOAD_SUPER_ATTR and friends.
    pub(crate) fn addop_name(&mut self, loc: Location, op: Opcode, name: &'a str) {
        let mangled = self.mangle(name);
        let (arg, _) = self.u().names.insert_full(mangled);
        let mut arg = arg as i32;
        let mut op = op;
        match op {
            Opcode::LOAD_ATTR => arg <<= 1,
            Opcode::LOAD_METHOD => {
                op = Opcode::LOAD_ATTR;
                arg = (arg << 1) | 1;
            }
            Opcode::LOAD_SUPER_ATTR => arg = (arg << 2) | 2,
            Opcode::LOAD_SUPER_METHOD => {
                op = Opcode::LOAD_SUPER_ATTR;
                arg = (arg << 2) | 3;
            }
            Opcode::LOAD_ZERO_SUPER_ATTR => {
                op = Opcode::LOAD_SUPER_ATTR;
                arg <<= 2;
            }
            Opcode::LOAD_ZERO_SUPER_METHOD => {
                op = Opcode::LOAD_SUPER_ATTR;
                arg = (arg << 2) | 1;
            }
            _ => {}
        }
        self.addop_i(loc, op, arg);
    }

    /// An instruction on the varnames table (ADDOP_N ... varnames).
    pub(crate) fn addop_varname(&mut self, loc: Location, op: Opcode, name: &'a str) {
        let (i, _) = self.u().varnames.insert_full(name);
        self.addop_i(loc, op, i as i32);
    }

    // ----- errors -----

    pub(crate) fn error(&self, loc: Location, msg: impl Into<String>) -> CompileError {
        CompileError::Syntax(SyntaxErrorInfo {
            kind: ErrorKind::SyntaxError,
            msg: msg.into(),
            lineno: loc.lineno as i64,
            offset: loc.col_offset as i64 + 1,
            end_lineno: loc.end_lineno as i64,
            end_offset: loc.end_col_offset as i64 + 1,
            text: None,
            has_filename: true,
        })
    }

    pub(crate) fn warn(&mut self, loc: Location, msg: String) {
        self.warnings.push(Warning {
            msg,
            lineno: loc.lineno,
        });
    }

    // ----- scopes -----

    /// `compiler_enter_scope`.
    pub(crate) fn enter_scope(&mut self, name: &'a str, scope_type: ScopeType, key: usize, lineno: i32) -> CResult {
        let ste = self
            .st
            .lookup(key)
            .ok_or_else(|| CompileError::System(format!("unknown scope for {name}")))?;
        let scope = self.st.scope(ste);
        let mut varnames = NameSet::default();
        for &v in scope.varnames.iter() {
            varnames.insert(v);
        }
        let mut cellvars = dictbytype(scope, CELL, DEF_COMP_CELL);
        if scope.needs_class_closure {
            cellvars.insert("__class__");
        }
        if scope.needs_classdict {
            cellvars.insert("__classdict__");
        }
        let freevars = dictbytype(scope, FREE, DEF_FREE_CLASS);
        let private = self.units.last().and_then(|u| u.private);
        self.units.push(Unit {
            ste,
            scope_type,
            private,
            seq: InstrSequence::new(),
            fblocks: Vec::new(),
            in_inlined_comp: 0,
            name,
            qualname: None,
            consts: ConstTable::default(),
            names: NameSet::default(),
            varnames,
            cellvars,
            freevars,
            fasthidden: IndexMap::default(),
            argcount: 0,
            posonlyargcount: 0,
            kwonlyargcount: 0,
            firstlineno: lineno,
            sym_overrides: Default::default(),
            coroutine: scope.coroutine,
        });
        self.nestlevel += 1;
        let mut l = Location::new(lineno, lineno, 0, 0);
        if scope_type == ScopeType::Module {
            l.lineno = 0;
        } else {
            self.set_qualname();
        }
        self.addop_i(l, Opcode::RESUME, 0);
        Ok(())
    }

    pub(crate) fn exit_scope(&mut self) {
        self.nestlevel -= 1;
        self.units.pop();
    }

    /// `compiler_set_qualname`.
    fn set_qualname(&mut self) {
        let n = self.units.len();
        let u = &self.units[n - 1];
        let mut base: Option<String> = None;
        // CPython's `c_stack` holds the enclosing units, the module's included.
        let stack_size = n - 1;
        if stack_size > 1 {
            let mut parent = &self.units[n - 2];
            if parent.scope_type == ScopeType::TypeParams {
                if stack_size == 2 {
                    let name = u.name;
                    self.units[n - 1].qualname = Some(name);
                    return;
                }
                parent = &self.units[n - 3];
            }
            let mut force_global = false;
            if matches!(
                u.scope_type,
                ScopeType::Function | ScopeType::AsyncFunction | ScopeType::Class
            ) {
                let mangled = mangle(self.arena, parent.private, u.name);
                let pscope = self.st.scope(parent.ste);
                let flags = parent
                    .sym_overrides
                    .get(mangled)
                    .copied()
                    .unwrap_or_else(|| pscope.symbols.get(mangled).copied().unwrap_or(0));
                if (flags >> SCOPE_OFFSET) & SCOPE_MASK == GLOBAL_EXPLICIT {
                    force_global = true;
                }
            }
            if !force_global {
                let pq = parent.qualname.unwrap_or(parent.name);
                if matches!(
                    parent.scope_type,
                    ScopeType::Function | ScopeType::AsyncFunction | ScopeType::Lambda
                ) {
                    base = Some(format!("{pq}.<locals>"));
                } else {
                    base = Some(pq.to_string());
                }
            }
        }
        let name = self.units[n - 1].name;
        let q = match base {
            Some(b) => self.alloc_str(&format!("{b}.{name}")),
            None => name,
        };
        self.units[n - 1].qualname = Some(q);
    }

    // ----- the top -----

    /// Compile a module (`compiler_mod` for `Module`).
    pub fn compile_module(&mut self, module: &'a Mod<'a>) -> CResult<CodeObject> {
        let key = module as *const Mod as usize;
        self.enter_scope("<module>", ScopeType::Module, key, 1)?;
        let l = Location::new(1, 1, 0, 0);
        let add_none = !matches!(module, Mod::Expression { .. });
        let r = match module {
            Mod::Module { body, .. } => self.body(l, body),
            Mod::Interactive { body } => {
                if find_ann(body) {
                    self.addop(l, Opcode::SETUP_ANNOTATIONS);
                }
                self.interactive = true;
                body.iter().try_for_each(|s| self.visit_stmt(s))
            }
            Mod::Expression { body } => self.visit_expr(body),
            Mod::FunctionType { .. } => Err(CompileError::System(
                "module kind FunctionType should not be possible".into(),
            )),
        };
        if let Err(e) = r {
            self.exit_scope();
            return Err(e);
        }
        let co = self.optimize_and_assemble(add_none);
        self.exit_scope();
        co
    }

    /// `compiler_body`: docstring, SETUP_ANNOTATIONS, statements.
    pub(crate) fn body(&mut self, l: Location, stmts: &'a [&'a Stmt<'a>]) -> CResult {
        let mut l = l;
        if self.ur().scope_type == ScopeType::Module && !stmts.is_empty() {
            l = loc(stmts[0].loc);
        }
        if find_ann(stmts) {
            self.addop(l, Opcode::SETUP_ANNOTATIONS);
        }
        if stmts.is_empty() {
            return Ok(());
        }
        let mut i = 0;
        if self.optimize < 2 {
            if let Some(doc) = get_docstring(stmts) {
                i = 1;
                self.visit_expr(doc)?;
                self.nameop(NO_LOCATION, "__doc__", ExprContext::Store)?;
            }
        }
        for s in &stmts[i..] {
            self.visit_stmt(s)?;
        }
        Ok(())
    }

    /// `compute_code_flags`.
    pub(crate) fn compute_code_flags(&self) -> u32 {
        let ste = self.ste();
        let u = self.ur();
        let mut flags = 0;
        if is_function_like(ste.kind) {
            flags |= co::CO_NEWLOCALS | co::CO_OPTIMIZED;
            if ste.nested {
                flags |= co::CO_NESTED;
            }
            let generator = ste.generator;
            let coroutine = u.coroutine;
            if generator && !coroutine {
                flags |= co::CO_GENERATOR;
            }
            if !generator && coroutine {
                flags |= co::CO_COROUTINE;
            }
            if generator && coroutine {
                flags |= co::CO_ASYNC_GENERATOR;
            }
            if ste.varargs {
                flags |= co::CO_VARARGS;
            }
            if ste.varkeywords {
                flags |= co::CO_VARKEYWORDS;
            }
        }
        flags | (self.cf_flags & PYCF_MASK)
    }

    /// `optimize_and_assemble`: RETURN at the end, the flow-graph passes, the assembler.
    pub(crate) fn optimize_and_assemble(&mut self, add_none: bool) -> CResult<CodeObject> {
        let code_flags = self.compute_code_flags();
        if add_none {
            self.load_none(NO_LOCATION);
        }
        self.addop(NO_LOCATION, Opcode::RETURN_VALUE);
        if self.units.len() == 1 && self.codegen_listing.is_some() {
            let listing = self.listing();
            self.codegen_listing = Some(listing);
        }
        let nparams = self.ste().varnames.len();
        let filename = self.filename.clone();
        let u = self.u();
        let mut consts = std::mem::take(&mut u.consts.items);
        let mut g = Cfg::from_sequence(&u.seq);
        let nlocals = u.varnames.len();
        g.optimize_code_unit(&mut consts, nlocals, nparams, u.firstlineno)
            .map_err(|e| CompileError::System(e.0))?;
        let nlocalsplus = prepare_localsplus(u, &mut g, code_flags);
        let is_gen = code_flags & (co::CO_GENERATOR | co::CO_COROUTINE | co::CO_ASYNC_GENERATOR) != 0;
        let maxdepth = g.stackdepth(is_gen).map_err(|e| CompileError::System(e.0))?;
        g.convert_pseudo_ops();
        g.resolve_jumps();
        let seq = g.to_instr_sequence();
        let umd = CodeUnitMetadata {
            name: PyStr::from(u.name),
            qualname: u.qualname.map(PyStr::from),
            names: u.names.iter().map(|s| PyStr::from(*s)).collect(),
            varnames: u.varnames.iter().map(|s| PyStr::from(*s)).collect(),
            cellvars: u.cellvars.iter().map(|s| PyStr::from(*s)).collect(),
            freevars: u.freevars.iter().map(|s| PyStr::from(*s)).collect(),
            fasthidden: u.fasthidden.keys().map(|s| PyStr::from(*s)).collect(),
            argcount: u.argcount,
            posonlyargcount: u.posonlyargcount,
            kwonlyargcount: u.kwonlyargcount,
            firstlineno: u.firstlineno,
        };
        Ok(pyrite_assembler::make_code_object(
            &umd,
            consts,
            maxdepth,
            &seq,
            nlocalsplus,
            code_flags,
            &filename,
        ))
    }

    /// The current unit's instructions, jump targets as instruction indices.
    fn listing(&self) -> String {
        use std::fmt::Write as _;
        let u = self.ur();
        let mut out = String::new();
        for (i, ins) in u.seq.instrs.iter().enumerate() {
            let arg = if pyrite_flowgraph::has_target(ins.opcode) {
                u.seq.labelmap[ins.oparg as usize]
            } else {
                ins.oparg
            };
            let l = ins.loc;
            let _ = writeln!(
                out,
                "{i} {} {arg} @{}:{}-{}:{}",
                ins.opcode.name(),
                l.lineno,
                l.col_offset,
                l.end_lineno,
                l.end_col_offset
            );
        }
        out
    }

    /// `compiler_make_closure`: LOAD_CLOSURE the free variables, then MAKE_FUNCTION.
    pub(crate) fn make_closure(&mut self, l: Location, co: CodeObject, flags: i32) -> CResult {
        let mut flags = flags;
        let nfree = co
            .localspluskinds
            .iter()
            .filter(|&&k| k & pyrite_code::kinds::CO_FAST_FREE != 0)
            .count();
        if nfree > 0 {
            let first_free = co.localsplusnames.len() - nfree;
            for i in first_free..co.localsplusnames.len() {
                let name_s = co.localsplusnames[i].as_str().unwrap_or("");
                let name: &'a str = self.alloc_str(name_s);
                let reftype = self.get_ref_type(name)?;
                let arg = if reftype == CELL {
                    self.ur().cellvars.get_index_of(name)
                } else {
                    self.ur()
                        .freevars
                        .get_index_of(name)
                        .map(|i| i + self.ur().cellvars.len())
                };
                let Some(arg) = arg else {
                    return Err(CompileError::System(format!(
                        "compiler_lookup_arg(name='{name}') with reftype={reftype} failed in {}",
                        self.ur().name
                    )));
                };
                self.addop_i(l, Opcode::LOAD_CLOSURE, arg as i32);
            }
            flags |= 0x08;
            self.addop_i(l, Opcode::BUILD_TUPLE, nfree as i32);
        }
        self.load_const(l, Constant::Code(Arc::new(co)));
        self.addop_i(l, Opcode::MAKE_FUNCTION, flags);
        Ok(())
    }

    /// `get_ref_type`.
    pub(crate) fn get_ref_type(&self, name: &str) -> CResult<u32> {
        if self.ur().scope_type == ScopeType::Class && (name == "__class__" || name == "__classdict__") {
            return Ok(CELL);
        }
        let scope = self.get_scope(name);
        if scope == 0 {
            return Err(CompileError::System(format!(
                "_PyST_GetScope(name='{name}') failed: unknown scope in unit {}",
                self.ur().name
            )));
        }
        Ok(scope)
    }

    /// `compiler_nameop`: LOAD/STORE/DELETE of a name by its scope.
    pub(crate) fn nameop(&mut self, l: Location, name: &'a str, ctx: ExprContext) -> CResult {
        forbidden_name(self, l, name, ctx)?;
        let mangled = self.mangle(name);
        enum OpType {
            Fast,
            Global,
            Deref,
            Name,
        }
        let scope = self.get_scope(mangled);
        let mut optype = OpType::Name;
        let mut deref_in_freevars = false;
        match scope {
            FREE => {
                deref_in_freevars = true;
                optype = OpType::Deref;
            }
            CELL => optype = OpType::Deref,
            LOCAL if self.is_function_like() || self.ur().fasthidden.get(mangled) == Some(&true) => {
                optype = OpType::Fast;
            }
            GLOBAL_IMPLICIT if self.is_function_like() => optype = OpType::Global,
            GLOBAL_EXPLICIT => optype = OpType::Global,
            _ => {}
        }
        let ste_kind = self.ste().kind;
        match optype {
            OpType::Deref => {
                let op = match ctx {
                    ExprContext::Load => {
                        if ste_kind == BlockType::Class && self.ur().in_inlined_comp == 0 {
                            self.addop(l, Opcode::LOAD_LOCALS);
                            Opcode::LOAD_FROM_DICT_OR_DEREF
                        } else if self.ste().can_see_class_scope {
                            let idx = self.freevar_index("__classdict__");
                            self.addop_i(l, Opcode::LOAD_DEREF, idx);
                            Opcode::LOAD_FROM_DICT_OR_DEREF
                        } else {
                            Opcode::LOAD_DEREF
                        }
                    }
                    ExprContext::Store => Opcode::STORE_DEREF,
                    ExprContext::Del => Opcode::DELETE_DEREF,
                };
                let idx = if deref_in_freevars {
                    self.freevar_index(mangled)
                } else {
                    let (i, _) = self.u().cellvars.insert_full(mangled);
                    i as i32
                };
                self.addop_i(l, op, idx);
            }
            OpType::Fast => {
                let op = match ctx {
                    ExprContext::Load => Opcode::LOAD_FAST,
                    ExprContext::Store => Opcode::STORE_FAST,
                    ExprContext::Del => Opcode::DELETE_FAST,
                };
                self.addop_varname(l, op, mangled);
            }
            OpType::Global => {
                let op = match ctx {
                    ExprContext::Load => {
                        if self.ste().can_see_class_scope && scope == GLOBAL_IMPLICIT {
                            let idx = self.freevar_index("__classdict__");
                            self.addop_i(l, Opcode::LOAD_DEREF, idx);
                            Opcode::LOAD_FROM_DICT_OR_GLOBALS
                        } else {
                            Opcode::LOAD_GLOBAL
                        }
                    }
                    ExprContext::Store => Opcode::STORE_GLOBAL,
                    ExprContext::Del => Opcode::DELETE_GLOBAL,
                };
                let (i, _) = self.u().names.insert_full(mangled);
                let arg = if op == Opcode::LOAD_GLOBAL {
                    (i as i32) << 1
                } else {
                    i as i32
                };
                self.addop_i(l, op, arg);
            }
            OpType::Name => {
                let op = match ctx {
                    ExprContext::Load => {
                        if ste_kind == BlockType::Class && self.ur().in_inlined_comp != 0 {
                            Opcode::LOAD_GLOBAL
                        } else {
                            Opcode::LOAD_NAME
                        }
                    }
                    ExprContext::Store => Opcode::STORE_NAME,
                    ExprContext::Del => Opcode::DELETE_NAME,
                };
                let (i, _) = self.u().names.insert_full(mangled);
                let arg = if op == Opcode::LOAD_GLOBAL {
                    (i as i32) << 1
                } else {
                    i as i32
                };
                self.addop_i(l, op, arg);
            }
        }
        Ok(())
    }

    /// The oparg of a free variable: its index in `u_freevars`, which continues `u_cellvars`.
    pub(crate) fn freevar_index(&mut self, name: &'a str) -> i32 {
        let ncells = self.ur().cellvars.len();
        let (i, _) = self.u().freevars.insert_full(name);
        (ncells + i) as i32
    }
}

/// `_PyST_IsFunctionLike`.
pub(crate) fn is_function_like(kind: BlockType) -> bool {
    matches!(
        kind,
        BlockType::Function | BlockType::TypeVarBound | BlockType::TypeAlias | BlockType::TypeParams
    )
}

/// `dictbytype`: the names of `scope` with scope `scope_type` or flag `flag`, sorted.
fn dictbytype<'a>(scope: &pyrite_symtable::Scope<'a>, scope_type: u32, flag: u32) -> NameSet<'a> {
    let mut names: Vec<&'a str> = scope
        .symbols
        .iter()
        .filter(|(_, &v)| ((v >> SCOPE_OFFSET) & SCOPE_MASK) == scope_type || v & flag != 0)
        .map(|(&k, _)| k)
        .collect();
    names.sort_unstable_by(|a, b| pyrite_unicode::Wtf8::from_str(a).cmp(pyrite_unicode::Wtf8::from_str(b)));
    names.into_iter().collect()
}

/// Is there an annotated assignment in these statements, outside nested scopes (`find_ann`)?
pub(crate) fn find_ann(stmts: &[&Stmt]) -> bool {
    for st in stmts {
        let res = match st.kind {
            StmtKind::AnnAssign { .. } => return true,
            StmtKind::For { body, orelse, .. }
            | StmtKind::AsyncFor { body, orelse, .. }
            | StmtKind::While { body, orelse, .. }
            | StmtKind::If { body, orelse, .. } => find_ann(body) || find_ann(orelse),
            StmtKind::With { body, .. } | StmtKind::AsyncWith { body, .. } => find_ann(body),
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finalbody,
            }
            | StmtKind::TryStar {
                body,
                handlers,
                orelse,
                finalbody,
            } => {
                for h in handlers.iter() {
                    let ExceptHandlerKind::ExceptHandler { body, .. } = h.kind;
                    if find_ann(body) {
                        return true;
                    }
                }
                find_ann(body) || find_ann(finalbody) || find_ann(orelse)
            }
            StmtKind::Match { cases, .. } => {
                for c in cases.iter() {
                    if find_ann(c.body) {
                        return true;
                    }
                }
                false
            }
            _ => false,
        };
        if res {
            return true;
        }
    }
    false
}

/// `forbidden_name`: `__debug__` cannot be assigned or deleted.
pub(crate) fn forbidden_name(c: &Compiler, l: Location, name: &str, ctx: ExprContext) -> CResult {
    if name == "__debug__" {
        match ctx {
            ExprContext::Store => return Err(c.error(l, "cannot assign to __debug__")),
            ExprContext::Del => return Err(c.error(l, "cannot delete __debug__")),
            ExprContext::Load => {}
        }
    }
    Ok(())
}

/// `prepare_localsplus`: MAKE_CELL / COPY_FREE_VARS / RETURN_GENERATOR prefix instructions and
/// cell and free variable offsets; returns the number of fast locals plus cells and frees.
fn prepare_localsplus(u: &Unit, g: &mut Cfg, code_flags: u32) -> usize {
    let nlocals = u.varnames.len();
    let ncellvars = u.cellvars.len();
    let nfreevars = u.freevars.len();
    let nlocalsplus = nlocals + ncellvars + nfreevars;
    // build_cellfixedoffsets
    let noffsets = ncellvars + nfreevars;
    let mut fixed: Vec<i32> = (0..noffsets).map(|i| (nlocals + i) as i32).collect();
    for (cellindex, name) in u.cellvars.iter().enumerate() {
        if let Some(varindex) = u.varnames.get_index_of(name) {
            fixed[cellindex] = varindex as i32;
        }
    }
    // insert_prefix_instructions
    let entry = g.entry;
    if code_flags & (co::CO_GENERATOR | co::CO_COROUTINE | co::CO_ASYNC_GENERATOR) != 0 {
        let fl = u.firstlineno;
        g.insert_instruction(
            entry,
            0,
            Cfg::new_instr(Opcode::RETURN_GENERATOR, 0, Location::new(fl, fl, -1, -1)),
        );
        g.insert_instruction(entry, 1, Cfg::new_instr(Opcode::POP_TOP, 0, NO_LOCATION));
    }
    if ncellvars > 0 {
        let nvars = ncellvars + nlocals;
        let mut sorted = vec![0usize; nvars];
        for (i, &f) in fixed.iter().take(ncellvars).enumerate() {
            sorted[f as usize] = i + 1;
        }
        let mut ncellsused = 0;
        let mut i = 0;
        while ncellsused < ncellvars {
            let oldindex = sorted[i] as i32 - 1;
            i += 1;
            if oldindex == -1 {
                continue;
            }
            g.insert_instruction(
                entry,
                ncellsused,
                Cfg::new_instr(Opcode::MAKE_CELL, oldindex, NO_LOCATION),
            );
            ncellsused += 1;
        }
    }
    if nfreevars > 0 {
        g.insert_instruction(
            entry,
            0,
            Cfg::new_instr(Opcode::COPY_FREE_VARS, nfreevars as i32, NO_LOCATION),
        );
    }
    // fix_cell_offsets
    let mut numdropped = 0;
    for (i, f) in fixed.iter_mut().enumerate() {
        if *f == (i + nlocals) as i32 {
            *f -= numdropped;
        } else {
            numdropped += 1;
        }
    }
    let mut walk = g.walk();
    while let Some(b) = walk.next(g) {
        for instr in g.blocks[b as usize].instrs.iter_mut() {
            if matches!(
                instr.opcode,
                Opcode::MAKE_CELL
                    | Opcode::LOAD_CLOSURE
                    | Opcode::LOAD_DEREF
                    | Opcode::STORE_DEREF
                    | Opcode::DELETE_DEREF
                    | Opcode::LOAD_FROM_DICT_OR_DEREF
            ) {
                instr.oparg = fixed[instr.oparg as usize];
            }
        }
    }
    nlocalsplus - numdropped as usize
}
