//! The whole standard library corpus goes through the optimizer at every optimization level
//! without a panic or an error (CPython compiles all of it), and optimizing an optimized tree
//! again changes nothing. Then every foldable expression of the corpus (constant-only
//! operations, subscripts, tuples, `'...' % (...)`) is compared with the oracle, as the
//! generated cases of `oracle_cases.rs` are.

mod common;

use bumpalo::Bump;
use pyrite_ast::{Comprehension, Constant, Expr, ExprContext, ExprKind, Mod, Operator, Stmt, StmtKind};
use pyrite_astopt::CO_FUTURE_ANNOTATIONS;
use std::collections::BTreeSet;

/// The `from __future__ import annotations` flag, read from the leading imports.
fn future_flags(m: &Mod<'_>) -> u32 {
    let Mod::Module { body, .. } = m else { return 0 };
    for (i, s) in body.iter().enumerate() {
        match s.kind {
            StmtKind::ImportFrom {
                module: Some("__future__"),
                names,
                ..
            } => {
                if names.iter().any(|a| a.name == "annotations") {
                    return CO_FUTURE_ANNOTATIONS;
                }
            }
            StmtKind::Expr { .. } if i == 0 => {}
            _ => break,
        }
    }
    0
}

#[test]
fn the_corpus_optimizes_without_error() {
    let oracle = pyrite_oracle::Oracle::require();
    let files = oracle.corpus();
    assert!(files.len() > 1500);
    let summary = std::thread::Builder::new()
        .stack_size(1 << 30)
        .spawn(move || {
            let mut parsed_files = 0;
            let mut changed = 0;
            let mut errors = Vec::new();
            for path in &files {
                let source = std::fs::read(path).unwrap();
                let arena = Bump::new();
                let Ok(module) = pyrite_parser::parse_module(&arena, &source, "corpus.py").module else {
                    continue;
                };
                parsed_files += 1;
                let ff = future_flags(module);
                for level in [0, 1, 2] {
                    match pyrite_astopt::optimize(&arena, module, level, ff) {
                        Ok(m) => {
                            if level == 0 && !std::ptr::eq(m, module) {
                                changed += 1;
                            }
                            let again = pyrite_astopt::optimize(&arena, m, level, ff).unwrap();
                            if !std::ptr::eq(again, m) {
                                errors.push(format!("{}: a second pass changed the tree", path.display()));
                            }
                        }
                        Err(e) => errors.push(format!("{}: {e}", path.display())),
                    }
                }
            }
            (parsed_files, changed, errors)
        })
        .unwrap()
        .join()
        .unwrap();
    let (parsed, changed, errors) = summary;
    println!("corpus: {parsed} files optimized at levels 0-2, {changed} changed at level 0");
    for e in errors.iter().take(20) {
        eprintln!("{e}");
    }
    assert!(errors.is_empty(), "{} failures", errors.len());
    assert!(parsed > 1700);
}

/// Is the expression made only of constants, operators, subscripts, tuples and `__debug__`?
fn constant_only(e: &Expr<'_>) -> bool {
    match e.kind {
        ExprKind::Constant { .. } => true,
        ExprKind::Name { id, .. } => id == "__debug__",
        ExprKind::BinOp { left, right, .. } => constant_only(left) && constant_only(right),
        ExprKind::UnaryOp { operand, .. } => constant_only(operand),
        ExprKind::Subscript { value, slice, .. } => constant_only(value) && constant_only(slice),
        ExprKind::Tuple { elts, ctx } => ctx == ExprContext::Load && elts.iter().all(|e| constant_only(e)),
        _ => false,
    }
}

/// An operand the harness's emitter handles: a name, an attribute of one, a constant.
fn plain(e: &Expr<'_>) -> bool {
    match e.kind {
        ExprKind::Constant { .. } | ExprKind::Name { .. } => true,
        ExprKind::Attribute { value, .. } => plain(value),
        _ => false,
    }
}

