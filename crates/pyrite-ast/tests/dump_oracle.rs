//! `ast.dump` against the oracle's. Trees are built in Rust by a seeded random generator that
//! reaches every constructor of every ASDL type, with optional fields present and absent, empty
//! and non-empty lists, and constants of every kind. Each tree is sent to ONE oracle process as a
//! Python expression of `ast` constructors (`ast.BinOp(left=..., op=ast.Add(), ...)`, written by
//! `to_python.rs`, which `build.rs` generates from the ASDL); the oracle checks that every node
//! has exactly its `_fields` and `_attributes`, dumps it in several configurations, and reports
//! the node classes no tree used (the test fails unless there are none).

mod common;

use bumpalo::Bump;
use common::{constant_to_python, run_oracle, Rng, PY_HELPERS};
use pyrite_ast::*;
use pyrite_unicode::wtf8::push_code_point;
use pyrite_unicode::Wtf8;

/// Python source for a node, built with the `ast` module's constructors.
trait ToPython {
    fn to_python(&self, out: &mut String);
}

impl<T: ToPython + ?Sized> ToPython for &T {
    fn to_python(&self, out: &mut String) {
        (**self).to_python(out)
    }
}

impl<T: ToPython> ToPython for [T] {
    fn to_python(&self, out: &mut String) {
        out.push('[');
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            item.to_python(out);
        }
        out.push(']');
    }
}

impl<T: ToPython> ToPython for Option<T> {
    fn to_python(&self, out: &mut String) {
        match self {
            Some(v) => v.to_python(out),
            None => out.push_str("None"),
        }
    }
}

impl ToPython for i32 {
    fn to_python(&self, out: &mut String) {
        out.push_str(&self.to_string());
    }
}

impl ToPython for str {
    fn to_python(&self, out: &mut String) {
        pyrite_unicode::write_repr(self, out);
    }
}

impl ToPython for Constant<'_> {
    fn to_python(&self, out: &mut String) {
        constant_to_python(self, out);
    }
}

fn write_loc(out: &mut String, loc: &Loc, first: bool) {
    if !first {
        out.push_str(", ");
    }
    out.push_str(&format!(
        "lineno={}, col_offset={}, end_lineno={}, end_col_offset={}",
        loc.lineno, loc.col_offset, loc.end_lineno, loc.end_col_offset
    ));
}

include!(concat!(env!("OUT_DIR"), "/to_python.rs"));

/// Random trees. `depth` bounds the nesting; at the bound lists are empty, optional fields
/// absent and expressions leaves.
struct Gen<'a> {
    rng: Rng,
    arena: &'a Bump,
    depth: u32,
}

const MAX_DEPTH: u32 = 5;

const IDENTIFIERS: &[&str] = &[
    "x",
    "y",
    "self",
    "_",
    "π",
    "名前",
    "it's",
    "a\"b",
    "tab\tnl\n",
    "\u{7f}\u{85}",
    "é𝄞",
];

impl<'a> Gen<'a> {
    fn deep(&self) -> bool {
        self.depth >= MAX_DEPTH
    }

    fn maybe(&mut self) -> bool {
        !self.deep() && self.rng.chance(1, 2)
    }

    fn nest<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> T {
        self.depth += 1;
        let v = f(self);
        self.depth -= 1;
        v
    }

