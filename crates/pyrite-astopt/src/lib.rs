//! CPython 3.12's AST optimizer (`Python/ast_opt.c`, `_PyAST_Optimize`), which runs between
//! the parser and the symbol table.
//!
//! [`optimize`] walks the tree in CPython's order and returns the rewritten tree: subtrees
//! without a change are shared with the input, new nodes are allocated in the arena. What it
//! rewrites, exactly as 3.12 does:
//!
//! - **unary operators on a constant**: `not` on any constant; `-`, `+` on int, bool, float,
//!   complex (a bool becomes an int); `~` on int and bool (`~True` is `-2`, and 3.12's
//!   DeprecationWarning is reported in [`Optimized::warnings`]);
//! - **`not` over a single comparison** `is`, `is not`, `in`, `not in`: `not a is b` becomes
//!   `a is not b` (the result is the comparison node, with the comparison's location);
//! - **binary operators on two constants**, with Python's semantics: arbitrary-precision ints
//!   (floor division and modulo, true division correctly rounded, a negative exponent gives a
//!   float), float (CPython's `%`, `//` and `**`, a negative base to a fractional power gives a
//!   complex), complex, str/bytes/tuple concatenation and repetition, bool `&`, `|`, `^`.
//!   Where the operation raises (ZeroDivisionError, OverflowError, ValueError, TypeError) the
//!   expression is left alone. `@` is never folded, and neither is `%` with a str or bytes on
//!   the left (`safe_mod`);
//! - **the size limits** that keep folding cheap: `*` of two ints whose bit lengths add up to
//!   more than [`ops::MAX_INT_SIZE`] (128), `**` when `bits(base) > 128 / exponent`, `<<`
//!   when the shift exceeds 128 or `bits(value) > 128 - shift`, a str or bytes repeated past
//!   [`ops::MAX_STR_SIZE`] (4096), a tuple repeated past [`ops::MAX_COLLECTION_SIZE`] (256)
//!   items or past [`ops::MAX_TOTAL_ITEMS`] (1024) items counting nested tuples, and any
//!   negative repeat count of a non-empty sequence: all left unfolded. `+` has no limit;
//! - **`'...' % (a, b)`** where the format has only `%s`, `%r`, `%a` units (flags, widths and
//!   precisions of at most two digits; `%%` allowed) and the tuple has no starred item and
//!   exactly as many items as units: it becomes a JoinedStr of FormattedValues (see
//!   [`format`](mod@format));
//! - **tuples of constants** (Load context) become a constant tuple, at any size;
//! - **subscripts** `constant[constant]` for a str, bytes or tuple indexed by an int or bool
//!   in range;
//! - **`in` / `not in`** (the last comparison of a chain) and the iterable of **`for`** and of
//!   each **comprehension**: a list display becomes a tuple (a constant one if all its items
//!   are constants; none may be starred), a set display of constants a constant frozenset
//!   (its items deduplicated with Python's `==`, first occurrence kept, in source order);
//!   `async for` is not touched;
//! - **`__debug__`** (a Name in Load context) becomes `True` at `optimize` 0 (and -1), `False`
//!   above;
//! - **docstrings**: a body (module, class, function) whose first statement becomes a str
//!   constant only by folding (`("a" + "b")`) gets it wrapped in a JoinedStr, so it does not
//!   turn into a docstring.
//!
//! Everything else is visited and folded inside but never folded itself: comparisons,
//! boolean operators, conditional expressions, f-strings (their parts are folded),
//! `Starred`, slices, names other than `__debug__`. Annotations (arguments, returns,
//! `AnnAssign`) are folded unless `from __future__ import annotations`
//! ([`CO_FUTURE_ANNOTATIONS`]) is in effect; TypeVar bounds and `type` aliases always are.
//! Match patterns fold their value expressions (`case -1:`, `case 1+2j:`), mapping keys and
//! class names.
//!
//! A folded node keeps the location of the node it replaces, with `kind` None for a
//! Constant. Nodes CPython creates without a location (the literal parts and format specs of
//! a rewritten `%` format) get [`NO_LOCATION`] (every field `-1i32 as u32`).
//!
//! Recursion: like CPython, the walk counts nesting of expressions, statements and patterns
//! and fails with RecursionError ("maximum recursion depth exceeded during compilation") past
//! [`RECURSION_LIMIT`] levels, which is where CPython 3.12.1 fails for `compile()` called from
//! Python code. Within that limit the walk recurses natively: run it on a thread with a large
//! stack (the parser needs one too).

pub mod float;
pub mod format;
pub mod ops;

use bumpalo::Bump;
use pyrite_ast::{
    Arg, Arguments, CmpOp, Comprehension, Constant, ExceptHandler, ExceptHandlerKind, Expr, ExprContext, ExprKind,
    Keyword, Loc, MatchCase, Mod, Operator, Pattern, PatternKind, Stmt, StmtKind, TypeParam, TypeParamKind, UnaryOp,
    WithItem,
};
use std::ptr;

pub use format::NO_LOCATION;

/// `CO_FUTURE_ANNOTATIONS`: annotations are not folded.
pub const CO_FUTURE_ANNOTATIONS: u32 = 0x100_0000;

