//! The differential harness shared by the tests: the oracle script's output format, and the
//! instructions CPython's code generator (`Python/compile.c`, 3.12) emits for an optimized
//! expression (`Emitter`), to compare with what the oracle reports.

#![allow(dead_code)]

use bumpalo::Bump;
use pyrite_ast::{
    CmpOp, Constant, Expr, ExprKind, Loc, Mod, Operator, PatternKind, Stmt, StmtKind, TypeParamKind, UnaryOp,
};
use pyrite_astopt::{ops::py_eq, CO_FUTURE_ANNOTATIONS, NO_LOCATION};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

fn type_name(c: &Constant<'_>) -> &'static str {
    match c {
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
    }
}

/// The script's `body`: the repr, with frozenset items sorted.
fn cbody(c: &Constant<'_>) -> String {
    match c {
        Constant::Tuple(items) => {
            let inner: Vec<String> = items.iter().map(cbody).collect();
            format!("({}{})", inner.join(", "), if items.len() == 1 { "," } else { "" })
        }
        Constant::FrozenSet(items) => {
            let mut v: Vec<String> = items.iter().map(cbody).collect();
            v.sort();
            if v.is_empty() {
                "frozenset()".into()
            } else {
                format!("frozenset({{{}}})", v.join(", "))
            }
        }
        _ => c.repr(),
    }
}

fn crepr(c: &Constant<'_>) -> String {
    format!("{} {}", type_name(c), cbody(c))
}

#[derive(Clone, Debug, PartialEq)]
pub struct Ins {
    pub op: String,
    pub arg: String,
    /// (lineno, col, end_lineno, end_col); None: not compared.
    pos: Option<[String; 4]>,
}

fn pos_of(loc: Loc) -> Option<[String; 4]> {
    if loc == NO_LOCATION {
        return None;
    }
    Some([
        loc.lineno.to_string(),
        loc.col_offset.to_string(),
        loc.end_lineno.to_string(),
        loc.end_col_offset.to_string(),
    ])
}

fn binop_symbol(op: Operator) -> &'static str {
    match op {
        Operator::Add => "+",
        Operator::Sub => "-",
        Operator::Mult => "*",
        Operator::MatMult => "@",
        Operator::Div => "/",
        Operator::Mod => "%",
        Operator::Pow => "**",
        Operator::LShift => "<<",
        Operator::RShift => ">>",
        Operator::BitOr => "|",
        Operator::BitXor => "^",
        Operator::BitAnd => "&",
        Operator::FloorDiv => "//",
    }
}

/// The instructions CPython 3.12's code generator (and its flow-graph optimizer, for the
/// constant-test conditional and the constant-list/set displays) emits for an expression at
/// module level, without the stack-shuffling and jump instructions the script leaves out.
struct Emitter {
    out: Vec<Ins>,
}

impl Emitter {
    fn push(&mut self, op: &str, arg: impl Into<String>, loc: Option<Loc>) {
        self.out.push(Ins {
            op: op.into(),
            arg: arg.into(),
            pos: loc.and_then(pos_of),
        });
    }

    fn constant(&mut self, c: &Constant<'_>, loc: Option<Loc>) {
        self.push("LOAD_CONST", crepr(c), loc);
    }

    fn all_const<'a>(elts: &[&'a Expr<'a>]) -> Option<Vec<Constant<'a>>> {
        elts.iter()
            .map(|e| match e.kind {
                ExprKind::Constant { value, .. } => Some(value),
                _ => None,
            })
            .collect()
    }