    fn seq<T: Copy>(&mut self, mut f: impl FnMut(&mut Self) -> T) -> &'a [T] {
        let n = if self.deep() {
            0
        } else {
            *self.rng.pick(&[0, 0, 1, 1, 2, 3])
        };
        let items: Vec<T> = (0..n).map(|_| self.nest(&mut f)).collect();
        self.arena.alloc_slice_copy(&items)
    }

    fn opt<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> Option<T> {
        if self.maybe() {
            Some(self.nest(f))
        } else {
            None
        }
    }

    fn loc(&mut self) -> Loc {
        let big = self.rng.chance(1, 10);
        let mut n = || {
            if big {
                self.rng.below(1 << 31) as u32
            } else {
                self.rng.below(200) as u32
            }
        };
        Loc {
            lineno: n(),
            col_offset: n(),
            end_lineno: n(),
            end_col_offset: n(),
        }
    }

    fn ident(&mut self) -> &'a str {
        let i = self.rng.below(IDENTIFIERS.len() as u64) as usize;
        IDENTIFIERS[i]
    }

    fn idents(&mut self) -> &'a [&'a str] {
        self.seq(|g| g.ident())
    }

    fn opt_ident(&mut self) -> Option<&'a str> {
        self.opt(|g| g.ident())
    }

    fn int(&mut self) -> i32 {
        match self.rng.below(4) {
            0 => 0,
            1 => 1,
            2 => *self.rng.pick(&[-1, 115, 114, 97, i32::MIN, i32::MAX]),
            _ => self.rng.next_u64() as i32,
        }
    }

    fn ctx(&mut self) -> ExprContext {
        *self
            .rng
            .pick(&[ExprContext::Load, ExprContext::Store, ExprContext::Del])
    }

    fn wtf8(&mut self) -> &'a Wtf8 {
        let n = self.rng.below(6);
        let mut buf = Vec::new();
        for _ in 0..n {
            let cp = match self.rng.below(4) {
                0 => *self
                    .rng
                    .pick(&[0x27, 0x22, 0x5c, 0x0a, 0x00, 0xd800, 0xdfff, 0xe9, 0x1f600]),
                1 => self.rng.below(0x11_0000) as u32,
                _ => 0x20 + self.rng.below(0x5f) as u32,
            };
            push_code_point(&mut buf, cp);
        }
        Wtf8::from_bytes_unchecked(self.arena.alloc_slice_copy(&buf))
    }

    fn float(&mut self) -> f64 {
        if self.rng.chance(1, 2) {
            *self
                .rng
                .pick(&[0.0, -0.0, 1.5, 1e16, 1e-5, f64::INFINITY, f64::NAN, 0.1])
        } else {
            f64::from_bits(self.rng.next_u64())
        }
    }

    fn constant(&mut self) -> Constant<'a> {
        match self.rng.below(12) {
            0 => Constant::None,
            1 => Constant::True,
            2 => Constant::False,
            3 => Constant::Ellipsis,
            4 => Constant::Int(Int::Small(self.rng.next_u64() as i64 >> self.rng.below(64))),
            5 => {
                let digits: Vec<u32> = (0..1 + self.rng.below(6)).map(|_| self.rng.next_u64() as u32).collect();
                let sign = if self.rng.chance(1, 2) {
                    num_bigint::Sign::Minus
                } else {
                    num_bigint::Sign::Plus
                };
                Constant::Int(Int::from_bigint(
                    &num_bigint::BigInt::from_slice(sign, &digits),
                    self.arena,
                ))
            }
            6 => Constant::Float(self.float()),
            7 => Constant::Complex {
                real: self.float(),
                imag: self.float(),
            },
            8 => Constant::Str(self.wtf8()),
            9 => {
                let n = self.rng.below(6) as usize;
                let b: Vec<u8> = (0..n).map(|_| self.rng.next_u64() as u8).collect();
                Constant::Bytes(self.arena.alloc_slice_copy(&b))
            }
            10 if !self.deep() => Constant::Tuple(self.seq(|g| g.constant())),
            10 => Constant::Tuple(&[]),
            _ => {
                // Small ints in increasing order iterate in that order in a frozenset of <= 4.
                let mut items = Vec::new();
                for v in 0..8 {
                    if items.len() < 4 && self.rng.chance(1, 3) {
                        items.push(Constant::Int(Int::Small(v)));
                    }
                }
                Constant::FrozenSet(self.arena.alloc_slice_copy(&items))
            }
        }
    }

    fn expr_node(&mut self, kind: ExprKind<'a>) -> &'a Expr<'a> {
        let loc = self.loc();
        self.arena.alloc(Expr { kind, loc })
    }

    fn expr(&mut self) -> &'a Expr<'a> {
        let kind = if self.deep() {
            if self.rng.chance(1, 2) {
                ExprKind::Name {
                    id: self.ident(),
                    ctx: self.ctx(),
                }
            } else {
                ExprKind::Constant {
                    value: self.constant(),
                    kind: if self.rng.chance(1, 4) { Some("u") } else { None },
                }
            }
        } else {
            self.nest(|g| g.expr_kind())
        };
        self.expr_node(kind)
    }

    fn exprs(&mut self) -> &'a [&'a Expr<'a>] {
        self.seq(|g| g.expr())
    }

    fn opt_expr(&mut self) -> Option<&'a Expr<'a>> {
        self.opt(|g| g.expr())
    }

    fn expr_kind(&mut self) -> ExprKind<'a> {
        match self.rng.below(27) {
            0 => ExprKind::BoolOp {
                op: *self.rng.pick(&[BoolOp::And, BoolOp::Or]),
                values: self.exprs(),
            },
            1 => ExprKind::NamedExpr {
                target: self.expr(),
                value: self.expr(),
            },
            2 => ExprKind::BinOp {
                left: self.expr(),
                op: *self.rng.pick(&[
                    Operator::Add,
                    Operator::Sub,
                    Operator::Mult,
                    Operator::MatMult,
                    Operator::Div,
                    Operator::Mod,
                    Operator::Pow,
                    Operator::LShift,
                    Operator::RShift,
                    Operator::BitOr,
                    Operator::BitXor,
                    Operator::BitAnd,
                    Operator::FloorDiv,
                ]),
                right: self.expr(),
            },
            3 => ExprKind::UnaryOp {
                op: *self
                    .rng
                    .pick(&[UnaryOp::Invert, UnaryOp::Not, UnaryOp::UAdd, UnaryOp::USub]),
                operand: self.expr(),
            },
            4 => ExprKind::Lambda {
                args: self.arguments(),
                body: self.expr(),
            },
            5 => ExprKind::IfExp {
                test: self.expr(),
                body: self.expr(),
                orelse: self.expr(),
            },
            6 => ExprKind::Dict {
                keys: self.seq(|g| g.opt_expr()),
                values: self.exprs(),
            },
            7 => ExprKind::Set { elts: self.exprs() },
            8 => ExprKind::ListComp {
                elt: self.expr(),
                generators: self.comprehensions(),
            },
            9 => ExprKind::SetComp {
                elt: self.expr(),
                generators: self.comprehensions(),
            },
            10 => ExprKind::DictComp {
                key: self.expr(),
                value: self.expr(),
                generators: self.comprehensions(),
            },
            11 => ExprKind::GeneratorExp {
                elt: self.expr(),
                generators: self.comprehensions(),
            },
            12 => ExprKind::Await { value: self.expr() },
            13 => ExprKind::Yield { value: self.opt_expr() },
            14 => ExprKind::YieldFrom { value: self.expr() },
            15 => ExprKind::Compare {
                left: self.expr(),
                ops: self.seq(|g| {
                    *g.rng.pick(&[
                        CmpOp::Eq,
                        CmpOp::NotEq,
                        CmpOp::Lt,
                        CmpOp::LtE,
                        CmpOp::Gt,
                        CmpOp::GtE,
                        CmpOp::Is,
                        CmpOp::IsNot,
                        CmpOp::In,
                        CmpOp::NotIn,
                    ])
                }),
                comparators: self.exprs(),
            },
            16 => ExprKind::Call {
                func: self.expr(),
                args: self.exprs(),
                keywords: self.seq(|g| g.keyword()),
            },
            17 => ExprKind::FormattedValue {
                value: self.expr(),
                conversion: self.int(),
                format_spec: self.opt_expr(),
            },
            18 => ExprKind::JoinedStr { values: self.exprs() },
            19 => ExprKind::Constant {
                value: self.constant(),
                kind: if self.rng.chance(1, 4) { Some("u") } else { None },
            },
            20 => ExprKind::Attribute {
                value: self.expr(),
                attr: self.ident(),
                ctx: self.ctx(),
            },
            21 => ExprKind::Subscript {
                value: self.expr(),
                slice: self.expr(),
                ctx: self.ctx(),
            },
            22 => ExprKind::Starred {
                value: self.expr(),
                ctx: self.ctx(),
            },
            23 => ExprKind::Name {
                id: self.ident(),
                ctx: self.ctx(),
            },
            24 => ExprKind::List {
                elts: self.exprs(),
                ctx: self.ctx(),
            },
            25 => ExprKind::Tuple {
                elts: self.exprs(),
                ctx: self.ctx(),
            },
            _ => ExprKind::Slice {
                lower: self.opt_expr(),
                upper: self.opt_expr(),
                step: self.opt_expr(),
            },
        }
    }

    fn comprehensions(&mut self) -> &'a [&'a Comprehension<'a>] {
        self.seq(|g| {
            let c = Comprehension {
                target: g.expr(),
                iter: g.expr(),
                ifs: g.exprs(),
                is_async: g.int(),
            };
            &*g.arena.alloc(c)
        })
    }

    fn arg(&mut self) -> &'a Arg<'a> {
        let a = Arg {
            arg: self.ident(),
            annotation: self.opt_expr(),
            type_comment: self.opt_ident(),
            loc: self.loc(),
        };
        self.arena.alloc(a)
    }

    fn arguments(&mut self) -> &'a Arguments<'a> {
        let a = self.nest(|g| Arguments {
            posonlyargs: g.seq(|g| g.arg()),
            args: g.seq(|g| g.arg()),
            vararg: g.opt(|g| g.arg()),
            kwonlyargs: g.seq(|g| g.arg()),
            kw_defaults: g.seq(|g| g.opt_expr()),
            kwarg: g.opt(|g| g.arg()),
            defaults: g.exprs(),
        });
        self.arena.alloc(a)
    }

    fn keyword(&mut self) -> &'a Keyword<'a> {
        let k = Keyword {
            arg: self.opt_ident(),
            value: self.expr(),
            loc: self.loc(),
        };
        self.arena.alloc(k)
    }

    fn alias(&mut self) -> &'a Alias<'a> {
        let a = Alias {
            name: self.ident(),
            asname: self.opt_ident(),
            loc: self.loc(),
        };
        self.arena.alloc(a)
    }

    fn with_item(&mut self) -> &'a WithItem<'a> {
        let w = WithItem {
            context_expr: self.expr(),
            optional_vars: self.opt_expr(),
        };
        self.arena.alloc(w)
    }

    fn handler(&mut self) -> &'a ExceptHandler<'a> {
        let h = ExceptHandler {
            kind: ExceptHandlerKind::ExceptHandler {
                type_: self.opt_expr(),
                name: self.opt_ident(),
                body: self.stmts(),
            },
            loc: self.loc(),
        };
        self.arena.alloc(h)
    }

    fn type_param(&mut self) -> &'a TypeParam<'a> {
        let kind = match self.rng.below(3) {
            0 => TypeParamKind::TypeVar {
                name: self.ident(),
                bound: self.opt_expr(),
            },
            1 => TypeParamKind::ParamSpec { name: self.ident() },
            _ => TypeParamKind::TypeVarTuple { name: self.ident() },
        };
        let loc = self.loc();
        self.arena.alloc(TypeParam { kind, loc })
    }

    fn type_params(&mut self) -> &'a [&'a TypeParam<'a>] {
        self.seq(|g| g.type_param())
    }

    fn pattern(&mut self) -> &'a Pattern<'a> {
        let kind = if self.deep() {
            PatternKind::MatchAs {
                pattern: None,
                name: self.opt_ident(),
            }
        } else {
            self.nest(|g| g.pattern_kind())
        };
        let loc = self.loc();
        self.arena.alloc(Pattern { kind, loc })
    }

    fn patterns(&mut self) -> &'a [&'a Pattern<'a>] {
        self.seq(|g| g.pattern())
    }

    fn pattern_kind(&mut self) -> PatternKind<'a> {
        match self.rng.below(8) {
            0 => PatternKind::MatchValue { value: self.expr() },
            1 => PatternKind::MatchSingleton {
                value: *self.rng.pick(&[Constant::None, Constant::True, Constant::False]),
            },
            2 => PatternKind::MatchSequence {
                patterns: self.patterns(),
            },
            3 => PatternKind::MatchMapping {
                keys: self.exprs(),
                patterns: self.patterns(),
                rest: self.opt_ident(),
            },
            4 => PatternKind::MatchClass {
                cls: self.expr(),
                patterns: self.patterns(),
                kwd_attrs: self.idents(),
                kwd_patterns: self.patterns(),
            },
            5 => PatternKind::MatchStar { name: self.opt_ident() },
            6 => PatternKind::MatchAs {
                pattern: self.opt(|g| g.pattern()),
                name: self.opt_ident(),
            },
            _ => PatternKind::MatchOr {
                patterns: self.patterns(),
            },
        }
    }

    fn stmts(&mut self) -> &'a [&'a Stmt<'a>] {
        self.seq(|g| g.stmt())
    }

    fn stmt(&mut self) -> &'a Stmt<'a> {
        let kind = if self.deep() {
            *self.rng.pick(&[StmtKind::Pass, StmtKind::Break, StmtKind::Continue])
        } else {
            self.nest(|g| g.stmt_kind())
        };
        let loc = self.loc();
        self.arena.alloc(Stmt { kind, loc })
    }

    fn stmt_kind(&mut self) -> StmtKind<'a> {
        match self.rng.below(28) {
            0 => StmtKind::FunctionDef {
                name: self.ident(),
                args: self.arguments(),
                body: self.stmts(),
                decorator_list: self.exprs(),
                returns: self.opt_expr(),
                type_comment: self.opt_ident(),
                type_params: self.type_params(),
            },
            1 => StmtKind::AsyncFunctionDef {
                name: self.ident(),
                args: self.arguments(),
                body: self.stmts(),
                decorator_list: self.exprs(),
                returns: self.opt_expr(),
                type_comment: self.opt_ident(),
                type_params: self.type_params(),
            },
            2 => StmtKind::ClassDef {
                name: self.ident(),
                bases: self.exprs(),
                keywords: self.seq(|g| g.keyword()),
                body: self.stmts(),
                decorator_list: self.exprs(),
                type_params: self.type_params(),
            },
            3 => StmtKind::Return { value: self.opt_expr() },
            4 => StmtKind::Delete { targets: self.exprs() },
            5 => StmtKind::Assign {
                targets: self.exprs(),
                value: self.expr(),
                type_comment: self.opt_ident(),
            },
            6 => StmtKind::TypeAlias {
                name: self.expr(),
                type_params: self.type_params(),
                value: self.expr(),
            },
            7 => StmtKind::AugAssign {
                target: self.expr(),
                op: *self.rng.pick(&[Operator::Add, Operator::Pow, Operator::FloorDiv]),
                value: self.expr(),
            },
            8 => StmtKind::AnnAssign {
                target: self.expr(),
                annotation: self.expr(),
                value: self.opt_expr(),
                simple: self.int(),
            },
            9 => StmtKind::For {
                target: self.expr(),
                iter: self.expr(),
                body: self.stmts(),
                orelse: self.stmts(),
                type_comment: self.opt_ident(),
            },
            10 => StmtKind::AsyncFor {
                target: self.expr(),
                iter: self.expr(),
                body: self.stmts(),
                orelse: self.stmts(),
                type_comment: self.opt_ident(),
            },
            11 => StmtKind::While {
                test: self.expr(),
                body: self.stmts(),
                orelse: self.stmts(),
            },
            12 => StmtKind::If {
                test: self.expr(),
                body: self.stmts(),
                orelse: self.stmts(),
            },
            13 => StmtKind::With {
                items: self.seq(|g| g.with_item()),
                body: self.stmts(),
                type_comment: self.opt_ident(),
            },
            14 => StmtKind::AsyncWith {
                items: self.seq(|g| g.with_item()),
                body: self.stmts(),
                type_comment: self.opt_ident(),
            },
            15 => StmtKind::Match {
                subject: self.expr(),
                cases: self.seq(|g| {
                    let c = MatchCase {
                        pattern: g.pattern(),
                        guard: g.opt_expr(),
                        body: g.stmts(),
                    };
                    &*g.arena.alloc(c)
                }),
            },
            16 => StmtKind::Raise {
                exc: self.opt_expr(),
                cause: self.opt_expr(),
            },
            17 => StmtKind::Try {
                body: self.stmts(),
                handlers: self.seq(|g| g.handler()),
                orelse: self.stmts(),
                finalbody: self.stmts(),
            },
            18 => StmtKind::TryStar {
                body: self.stmts(),
                handlers: self.seq(|g| g.handler()),
                orelse: self.stmts(),
                finalbody: self.stmts(),
            },
            19 => StmtKind::Assert {
                test: self.expr(),
                msg: self.opt_expr(),
            },
            20 => StmtKind::Import {
                names: self.seq(|g| g.alias()),
            },
            21 => StmtKind::ImportFrom {
                module: self.opt_ident(),
                names: self.seq(|g| g.alias()),
                level: self.opt(|g| g.int()),
            },
            22 => StmtKind::Global { names: self.idents() },
            23 => StmtKind::Nonlocal { names: self.idents() },
            24 => StmtKind::Expr { value: self.expr() },
            25 => StmtKind::Pass,
            26 => StmtKind::Break,
            _ => StmtKind::Continue,
        }
    }

    fn module(&mut self) -> Mod<'a> {
        match self.rng.below(6) {
            0 => Mod::Interactive { body: self.stmts() },
            1 => Mod::Expression { body: self.expr() },
            2 => Mod::FunctionType {
                argtypes: self.exprs(),
                returns: self.expr(),
            },
            _ => Mod::Module {
                body: self.stmts(),
                type_ignores: self.seq(|g| {
                    let t = TypeIgnore::TypeIgnore {
                        lineno: g.int(),
                        tag: g.ident(),
                    };
                    &*g.arena.alloc(t)
                }),
            },
        }
    }
}