/// The deepest nesting of statements, expressions and patterns the optimizer accepts: where
/// CPython 3.12.1's optimizer raises RecursionError for `compile()` called from Python code
/// (its limit, 3000, counted from the C recursion depth at which `compile()` starts; the
/// `recursion` cases of `tools/oracle/astopt_cases.py` check both sides of it).
pub const RECURSION_LIMIT: u32 = 2996;

/// Why the optimizer failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OptimizeError {
    /// RecursionError: the tree is nested deeper than [`RECURSION_LIMIT`].
    Recursion,
}

impl OptimizeError {
    /// The exception class CPython raises.
    pub fn exception(&self) -> &'static str {
        match self {
            OptimizeError::Recursion => "RecursionError",
        }
    }

    /// The exception's message.
    pub fn message(&self) -> &'static str {
        match self {
            OptimizeError::Recursion => "maximum recursion depth exceeded during compilation",
        }
    }
}

impl std::fmt::Display for OptimizeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.exception(), self.message())
    }
}

impl std::error::Error for OptimizeError {}

/// A warning the optimizer raises while folding (through `PyErr_WarnEx`, so CPython attributes
/// it to the Python code that called `compile()`, not to the compiled source).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// The warning class, e.g. `DeprecationWarning`.
    pub category: &'static str,
    pub message: &'static str,
    /// Where the folded expression is in the compiled source.
    pub loc: Loc,
}

/// The message of 3.12's DeprecationWarning for `~` on a bool.
pub const INVERT_BOOL_WARNING: &str = "Bitwise inversion '~' on bool is deprecated. This returns the bitwise inversion of the underlying int object and is usually not what you expect from negating a bool. Use the 'not' operator for boolean negation or ~int(x) if you really want the bitwise inversion of the underlying int.";

/// The optimized tree and the warnings raised while producing it.
#[derive(Debug)]
pub struct Optimized<'a> {
    pub module: &'a Mod<'a>,
    pub warnings: Vec<Warning>,
}

/// Optimize `module` as `_PyAST_Optimize` does. `optimize` is compile()'s argument (-1 is
/// read as 0, the interpreter's default level); `ff_features` the `CO_FUTURE_*` flags in
/// effect ([`CO_FUTURE_ANNOTATIONS`] is the only one that matters here). Warnings are dropped;
/// see [`optimize_with_warnings`].
pub fn optimize<'a>(
    arena: &'a Bump,
    module: &'a Mod<'a>,
    optimize: i32,
    ff_features: u32,
) -> Result<&'a Mod<'a>, OptimizeError> {
    optimize_with_warnings(arena, module, optimize, ff_features).map(|o| o.module)
}

/// [`optimize`], also returning the warnings raised while folding.
pub fn optimize_with_warnings<'a>(
    arena: &'a Bump,
    module: &'a Mod<'a>,
    optimize: i32,
    ff_features: u32,
) -> Result<Optimized<'a>, OptimizeError> {
    let mut f = Folder {
        arena,
        optimize: if optimize < 0 { 0 } else { optimize },
        ff_features,
        depth: 0,
        warnings: Vec::new(),
    };
    let module = f.module(module)?;
    debug_assert_eq!(f.depth, 0);
    Ok(Optimized {
        module,
        warnings: f.warnings,
    })
}

type R<T> = Result<T, OptimizeError>;

struct Folder<'a> {
    arena: &'a Bump,
    optimize: i32,
    ff_features: u32,
    depth: u32,
    warnings: Vec<Warning>,
}

fn same<T: ?Sized>(a: &T, b: &T) -> bool {
    ptr::eq(a, b)
}

fn same_opt<T>(a: Option<&T>, b: Option<&T>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => ptr::eq(x, y),
        (None, None) => true,
        _ => false,
    }
}

fn as_const<'a>(e: &Expr<'a>) -> Option<Constant<'a>> {
    match e.kind {
        ExprKind::Constant { value, .. } => Some(value),
        _ => None,
    }
}