    /// `starunpack_helper`.
    fn starunpack(&mut self, elts: &[&Expr<'_>], loc: Loc, kind: &str) -> Result<(), String> {
        let (build, add, extend) = match kind {
            "set" => ("BUILD_SET", "SET_ADD", "SET_UPDATE"),
            _ => ("BUILD_LIST", "LIST_APPEND", "LIST_EXTEND"),
        };
        let n = elts.len();
        if n > 2 {
            if let Some(items) = Self::all_const(elts) {
                let folded = if kind == "set" {
                    let mut unique: Vec<Constant<'_>> = Vec::new();
                    for c in items {
                        if !unique.iter().any(|u| py_eq(u, &c)) {
                            unique.push(c);
                        }
                    }
                    crepr(&Constant::FrozenSet(&unique))
                } else {
                    crepr(&Constant::Tuple(&items))
                };
                if kind == "tuple" {
                    self.push("LOAD_CONST", folded, Some(loc));
                } else {
                    self.push(build, "0", Some(loc));
                    self.push("LOAD_CONST", folded, Some(loc));
                    self.push(extend, "1", Some(loc));
                }
                return Ok(());
            }
        }
        let starred = elts.iter().any(|e| matches!(e.kind, ExprKind::Starred { .. }));
        if !starred && n <= 30 {
            for e in elts {
                self.expr(e)?;
            }
            let op = if kind == "tuple" { "BUILD_TUPLE" } else { build };
            self.push(op, n.to_string(), Some(loc));
            return Ok(());
        }
        let mut built = false;
        if n > 30 {
            self.push(build, "0", Some(loc));
            built = true;
        }
        for (i, e) in elts.iter().enumerate() {
            if let ExprKind::Starred { value, .. } = e.kind {
                if !built {
                    self.push(build, i.to_string(), Some(loc));
                    built = true;
                }
                self.expr(value)?;
                self.push(extend, "1", Some(loc));
            } else {
                self.expr(e)?;
                if built {
                    self.push(add, "1", Some(loc));
                }
            }
        }
        if kind == "tuple" {
            self.push("CALL_INTRINSIC_1", "INTRINSIC_LIST_TO_TUPLE", Some(loc));
        }
        Ok(())
    }

    fn expr(&mut self, e: &Expr<'_>) -> Result<(), String> {
        let loc = Some(e.loc);
        match e.kind {
            ExprKind::Constant { value, .. } => self.constant(&value, loc),
            ExprKind::Name { id, .. } => self.push("LOAD_NAME", id, loc),
            ExprKind::BinOp { left, op, right } => {
                self.expr(left)?;
                self.expr(right)?;
                self.push("BINARY_OP", binop_symbol(op), loc);
            }
            ExprKind::UnaryOp { op, operand } => {
                self.expr(operand)?;
                match op {
                    UnaryOp::USub => self.push("UNARY_NEGATIVE", "", loc),
                    UnaryOp::Invert => self.push("UNARY_INVERT", "", loc),
                    UnaryOp::Not => self.push("UNARY_NOT", "", loc),
                    UnaryOp::UAdd => self.push("CALL_INTRINSIC_1", "INTRINSIC_UNARY_POSITIVE", loc),
                }
            }
            ExprKind::Subscript { value, slice, .. } => {
                self.expr(value)?;
                match slice.kind {
                    ExprKind::Slice {
                        lower,
                        upper,
                        step: None,
                    } => {
                        for part in [lower, upper] {
                            match part {
                                Some(p) => self.expr(p)?,
                                None => self.constant(&Constant::None, None),
                            }
                        }
                        self.push("BINARY_SLICE", "", loc);
                    }
                    _ => {
                        self.expr(slice)?;
                        self.push("BINARY_SUBSCR", "", loc);
                    }
                }
            }
            ExprKind::Slice { lower, upper, step } => {
                for part in [lower, upper] {
                    match part {
                        Some(p) => self.expr(p)?,
                        None => self.constant(&Constant::None, None),
                    }
                }
                let mut n = 2;
                if let Some(s) = step {
                    self.expr(s)?;
                    n = 3;
                }
                self.push("BUILD_SLICE", n.to_string(), loc);
            }
            ExprKind::Tuple { elts, .. } => self.starunpack(elts, e.loc, "tuple")?,
            ExprKind::List { elts, .. } => self.starunpack(elts, e.loc, "list")?,
            ExprKind::Set { elts } => self.starunpack(elts, e.loc, "set")?,
            ExprKind::Dict { keys, values } => {
                let keys: Option<Vec<&Expr<'_>>> = keys.iter().copied().collect();
                let keys = keys.ok_or("dict unpacking")?;
                if keys.len() > 16 {
                    return Err("big dict".into());
                }
                if keys.len() > 1 {
                    if let Some(k) = Self::all_const(&keys) {
                        for v in values {
                            self.expr(v)?;
                        }
                        self.push("LOAD_CONST", crepr(&Constant::Tuple(&k)), loc);
                        self.push("BUILD_CONST_KEY_MAP", keys.len().to_string(), loc);
                        return Ok(());
                    }
                }
                for (k, v) in keys.iter().zip(values.iter()) {
                    self.expr(k)?;
                    self.expr(v)?;
                }
                self.push("BUILD_MAP", keys.len().to_string(), loc);
            }
            ExprKind::Compare { left, ops, comparators } => {
                self.expr(left)?;
                for (op, c) in ops.iter().zip(comparators.iter()) {
                    self.expr(c)?;
                    let (name, arg) = match op {
                        CmpOp::Eq => ("COMPARE_OP", "=="),
                        CmpOp::NotEq => ("COMPARE_OP", "!="),
                        CmpOp::Lt => ("COMPARE_OP", "<"),
                        CmpOp::LtE => ("COMPARE_OP", "<="),
                        CmpOp::Gt => ("COMPARE_OP", ">"),
                        CmpOp::GtE => ("COMPARE_OP", ">="),
                        CmpOp::Is => ("IS_OP", "0"),
                        CmpOp::IsNot => ("IS_OP", "1"),
                        CmpOp::In => ("CONTAINS_OP", "0"),
                        CmpOp::NotIn => ("CONTAINS_OP", "1"),
                    };
                    self.push(name, arg, loc);
                }
            }
            ExprKind::BoolOp { values, .. } => {
                if matches!(values[0].kind, ExprKind::Constant { .. }) {
                    return Err("a constant first operand of and/or (the CFG folds it)".into());
                }
                for v in values {
                    self.expr(v)?;
                }
            }
            ExprKind::IfExp { test, body, orelse } => match test.kind {
                // The flow-graph optimizer drops the constant test and the dead branch.
                ExprKind::Constant { value, .. } => self.expr(if pyrite_astopt::ops::truth(&value) {
                    body
                } else {
                    orelse
                })?,
                _ => {
                    self.expr(test)?;
                    self.expr(body)?;
                    self.expr(orelse)?;
                }
            },
            ExprKind::Call { func, args, keywords } => {
                if !keywords.is_empty() || args.iter().any(|a| matches!(a.kind, ExprKind::Starred { .. })) {
                    return Err("call with keywords or starred arguments".into());
                }
                if matches!(func.kind, ExprKind::Attribute { .. }) {
                    return Err("method call".into());
                }
                self.push("PUSH_NULL", "", None);
                self.expr(func)?;
                for a in args {
                    self.expr(a)?;
                }
                self.push("CALL", args.len().to_string(), loc);
            }
            ExprKind::Attribute { value, attr, .. } => {
                self.expr(value)?;
                self.push("LOAD_ATTR", attr, loc);
            }
            ExprKind::JoinedStr { values } => {
                for v in values {
                    self.expr(v)?;
                }
                if values.len() != 1 {
                    self.push("BUILD_STRING", values.len().to_string(), loc);
                }
            }
            ExprKind::FormattedValue {
                value,
                conversion,
                format_spec,
            } => {
                self.expr(value)?;
                let mut arg = match conversion {
                    115 => "str",
                    114 => "repr",
                    97 => "ascii",
                    _ => "",
                }
                .to_string();
                if let Some(spec) = format_spec {
                    self.expr(spec)?;
                    arg = if arg.is_empty() {
                        "with format".into()
                    } else {
                        format!("{arg}, with format")
                    };
                }
                self.push("FORMAT_VALUE", arg, loc);
            }
            other => return Err(format!("no emitter for {}", other.name())),
        }
        Ok(())
    }
}

/// One case of the script's output.
#[derive(Default)]
pub struct Case {
    pub cat: String,
    pub optimize: i32,
    pub source: String,
    pub ins: Vec<Ins>,
    doc: Option<String>,
    unparsed: Option<String>,
    warnings: Option<String>,
    error: Option<String>,
}

pub fn parse_output(text: &str) -> Vec<Case> {
    let mut cases: Vec<Case> = Vec::new();
    for line in text.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        match f[0] {
            "C" => {
                let bytes: Vec<u8> = (0..f[3].len())
                    .step_by(2)
                    .map(|i| u8::from_str_radix(&f[3][i..i + 2], 16).unwrap())
                    .collect();
                cases.push(Case {
                    cat: f[1].into(),
                    optimize: f[2].parse().unwrap(),
                    source: String::from_utf8(bytes).unwrap(),
                    ..Case::default()
                });
            }
            "I" => {
                let c = cases.last_mut().unwrap();
                let pos = [f[3], f[4], f[5], f[6]].map(String::from);
                c.ins.push(Ins {
                    op: f[1].into(),
                    arg: f[2].into(),
                    pos: Some(pos),
                });
            }
            "D" => cases.last_mut().unwrap().doc = Some(f[1].into()),
            "U" => cases.last_mut().unwrap().unparsed = Some(f[1].into()),
            "W" => cases.last_mut().unwrap().warnings = Some(f[1].into()),
            "E" => cases.last_mut().unwrap().error = Some(format!("{}: {}", f[1], f[2])),
            other => panic!("unexpected line kind {other:?}"),
        }
    }
    cases
}

