//! The collection pass (`symtable_visit_*`, `symtable_enter_block`, `symtable_add_def`):
//! the blocks and the raw facts about their names.

use crate::errors::{ranged, recursion_error};
use crate::future::{FutureFeatures, CO_FUTURE_ANNOTATIONS};
use crate::{
    analyze, key_of_expr, key_of_mod, key_of_stmt, key_of_type_param, key_of_type_params, mangled_parts, BlockType,
    ComprehensionType, Directive, Scope, ScopeId, ScopeKey, SymbolTable, DEF_ANNOT, DEF_COMP_ITER, DEF_GLOBAL,
    DEF_IMPORT, DEF_LOCAL, DEF_NONLOCAL, DEF_PARAM, DEF_TYPE_PARAM, RECURSION_LIMIT, USE,
};
use bumpalo::Bump;
use pyrite_ast::{
    Alias, Arg, Arguments, Comprehension, ExceptHandler, ExceptHandlerKind, Expr, ExprContext, ExprKind, Keyword, Loc,
    MatchCase, Mod, Pattern, PatternKind, Stmt, StmtKind, TypeParam, TypeParamKind, WithItem,
};
use pyrite_parser::errors::SyntaxErrorInfo;
use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::{Mutex, OnceLock};

pub(crate) type Res<T = ()> = Result<T, Box<SyntaxErrorInfo>>;

/// A node's location as the four ints CPython passes around.
#[derive(Clone, Copy, Debug)]
pub(crate) struct L {
    pub lineno: i32,
    pub col: i32,
    pub end_lineno: i32,
    pub end_col: i32,
}

impl From<Loc> for L {
    #[inline]
    fn from(l: Loc) -> L {
        L {
            lineno: l.lineno as i32,
            col: l.col_offset as i32,
            end_lineno: l.end_lineno as i32,
            end_col: l.end_col_offset as i32,
        }
    }
}

/// Where mangled names are allocated.
enum Strings<'a> {
    Arena(&'a Bump),
    Interner,
}

impl<'a> Strings<'a> {
    fn concat(&self, stripped: &str, name: &str) -> &'a str {
        match self {
            Strings::Arena(arena) => {
                let mut s = bumpalo::collections::String::with_capacity_in(1 + stripped.len() + name.len(), arena);
                s.push('_');
                s.push_str(stripped);
                s.push_str(name);
                s.into_bump_str()
            }
            Strings::Interner => {
                static INTERNED: OnceLock<Mutex<FxHashSet<&'static str>>> = OnceLock::new();
                let mut s = String::with_capacity(1 + stripped.len() + name.len());
                s.push('_');
                s.push_str(stripped);
                s.push_str(name);
                let mut set = INTERNED
                    .get_or_init(Default::default)
                    .lock()
                    .unwrap_or_else(|e| e.into_inner());
                if let Some(&found) = set.get(s.as_str()) {
                    return found;
                }
                let leaked: &'static str = Box::leak(s.into_boxed_str());
                set.insert(leaked);
                leaked
            }
        }
    }
}

/// Build the symbol table of `module` (`_PySymtable_Build`) with the features `future` (from
/// [`crate::future_features`], plus any compile flags). Mangled names are interned for the
/// life of the process; [`build_in`] allocates them in an arena instead. `filename` is where
/// error text is read back from.
pub fn build<'a>(
    module: &'a Mod<'a>,
    filename: &str,
    future: &FutureFeatures,
) -> Result<SymbolTable<'a>, SyntaxErrorInfo> {
    build_with(Strings::Interner, module, filename, future)
}

/// [`build`], allocating the mangled names in `arena` (e.g. the AST's).
pub fn build_in<'a>(
    arena: &'a Bump,
    module: &'a Mod<'a>,
    filename: &str,
    future: &FutureFeatures,
) -> Result<SymbolTable<'a>, SyntaxErrorInfo> {
    build_with(Strings::Arena(arena), module, filename, future)
}

fn build_with<'a>(
    strings: Strings<'a>,
    module: &'a Mod<'a>,
    filename: &str,
    future: &FutureFeatures,
) -> Result<SymbolTable<'a>, SyntaxErrorInfo> {
    let mut b = Builder {
        filename,
        future_annotations: future.flags & CO_FUTURE_ANNOTATIONS != 0,
        scopes: Vec::new(),
        blocks: FxHashMap::default(),
        stack: Vec::new(),
        cur: ScopeId(0),
        top: ScopeId(0),
        private: None,
        depth: 0,
        strings,
    };
    b.enter_block(
        "top",
        BlockType::Module,
        key_of_mod(module),
        L {
            lineno: 0,
            col: 0,
            end_lineno: 0,
            end_col: 0,
        },
    );
    b.top = b.cur;
    let res = match module {
        Mod::Module { body, .. } | Mod::Interactive { body } => body.iter().try_for_each(|s| b.visit_stmt(s)),
        Mod::Expression { body } => b.visit_expr(body),
        Mod::FunctionType { .. } => Err(Box::new(SyntaxErrorInfo::without_location(
            pyrite_parser::errors::ErrorKind::ValueError,
            "this compiler does not handle FunctionTypes",
        ))),
    };
    res.map_err(|e| *e)?;
    b.exit_block();

    let mut table = SymbolTable {
        scopes: b.scopes,
        blocks: b.blocks,
        top: b.top,
    };
    analyze::analyze(&mut table, filename).map_err(|e| *e)?;
    Ok(table)
}