/// `(include_attributes, indent)` of each dump compared.
const CONFIGS: &[(bool, Option<usize>)] = &[
    (false, None),
    (true, None),
    (true, Some(2)),
    (true, Some(0)),
    (false, Some(3)),
];

const PROGRAM: &str = r#"
import ast, sys, _ast
G = dict(globals())
CONFIGS = [(False, None), (True, None), (True, 2), (True, 0), (False, 3)]
seen = set()
def check(tree):
    for node in ast.walk(tree):
        cls = type(node)
        seen.add(cls.__name__)
        want = set(cls._fields) | set(cls._attributes)
        have = set(vars(node))
        if want != have:
            sys.exit(f'{cls.__name__}: missing {sorted(want - have)}, unexpected {sorted(have - want)}')
for line in sys.stdin:
    tree = eval(line, G)
    check(tree)
    for include_attributes, indent in CONFIGS:
        sys.stdout.write(ast.dump(tree, include_attributes=include_attributes, indent=indent))
        sys.stdout.write('\n\x01\n')
classes = [c for c in vars(_ast).values() if isinstance(c, type) and issubclass(c, _ast.AST)]
concrete = {c.__name__ for c in classes
            if c is not _ast.AST and not any(o is not c and issubclass(o, c) for o in classes)}
print('unused:', ' '.join(sorted(concrete - seen)))
"#;