/// `_PyAST_GetDocString`: is the first statement an expression statement of a str constant?
fn has_docstring(body: &[&Stmt<'_>]) -> bool {
    matches!(
        body.first().map(|s| s.kind),
        Some(StmtKind::Expr {
            value: Expr {
                kind: ExprKind::Constant {
                    value: Constant::Str(_),
                    ..
                },
                ..
            }
        })
    )
}

impl<'a> Folder<'a> {
    fn enter(&mut self) -> R<()> {
        self.depth += 1;
        if self.depth > RECURSION_LIMIT {
            return Err(OptimizeError::Recursion);
        }
        Ok(())
    }

    fn expr_node(&self, kind: ExprKind<'a>, loc: Loc) -> &'a Expr<'a> {
        self.arena.alloc(Expr { kind, loc })
    }

    fn constant(&self, value: Constant<'a>, loc: Loc) -> &'a Expr<'a> {
        self.expr_node(ExprKind::Constant { value, kind: None }, loc)
    }

    /// Map `f` over a sequence, sharing it if no item changed.
    fn seq<T>(&mut self, s: &'a [&'a T], f: fn(&mut Self, &'a T) -> R<&'a T>) -> R<&'a [&'a T]> {
        let mut out: Option<Vec<&'a T>> = None;
        for (i, &x) in s.iter().enumerate() {
            let y = f(self, x)?;
            if out.is_none() && !same(x, y) {
                out = Some(s[..i].to_vec());
            }
            if let Some(o) = &mut out {
                o.push(y);
            }
        }
        Ok(match out {
            None => s,
            Some(v) => self.arena.alloc_slice_copy(&v),
        })
    }

    fn opt_seq(&mut self, s: &'a [Option<&'a Expr<'a>>]) -> R<&'a [Option<&'a Expr<'a>>]> {
        let mut out: Option<Vec<Option<&'a Expr<'a>>>> = None;
        for (i, &x) in s.iter().enumerate() {
            let y = match x {
                Some(e) => Some(self.expr(e)?),
                None => None,
            };
            if out.is_none() && !same_opt(x, y) {
                out = Some(s[..i].to_vec());
            }
            if let Some(o) = &mut out {
                o.push(y);
            }
        }
        Ok(match out {
            None => s,
            Some(v) => self.arena.alloc_slice_copy(&v),
        })
    }

    fn exprs(&mut self, s: &'a [&'a Expr<'a>]) -> R<&'a [&'a Expr<'a>]> {
        self.seq(s, Self::expr)
    }

    fn opt_expr(&mut self, e: Option<&'a Expr<'a>>) -> R<Option<&'a Expr<'a>>> {
        e.map(|e| self.expr(e)).transpose()
    }

    fn stmts(&mut self, s: &'a [&'a Stmt<'a>]) -> R<&'a [&'a Stmt<'a>]> {
        self.seq(s, Self::stmt)
    }

    fn module(&mut self, m: &'a Mod<'a>) -> R<&'a Mod<'a>> {
        Ok(match *m {
            Mod::Module { body, type_ignores } => {
                let b = self.body(body)?;
                if same(b, body) {
                    m
                } else {
                    self.arena.alloc(Mod::Module { body: b, type_ignores })
                }
            }
            Mod::Interactive { body } => {
                let b = self.stmts(body)?;
                if same(b, body) {
                    m
                } else {
                    self.arena.alloc(Mod::Interactive { body: b })
                }
            }
            Mod::Expression { body } => {
                let b = self.expr(body)?;
                if same(b, body) {
                    m
                } else {
                    self.arena.alloc(Mod::Expression { body: b })
                }
            }
            Mod::FunctionType { .. } => m,
        })
    }

    /// `astfold_body`: the statements of a module, class or function, keeping a folded
    /// string from becoming a docstring.
    fn body(&mut self, stmts: &'a [&'a Stmt<'a>]) -> R<&'a [&'a Stmt<'a>]> {
        let had_docstring = has_docstring(stmts);
        let new = self.stmts(stmts)?;
        if had_docstring || !has_docstring(new) {
            return Ok(new);
        }
        let st = new[0];
        let StmtKind::Expr { value } = st.kind else {
            unreachable!()
        };
        let joined = self.expr_node(
            ExprKind::JoinedStr {
                values: self.arena.alloc_slice_copy(&[value]),
            },
            st.loc,
        );
        let mut v = new.to_vec();
        v[0] = self.arena.alloc(Stmt {
            kind: StmtKind::Expr { value: joined },
            loc: st.loc,
        });
        Ok(self.arena.alloc_slice_copy(&v))
    }

    fn annotation(&mut self, e: Option<&'a Expr<'a>>) -> R<Option<&'a Expr<'a>>> {
        if self.ff_features & CO_FUTURE_ANNOTATIONS != 0 {
            return Ok(e);
        }
        self.opt_expr(e)
    }

    fn arg(&mut self, a: &'a Arg<'a>) -> R<&'a Arg<'a>> {
        let ann = self.annotation(a.annotation)?;
        Ok(if same_opt(ann, a.annotation) {
            a
        } else {
            self.arena.alloc(Arg { annotation: ann, ..*a })
        })
    }

    fn opt_arg(&mut self, a: Option<&'a Arg<'a>>) -> R<Option<&'a Arg<'a>>> {
        a.map(|a| self.arg(a)).transpose()
    }

    fn arguments(&mut self, a: &'a Arguments<'a>) -> R<&'a Arguments<'a>> {
        let posonlyargs = self.seq(a.posonlyargs, Self::arg)?;
        let args = self.seq(a.args, Self::arg)?;
        let vararg = self.opt_arg(a.vararg)?;
        let kwonlyargs = self.seq(a.kwonlyargs, Self::arg)?;
        let kw_defaults = self.opt_seq(a.kw_defaults)?;
        let kwarg = self.opt_arg(a.kwarg)?;
        let defaults = self.exprs(a.defaults)?;
        let n = Arguments {
            posonlyargs,
            args,
            vararg,
            kwonlyargs,
            kw_defaults,
            kwarg,
            defaults,
        };
        Ok(
            if same(posonlyargs, a.posonlyargs)
                && same(args, a.args)
                && same_opt(vararg, a.vararg)
                && same(kwonlyargs, a.kwonlyargs)
                && same(kw_defaults, a.kw_defaults)
                && same_opt(kwarg, a.kwarg)
                && same(defaults, a.defaults)
            {
                a
            } else {
                self.arena.alloc(n)
            },
        )
    }

    fn keyword(&mut self, k: &'a Keyword<'a>) -> R<&'a Keyword<'a>> {
        let value = self.expr(k.value)?;
        Ok(if same(value, k.value) {
            k
        } else {
            self.arena.alloc(Keyword { value, ..*k })
        })
    }

    fn comprehension(&mut self, c: &'a Comprehension<'a>) -> R<&'a Comprehension<'a>> {
        let target = self.expr(c.target)?;
        let iter = self.expr(c.iter)?;
        let ifs = self.exprs(c.ifs)?;
        let iter = self.fold_iter(iter);
        Ok(if same(target, c.target) && same(iter, c.iter) && same(ifs, c.ifs) {
            c
        } else {
            self.arena.alloc(Comprehension {
                target,
                iter,
                ifs,
                is_async: c.is_async,
            })
        })
    }

    fn withitem(&mut self, w: &'a WithItem<'a>) -> R<&'a WithItem<'a>> {
        let context_expr = self.expr(w.context_expr)?;
        let optional_vars = self.opt_expr(w.optional_vars)?;
        Ok(
            if same(context_expr, w.context_expr) && same_opt(optional_vars, w.optional_vars) {
                w
            } else {
                self.arena.alloc(WithItem {
                    context_expr,
                    optional_vars,
                })
            },
        )
    }

    fn excepthandler(&mut self, h: &'a ExceptHandler<'a>) -> R<&'a ExceptHandler<'a>> {
        let ExceptHandlerKind::ExceptHandler { type_, name, body } = h.kind;
        let t = self.opt_expr(type_)?;
        let b = self.stmts(body)?;
        Ok(if same_opt(t, type_) && same(b, body) {
            h
        } else {
            self.arena.alloc(ExceptHandler {
                kind: ExceptHandlerKind::ExceptHandler {
                    type_: t,
                    name,
                    body: b,
                },
                loc: h.loc,
            })
        })
    }

    fn match_case(&mut self, c: &'a MatchCase<'a>) -> R<&'a MatchCase<'a>> {
        let pattern = self.pattern(c.pattern)?;
        let guard = self.opt_expr(c.guard)?;
        let body = self.stmts(c.body)?;
        Ok(
            if same(pattern, c.pattern) && same_opt(guard, c.guard) && same(body, c.body) {
                c
            } else {
                self.arena.alloc(MatchCase { pattern, guard, body })
            },
        )
    }

    fn pattern(&mut self, p: &'a Pattern<'a>) -> R<&'a Pattern<'a>> {
        self.enter()?;
        let r = self.pattern_inner(p);
        self.depth -= 1;
        r
    }

    fn pattern_inner(&mut self, p: &'a Pattern<'a>) -> R<&'a Pattern<'a>> {
        let kind = match p.kind {
            PatternKind::MatchValue { value } => {
                let v = self.expr(value)?;
                if same(v, value) {
                    return Ok(p);
                }
                PatternKind::MatchValue { value: v }
            }
            PatternKind::MatchSingleton { .. } | PatternKind::MatchStar { .. } => return Ok(p),
            PatternKind::MatchSequence { patterns } => {
                let ps = self.seq(patterns, Self::pattern)?;
                if same(ps, patterns) {
                    return Ok(p);
                }
                PatternKind::MatchSequence { patterns: ps }
            }
            PatternKind::MatchMapping { keys, patterns, rest } => {
                let ks = self.exprs(keys)?;
                let ps = self.seq(patterns, Self::pattern)?;
                if same(ks, keys) && same(ps, patterns) {
                    return Ok(p);
                }
                PatternKind::MatchMapping {
                    keys: ks,
                    patterns: ps,
                    rest,
                }
            }
            PatternKind::MatchClass {
                cls,
                patterns,
                kwd_attrs,
                kwd_patterns,
            } => {
                let c = self.expr(cls)?;
                let ps = self.seq(patterns, Self::pattern)?;
                let kps = self.seq(kwd_patterns, Self::pattern)?;
                if same(c, cls) && same(ps, patterns) && same(kps, kwd_patterns) {
                    return Ok(p);
                }
                PatternKind::MatchClass {
                    cls: c,
                    patterns: ps,
                    kwd_attrs,
                    kwd_patterns: kps,
                }
            }
            PatternKind::MatchAs { pattern, name } => {
                let Some(inner) = pattern else { return Ok(p) };
                let q = self.pattern(inner)?;
                if same(q, inner) {
                    return Ok(p);
                }
                PatternKind::MatchAs { pattern: Some(q), name }
            }
            PatternKind::MatchOr { patterns } => {
                let ps = self.seq(patterns, Self::pattern)?;
                if same(ps, patterns) {
                    return Ok(p);
                }
                PatternKind::MatchOr { patterns: ps }
            }
        };
        Ok(self.arena.alloc(Pattern { kind, loc: p.loc }))
    }

    fn type_param(&mut self, t: &'a TypeParam<'a>) -> R<&'a TypeParam<'a>> {
        match t.kind {
            TypeParamKind::TypeVar { name, bound } => {
                let b = self.opt_expr(bound)?;
                Ok(if same_opt(b, bound) {
                    t
                } else {
                    self.arena.alloc(TypeParam {
                        kind: TypeParamKind::TypeVar { name, bound: b },
                        loc: t.loc,
                    })
                })
            }
            TypeParamKind::ParamSpec { .. } | TypeParamKind::TypeVarTuple { .. } => Ok(t),
        }
    }

    fn stmt(&mut self, s: &'a Stmt<'a>) -> R<&'a Stmt<'a>> {
        self.enter()?;
        let r = self.stmt_inner(s);
        self.depth -= 1;
        r
    }

    fn stmt_inner(&mut self, s: &'a Stmt<'a>) -> R<&'a Stmt<'a>> {
        use StmtKind as S;
        let kind = match s.kind {
            S::FunctionDef {
                name,
                args,
                body,
                decorator_list,
                returns,
                type_comment,
                type_params,
            }
            | S::AsyncFunctionDef {
                name,
                args,
                body,
                decorator_list,
                returns,
                type_comment,
                type_params,
            } => {
                let tp = self.seq(type_params, Self::type_param)?;
                let a = self.arguments(args)?;
                let b = self.body(body)?;
                let d = self.exprs(decorator_list)?;
                let r = self.annotation(returns)?;
                if same(tp, type_params)
                    && same(a, args)
                    && same(b, body)
                    && same(d, decorator_list)
                    && same_opt(r, returns)
                {
                    return Ok(s);
                }
                let is_async = matches!(s.kind, S::AsyncFunctionDef { .. });
                if is_async {
                    S::AsyncFunctionDef {
                        name,
                        args: a,
                        body: b,
                        decorator_list: d,
                        returns: r,
                        type_comment,
                        type_params: tp,
                    }
                } else {
                    S::FunctionDef {
                        name,
                        args: a,
                        body: b,
                        decorator_list: d,
                        returns: r,
                        type_comment,
                        type_params: tp,
                    }
                }
            }
            S::ClassDef {
                name,
                bases,
                keywords,
                body,
                decorator_list,
                type_params,
            } => {
                let tp = self.seq(type_params, Self::type_param)?;
                let bs = self.exprs(bases)?;
                let kw = self.seq(keywords, Self::keyword)?;
                let b = self.body(body)?;
                let d = self.exprs(decorator_list)?;
                if same(tp, type_params)
                    && same(bs, bases)
                    && same(kw, keywords)
                    && same(b, body)
                    && same(d, decorator_list)
                {
                    return Ok(s);
                }
                S::ClassDef {
                    name,
                    bases: bs,
                    keywords: kw,
                    body: b,
                    decorator_list: d,
                    type_params: tp,
                }
            }
            S::Return { value } => {
                let v = self.opt_expr(value)?;
                if same_opt(v, value) {
                    return Ok(s);
                }
                S::Return { value: v }
            }
            S::Delete { targets } => {
                let t = self.exprs(targets)?;
                if same(t, targets) {
                    return Ok(s);
                }
                S::Delete { targets: t }
            }
            S::Assign {
                targets,
                value,
                type_comment,
            } => {
                let t = self.exprs(targets)?;
                let v = self.expr(value)?;
                if same(t, targets) && same(v, value) {
                    return Ok(s);
                }
                S::Assign {
                    targets: t,
                    value: v,
                    type_comment,
                }
            }
            S::TypeAlias {
                name,
                type_params,
                value,
            } => {
                let n = self.expr(name)?;
                let tp = self.seq(type_params, Self::type_param)?;
                let v = self.expr(value)?;
                if same(n, name) && same(tp, type_params) && same(v, value) {
                    return Ok(s);
                }
                S::TypeAlias {
                    name: n,
                    type_params: tp,
                    value: v,
                }
            }
            S::AugAssign { target, op, value } => {
                let t = self.expr(target)?;
                let v = self.expr(value)?;
                if same(t, target) && same(v, value) {
                    return Ok(s);
                }
                S::AugAssign {
                    target: t,
                    op,
                    value: v,
                }
            }
            S::AnnAssign {
                target,
                annotation,
                value,
                simple,
            } => {
                let t = self.expr(target)?;
                let a = self.annotation(Some(annotation))?.expect("an annotation");
                let v = self.opt_expr(value)?;
                if same(t, target) && same(a, annotation) && same_opt(v, value) {
                    return Ok(s);
                }
                S::AnnAssign {
                    target: t,
                    annotation: a,
                    value: v,
                    simple,
                }
            }
            S::For {
                target,
                iter,
                body,
                orelse,
                type_comment,
            } => {
                let t = self.expr(target)?;
                let i = self.expr(iter)?;
                let b = self.stmts(body)?;
                let o = self.stmts(orelse)?;
                let i = self.fold_iter(i);
                if same(t, target) && same(i, iter) && same(b, body) && same(o, orelse) {
                    return Ok(s);
                }
                S::For {
                    target: t,
                    iter: i,
                    body: b,
                    orelse: o,
                    type_comment,
                }
            }
            S::AsyncFor {
                target,
                iter,
                body,
                orelse,
                type_comment,
            } => {
                let t = self.expr(target)?;
                let i = self.expr(iter)?;
                let b = self.stmts(body)?;
                let o = self.stmts(orelse)?;
                if same(t, target) && same(i, iter) && same(b, body) && same(o, orelse) {
                    return Ok(s);
                }
                S::AsyncFor {
                    target: t,
                    iter: i,
                    body: b,
                    orelse: o,
                    type_comment,
                }
            }
            S::While { test, body, orelse } | S::If { test, body, orelse } => {
                let t = self.expr(test)?;
                let b = self.stmts(body)?;
                let o = self.stmts(orelse)?;
                if same(t, test) && same(b, body) && same(o, orelse) {
                    return Ok(s);
                }
                if matches!(s.kind, S::While { .. }) {
                    S::While {
                        test: t,
                        body: b,
                        orelse: o,
                    }
                } else {
                    S::If {
                        test: t,
                        body: b,
                        orelse: o,
                    }
                }
            }
            S::With {
                items,
                body,
                type_comment,
            }
            | S::AsyncWith {
                items,
                body,
                type_comment,
            } => {
                let it = self.seq(items, Self::withitem)?;
                let b = self.stmts(body)?;
                if same(it, items) && same(b, body) {
                    return Ok(s);
                }
                if matches!(s.kind, S::With { .. }) {
                    S::With {
                        items: it,
                        body: b,
                        type_comment,
                    }
                } else {
                    S::AsyncWith {
                        items: it,
                        body: b,
                        type_comment,
                    }
                }
            }
            S::Match { subject, cases } => {
                let su = self.expr(subject)?;
                let c = self.seq(cases, Self::match_case)?;
                if same(su, subject) && same(c, cases) {
                    return Ok(s);
                }
                S::Match { subject: su, cases: c }
            }
            S::Raise { exc, cause } => {
                let e = self.opt_expr(exc)?;
                let c = self.opt_expr(cause)?;
                if same_opt(e, exc) && same_opt(c, cause) {
                    return Ok(s);
                }
                S::Raise { exc: e, cause: c }
            }
            S::Try {
                body,
                handlers,
                orelse,
                finalbody,
            }
            | S::TryStar {
                body,
                handlers,
                orelse,
                finalbody,
            } => {
                let b = self.stmts(body)?;
                let h = self.seq(handlers, Self::excepthandler)?;
                let o = self.stmts(orelse)?;
                let f = self.stmts(finalbody)?;
                if same(b, body) && same(h, handlers) && same(o, orelse) && same(f, finalbody) {
                    return Ok(s);
                }
                if matches!(s.kind, S::Try { .. }) {
                    S::Try {
                        body: b,
                        handlers: h,
                        orelse: o,
                        finalbody: f,
                    }
                } else {
                    S::TryStar {
                        body: b,
                        handlers: h,
                        orelse: o,
                        finalbody: f,
                    }
                }
            }
            S::Assert { test, msg } => {
                let t = self.expr(test)?;
                let m = self.opt_expr(msg)?;
                if same(t, test) && same_opt(m, msg) {
                    return Ok(s);
                }
                S::Assert { test: t, msg: m }
            }
            S::Expr { value } => {
                let v = self.expr(value)?;
                if same(v, value) {
                    return Ok(s);
                }
                S::Expr { value: v }
            }
            S::Import { .. }
            | S::ImportFrom { .. }
            | S::Global { .. }
            | S::Nonlocal { .. }
            | S::Pass
            | S::Break
            | S::Continue => return Ok(s),
        };
        Ok(self.arena.alloc(Stmt { kind, loc: s.loc }))
    }

    fn expr(&mut self, e: &'a Expr<'a>) -> R<&'a Expr<'a>> {
        self.enter()?;
        let r = self.expr_inner(e);
        self.depth -= 1;
        r
    }

    fn expr_inner(&mut self, e: &'a Expr<'a>) -> R<&'a Expr<'a>> {
        use ExprKind as E;
        let kind = match e.kind {
            E::BoolOp { op, values } => {
                let v = self.exprs(values)?;
                if same(v, values) {
                    return Ok(e);
                }
                E::BoolOp { op, values: v }
            }
            E::BinOp { left, op, right } => {
                let l = self.expr(left)?;
                let r = self.expr(right)?;
                if let Some(folded) = self.fold_binop(l, op, r, e.loc) {
                    return Ok(folded);
                }
                if same(l, left) && same(r, right) {
                    return Ok(e);
                }
                E::BinOp { left: l, op, right: r }
            }
            E::UnaryOp { op, operand } => {
                let o = self.expr(operand)?;
                if let Some(folded) = self.fold_unaryop(op, o, e.loc) {
                    return Ok(folded);
                }
                if same(o, operand) {
                    return Ok(e);
                }
                E::UnaryOp { op, operand: o }
            }
            E::Lambda { args, body } => {
                let a = self.arguments(args)?;
                let b = self.expr(body)?;
                if same(a, args) && same(b, body) {
                    return Ok(e);
                }
                E::Lambda { args: a, body: b }
            }
            E::IfExp { test, body, orelse } => {
                let t = self.expr(test)?;
                let b = self.expr(body)?;
                let o = self.expr(orelse)?;
                if same(t, test) && same(b, body) && same(o, orelse) {
                    return Ok(e);
                }
                E::IfExp {
                    test: t,
                    body: b,
                    orelse: o,
                }
            }
            E::Dict { keys, values } => {
                let k = self.opt_seq(keys)?;
                let v = self.exprs(values)?;
                if same(k, keys) && same(v, values) {
                    return Ok(e);
                }
                E::Dict { keys: k, values: v }
            }
            E::Set { elts } => {
                let x = self.exprs(elts)?;
                if same(x, elts) {
                    return Ok(e);
                }
                E::Set { elts: x }
            }
            E::ListComp { elt, generators } | E::SetComp { elt, generators } | E::GeneratorExp { elt, generators } => {
                let x = self.expr(elt)?;
                let g = self.seq(generators, Self::comprehension)?;
                if same(x, elt) && same(g, generators) {
                    return Ok(e);
                }
                match e.kind {
                    E::ListComp { .. } => E::ListComp { elt: x, generators: g },
                    E::SetComp { .. } => E::SetComp { elt: x, generators: g },
                    _ => E::GeneratorExp { elt: x, generators: g },
                }
            }
            E::DictComp { key, value, generators } => {
                let k = self.expr(key)?;
                let v = self.expr(value)?;
                let g = self.seq(generators, Self::comprehension)?;
                if same(k, key) && same(v, value) && same(g, generators) {
                    return Ok(e);
                }
                E::DictComp {
                    key: k,
                    value: v,
                    generators: g,
                }
            }
            E::Await { value } | E::YieldFrom { value } => {
                let v = self.expr(value)?;
                if same(v, value) {
                    return Ok(e);
                }
                if matches!(e.kind, E::Await { .. }) {
                    E::Await { value: v }
                } else {
                    E::YieldFrom { value: v }
                }
            }
            E::Yield { value } => {
                let v = self.opt_expr(value)?;
                if same_opt(v, value) {
                    return Ok(e);
                }
                E::Yield { value: v }
            }
            E::Compare { left, ops, comparators } => {
                let l = self.expr(left)?;
                let mut c = self.exprs(comparators)?;
                // fold_compare: the right operand of a final `in` / `not in`.
                if let (Some(CmpOp::In | CmpOp::NotIn), Some(&last)) = (ops.last(), c.last()) {
                    let folded = self.fold_iter(last);
                    if !same(folded, last) {
                        let mut v = c.to_vec();
                        *v.last_mut().unwrap() = folded;
                        c = self.arena.alloc_slice_copy(&v);
                    }
                }
                if same(l, left) && same(c, comparators) {
                    return Ok(e);
                }
                E::Compare {
                    left: l,
                    ops,
                    comparators: c,
                }
            }
            E::Call { func, args, keywords } => {
                let f = self.expr(func)?;
                let a = self.exprs(args)?;
                let k = self.seq(keywords, Self::keyword)?;
                if same(f, func) && same(a, args) && same(k, keywords) {
                    return Ok(e);
                }
                E::Call {
                    func: f,
                    args: a,
                    keywords: k,
                }
            }
            E::FormattedValue {
                value,
                conversion,
                format_spec,
            } => {
                let v = self.expr(value)?;
                let f = self.opt_expr(format_spec)?;
                if same(v, value) && same_opt(f, format_spec) {
                    return Ok(e);
                }
                E::FormattedValue {
                    value: v,
                    conversion,
                    format_spec: f,
                }
            }
            E::JoinedStr { values } => {
                let v = self.exprs(values)?;
                if same(v, values) {
                    return Ok(e);
                }
                E::JoinedStr { values: v }
            }
            E::Constant { .. } => return Ok(e),
            E::Attribute { value, attr, ctx } => {
                let v = self.expr(value)?;
                if same(v, value) {
                    return Ok(e);
                }
                E::Attribute { value: v, attr, ctx }
            }
            E::Subscript { value, slice, ctx } => {
                let v = self.expr(value)?;
                let s = self.expr(slice)?;
                if ctx == ExprContext::Load {
                    if let (Some(cv), Some(ci)) = (as_const(v), as_const(s)) {
                        if let Some(r) = ops::subscript(&cv, &ci, self.arena) {
                            return Ok(self.constant(r, e.loc));
                        }
                    }
                }
                if same(v, value) && same(s, slice) {
                    return Ok(e);
                }
                E::Subscript {
                    value: v,
                    slice: s,
                    ctx,
                }
            }
            E::Starred { value, ctx } => {
                let v = self.expr(value)?;
                if same(v, value) {
                    return Ok(e);
                }
                E::Starred { value: v, ctx }
            }
            E::Slice { lower, upper, step } => {
                let l = self.opt_expr(lower)?;
                let u = self.opt_expr(upper)?;
                let s = self.opt_expr(step)?;
                if same_opt(l, lower) && same_opt(u, upper) && same_opt(s, step) {
                    return Ok(e);
                }
                E::Slice {
                    lower: l,
                    upper: u,
                    step: s,
                }
            }
            E::List { elts, ctx } => {
                let x = self.exprs(elts)?;
                if same(x, elts) {
                    return Ok(e);
                }
                E::List { elts: x, ctx }
            }
            E::Tuple { elts, ctx } => {
                let x = self.exprs(elts)?;
                if ctx == ExprContext::Load {
                    if let Some(t) = self.const_tuple(x) {
                        return Ok(self.constant(Constant::Tuple(t), e.loc));
                    }
                }
                if same(x, elts) {
                    return Ok(e);
                }
                E::Tuple { elts: x, ctx }
            }
            E::Name { id, ctx } => {
                if ctx == ExprContext::Load && id == "__debug__" {
                    let v = if self.optimize == 0 {
                        Constant::True
                    } else {
                        Constant::False
                    };
                    return Ok(self.constant(v, e.loc));
                }
                return Ok(e);
            }
            E::NamedExpr { target, value } => {
                let v = self.expr(value)?;
                if same(v, value) {
                    return Ok(e);
                }
                E::NamedExpr { target, value: v }
            }
        };
        Ok(self.expr_node(kind, e.loc))
    }

    /// `make_const_tuple`: the values of a sequence made only of constants.
    fn const_tuple(&self, elts: &[&'a Expr<'a>]) -> Option<&'a [Constant<'a>]> {
        if !elts.iter().all(|e| matches!(e.kind, ExprKind::Constant { .. })) {
            return None;
        }
        Some(
            self.arena
                .alloc_slice_fill_iter(elts.iter().map(|e| as_const(e).expect("a constant"))),
        )
    }

    /// `fold_iter`: a list display becomes a tuple (a constant one if it can), a set display
    /// of constants a constant frozenset.
    fn fold_iter(&mut self, e: &'a Expr<'a>) -> &'a Expr<'a> {
        match e.kind {
            ExprKind::List { elts, ctx } => {
                if elts.iter().any(|x| matches!(x.kind, ExprKind::Starred { .. })) {
                    return e;
                }
                if let Some(t) = self.const_tuple(elts) {
                    return self.constant(Constant::Tuple(t), e.loc);
                }
                self.expr_node(ExprKind::Tuple { elts, ctx }, e.loc)
            }
            ExprKind::Set { elts } => {
                let Some(items) = self.const_tuple(elts) else { return e };
                let mut unique: Vec<Constant<'a>> = Vec::with_capacity(items.len());
                for c in items {
                    if !unique.iter().any(|u| ops::py_eq(u, c)) {
                        unique.push(*c);
                    }
                }
                self.constant(Constant::FrozenSet(self.arena.alloc_slice_copy(&unique)), e.loc)
            }
            _ => e,
        }
    }

    fn fold_unaryop(&mut self, op: UnaryOp, operand: &'a Expr<'a>, loc: Loc) -> Option<&'a Expr<'a>> {
        let Some(v) = as_const(operand) else {
            // `not` over a single is / is not / in / not in comparison inverts it.
            if let (
                UnaryOp::Not,
                ExprKind::Compare {
                    left,
                    ops: &[cmp],
                    comparators,
                },
            ) = (op, operand.kind)
            {
                let inverted = match cmp {
                    CmpOp::Is => CmpOp::IsNot,
                    CmpOp::IsNot => CmpOp::Is,
                    CmpOp::In => CmpOp::NotIn,
                    CmpOp::NotIn => CmpOp::In,
                    _ => return None,
                };
                return Some(self.expr_node(
                    ExprKind::Compare {
                        left,
                        ops: self.arena.alloc_slice_copy(&[inverted]),
                        comparators,
                    },
                    operand.loc,
                ));
            }
            return None;
        };
        let mut warned = false;
        let mut cx = ops::Ctx {
            arena: self.arena,
            warned_invert_bool: &mut warned,
        };
        let r = ops::unary(op, &v, &mut cx)?;
        if warned {
            self.warnings.push(Warning {
                category: "DeprecationWarning",
                message: INVERT_BOOL_WARNING,
                loc,
            });
        }
        Some(self.constant(r, loc))
    }

    fn fold_binop(&mut self, l: &'a Expr<'a>, op: Operator, r: &'a Expr<'a>, loc: Loc) -> Option<&'a Expr<'a>> {
        let lv = as_const(l)?;
        if let (Operator::Mod, ExprKind::Tuple { elts, .. }, Constant::Str(fmt)) = (op, r.kind, lv) {
            if elts.iter().any(|x| matches!(x.kind, ExprKind::Starred { .. })) {
                return None;
            }
            let kind = format::optimize_format(self.arena, fmt, elts)?;
            return Some(self.expr_node(kind, loc));
        }
        let rv = as_const(r)?;
        let v = ops::binary(op, &lv, &rv, self.arena)?;
        Some(self.constant(v, loc))
    }
}