/// Is the expression one the optimizer may rewrite, and the harness can compare?
fn candidate(e: &Expr<'_>) -> bool {
    match e.kind {
        ExprKind::BinOp {
            left,
            op: Operator::Mod,
            right,
        } if matches!(
            left.kind,
            ExprKind::Constant {
                value: Constant::Str(_),
                ..
            }
        ) =>
        {
            match right.kind {
                ExprKind::Tuple { elts, .. } => elts.iter().all(|e| plain(e)),
                _ => constant_only(right),
            }
        }
        ExprKind::BinOp { .. } | ExprKind::UnaryOp { .. } | ExprKind::Subscript { .. } | ExprKind::Tuple { .. } => {
            constant_only(e)
        }
        ExprKind::Name { id: "__debug__", .. } => true,
        _ => false,
    }
}

/// Collects the source text of every maximal candidate expression.
struct Collector<'s> {
    lines: Vec<&'s [u8]>,
    found: BTreeSet<String>,
}

impl Collector<'_> {
    fn text(&self, e: &Expr<'_>) -> Option<String> {
        let l = e.loc;
        let (first, last) = (l.lineno as usize - 1, l.end_lineno as usize - 1);
        let mut out = Vec::new();
        for i in first..=last {
            let line = self.lines.get(i)?;
            let start = if i == first { l.col_offset as usize } else { 0 };
            let end = if i == last {
                l.end_col_offset as usize
            } else {
                line.len()
            };
            out.extend_from_slice(line.get(start..end)?);
            if i != last {
                out.push(b'\n');
            }
        }
        let text = String::from_utf8(out).ok()?;
        (!text.contains('\r') && !text.contains('\\')).then_some(text)
    }

    fn stmts(&mut self, body: &[&Stmt<'_>]) {
        for s in body {
            self.stmt(s);
        }
    }

    fn exprs(&mut self, es: &[&Expr<'_>]) {
        for e in es {
            self.expr(e);
        }
    }

    fn comprehensions(&mut self, gens: &[&Comprehension<'_>]) {
        for g in gens {
            self.expr(g.iter);
            self.exprs(g.ifs);
        }
    }

    fn stmt(&mut self, s: &Stmt<'_>) {
        use StmtKind as S;
        match s.kind {
            S::FunctionDef {
                args,
                body,
                decorator_list,
                ..
            }
            | S::AsyncFunctionDef {
                args,
                body,
                decorator_list,
                ..
            } => {
                self.exprs(args.defaults);
                self.exprs(decorator_list);
                self.stmts(body);
            }
            S::ClassDef {
                bases,
                body,
                decorator_list,
                ..
            } => {
                self.exprs(bases);
                self.exprs(decorator_list);
                self.stmts(body);
            }
            S::Return { value: Some(v) } | S::Expr { value: v } => self.expr(v),
            S::Assign { value, .. } | S::AugAssign { value, .. } => self.expr(value),
            S::AnnAssign { value: Some(v), .. } => self.expr(v),
            S::For { iter, body, orelse, .. } | S::AsyncFor { iter, body, orelse, .. } => {
                self.expr(iter);
                self.stmts(body);
                self.stmts(orelse);
            }
            S::While { test, body, orelse } | S::If { test, body, orelse } => {
                self.expr(test);
                self.stmts(body);
                self.stmts(orelse);
            }
            S::With { items, body, .. } | S::AsyncWith { items, body, .. } => {
                for i in items {
                    self.expr(i.context_expr);
                }
                self.stmts(body);
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
                self.stmts(body);
                for h in handlers {
                    let pyrite_ast::ExceptHandlerKind::ExceptHandler { body, .. } = h.kind;
                    self.stmts(body);
                }
                self.stmts(orelse);
                self.stmts(finalbody);
            }
            S::Assert { test, msg } => {
                self.expr(test);
                if let Some(m) = msg {
                    self.expr(m);
                }
            }
            S::Raise { exc: Some(e), .. } => self.expr(e),
            S::Match { subject, cases } => {
                self.expr(subject);
                for c in cases {
                    self.stmts(c.body);
                }
            }
            _ => {}
        }
    }

    fn expr(&mut self, e: &Expr<'_>) {
        use ExprKind as E;
        if candidate(e) {
            if let Some(t) = self.text(e) {
                self.found.insert(t);
            }
            return;
        }
        match e.kind {
            E::BoolOp { values, .. } => self.exprs(values),
            E::BinOp { left, right, .. } => {
                self.expr(left);
                self.expr(right);
            }
            E::UnaryOp { operand, .. } => self.expr(operand),
            E::Lambda { body, .. } => self.expr(body),
            E::IfExp { test, body, orelse } => {
                self.expr(test);
                self.expr(body);
                self.expr(orelse);
            }
            E::Dict { keys, values } => {
                for k in keys.iter().flatten() {
                    self.expr(k);
                }
                self.exprs(values);
            }
            E::Set { elts } | E::List { elts, .. } | E::Tuple { elts, .. } => self.exprs(elts),
            E::ListComp { elt, generators } | E::SetComp { elt, generators } | E::GeneratorExp { elt, generators } => {
                self.expr(elt);
                self.comprehensions(generators);
            }
            E::DictComp { key, value, generators } => {
                self.expr(key);
                self.expr(value);
                self.comprehensions(generators);
            }
            E::Await { value } | E::YieldFrom { value } | E::Attribute { value, .. } | E::Starred { value, .. } => {
                self.expr(value)
            }
            E::Yield { value: Some(v) } => self.expr(v),
            E::Compare { left, comparators, .. } => {
                self.expr(left);
                self.exprs(comparators);
            }
            E::Call { func, args, keywords } => {
                self.expr(func);
                self.exprs(args);
                for k in keywords {
                    self.expr(k.value);
                }
            }
            E::Subscript { value, slice, .. } => {
                self.expr(value);
                self.expr(slice);
            }
            E::Slice { lower, upper, step } => {
                for p in [lower, upper, step].into_iter().flatten() {
                    self.expr(p);
                }
            }
            E::NamedExpr { value, .. } => self.expr(value),
            _ => {}
        }
    }
}

#[test]
fn corpus_expressions_fold_as_in_cpython() {
    let oracle = pyrite_oracle::Oracle::require();
    let files = oracle.corpus();
    let exprs = std::thread::Builder::new()
        .stack_size(1 << 30)
        .spawn(move || {
            let mut found = BTreeSet::new();
            for path in &files {
                let source = std::fs::read(path).unwrap();
                let arena = Bump::new();
                let Ok(Mod::Module { body, .. }) = pyrite_parser::parse_module(&arena, &source, "c.py").module else {
                    continue;
                };
                let mut c = Collector {
                    lines: source.split(|&b| b == b'\n').collect(),
                    found: BTreeSet::new(),
                };
                c.stmts(body);
                found.append(&mut c.found);
            }
            // Keep what parses in the case's context (the slice of a line may not).
            found
                .into_iter()
                .filter(|t| {
                    let arena = Bump::new();
                    let src = format!("x = ({t})\n");
                    pyrite_parser::parse_module(&arena, src.as_bytes(), "case.py")
                        .module
                        .is_ok()
                })
                .collect::<Vec<String>>()
        })
        .unwrap()
        .join()
        .unwrap();
    assert!(exprs.len() > 1000, "only {} expressions", exprs.len());
    let list = std::env::temp_dir().join(format!("pyrite-astopt-corpus-{}.txt", std::process::id()));
    let hex: String = exprs
        .iter()
        .map(|t| t.bytes().map(|b| format!("{b:02x}")).collect::<String>() + "\n")
        .collect();
    std::fs::write(&list, hex).unwrap();
    let out = oracle.run_script(&common::script(), &["--exprs".into(), list.display().to_string()], &[]);
    let _ = std::fs::remove_file(&list);
    let cases = common::parse_output(&out.unwrap_or_else(|e| panic!("the oracle script failed: {e}")));
    assert_eq!(cases.len(), exprs.len());
    println!("corpus expressions: {}", cases.len());
    let failures = common::check_all(cases);
    for f in failures.iter().take(40) {
        eprintln!("{f}");
    }
    assert!(
        failures.is_empty(),
        "{} corpus expressions differ from CPython",
        failures.len()
    );
}