#[test]
fn dump_matches_the_oracle_on_random_trees_of_every_node_kind() {
    let arena = Bump::new();
    let mut g = Gen {
        rng: Rng::new(0xA57D),
        arena: &arena,
        depth: 0,
    };
    let trees: Vec<Mod<'_>> = (0..1000).map(|_| g.module()).collect();
    let mut input = String::new();
    for t in &trees {
        t.to_python(&mut input);
        input.push('\n');
    }
    let program = format!("{PY_HELPERS}\n{PROGRAM}");
    let out = run_oracle(&program, &input);
    let mut chunks: Vec<&str> = out.split("\n\x01\n").collect();
    let tail = chunks.pop().unwrap();
    assert_eq!(
        tail.trim_end(),
        "unused:",
        "node classes no tree used (the generator must reach them)"
    );
    assert_eq!(chunks.len(), trees.len() * CONFIGS.len());
    let mut total = 0;
    for (i, t) in trees.iter().enumerate() {
        for (j, &(include_attributes, indent)) in CONFIGS.iter().enumerate() {
            let want = chunks[i * CONFIGS.len() + j];
            let ours = dump_mod(t, include_attributes, indent);
            total += ours.len();
            if ours != want {
                let at = ours.bytes().zip(want.bytes()).take_while(|(a, b)| a == b).count();
                let from = at.saturating_sub(200);
                panic!(
                    "tree {i}, include_attributes={include_attributes}, indent={indent:?}: dumps differ at byte {at}\n\
                     pyrite:  ...{}\nCPython: ...{}",
                    &ours[from.min(ours.len())..(at + 200).min(ours.len())],
                    &want[from.min(want.len())..(at + 200).min(want.len())]
                );
            }
        }
    }
    assert!(
        total > 1_000_000,
        "the trees are too small to mean much ({total} bytes of dumps)"
    );
}

#[test]
fn node_names_are_the_python_class_names() {
    assert_eq!(Operator::Add.name(), "Add");
    assert_eq!(CmpOp::IsNot.name(), "IsNot");
    assert_eq!(ExprContext::Load.name(), "Load");
    assert_eq!(StmtKind::Pass.name(), "Pass");
    let one = Expr {
        kind: ExprKind::Constant {
            value: Constant::Int(Int::Small(1)),
            kind: None,
        },
        loc: Loc::default(),
    };
    assert_eq!(
        ExprKind::BinOp {
            left: &one,
            op: Operator::Add,
            right: &one
        }
        .name(),
        "BinOp"
    );
    assert_eq!(Mod::Expression { body: &one }.name(), "Expression");
    let pass = Stmt {
        kind: StmtKind::Pass,
        loc: Loc::default(),
    };
    let handler = ExceptHandlerKind::ExceptHandler {
        type_: None,
        name: None,
        body: &[&pass],
    };
    assert_eq!(handler.name(), "ExceptHandler");
    assert_eq!(TypeParamKind::ParamSpec { name: "P" }.name(), "ParamSpec");
    assert_eq!(PatternKind::MatchStar { name: None }.name(), "MatchStar");
}