fn module_body<'a>(m: &'a Mod<'a>) -> &'a [&'a Stmt<'a>] {
    match m {
        Mod::Module { body, .. } => body,
        _ => panic!("not a module"),
    }
}

fn docstring(body: &[&Stmt<'_>]) -> String {
    match body.first().map(|s| s.kind) {
        Some(StmtKind::Expr {
            value:
                Expr {
                    kind:
                        ExprKind::Constant {
                            value: c @ Constant::Str(_),
                            ..
                        },
                    ..
                },
        }) => crepr(c),
        _ => "None".into(),
    }
}

fn render(ins: &[Ins]) -> String {
    let mut s = String::new();
    for i in ins {
        let _ = write!(s, "    {} {}", i.op, i.arg);
        if let Some(p) = &i.pos {
            let _ = write!(s, "  @{}:{}-{}:{}", p[0], p[1], p[2], p[3]);
        }
        s.push('\n');
    }
    s
}

/// pyrite's view of one case, in the script's terms; `Err` describes a mismatch.
pub fn check(case: &Case) -> Result<(), String> {
    let arena = Bump::new();
    let parsed = pyrite_parser::parse_module(&arena, case.source.as_bytes(), "case.py");
    let module = parsed
        .module
        .map_err(|e| format!("pyrite's parser failed: {}", e.msg))?;
    let ff = if case.cat == "annfut" { CO_FUTURE_ANNOTATIONS } else { 0 };
    let optimized = pyrite_astopt::optimize_with_warnings(&arena, module, case.optimize, ff);
    let optimized = match (optimized, &case.error) {
        (Err(e), Some(want)) if e.to_string() == *want => return Ok(()),
        (Err(e), _) => return Err(format!("pyrite: {e}; CPython: {:?}", case.error)),
        (Ok(_), Some(want)) => return Err(format!("CPython raised {want}; pyrite did not")),
        (Ok(o), None) => o,
    };
    let body = module_body(optimized.module);
    let original = module_body(module);
    let mut em = Emitter { out: Vec::new() };
    let target: Option<&Expr<'_>> = match (case.cat.as_str(), body[0].kind) {
        ("expr" | "warn", StmtKind::Assign { value, .. }) => Some(value),
        ("for", StmtKind::For { iter, .. }) => Some(iter),
        ("comp", StmtKind::Expr { value }) => match value.kind {
            ExprKind::ListComp { generators, .. } => Some(generators[0].iter),
            _ => unreachable!(),
        },
        ("ann", StmtKind::AnnAssign { annotation, .. }) => Some(annotation),
        ("annfut", _) => {
            let (StmtKind::AnnAssign { annotation: new, .. }, StmtKind::AnnAssign { annotation: old, .. }) =
                (body[1].kind, original[1].kind)
            else {
                unreachable!()
            };
            let unchanged = if std::ptr::eq(new, old) { "1" } else { "0" };
            if Some(unchanged) != case.unparsed.as_deref() {
                return Err(format!(
                    "annotation left as written: pyrite {unchanged}, CPython {:?}",
                    case.unparsed
                ));
            }
            None
        }
        ("match" | "mapkeys", StmtKind::Match { cases, .. }) => match cases[0].pattern.kind {
            PatternKind::MatchValue { value } => Some(value),
            PatternKind::MatchMapping { keys, .. } => {
                match Emitter::all_const(keys) {
                    Some(k) => em.constant(&Constant::Tuple(&k), None),
                    None => {
                        for k in keys {
                            em.expr(k)?;
                        }
                        em.push("BUILD_TUPLE", keys.len().to_string(), None);
                    }
                }
                None
            }
            _ => unreachable!(),
        },
        ("typealias", StmtKind::TypeAlias { value, .. }) => Some(value),
        ("bound", StmtKind::FunctionDef { type_params, .. }) => match type_params[0].kind {
            TypeParamKind::TypeVar { bound, .. } => bound,
            _ => unreachable!(),
        },
        ("doc" | "fdoc" | "cdoc" | "recursion", _) => None,
        (cat, kind) => return Err(format!("unexpected statement {} for {cat}", kind.name())),
    };
    if let Some(t) = target {
        em.expr(t).map_err(|e| format!("emitter: {e}"))?;
    }
    let mut ours = em.out;
    let mut theirs = case.ins.clone();
    if case.cat == "annfut" {
        // The annotation is compiled to its source text; `unparsed` compared it above.
        theirs.clear();
    }
    if matches!(case.cat.as_str(), "typealias" | "bound") {
        // Names in an annotation scope are global loads.
        for i in ours.iter_mut().filter(|i| i.op == "LOAD_NAME") {
            i.op = "LOAD_GLOBAL".into();
        }
    }
    if matches!(case.cat.as_str(), "typealias" | "bound" | "mapkeys") {
        // The value is returned (LOAD_CONST + RETURN_VALUE merge into RETURN_CONST, which
        // takes the statement's position) or built into a tuple by the code generator.
        for i in theirs.iter_mut().chain(ours.iter_mut()) {
            i.pos = None;
        }
    }
    let same = ours.len() == theirs.len()
        && ours
            .iter()
            .zip(&theirs)
            .all(|(a, b)| a.op == b.op && a.arg == b.arg && (a.pos.is_none() || b.pos.is_none() || a.pos == b.pos));
    if !same {
        return Err(format!(
            "instructions differ\n  pyrite:\n{}  CPython:\n{}",
            render(&ours),
            render(&theirs)
        ));
    }
    if let Some(want) = &case.doc {
        let got = match case.cat.as_str() {
            "doc" => docstring(body),
            _ => match body[0].kind {
                StmtKind::FunctionDef { body, .. } | StmtKind::ClassDef { body, .. } => docstring(body),
                _ => unreachable!(),
            },
        };
        if got != *want {
            return Err(format!("docstring: pyrite {got}, CPython {want}"));
        }
    }
    if let Some(want) = &case.warnings {
        let got = optimized.warnings.len().to_string();
        if got != *want {
            return Err(format!("warnings: pyrite {got}, CPython {want}"));
        }
    }
    Ok(())
}

pub fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tools/oracle/astopt_cases.py")
}

/// Check every case on a thread with a large stack (deep trees recurse deeply); print the
/// counts per category; return the failures.
pub fn check_all(cases: Vec<Case>) -> Vec<String> {
    std::thread::Builder::new()
        .stack_size(1 << 30)
        .spawn(move || {
            let mut per_cat: BTreeMap<String, (usize, usize)> = BTreeMap::new();
            let mut folded = 0;
            let mut failures = Vec::new();
            for case in &cases {
                let r = check(case);
                let entry = per_cat.entry(case.cat.clone()).or_default();
                entry.0 += 1;
                match r {
                    Ok(()) => {
                        entry.1 += 1;
                        if case.cat == "expr" && case.ins.len() == 1 && case.ins[0].op == "LOAD_CONST" {
                            folded += 1;
                        }
                    }
                    Err(e) => failures.push(format!(
                        "{} (optimize={}) {:?}\n  {e}",
                        case.cat, case.optimize, case.source
                    )),
                }
            }
            for (cat, (total, ok)) in &per_cat {
                println!("{cat}: {ok}/{total} identical");
            }
            println!("expr cases folded to one constant (and identical): {folded}");
            failures
        })
        .unwrap()
        .join()
        .unwrap()
}