struct Builder<'a, 'f> {
    filename: &'f str,
    future_annotations: bool,
    scopes: Vec<Scope<'a>>,
    blocks: FxHashMap<ScopeKey, ScopeId>,
    /// `st_stack`.
    stack: Vec<ScopeId>,
    /// `st_cur`.
    cur: ScopeId,
    /// `st_top` (its symbols are `st_global`).
    top: ScopeId,
    /// `st_private`.
    private: Option<&'a str>,
    /// `recursion_depth`.
    depth: u32,
    strings: Strings<'a>,
}

const DUPLICATE_ARGUMENT: &str = "duplicate argument '%U' in function definition";

fn fmt1(template: &str, name: &str) -> String {
    template.replacen("%U", name, 1)
}

impl<'a> Builder<'a, '_> {
    #[inline]
    fn cur(&mut self) -> &mut Scope<'a> {
        &mut self.scopes[self.cur.0 as usize]
    }

    #[inline]
    fn cur_ref(&self) -> &Scope<'a> {
        &self.scopes[self.cur.0 as usize]
    }

    #[cold]
    fn error(&self, msg: String, l: L) -> Box<SyntaxErrorInfo> {
        ranged(self.filename, msg, l.lineno, l.col, l.end_lineno, l.end_col)
    }

    /// `_Py_Mangle(st_private, name)`, allocated if it changes.
    #[inline]
    fn mangle(&self, name: &'a str) -> &'a str {
        match mangled_parts(self.private, name) {
            None => name,
            Some(stripped) => self.strings.concat(stripped, name),
        }
    }

    /// `symtable_enter_block`.
    fn enter_block(&mut self, name: &'a str, kind: BlockType, key: ScopeKey, l: L) {
        let prev = self.stack.last().copied();
        let (nested, comp_iter_expr) = match prev {
            Some(p) => {
                let p = &self.scopes[p.0 as usize];
                (p.nested || p.kind.is_function_like(), p.comp_iter_expr)
            }
            None => (false, 0),
        };
        let id = ScopeId(self.scopes.len() as u32);
        self.scopes.push(Scope {
            name,
            kind,
            key,
            symbols: crate::SymbolMap::with_capacity_and_hasher(8, Default::default()),
            varnames: Vec::new(),
            children: Vec::new(),
            directives: Vec::new(),
            private: self.private,
            nested,
            free: false,
            child_free: false,
            generator: false,
            coroutine: false,
            comprehension: None,
            varargs: false,
            varkeywords: false,
            returns_value: false,
            needs_class_closure: false,
            needs_classdict: false,
            comp_inlined: false,
            comp_iter_target: false,
            can_see_class_scope: false,
            comp_iter_expr,
            lineno: l.lineno,
            col_offset: l.col,
            end_lineno: l.end_lineno,
            end_col_offset: l.end_col,
        });
        self.blocks.insert(key, id);
        self.stack.push(id);
        self.cur = id;
        // Annotation blocks are never children: CPython does not analyze them.
        if kind == BlockType::Annotation {
            return;
        }
        if let Some(p) = prev {
            self.scopes[p.0 as usize].children.push(id);
        }
    }

    /// `symtable_exit_block`.
    fn exit_block(&mut self) {
        self.stack.pop();
        if let Some(&p) = self.stack.last() {
            self.cur = p;
        }
    }

    /// `symtable_lookup`: the flags of `name` (mangled) in the current block.
    fn lookup(&self, name: &str) -> u32 {
        let scope = self.cur_ref();
        match mangled_parts(self.private, name) {
            None => scope.flags(name),
            Some(stripped) => {
                let mut s = String::with_capacity(1 + stripped.len() + name.len());
                s.push('_');
                s.push_str(stripped);
                s.push_str(name);
                scope.flags(&s)
            }
        }
    }

    #[inline]
    fn add_def(&mut self, name: &'a str, flag: u32, l: L) -> Res {
        self.add_def_in(name, flag, self.cur, l)
    }

    /// `symtable_add_def_helper`.
    fn add_def_in(&mut self, name: &'a str, flag: u32, ste: ScopeId, l: L) -> Res {
        let mangled = self.mangle(name);
        let scope = &mut self.scopes[ste.0 as usize];
        let comp_iter_target = scope.comp_iter_target;
        let entry = scope.symbols.entry(mangled);
        let old = match &entry {
            indexmap::map::Entry::Occupied(o) => *o.get(),
            indexmap::map::Entry::Vacant(_) => 0,
        };
        if flag & DEF_PARAM != 0 && old & DEF_PARAM != 0 {
            return Err(self.error(fmt1(DUPLICATE_ARGUMENT, name), l));
        }
        if flag & DEF_TYPE_PARAM != 0 && old & DEF_TYPE_PARAM != 0 {
            return Err(self.error(fmt1("duplicate type parameter '%U'", name), l));
        }
        let mut val = old | flag;
        if comp_iter_target {
            // An iteration variable of a comprehension: it must not be an assignment
            // expression's target (declared global or nonlocal in the comprehension).
            if val & (DEF_GLOBAL | DEF_NONLOCAL) != 0 {
                return Err(self.error(
                    fmt1(
                        "comprehension inner loop cannot rebind assignment expression target '%U'",
                        name,
                    ),
                    l,
                ));
            }
            val |= DEF_COMP_ITER;
        }
        match entry {
            indexmap::map::Entry::Occupied(mut o) => *o.get_mut() = val,
            indexmap::map::Entry::Vacant(v) => {
                v.insert(val);
            }
        }
        if flag & DEF_PARAM != 0 {
            self.scopes[ste.0 as usize].varnames.push(mangled);
        } else if flag & DEF_GLOBAL != 0 {
            let top = &mut self.scopes[self.top.0 as usize].symbols;
            *top.entry(mangled).or_insert(0) |= flag;
        }
        Ok(())
    }

    /// `symtable_enter_type_param_block`.
    #[allow(clippy::too_many_arguments)]
    fn enter_type_param_block(
        &mut self,
        name: &'a str,
        key: ScopeKey,
        has_defaults: bool,
        has_kwdefaults: bool,
        is_class: bool,
        l: L,
    ) -> Res {
        let current_type = self.cur_ref().kind;
        self.enter_block(name, BlockType::TypeParams, key, l);
        if current_type == BlockType::Class {
            self.cur().can_see_class_scope = true;
            self.add_def("__classdict__", USE, l)?;
        }
        if is_class {
            self.add_def(".type_params", DEF_LOCAL, l)?;
            self.add_def(".type_params", USE, l)?;
            // Never restored: after a generic class, its name stays `st_private` in the
            // enclosing block (CPython 3.12 mangles the names that follow with it).
            self.private = Some(name);
            self.cur().private = Some(name);
            self.add_def(".generic_base", DEF_LOCAL, l)?;
            self.add_def(".generic_base", USE, l)?;
        }
        if has_defaults {
            self.add_def(".defaults", DEF_PARAM, l)?;
        }
        if has_kwdefaults {
            self.add_def(".kwdefaults", DEF_PARAM, l)?;
        }
        Ok(())
    }

    /// `symtable_record_directive`.
    fn record_directive(&mut self, name: &'a str, l: L) {
        let name = self.mangle(name);
        self.cur().directives.push(Directive {
            name,
            lineno: l.lineno,
            col_offset: l.col,
            end_lineno: l.end_lineno,
            end_col_offset: l.end_col,
        });
    }

    #[inline]
    fn enter_recursion(&mut self) -> Res {
        self.depth += 1;
        if self.depth > RECURSION_LIMIT {
            return Err(recursion_error());
        }
        Ok(())
    }

    fn visit_stmts(&mut self, stmts: &'a [&'a Stmt<'a>]) -> Res {
        stmts.iter().try_for_each(|s| self.visit_stmt(s))
    }

    fn visit_exprs(&mut self, exprs: &'a [&'a Expr<'a>]) -> Res {
        exprs.iter().try_for_each(|e| self.visit_expr(e))
    }

    fn visit_opt_exprs(&mut self, exprs: &'a [Option<&'a Expr<'a>>]) -> Res {
        exprs.iter().flatten().try_for_each(|e| self.visit_expr(e))
    }

    fn visit_stmt(&mut self, s: &'a Stmt<'a>) -> Res {
        self.enter_recursion()?;
        let l = L::from(s.loc);
        match s.kind {
            StmtKind::FunctionDef {
                name,
                args,
                body,
                decorator_list,
                returns,
                type_params,
                ..
            } => self.visit_function(s, name, args, body, decorator_list, returns, type_params, false)?,
            StmtKind::AsyncFunctionDef {
                name,
                args,
                body,
                decorator_list,
                returns,
                type_params,
                ..
            } => self.visit_function(s, name, args, body, decorator_list, returns, type_params, true)?,
            StmtKind::ClassDef {
                name,
                bases,
                keywords,
                body,
                decorator_list,
                type_params,
            } => {
                self.add_def(name, DEF_LOCAL, l)?;
                self.visit_exprs(decorator_list)?;
                let generic = !type_params.is_empty();
                if generic {
                    self.enter_type_param_block(name, key_of_type_params(type_params), false, false, true, l)?;
                    type_params.iter().try_for_each(|tp| self.visit_type_param(tp))?;
                }
                self.visit_exprs(bases)?;
                keywords.iter().try_for_each(|k| self.visit_keyword(k))?;
                self.enter_block(name, BlockType::Class, key_of_stmt(s), l);
                let saved = self.private;
                self.private = Some(name);
                self.cur().private = Some(name);
                if generic {
                    self.add_def("__type_params__", DEF_LOCAL, l)?;
                    self.add_def(".type_params", USE, l)?;
                }
                self.visit_stmts(body)?;
                self.private = saved;
                self.exit_block();
                if generic {
                    self.exit_block();
                }
            }
            StmtKind::TypeAlias {
                name,
                type_params,
                value,
            } => {
                self.visit_expr(name)?;
                let ExprKind::Name { id: alias_name, .. } = name.kind else {
                    unreachable!("a type alias's name is a Name");
                };
                let is_in_class = self.cur_ref().kind == BlockType::Class;
                let generic = !type_params.is_empty();
                if generic {
                    self.enter_type_param_block(alias_name, key_of_type_params(type_params), false, false, false, l)?;
                    type_params.iter().try_for_each(|tp| self.visit_type_param(tp))?;
                }
                self.enter_block(alias_name, BlockType::TypeAlias, key_of_stmt(s), l);
                self.cur().can_see_class_scope = is_in_class;
                if is_in_class {
                    self.add_def("__classdict__", USE, L::from(value.loc))?;
                }
                self.visit_expr(value)?;
                self.exit_block();
                if generic {
                    self.exit_block();
                }
            }
            StmtKind::Return { value } => {
                if let Some(v) = value {
                    self.visit_expr(v)?;
                    self.cur().returns_value = true;
                }
            }
            StmtKind::Delete { targets } => self.visit_exprs(targets)?,
            StmtKind::Assign { targets, value, .. } => {
                self.visit_exprs(targets)?;
                self.visit_expr(value)?;
            }
            StmtKind::AnnAssign {
                target,
                annotation,
                value,
                simple,
            } => {
                if let ExprKind::Name { id, .. } = target.kind {
                    let cur = self.lookup(id);
                    if cur & (DEF_GLOBAL | DEF_NONLOCAL) != 0 && self.cur != self.top && simple != 0 {
                        let msg = if cur & DEF_GLOBAL != 0 {
                            "annotated name '%U' can't be global"
                        } else {
                            "annotated name '%U' can't be nonlocal"
                        };
                        return Err(self.error(fmt1(msg, id), l));
                    }
                    let tl = L::from(target.loc);
                    // CPython's condition is `simple && !add_def(...)`, else ...: for a simple
                    // target with a value both definitions are made.
                    if simple != 0 {
                        self.add_def(id, DEF_ANNOT | DEF_LOCAL, tl)?;
                    }
                    if value.is_some() {
                        self.add_def(id, DEF_LOCAL, tl)?;
                    }
                } else {
                    self.visit_expr(target)?;
                }
                self.visit_annotation(annotation)?;
                if let Some(v) = value {
                    self.visit_expr(v)?;
                }
            }
            StmtKind::AugAssign { target, value, .. } => {
                self.visit_expr(target)?;
                self.visit_expr(value)?;
            }
            StmtKind::For {
                target,
                iter,
                body,
                orelse,
                ..
            }
            | StmtKind::AsyncFor {
                target,
                iter,
                body,
                orelse,
                ..
            } => {
                self.visit_expr(target)?;
                self.visit_expr(iter)?;
                self.visit_stmts(body)?;
                self.visit_stmts(orelse)?;
            }
            StmtKind::While { test, body, orelse } | StmtKind::If { test, body, orelse } => {
                self.visit_expr(test)?;
                self.visit_stmts(body)?;
                self.visit_stmts(orelse)?;
            }
            StmtKind::Match { subject, cases } => {
                self.visit_expr(subject)?;
                cases.iter().try_for_each(|c| self.visit_match_case(c))?;
            }
            StmtKind::Raise { exc, cause } => {
                if let Some(exc) = exc {
                    self.visit_expr(exc)?;
                    if let Some(cause) = cause {
                        self.visit_expr(cause)?;
                    }
                }
            }
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
                // 3.12 visits the `else` block before the handlers.
                self.visit_stmts(body)?;
                self.visit_stmts(orelse)?;
                handlers.iter().try_for_each(|h| self.visit_excepthandler(h))?;
                self.visit_stmts(finalbody)?;
            }
            StmtKind::Assert { test, msg } => {
                self.visit_expr(test)?;
                if let Some(m) = msg {
                    self.visit_expr(m)?;
                }
            }
            StmtKind::Import { names } | StmtKind::ImportFrom { names, .. } => {
                names.iter().try_for_each(|a| self.visit_alias(a))?;
            }
            StmtKind::Global { names } => {
                for &name in names {
                    let cur = self.lookup(name);
                    if cur & (DEF_PARAM | DEF_LOCAL | USE | DEF_ANNOT) != 0 {
                        let msg = if cur & DEF_PARAM != 0 {
                            "name '%U' is parameter and global"
                        } else if cur & USE != 0 {
                            "name '%U' is used prior to global declaration"
                        } else if cur & DEF_ANNOT != 0 {
                            "annotated name '%U' can't be global"
                        } else {
                            "name '%U' is assigned to before global declaration"
                        };
                        return Err(self.error(fmt1(msg, name), l));
                    }
                    self.add_def(name, DEF_GLOBAL, l)?;
                    self.record_directive(name, l);
                }
            }
            StmtKind::Nonlocal { names } => {
                for &name in names {
                    let cur = self.lookup(name);
                    if cur & (DEF_PARAM | DEF_LOCAL | USE | DEF_ANNOT) != 0 {
                        let msg = if cur & DEF_PARAM != 0 {
                            "name '%U' is parameter and nonlocal"
                        } else if cur & USE != 0 {
                            "name '%U' is used prior to nonlocal declaration"
                        } else if cur & DEF_ANNOT != 0 {
                            "annotated name '%U' can't be nonlocal"
                        } else {
                            "name '%U' is assigned to before nonlocal declaration"
                        };
                        return Err(self.error(fmt1(msg, name), l));
                    }
                    self.add_def(name, DEF_NONLOCAL, l)?;
                    self.record_directive(name, l);
                }
            }
            StmtKind::Expr { value } => self.visit_expr(value)?,
            StmtKind::Pass | StmtKind::Break | StmtKind::Continue => {}
            StmtKind::With { items, body, .. } | StmtKind::AsyncWith { items, body, .. } => {
                items.iter().try_for_each(|i| self.visit_withitem(i))?;
                self.visit_stmts(body)?;
            }
        }
        self.depth -= 1;
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn visit_function(
        &mut self,
        s: &'a Stmt<'a>,
        name: &'a str,
        args: &'a Arguments<'a>,
        body: &'a [&'a Stmt<'a>],
        decorator_list: &'a [&'a Expr<'a>],
        returns: Option<&'a Expr<'a>>,
        type_params: &'a [&'a TypeParam<'a>],
        is_async: bool,
    ) -> Res {
        let l = L::from(s.loc);
        self.add_def(name, DEF_LOCAL, l)?;
        self.visit_exprs(args.defaults)?;
        self.visit_opt_exprs(args.kw_defaults)?;
        self.visit_exprs(decorator_list)?;
        let generic = !type_params.is_empty();
        if generic {
            // `args->defaults != NULL`: the parser never leaves the sequence NULL, so a generic
            // function's type-parameter block always has `.defaults`.
            let has_kwdefaults = args
                .kwonlyargs
                .iter()
                .enumerate()
                .any(|(i, _)| args.kw_defaults.get(i).is_some_and(|d| d.is_some()));
            self.enter_type_param_block(name, key_of_type_params(type_params), true, has_kwdefaults, false, l)?;
            type_params.iter().try_for_each(|tp| self.visit_type_param(tp))?;
        }
        self.visit_annotations(s, args, returns)?;
        self.enter_block(name, BlockType::Function, key_of_stmt(s), l);
        if is_async {
            self.cur().coroutine = true;
        }
        self.visit_arguments(args)?;
        self.visit_stmts(body)?;
        self.exit_block();
        if generic {
            self.exit_block();
        }
        Ok(())
    }

    /// `symtable_visit_annotation`: a return or variable annotation.
    fn visit_annotation(&mut self, annotation: &'a Expr<'a>) -> Res {
        if self.future_annotations {
            self.enter_block(
                "_annotation",
                BlockType::Annotation,
                key_of_expr(annotation),
                L::from(annotation.loc),
            );
        }
        self.visit_expr(annotation)?;
        if self.future_annotations {
            self.exit_block();
        }
        Ok(())
    }

    fn visit_argannotations(&mut self, args: &'a [&'a Arg<'a>]) -> Res {
        for a in args {
            if let Some(ann) = a.annotation {
                self.visit_expr(ann)?;
            }
        }
        Ok(())
    }

    /// `symtable_visit_annotations`: a function's parameter and return annotations.
    fn visit_annotations(&mut self, s: &'a Stmt<'a>, a: &'a Arguments<'a>, returns: Option<&'a Expr<'a>>) -> Res {
        if self.future_annotations {
            self.enter_block("_annotation", BlockType::Annotation, key_of_stmt(s), L::from(s.loc));
        }
        self.visit_argannotations(a.posonlyargs)?;
        self.visit_argannotations(a.args)?;
        if let Some(ann) = a.vararg.and_then(|v| v.annotation) {
            self.visit_expr(ann)?;
        }
        if let Some(ann) = a.kwarg.and_then(|v| v.annotation) {
            self.visit_expr(ann)?;
        }
        self.visit_argannotations(a.kwonlyargs)?;
        if self.future_annotations {
            self.exit_block();
        }
        if let Some(r) = returns {
            self.visit_annotation(r)?;
        }
        Ok(())
    }

    fn visit_params(&mut self, args: &'a [&'a Arg<'a>]) -> Res {
        args.iter()
            .try_for_each(|a| self.add_def(a.arg, DEF_PARAM, L::from(a.loc)))
    }

    /// `symtable_visit_arguments` (inside the function's block).
    fn visit_arguments(&mut self, a: &'a Arguments<'a>) -> Res {
        self.visit_params(a.posonlyargs)?;
        self.visit_params(a.args)?;
        self.visit_params(a.kwonlyargs)?;
        if let Some(v) = a.vararg {
            self.add_def(v.arg, DEF_PARAM, L::from(v.loc))?;
            self.cur().varargs = true;
        }
        if let Some(k) = a.kwarg {
            self.add_def(k.arg, DEF_PARAM, L::from(k.loc))?;
            self.cur().varkeywords = true;
        }
        Ok(())
    }

    fn visit_excepthandler(&mut self, h: &'a ExceptHandler<'a>) -> Res {
        let ExceptHandlerKind::ExceptHandler { type_, name, body } = h.kind;
        if let Some(t) = type_ {
            self.visit_expr(t)?;
        }
        if let Some(n) = name {
            self.add_def(n, DEF_LOCAL, L::from(h.loc))?;
        }
        self.visit_stmts(body)
    }

    fn visit_withitem(&mut self, item: &'a WithItem<'a>) -> Res {
        self.visit_expr(item.context_expr)?;
        if let Some(v) = item.optional_vars {
            self.visit_expr(v)?;
        }
        Ok(())
    }

    fn visit_match_case(&mut self, m: &'a MatchCase<'a>) -> Res {
        self.visit_pattern(m.pattern)?;
        if let Some(g) = m.guard {
            self.visit_expr(g)?;
        }
        self.visit_stmts(m.body)
    }

    fn visit_alias(&mut self, a: &'a Alias<'a>) -> Res {
        let name = a.asname.unwrap_or(a.name);
        if name != "*" {
            let store_name = match name.find('.') {
                Some(dot) => &name[..dot],
                None => name,
            };
            return self.add_def(store_name, DEF_IMPORT, L::from(a.loc));
        }
        if self.cur_ref().kind != BlockType::Module {
            return Err(self.error("import * only allowed at module level".into(), L::from(a.loc)));
        }
        Ok(())
    }

    fn visit_keyword(&mut self, k: &'a Keyword<'a>) -> Res {
        self.visit_expr(k.value)
    }

    /// `symtable_visit_comprehension`: a generator after the first.
    fn visit_comprehension(&mut self, lc: &'a Comprehension<'a>) -> Res {
        self.cur().comp_iter_target = true;
        self.visit_expr(lc.target)?;
        self.cur().comp_iter_target = false;
        self.cur().comp_iter_expr += 1;
        self.visit_expr(lc.iter)?;
        self.cur().comp_iter_expr -= 1;
        self.visit_exprs(lc.ifs)?;
        if lc.is_async != 0 {
            self.cur().coroutine = true;
        }
        Ok(())
    }

    fn visit_type_param(&mut self, tp: &'a TypeParam<'a>) -> Res {
        self.enter_recursion()?;
        let l = L::from(tp.loc);
        match tp.kind {
            TypeParamKind::TypeVar { name, bound } => {
                self.add_def(name, DEF_TYPE_PARAM | DEF_LOCAL, l)?;
                if let Some(bound) = bound {
                    let is_in_class = self.cur_ref().can_see_class_scope;
                    self.enter_block(name, BlockType::TypeVarBound, key_of_type_param(tp), l);
                    self.cur().can_see_class_scope = is_in_class;
                    if is_in_class {
                        self.add_def("__classdict__", USE, L::from(bound.loc))?;
                    }
                    self.visit_expr(bound)?;
                    self.exit_block();
                }
            }
            TypeParamKind::TypeVarTuple { name } | TypeParamKind::ParamSpec { name } => {
                self.add_def(name, DEF_TYPE_PARAM | DEF_LOCAL, l)?;
            }
        }
        self.depth -= 1;
        Ok(())
    }

    fn visit_pattern(&mut self, p: &'a Pattern<'a>) -> Res {
        self.enter_recursion()?;
        let l = L::from(p.loc);
        match p.kind {
            PatternKind::MatchValue { value } => self.visit_expr(value)?,
            PatternKind::MatchSingleton { .. } => {}
            PatternKind::MatchSequence { patterns } => patterns.iter().try_for_each(|p| self.visit_pattern(p))?,
            PatternKind::MatchStar { name } => {
                if let Some(n) = name {
                    // CPython ignores the result here.
                    let _ = self.add_def(n, DEF_LOCAL, l);
                }
            }
            PatternKind::MatchMapping { keys, patterns, rest } => {
                self.visit_exprs(keys)?;
                patterns.iter().try_for_each(|p| self.visit_pattern(p))?;
                if let Some(r) = rest {
                    let _ = self.add_def(r, DEF_LOCAL, l);
                }
            }
            PatternKind::MatchClass {
                cls,
                patterns,
                kwd_patterns,
                ..
            } => {
                self.visit_expr(cls)?;
                patterns.iter().try_for_each(|p| self.visit_pattern(p))?;
                kwd_patterns.iter().try_for_each(|p| self.visit_pattern(p))?;
            }
            PatternKind::MatchAs { pattern, name } => {
                if let Some(p) = pattern {
                    self.visit_pattern(p)?;
                }
                if let Some(n) = name {
                    let _ = self.add_def(n, DEF_LOCAL, l);
                }
            }
            PatternKind::MatchOr { patterns } => patterns.iter().try_for_each(|p| self.visit_pattern(p))?,
        }
        self.depth -= 1;
        Ok(())
    }

    /// `symtable_raise_if_annotation_block`.
    fn raise_if_annotation_block(&self, what: &str, e: &'a Expr<'a>) -> Res {
        let msg = match self.cur_ref().kind {
            BlockType::Annotation => format!("{what} cannot be used within an annotation"),
            BlockType::TypeVarBound => format!("{what} cannot be used within a TypeVar bound"),
            BlockType::TypeAlias => format!("{what} cannot be used within a type alias"),
            BlockType::TypeParams => format!("{what} cannot be used within the definition of a generic"),
            _ => return Ok(()),
        };
        Err(self.error(msg, L::from(e.loc)))
    }

    /// `symtable_raise_if_comprehension_block`.
    fn comprehension_yield_error(&self, e: &'a Expr<'a>) -> Box<SyntaxErrorInfo> {
        let msg = match self.cur_ref().comprehension {
            Some(ComprehensionType::List) => "'yield' inside list comprehension",
            Some(ComprehensionType::Set) => "'yield' inside set comprehension",
            Some(ComprehensionType::Dict) => "'yield' inside dict comprehension",
            _ => "'yield' inside generator expression",
        };
        self.error(msg.into(), L::from(e.loc))
    }

    /// `symtable_extend_namedexpr_scope`: bind an assignment expression's target inside a
    /// comprehension in the nearest enclosing function or module.
    fn extend_namedexpr_scope(&mut self, target: &'a Expr<'a>) -> Res {
        let ExprKind::Name { id: target_name, .. } = target.kind else {
            unreachable!("an assignment expression's target is a Name");
        };
        let tl = L::from(target.loc);
        for i in (0..self.stack.len()).rev() {
            let ste = self.stack[i];
            let scope = &self.scopes[ste.0 as usize];
            if scope.comprehension.is_some() {
                let in_scope = scope.flags(target_name);
                if in_scope & DEF_COMP_ITER != 0 && in_scope & DEF_LOCAL != 0 {
                    return Err(self.error(
                        fmt1(
                            "assignment expression cannot rebind comprehension iteration variable '%U'",
                            target_name,
                        ),
                        tl,
                    ));
                }
                continue;
            }
            match scope.kind {
                BlockType::Function => {
                    let in_scope = scope.flags(target_name);
                    let flag = if in_scope & DEF_GLOBAL != 0 {
                        DEF_GLOBAL
                    } else {
                        DEF_NONLOCAL
                    };
                    self.add_def(target_name, flag, tl)?;
                    self.record_directive(target_name, tl);
                    return self.add_def_in(target_name, DEF_LOCAL, ste, tl);
                }
                BlockType::Module => {
                    self.add_def(target_name, DEF_GLOBAL, tl)?;
                    self.record_directive(target_name, tl);
                    return self.add_def_in(target_name, DEF_GLOBAL, ste, tl);
                }
                BlockType::Class => {
                    return Err(self.error(
                        "assignment expression within a comprehension cannot be used in a class body".into(),
                        tl,
                    ))
                }
                BlockType::TypeParams => return Err(self.error(
                    "assignment expression within a comprehension cannot be used within the definition of a generic"
                        .into(),
                    tl,
                )),
                BlockType::TypeAlias => {
                    return Err(self.error(
                        "assignment expression within a comprehension cannot be used in a type alias".into(),
                        tl,
                    ))
                }
                BlockType::TypeVarBound => {
                    return Err(self.error(
                        "assignment expression within a comprehension cannot be used in a TypeVar bound".into(),
                        tl,
                    ))
                }
                BlockType::Annotation => {}
            }
        }
        unreachable!("the module block is always on the stack")
    }

    /// `symtable_handle_namedexpr`.
    fn handle_namedexpr(&mut self, e: &'a Expr<'a>, target: &'a Expr<'a>, value: &'a Expr<'a>) -> Res {
        if self.cur_ref().comp_iter_expr > 0 {
            return Err(self.error(
                "assignment expression cannot be used in a comprehension iterable expression".into(),
                L::from(e.loc),
            ));
        }
        if self.cur_ref().comprehension.is_some() {
            self.extend_namedexpr_scope(target)?;
        }
        self.visit_expr(value)?;
        self.visit_expr(target)
    }

    /// `symtable_handle_comprehension`.
    fn handle_comprehension(
        &mut self,
        e: &'a Expr<'a>,
        scope_name: &'static str,
        kind: ComprehensionType,
        generators: &'a [&'a Comprehension<'a>],
        elt: &'a Expr<'a>,
        value: Option<&'a Expr<'a>>,
    ) -> Res {
        let l = L::from(e.loc);
        if self.cur_ref().can_see_class_scope {
            return Err(self.error(
                "Cannot use comprehension in annotation scope within class scope".into(),
                l,
            ));
        }
        let is_generator = kind == ComprehensionType::Generator;
        let outermost = generators[0];
        self.cur().comp_iter_expr += 1;
        self.visit_expr(outermost.iter)?;
        self.cur().comp_iter_expr -= 1;
        self.enter_block(scope_name, BlockType::Function, key_of_expr(e), l);
        self.cur().comprehension = Some(kind);
        if outermost.is_async != 0 {
            self.cur().coroutine = true;
        }
        let cl = L {
            lineno: self.cur_ref().lineno,
            col: self.cur_ref().col_offset,
            end_lineno: self.cur_ref().end_lineno,
            end_col: self.cur_ref().end_col_offset,
        };
        self.add_def(".0", DEF_PARAM, cl)?;
        self.cur().comp_iter_target = true;
        self.visit_expr(outermost.target)?;
        self.cur().comp_iter_target = false;
        self.visit_exprs(outermost.ifs)?;
        generators[1..].iter().try_for_each(|g| self.visit_comprehension(g))?;
        if let Some(v) = value {
            self.visit_expr(v)?;
        }
        self.visit_expr(elt)?;
        self.cur().generator = is_generator;
        let is_async = self.cur_ref().coroutine && !is_generator;
        self.exit_block();
        if is_async {
            self.cur().coroutine = true;
        }
        Ok(())
    }

    fn visit_expr(&mut self, e: &'a Expr<'a>) -> Res {
        self.enter_recursion()?;
        match e.kind {
            ExprKind::NamedExpr { target, value } => {
                self.raise_if_annotation_block("named expression", e)?;
                self.handle_namedexpr(e, target, value)?;
            }
            ExprKind::BoolOp { values, .. } => self.visit_exprs(values)?,
            ExprKind::BinOp { left, right, .. } => {
                self.visit_expr(left)?;
                self.visit_expr(right)?;
            }
            ExprKind::UnaryOp { operand, .. } => self.visit_expr(operand)?,
            ExprKind::Lambda { args, body } => {
                let l = L::from(e.loc);
                if self.cur_ref().can_see_class_scope {
                    return Err(self.error("Cannot use lambda in annotation scope within class scope".into(), l));
                }
                self.visit_exprs(args.defaults)?;
                self.visit_opt_exprs(args.kw_defaults)?;
                self.enter_block("lambda", BlockType::Function, key_of_expr(e), l);
                self.visit_arguments(args)?;
                self.visit_expr(body)?;
                self.exit_block();
            }
            ExprKind::IfExp { test, body, orelse } => {
                self.visit_expr(test)?;
                self.visit_expr(body)?;
                self.visit_expr(orelse)?;
            }
            ExprKind::Dict { keys, values } => {
                self.visit_opt_exprs(keys)?;
                self.visit_exprs(values)?;
            }
            ExprKind::Set { elts } => self.visit_exprs(elts)?,
            ExprKind::GeneratorExp { elt, generators } => {
                self.handle_comprehension(e, "genexpr", ComprehensionType::Generator, generators, elt, None)?
            }
            ExprKind::ListComp { elt, generators } => {
                self.handle_comprehension(e, "listcomp", ComprehensionType::List, generators, elt, None)?
            }
            ExprKind::SetComp { elt, generators } => {
                self.handle_comprehension(e, "setcomp", ComprehensionType::Set, generators, elt, None)?
            }
            ExprKind::DictComp { key, value, generators } => {
                self.handle_comprehension(e, "dictcomp", ComprehensionType::Dict, generators, key, Some(value))?
            }
            ExprKind::Yield { value } => {
                self.raise_if_annotation_block("yield expression", e)?;
                if let Some(v) = value {
                    self.visit_expr(v)?;
                }
                self.cur().generator = true;
                if self.cur_ref().comprehension.is_some() {
                    return Err(self.comprehension_yield_error(e));
                }
            }
            ExprKind::YieldFrom { value } => {
                self.raise_if_annotation_block("yield expression", e)?;
                self.visit_expr(value)?;
                self.cur().generator = true;
                if self.cur_ref().comprehension.is_some() {
                    return Err(self.comprehension_yield_error(e));
                }
            }
            ExprKind::Await { value } => {
                self.raise_if_annotation_block("await expression", e)?;
                self.visit_expr(value)?;
                self.cur().coroutine = true;
            }
            ExprKind::Compare { left, comparators, .. } => {
                self.visit_expr(left)?;
                self.visit_exprs(comparators)?;
            }
            ExprKind::Call { func, args, keywords } => {
                self.visit_expr(func)?;
                self.visit_exprs(args)?;
                keywords.iter().try_for_each(|k| self.visit_keyword(k))?;
            }
            ExprKind::FormattedValue { value, format_spec, .. } => {
                self.visit_expr(value)?;
                if let Some(f) = format_spec {
                    self.visit_expr(f)?;
                }
            }
            ExprKind::JoinedStr { values } => self.visit_exprs(values)?,
            ExprKind::Constant { .. } => {}
            ExprKind::Attribute { value, .. } => self.visit_expr(value)?,
            ExprKind::Subscript { value, slice, .. } => {
                self.visit_expr(value)?;
                self.visit_expr(slice)?;
            }
            ExprKind::Starred { value, .. } => self.visit_expr(value)?,
            ExprKind::Slice { lower, upper, step } => {
                for part in [lower, upper, step].into_iter().flatten() {
                    self.visit_expr(part)?;
                }
            }
            ExprKind::Name { id, ctx } => {
                let l = L::from(e.loc);
                let load = ctx == ExprContext::Load;
                self.add_def(id, if load { USE } else { DEF_LOCAL }, l)?;
                // `super` counts as a use of `__class__`.
                if load && self.cur_ref().kind.is_function_like() && id == "super" {
                    self.add_def("__class__", USE, l)?;
                }
            }
            ExprKind::List { elts, .. } | ExprKind::Tuple { elts, .. } => self.visit_exprs(elts)?,
        }
        self.depth -= 1;
        Ok(())
    }
}
