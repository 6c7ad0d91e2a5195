//! Expressions (`compiler_visit_expr1` and its helpers): operators, comparisons and
//! conditional jumps, calls, collection displays, f-strings, comprehensions (inlined or not),
//! lambdas, yield and await, attribute/subscript/slice access.

use crate::consts::{from_ast, str_const};
use crate::stmt::{is_two_element_slice, update_start_location_to_match_attr};
use crate::*;

const COMP_GENEXP: u8 = 0;
const COMP_LISTCOMP: u8 = 1;
const COMP_SETCOMP: u8 = 2;
const COMP_DICTCOMP: u8 = 3;

/// CPython's `nb_*` operator numbers for BINARY_OP (`Include/opcode.h`).
fn binop_arg(op: Operator, inplace: bool) -> i32 {
    let base = match op {
        Operator::Add => 0,
        Operator::BitAnd => 1,
        Operator::FloorDiv => 2,
        Operator::LShift => 3,
        Operator::MatMult => 4,
        Operator::Mult => 5,
        Operator::Mod => 6,
        Operator::BitOr => 7,
        Operator::Pow => 8,
        Operator::RShift => 9,
        Operator::Sub => 10,
        Operator::Div => 11,
        Operator::BitXor => 12,
    };
    if inplace {
        base + 13
    } else {
        base
    }
}

/// The Python type name of a constant (`Py_TYPE(value)->tp_name`).
fn const_type_name(c: &pyrite_ast::Constant) -> &'static str {
    use pyrite_ast::Constant as C;
    match c {
        C::None => "NoneType",
        C::True | C::False => "bool",
        C::Ellipsis => "ellipsis",
        C::Int(_) => "int",
        C::Float(_) => "float",
        C::Complex { .. } => "complex",
        C::Str(_) => "str",
        C::Bytes(_) => "bytes",
        C::Tuple(_) => "tuple",
        C::FrozenSet(_) => "frozenset",
    }
}

/// `infer_type`: the type name an expression certainly has, if known.
fn infer_type(e: &Expr) -> Option<&'static str> {
    Some(match &e.kind {
        ExprKind::Tuple { .. } => "tuple",
        ExprKind::List { .. } | ExprKind::ListComp { .. } => "list",
        ExprKind::Dict { .. } | ExprKind::DictComp { .. } => "dict",
        ExprKind::Set { .. } | ExprKind::SetComp { .. } => "set",
        ExprKind::GeneratorExp { .. } => "generator",
        ExprKind::Lambda { .. } => "function",
        ExprKind::JoinedStr { .. } | ExprKind::FormattedValue { .. } => "str",
        ExprKind::Constant { value, .. } => const_type_name(value),
        _ => return None,
    })
}

/// `check_is_arg`: not a constant other than the named singletons.
fn check_is_arg(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Constant { value, .. } => matches!(
            value,
            pyrite_ast::Constant::None
                | pyrite_ast::Constant::True
                | pyrite_ast::Constant::False
                | pyrite_ast::Constant::Ellipsis
        ),
        _ => true,
    }
}

fn are_all_items_const(seq: &[&Expr]) -> bool {
    seq.iter().all(|e| matches!(e.kind, ExprKind::Constant { .. }))
}

struct InlinedComprehensionState<'a> {
    pushed_locals: Vec<&'a str>,
    temp_symbols: Vec<(&'a str, Option<u32>)>,
    fast_hidden: Vec<&'a str>,
    cleanup: Label,
    end: Label,
}

impl<'a, 's> Compiler<'a, 's> {
    pub(crate) fn visit_expr(&mut self, e: &'a Expr<'a>) -> CResult {
        let l = loc(e.loc);
        match e.kind {
            ExprKind::NamedExpr { target, value } => {
                self.visit_expr(value)?;
                self.addop_i(l, Opcode::COPY, 1);
                self.visit_expr(target)?;
            }
            ExprKind::BoolOp { op, values } => return self.boolop(e, op, values),
            ExprKind::BinOp { left, op, right } => {
                self.visit_expr(left)?;
                self.visit_expr(right)?;
                self.addop_binary(l, op, false);
            }
            ExprKind::UnaryOp { op, operand } => {
                self.visit_expr(operand)?;
                match op {
                    UnaryOp::UAdd => self.addop_i(l, Opcode::CALL_INTRINSIC_1, intrinsic::UNARY_POSITIVE),
                    UnaryOp::Invert => self.addop(l, Opcode::UNARY_INVERT),
                    UnaryOp::Not => self.addop(l, Opcode::UNARY_NOT),
                    UnaryOp::USub => self.addop(l, Opcode::UNARY_NEGATIVE),
                }
            }
            ExprKind::Lambda { args, body } => return self.lambda(e, args, body),
            ExprKind::IfExp { test, body, orelse } => {
                let end = self.new_label();
                let next = self.new_label();
                self.jump_if(l, test, next, false)?;
                self.visit_expr(body)?;
                self.addop_j(NO_LOCATION, Opcode::JUMP, end);
                self.use_label(next);
                self.visit_expr(orelse)?;
                self.use_label(end);
            }
            ExprKind::Dict { keys, values } => return self.dict(e, keys, values),
            ExprKind::Set { elts } => {
                return self.starunpack_helper(
                    l,
                    elts,
                    0,
                    Opcode::BUILD_SET,
                    Opcode::SET_ADD,
                    Opcode::SET_UPDATE,
                    false,
                )
            }
            ExprKind::GeneratorExp { elt, generators } => {
                return self.comprehension(e, COMP_GENEXP, "<genexpr>", generators, elt, None)
            }
            ExprKind::ListComp { elt, generators } => {
                return self.comprehension(e, COMP_LISTCOMP, "<listcomp>", generators, elt, None)
            }
            ExprKind::SetComp { elt, generators } => {
                return self.comprehension(e, COMP_SETCOMP, "<setcomp>", generators, elt, None)
            }
            ExprKind::DictComp { key, value, generators } => {
                return self.comprehension(e, COMP_DICTCOMP, "<dictcomp>", generators, key, Some(value))
            }
            ExprKind::Yield { value } => {
                if !self.is_function_like() {
                    return Err(self.error(l, "'yield' outside function"));
                }
                match value {
                    Some(v) => self.visit_expr(v)?,
                    None => self.load_none(l),
                }
                self.addop_yield(l);
            }
            ExprKind::YieldFrom { value } => {
                if !self.is_function_like() {
                    return Err(self.error(l, "'yield' outside function"));
                }
                if self.ur().scope_type == ScopeType::AsyncFunction {
                    return Err(self.error(l, "'yield from' inside async function"));
                }
                self.visit_expr(value)?;
                self.addop(l, Opcode::GET_YIELD_FROM_ITER);
                self.load_none(l);
                self.add_yield_from(l, false);
            }
            ExprKind::Await { value } => {
                if !self.is_top_level_await() {
                    if !self.is_function_like() {
                        return Err(self.error(l, "'await' outside function"));
                    }
                    if !matches!(
                        self.ur().scope_type,
                        ScopeType::AsyncFunction | ScopeType::Comprehension
                    ) {
                        return Err(self.error(l, "'await' outside async function"));
                    }
                }
                self.visit_expr(value)?;
                self.addop_i(l, Opcode::GET_AWAITABLE, 0);
                self.load_none(l);
                self.add_yield_from(l, true);
            }
            ExprKind::Compare { left, ops, comparators } => return self.compare(e, left, ops, comparators),
            ExprKind::Call { func, args, keywords } => return self.call(e, func, args, keywords),
            ExprKind::Constant { value, .. } => self.load_const(l, from_ast(&value)),
            ExprKind::JoinedStr { values } => return self.joined_str(e, values),
            ExprKind::FormattedValue {
                value,
                conversion,
                format_spec,
            } => {
                self.visit_expr(value)?;
                let mut oparg = match conversion {
                    115 => 1, // 's'
                    114 => 2, // 'r'
                    97 => 3,  // 'a'
                    -1 => 0,
                    c => return Err(CompileError::System(format!("Unrecognized conversion character {c}"))),
                };
                if let Some(spec) = format_spec {
                    self.visit_expr(spec)?;
                    oparg |= 4;
                }
                self.addop_i(l, Opcode::FORMAT_VALUE, oparg);
            }
            ExprKind::Attribute { value, attr, ctx } => {
                if ctx == ExprContext::Load && self.can_optimize_super_call(e) {
                    let ExprKind::Call { args: sargs, .. } = value.kind else {
                        unreachable!()
                    };
                    self.load_args_for_super(value)?;
                    let op = if !sargs.is_empty() {
                        Opcode::LOAD_SUPER_ATTR
                    } else {
                        Opcode::LOAD_ZERO_SUPER_ATTR
                    };
                    self.addop_name(l, op, attr);
                    let l2 = update_start_location_to_match_attr(l, e, attr);
                    self.addop(l2, Opcode::NOP);
                    return Ok(());
                }
                self.visit_expr(value)?;
                let l = update_start_location_to_match_attr(loc(e.loc), e, attr);
                match ctx {
                    ExprContext::Load => self.addop_name(l, Opcode::LOAD_ATTR, attr),
                    ExprContext::Store => {
                        forbidden_name(self, l, attr, ctx)?;
                        self.addop_name(l, Opcode::STORE_ATTR, attr);
                    }
                    ExprContext::Del => self.addop_name(l, Opcode::DELETE_ATTR, attr),
                }
            }
            ExprKind::Subscript { value, slice, ctx } => return self.subscript(e, value, slice, ctx),
            ExprKind::Starred { ctx, .. } => {
                return Err(match ctx {
                    ExprContext::Store => self.error(l, "starred assignment target must be in a list or tuple"),
                    _ => self.error(l, "can't use starred expression here"),
                })
            }
            ExprKind::Slice { .. } => {
                let n = self.slice(e)?;
                self.addop_i(l, Opcode::BUILD_SLICE, n);
            }
            ExprKind::Name { id, ctx } => return self.nameop(l, id, ctx),
            ExprKind::List { elts, ctx } => match ctx {
                ExprContext::Store => return self.assignment_helper(l, elts),
                ExprContext::Load => {
                    return self.starunpack_helper(
                        l,
                        elts,
                        0,
                        Opcode::BUILD_LIST,
                        Opcode::LIST_APPEND,
                        Opcode::LIST_EXTEND,
                        false,
                    )
                }
                ExprContext::Del => {
                    for x in elts {
                        self.visit_expr(x)?;
                    }
                }
            },
            ExprKind::Tuple { elts, ctx } => match ctx {
                ExprContext::Store => return self.assignment_helper(l, elts),
                ExprContext::Load => {
                    return self.starunpack_helper(
                        l,
                        elts,
                        0,
                        Opcode::BUILD_LIST,
                        Opcode::LIST_APPEND,
                        Opcode::LIST_EXTEND,
                        true,
                    )
                }
                ExprContext::Del => {
                    for x in elts {
                        self.visit_expr(x)?;
                    }
                }
            },
        }
        Ok(())
    }

    pub(crate) fn addop_binary(&mut self, l: Location, op: Operator, inplace: bool) {
        self.addop_i(l, Opcode::BINARY_OP, binop_arg(op, inplace));
    }

    fn addop_yield(&mut self, l: Location) {
        if self.ste().generator && self.ur().coroutine {
            self.addop_i(l, Opcode::CALL_INTRINSIC_1, intrinsic::ASYNC_GEN_WRAP);
        }
        self.addop_i(l, Opcode::YIELD_VALUE, 0);
        self.addop_i(l, Opcode::RESUME, 1);
    }

    fn boolop(&mut self, e: &'a Expr<'a>, op: BoolOp, values: &'a [&'a Expr<'a>]) -> CResult {
        let l = loc(e.loc);
        let jumpi = if op == BoolOp::And {
            Opcode::POP_JUMP_IF_FALSE
        } else {
            Opcode::POP_JUMP_IF_TRUE
        };
        let end = self.new_label();
        let n = values.len() - 1;
        for v in &values[..n] {
            self.visit_expr(v)?;
            self.addop_i(l, Opcode::COPY, 1);
            self.addop_j(l, jumpi, end);
            self.addop(l, Opcode::POP_TOP);
        }
        self.visit_expr(values[n])?;
        self.use_label(end);
        Ok(())
    }

    /// `compiler_addcompare`.
    fn addcompare(&mut self, l: Location, op: CmpOp) {
        // Py_LT=0 Py_LE=1 Py_EQ=2 Py_NE=3 Py_GT=4 Py_GE=5; masks: LESS 2, GREATER 4, EQUALS 8, NOT_EQUALS 16... see COMPARISON_* in pycore_code.h
        const LESS: i32 = 2;
        const GREATER: i32 = 4;
        const EQUALS: i32 = 8;
        const NOT_EQUALS: i32 = LESS | GREATER | 1;
        let (cmp, mask) = match op {
            CmpOp::Eq => (2, EQUALS),
            CmpOp::NotEq => (3, NOT_EQUALS),
            CmpOp::Lt => (0, LESS),
            CmpOp::LtE => (1, LESS | EQUALS),
            CmpOp::Gt => (4, GREATER),
            CmpOp::GtE => (5, GREATER | EQUALS),
            CmpOp::Is => return self.addop_i(l, Opcode::IS_OP, 0),
            CmpOp::IsNot => return self.addop_i(l, Opcode::IS_OP, 1),
            CmpOp::In => return self.addop_i(l, Opcode::CONTAINS_OP, 0),
            CmpOp::NotIn => return self.addop_i(l, Opcode::CONTAINS_OP, 1),
        };
        self.addop_i(l, Opcode::COMPARE_OP, (cmp << 4) | mask);
    }

    /// `check_compare`: SyntaxWarning for `is` with a literal.
    fn check_compare(&mut self, e: &'a Expr<'a>, left: &'a Expr<'a>, ops: &[CmpOp], comparators: &'a [&'a Expr<'a>]) {
        let mut left_ok = check_is_arg(left);
        let mut left_expr = left;
        for (op, right_expr) in ops.iter().zip(comparators.iter()) {
            let right_ok = check_is_arg(right_expr);
            if matches!(op, CmpOp::Is | CmpOp::IsNot) && (!right_ok || !left_ok) {
                let literal = if !left_ok { left_expr } else { right_expr };
                let tn = infer_type(literal).unwrap_or("object");
                let msg = if *op == CmpOp::Is {
                    format!("\"is\" with '{tn}' literal. Did you mean \"==\"?")
                } else {
                    format!("\"is not\" with '{tn}' literal. Did you mean \"!=\"?")
                };
                self.warn(loc(e.loc), msg);
                return;
            }
            left_ok = right_ok;
            left_expr = right_expr;
        }
    }

    fn compare(
        &mut self,
        e: &'a Expr<'a>,
        left: &'a Expr<'a>,
        ops: &'a [CmpOp],
        comparators: &'a [&'a Expr<'a>],
    ) -> CResult {
        let l = loc(e.loc);
        self.check_compare(e, left, ops, comparators);
        self.visit_expr(left)?;
        let n = ops.len() - 1;
        if n == 0 {
            self.visit_expr(comparators[0])?;
            self.addcompare(l, ops[0]);
        } else {
            let cleanup = self.new_label();
            for i in 0..n {
                self.visit_expr(comparators[i])?;
                self.addop_i(l, Opcode::SWAP, 2);
                self.addop_i(l, Opcode::COPY, 2);
                self.addcompare(l, ops[i]);
                self.addop_i(l, Opcode::COPY, 1);
                self.addop_j(l, Opcode::POP_JUMP_IF_FALSE, cleanup);
                self.addop(l, Opcode::POP_TOP);
            }
            self.visit_expr(comparators[n])?;
            self.addcompare(l, ops[n]);
            let end = self.new_label();
            self.addop_j(NO_LOCATION, Opcode::JUMP, end);
            self.use_label(cleanup);
            self.addop_i(l, Opcode::SWAP, 2);
            self.addop(l, Opcode::POP_TOP);
            self.use_label(end);
        }
        Ok(())
    }

    /// `compiler_jump_if`: jump to `next` if `e` is (`cond`) true / false. (`l` is kept as in
    /// CPython's signature; the jumps take their locations from the expressions.)
    #[allow(clippy::only_used_in_recursion)]
    pub(crate) fn jump_if(&mut self, l: Location, e: &'a Expr<'a>, next: Label, cond: bool) -> CResult {
        match e.kind {
            ExprKind::UnaryOp {
                op: UnaryOp::Not,
                operand,
            } => return self.jump_if(l, operand, next, !cond),
            ExprKind::BoolOp { op, values } => {
                let n = values.len() - 1;
                let cond2 = op == BoolOp::Or;
                let mut next2 = next;
                if cond2 != cond {
                    next2 = self.new_label();
                }
                for v in &values[..n] {
                    self.jump_if(l, v, next2, cond2)?;
                }
                self.jump_if(l, values[n], next, cond)?;
                if next2 != next {
                    self.use_label(next2);
                }
                return Ok(());
            }
            ExprKind::IfExp { test, body, orelse } => {
                let end = self.new_label();
                let next2 = self.new_label();
                self.jump_if(l, test, next2, false)?;
                self.jump_if(l, body, next, cond)?;
                self.addop_j(NO_LOCATION, Opcode::JUMP, end);
                self.use_label(next2);
                self.jump_if(l, orelse, next, cond)?;
                self.use_label(end);
                return Ok(());
            }
            ExprKind::Compare { left, ops, comparators } if ops.len() > 1 => {
                let n = ops.len() - 1;
                self.check_compare(e, left, ops, comparators);
                let el = loc(e.loc);
                let cleanup = self.new_label();
                self.visit_expr(left)?;
                for i in 0..n {
                    self.visit_expr(comparators[i])?;
                    self.addop_i(el, Opcode::SWAP, 2);
                    self.addop_i(el, Opcode::COPY, 2);
                    self.addcompare(el, ops[i]);
                    self.addop_j(el, Opcode::POP_JUMP_IF_FALSE, cleanup);
                }
                self.visit_expr(comparators[n])?;
                self.addcompare(el, ops[n]);
                self.addop_j(
                    el,
                    if cond {
                        Opcode::POP_JUMP_IF_TRUE
                    } else {
                        Opcode::POP_JUMP_IF_FALSE
                    },
                    next,
                );
                let end = self.new_label();
                self.addop_j(NO_LOCATION, Opcode::JUMP, end);
                self.use_label(cleanup);
                self.addop(el, Opcode::POP_TOP);
                if !cond {
                    self.addop_j(NO_LOCATION, Opcode::JUMP, next);
                }
                self.use_label(end);
                return Ok(());
            }
            _ => {}
        }
        self.visit_expr(e)?;
        self.addop_j(
            loc(e.loc),
            if cond {
                Opcode::POP_JUMP_IF_TRUE
            } else {
                Opcode::POP_JUMP_IF_FALSE
            },
            next,
        );
        Ok(())
    }

    fn lambda(&mut self, e: &'a Expr<'a>, args: &'a Arguments<'a>, body: &'a Expr<'a>) -> CResult {
        self.check_debug_args(args)?;
        let l = loc(e.loc);
        let funcflags = self.default_arguments(l, args)?;
        self.enter_scope(
            "<lambda>",
            ScopeType::Lambda,
            e as *const Expr as usize,
            e.loc.lineno as i32,
        )?;
        self.add_const(Constant::None);
        let u = self.u();
        u.argcount = args.args.len() as u32;
        u.posonlyargcount = args.posonlyargs.len() as u32;
        u.kwonlyargcount = args.kwonlyargs.len() as u32;
        if let Err(err) = self.visit_expr(body) {
            self.exit_scope();
            return Err(err);
        }
        let co = if self.ste().generator {
            self.optimize_and_assemble(false)
        } else {
            let ln = e.loc.lineno as i32;
            self.addop(Location::new(ln, ln, 0, 0), Opcode::RETURN_VALUE);
            self.optimize_and_assemble(true)
        };
        self.exit_scope();
        self.make_closure(l, co?, funcflags)
    }

    /// `starunpack_helper`: build a list/tuple/set from items, some maybe starred.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn starunpack_helper(
        &mut self,
        l: Location,
        elts: &'a [&'a Expr<'a>],
        pushed: i32,
        build: Opcode,
        add: Opcode,
        extend: Opcode,
        tuple: bool,
    ) -> CResult {
        let n = elts.len();
        if n > 2 && are_all_items_const(elts) {
            let items: Vec<Constant> = elts
                .iter()
                .map(|x| match &x.kind {
                    ExprKind::Constant { value, .. } => from_ast(value),
                    _ => unreachable!(),
                })
                .collect();
            if tuple && pushed == 0 {
                self.load_const(l, Constant::Tuple(items.into_boxed_slice()));
            } else {
                let folded = if add == Opcode::SET_ADD {
                    Constant::FrozenSet(frozenset_order(items).into_boxed_slice())
                } else {
                    Constant::Tuple(items.into_boxed_slice())
                };
                self.addop_i(l, build, pushed);
                self.load_const(l, folded);
                self.addop_i(l, extend, 1);
                if tuple {
                    self.addop_i(l, Opcode::CALL_INTRINSIC_1, intrinsic::LIST_TO_TUPLE);
                }
            }
            return Ok(());
        }
        let big = n + pushed as usize > STACK_USE_GUIDELINE;
        let seen_star = elts.iter().any(|x| matches!(x.kind, ExprKind::Starred { .. }));
        if !seen_star && !big {
            for x in elts {
                self.visit_expr(x)?;
            }
            if tuple {
                self.addop_i(l, Opcode::BUILD_TUPLE, n as i32 + pushed);
            } else {
                self.addop_i(l, build, n as i32 + pushed);
            }
            return Ok(());
        }
        let mut sequence_built = false;
        if big {
            self.addop_i(l, build, pushed);
            sequence_built = true;
        }
        for (i, x) in elts.iter().enumerate() {
            if let ExprKind::Starred { value, .. } = x.kind {
                if !sequence_built {
                    self.addop_i(l, build, i as i32 + pushed);
                    sequence_built = true;
                }
                self.visit_expr(value)?;
                self.addop_i(l, extend, 1);
            } else {
                self.visit_expr(x)?;
                if sequence_built {
                    self.addop_i(l, add, 1);
                }
            }
        }
        if tuple {
            self.addop_i(l, Opcode::CALL_INTRINSIC_1, intrinsic::LIST_TO_TUPLE);
        }
        Ok(())
    }

    fn unpack_helper(&mut self, l: Location, elts: &'a [&'a Expr<'a>]) -> CResult {
        let n = elts.len();
        let mut seen_star = false;
        for (i, x) in elts.iter().enumerate() {
            if matches!(x.kind, ExprKind::Starred { .. }) {
                if !seen_star {
                    if i >= (1 << 8) || (n - i - 1) >= (i32::MAX as usize >> 8) {
                        return Err(self.error(l, "too many expressions in star-unpacking assignment"));
                    }
                    self.addop_i(l, Opcode::UNPACK_EX, (i + ((n - i - 1) << 8)) as i32);
                    seen_star = true;
                } else {
                    return Err(self.error(l, "multiple starred expressions in assignment"));
                }
            }
        }
        if !seen_star {
            self.addop_i(l, Opcode::UNPACK_SEQUENCE, n as i32);
        }
        Ok(())
    }

    fn assignment_helper(&mut self, l: Location, elts: &'a [&'a Expr<'a>]) -> CResult {
        self.unpack_helper(l, elts)?;
        for x in elts {
            match x.kind {
                ExprKind::Starred { value, .. } => self.visit_expr(value)?,
                _ => self.visit_expr(x)?,
            }
        }
        Ok(())
    }

    fn subdict(
        &mut self,
        e: &'a Expr<'a>,
        keys: &'a [Option<&'a Expr<'a>>],
        values: &'a [&'a Expr<'a>],
        begin: usize,
        end: usize,
    ) -> CResult {
        let n = end - begin;
        let big = n * 2 > STACK_USE_GUIDELINE;
        let l = loc(e.loc);
        let all_const = keys[begin..end]
            .iter()
            .all(|k| matches!(k, Some(k) if matches!(k.kind, ExprKind::Constant { .. })));
        if n > 1 && !big && all_const {
            for v in &values[begin..end] {
                self.visit_expr(v)?;
            }
            let ks: Vec<Constant> = keys[begin..end]
                .iter()
                .map(|k| match &k.unwrap().kind {
                    ExprKind::Constant { value, .. } => from_ast(value),
                    _ => unreachable!(),
                })
                .collect();
            self.load_const(l, Constant::Tuple(ks.into_boxed_slice()));
            self.addop_i(l, Opcode::BUILD_CONST_KEY_MAP, n as i32);
            return Ok(());
        }
        if big {
            self.addop_i(l, Opcode::BUILD_MAP, 0);
        }
        for i in begin..end {
            if let Some(k) = keys[i] {
                self.visit_expr(k)?;
            }
            self.visit_expr(values[i])?;
            if big {
                self.addop_i(l, Opcode::MAP_ADD, 1);
            }
        }
        if !big {
            self.addop_i(l, Opcode::BUILD_MAP, n as i32);
        }
        Ok(())
    }

    fn dict(&mut self, e: &'a Expr<'a>, keys: &'a [Option<&'a Expr<'a>>], values: &'a [&'a Expr<'a>]) -> CResult {
        let l = loc(e.loc);
        let n = values.len();
        let mut have_dict = false;
        let mut elements = 0usize;
        for i in 0..n {
            let is_unpacking = keys[i].is_none();
            if is_unpacking {
                if elements > 0 {
                    self.subdict(e, keys, values, i - elements, i)?;
                    if have_dict {
                        self.addop_i(l, Opcode::DICT_UPDATE, 1);
                    }
                    have_dict = true;
                    elements = 0;
                }
                if !have_dict {
                    self.addop_i(l, Opcode::BUILD_MAP, 0);
                    have_dict = true;
                }
                self.visit_expr(values[i])?;
                self.addop_i(l, Opcode::DICT_UPDATE, 1);
            } else if elements * 2 > STACK_USE_GUIDELINE {
                self.subdict(e, keys, values, i - elements, i + 1)?;
                if have_dict {
                    self.addop_i(l, Opcode::DICT_UPDATE, 1);
                }
                have_dict = true;
                elements = 0;
            } else {
                elements += 1;
            }
        }
        if elements > 0 {
            self.subdict(e, keys, values, n - elements, n)?;
            if have_dict {
                self.addop_i(l, Opcode::DICT_UPDATE, 1);
            }
            have_dict = true;
        }
        if !have_dict {
            self.addop_i(l, Opcode::BUILD_MAP, 0);
        }
        Ok(())
    }

    fn check_caller(&mut self, e: &'a Expr<'a>) {
        let warn = matches!(
            e.kind,
            ExprKind::Constant { .. }
                | ExprKind::Tuple { .. }
                | ExprKind::List { .. }
                | ExprKind::ListComp { .. }
                | ExprKind::Dict { .. }
                | ExprKind::DictComp { .. }
                | ExprKind::Set { .. }
                | ExprKind::SetComp { .. }
                | ExprKind::GeneratorExp { .. }
                | ExprKind::JoinedStr { .. }
                | ExprKind::FormattedValue { .. }
        );
        if warn {
            let tn = infer_type(e).unwrap_or("object");
            self.warn(
                loc(e.loc),
                format!("'{tn}' object is not callable; perhaps you missed a comma?"),
            );
        }
    }

    fn check_subscripter(&mut self, e: &'a Expr<'a>) {
        let warn = match &e.kind {
            ExprKind::Constant { value, .. } => matches!(
                value,
                pyrite_ast::Constant::None
                    | pyrite_ast::Constant::Ellipsis
                    | pyrite_ast::Constant::Int(_)
                    | pyrite_ast::Constant::True
                    | pyrite_ast::Constant::False
                    | pyrite_ast::Constant::Float(_)
                    | pyrite_ast::Constant::Complex { .. }
                    | pyrite_ast::Constant::FrozenSet(_)
            ),
            ExprKind::Set { .. }
            | ExprKind::SetComp { .. }
            | ExprKind::GeneratorExp { .. }
            | ExprKind::Lambda { .. } => true,
            _ => false,
        };
        if warn {
            let tn = infer_type(e).unwrap_or("object");
            self.warn(
                loc(e.loc),
                format!("'{tn}' object is not subscriptable; perhaps you missed a comma?"),
            );
        }
    }

    fn check_index(&mut self, e: &'a Expr<'a>, s: &'a Expr<'a>) {
        let Some(index_type) = infer_type(s) else {
            return;
        };
        if matches!(
            s.kind,
            ExprKind::Constant {
                value: pyrite_ast::Constant::Int(_) | pyrite_ast::Constant::True | pyrite_ast::Constant::False,
                ..
            }
        ) {
            return;
        }
        let warn = match &e.kind {
            ExprKind::Constant { value, .. } => matches!(
                value,
                pyrite_ast::Constant::Str(_) | pyrite_ast::Constant::Bytes(_) | pyrite_ast::Constant::Tuple(_)
            ),
            ExprKind::Tuple { .. }
            | ExprKind::List { .. }
            | ExprKind::ListComp { .. }
            | ExprKind::JoinedStr { .. }
            | ExprKind::FormattedValue { .. } => true,
            _ => false,
        };
        if warn {
            let tn = infer_type(e).unwrap_or("object");
            self.warn(
                loc(e.loc),
                format!("{tn} indices must be integers or slices, not {index_type}; perhaps you missed a comma?"),
            );
        }
    }

    fn is_import_originated(&self, e: &Expr) -> bool {
        let ExprKind::Name { id, .. } = e.kind else {
            return false;
        };
        self.top_symbol_flags(id) & DEF_IMPORT != 0
    }

    pub(crate) fn can_optimize_super_call(&self, attr: &'a Expr<'a>) -> bool {
        let ExprKind::Attribute {
            value: e,
            attr: attr_name,
            ..
        } = attr.kind
        else {
            return false;
        };
        let ExprKind::Call { func, args, keywords } = e.kind else {
            return false;
        };
        let ExprKind::Name { id: super_name, .. } = func.kind else {
            return false;
        };
        if super_name != "super" || attr_name == "__class__" || !keywords.is_empty() {
            return false;
        }
        if self.get_scope(super_name) != GLOBAL_IMPLICIT {
            return false;
        }
        if (self.top_symbol_flags(super_name) >> SCOPE_OFFSET) & SCOPE_MASK != 0 {
            return false;
        }
        let num_args = args.len();
        if num_args == 2 {
            return !args.iter().any(|a| matches!(a.kind, ExprKind::Starred { .. }));
        }
        if num_args != 0 {
            return false;
        }
        if self.ur().argcount == 0 && self.ur().posonlyargcount == 0 {
            return false;
        }
        matches!(self.get_ref_type("__class__"), Ok(FREE))
    }

    pub(crate) fn load_args_for_super(&mut self, e: &'a Expr<'a>) -> CResult {
        let l = loc(e.loc);
        let ExprKind::Call { func, args, .. } = e.kind else {
            unreachable!()
        };
        let ExprKind::Name { id: super_name, .. } = func.kind else {
            unreachable!()
        };
        self.nameop(loc(func.loc), super_name, ExprContext::Load)?;
        if args.len() == 2 {
            self.visit_expr(args[0])?;
            self.visit_expr(args[1])?;
            return Ok(());
        }
        self.nameop(l, "__class__", ExprContext::Load)?;
        let Some(&first) = self.ur().varnames.get_index(0) else {
            return Err(CompileError::System("super() without a first argument".into()));
        };
        self.nameop(l, first, ExprContext::Load)
    }

    fn maybe_optimize_method_call(
        &mut self,
        e: &'a Expr<'a>,
        meth: &'a Expr<'a>,
        args: &'a [&'a Expr<'a>],
        kwds: &'a [&'a Keyword<'a>],
    ) -> CResult<bool> {
        let ExprKind::Attribute { value: obj, attr, ctx } = meth.kind else {
            return Ok(false);
        };
        if ctx != ExprContext::Load {
            return Ok(false);
        }
        if self.is_import_originated(obj) {
            return Ok(false);
        }
        let argsl = args.len();
        let kwdsl = kwds.len();
        if argsl + kwdsl + (kwdsl != 0) as usize >= STACK_USE_GUIDELINE {
            return Ok(false);
        }
        if args.iter().any(|a| matches!(a.kind, ExprKind::Starred { .. })) {
            return Ok(false);
        }
        if kwds.iter().any(|k| k.arg.is_none()) {
            return Ok(false);
        }
        let mut l = loc(meth.loc);
        if self.can_optimize_super_call(meth) {
            let ExprKind::Call { args: sargs, .. } = obj.kind else {
                unreachable!()
            };
            self.load_args_for_super(obj)?;
            let op = if !sargs.is_empty() {
                Opcode::LOAD_SUPER_METHOD
            } else {
                Opcode::LOAD_ZERO_SUPER_METHOD
            };
            self.addop_name(l, op, attr);
            l = update_start_location_to_match_attr(l, meth, attr);
            self.addop(l, Opcode::NOP);
        } else {
            self.visit_expr(obj)?;
            l = update_start_location_to_match_attr(l, meth, attr);
            self.addop_name(l, Opcode::LOAD_METHOD, attr);
        }
        for a in args {
            self.visit_expr(a)?;
        }
        if kwdsl > 0 {
            for k in kwds {
                self.visit_expr(k.value)?;
            }
            self.call_simple_kw_helper(l, kwds);
        }
        let l = update_start_location_to_match_attr(loc(e.loc), meth, attr);
        self.addop_i(l, Opcode::CALL, (argsl + kwdsl) as i32);
        Ok(true)
    }

    fn validate_keywords(&self, keywords: &'a [&'a Keyword<'a>]) -> CResult {
        for (i, key) in keywords.iter().enumerate() {
            let Some(arg) = key.arg else {
                continue;
            };
            forbidden_name(self, loc(key.loc), arg, ExprContext::Store)?;
            for other in &keywords[i + 1..] {
                if other.arg == Some(arg) {
                    return Err(self.error(loc(other.loc), format!("keyword argument repeated: {arg}")));
                }
            }
        }
        Ok(())
    }

    fn call(
        &mut self,
        e: &'a Expr<'a>,
        func: &'a Expr<'a>,
        args: &'a [&'a Expr<'a>],
        keywords: &'a [&'a Keyword<'a>],
    ) -> CResult {
        self.validate_keywords(keywords)?;
        if self.maybe_optimize_method_call(e, func, args, keywords)? {
            return Ok(());
        }
        self.check_caller(func);
        self.addop(loc(func.loc), Opcode::PUSH_NULL);
        self.visit_expr(func)?;
        self.call_helper(loc(e.loc), 0, args, keywords)
    }

    fn joined_str(&mut self, e: &'a Expr<'a>, values: &'a [&'a Expr<'a>]) -> CResult {
        let l = loc(e.loc);
        if values.len() > STACK_USE_GUIDELINE {
            self.load_const(l, str_const(""));
            self.addop_name(l, Opcode::LOAD_METHOD, "join");
            self.addop_i(l, Opcode::BUILD_LIST, 0);
            for v in values {
                self.visit_expr(v)?;
                self.addop_i(l, Opcode::LIST_APPEND, 1);
            }
            self.addop_i(l, Opcode::CALL, 1);
        } else {
            for v in values {
                self.visit_expr(v)?;
            }
            if values.len() != 1 {
                self.addop_i(l, Opcode::BUILD_STRING, values.len() as i32);
            }
        }
        Ok(())
    }

    fn subkwargs(&mut self, l: Location, keywords: &'a [&'a Keyword<'a>], begin: usize, end: usize) -> CResult {
        let n = end - begin;
        let big = n * 2 > STACK_USE_GUIDELINE;
        if n > 1 && !big {
            for kw in &keywords[begin..end] {
                self.visit_expr(kw.value)?;
            }
            let keys: Box<[Constant]> = keywords[begin..end]
                .iter()
                .map(|k| str_const(k.arg.unwrap_or("")))
                .collect();
            self.load_const(l, Constant::Tuple(keys));
            self.addop_i(l, Opcode::BUILD_CONST_KEY_MAP, n as i32);
            return Ok(());
        }
        if big {
            self.addop_i(NO_LOCATION, Opcode::BUILD_MAP, 0);
        }
        for kw in &keywords[begin..end] {
            self.load_const(l, str_const(kw.arg.unwrap_or("")));
            self.visit_expr(kw.value)?;
            if big {
                self.addop_i(NO_LOCATION, Opcode::MAP_ADD, 1);
            }
        }
        if !big {
            self.addop_i(l, Opcode::BUILD_MAP, n as i32);
        }
        Ok(())
    }

    fn call_simple_kw_helper(&mut self, l: Location, keywords: &'a [&'a Keyword<'a>]) {
        let names: Box<[Constant]> = keywords.iter().map(|k| str_const(k.arg.unwrap_or(""))).collect();
        let arg = self.add_const(Constant::Tuple(names));
        self.addop_i(l, Opcode::KW_NAMES, arg);
    }

    /// `compiler_call_helper`: arguments and the CALL (or CALL_FUNCTION_EX).
    pub(crate) fn call_helper(
        &mut self,
        l: Location,
        n: i32,
        args: &'a [&'a Expr<'a>],
        keywords: &'a [&'a Keyword<'a>],
    ) -> CResult {
        self.validate_keywords(keywords)?;
        let nelts = args.len();
        let nkwelts = keywords.len();
        let ex_call = nelts + nkwelts * 2 > STACK_USE_GUIDELINE
            || args.iter().any(|a| matches!(a.kind, ExprKind::Starred { .. }))
            || keywords.iter().any(|k| k.arg.is_none());
        if !ex_call {
            for a in args {
                self.visit_expr(a)?;
            }
            if nkwelts > 0 {
                for k in keywords {
                    self.visit_expr(k.value)?;
                }
                self.call_simple_kw_helper(l, keywords);
            }
            self.addop_i(l, Opcode::CALL, n + (nelts + nkwelts) as i32);
            return Ok(());
        }
        if n == 0 && nelts == 1 {
            if let ExprKind::Starred { value, .. } = args[0].kind {
                self.visit_expr(value)?;
            } else {
                self.starunpack_helper(
                    l,
                    args,
                    n,
                    Opcode::BUILD_LIST,
                    Opcode::LIST_APPEND,
                    Opcode::LIST_EXTEND,
                    true,
                )?;
            }
        } else {
            self.starunpack_helper(
                l,
                args,
                n,
                Opcode::BUILD_LIST,
                Opcode::LIST_APPEND,
                Opcode::LIST_EXTEND,
                true,
            )?;
        }
        if nkwelts > 0 {
            let mut have_dict = false;
            let mut nseen = 0;
            for (i, kw) in keywords.iter().enumerate() {
                if kw.arg.is_none() {
                    if nseen > 0 {
                        self.subkwargs(l, keywords, i - nseen, i)?;
                        if have_dict {
                            self.addop_i(l, Opcode::DICT_MERGE, 1);
                        }
                        have_dict = true;
                        nseen = 0;
                    }
                    if !have_dict {
                        self.addop_i(l, Opcode::BUILD_MAP, 0);
                        have_dict = true;
                    }
                    self.visit_expr(kw.value)?;
                    self.addop_i(l, Opcode::DICT_MERGE, 1);
                } else {
                    nseen += 1;
                }
            }
            if nseen > 0 {
                self.subkwargs(l, keywords, nkwelts - nseen, nkwelts)?;
                if have_dict {
                    self.addop_i(l, Opcode::DICT_MERGE, 1);
                }
            }
        }
        self.addop_i(l, Opcode::CALL_FUNCTION_EX, (nkwelts > 0) as i32);
        Ok(())
    }

    fn subscript(&mut self, e: &'a Expr<'a>, value: &'a Expr<'a>, slice: &'a Expr<'a>, ctx: ExprContext) -> CResult {
        let l = loc(e.loc);
        if ctx == ExprContext::Load {
            self.check_subscripter(value);
            self.check_index(value, slice);
        }
        self.visit_expr(value)?;
        if is_two_element_slice(slice) && ctx != ExprContext::Del {
            self.slice(slice)?;
            if ctx == ExprContext::Load {
                self.addop(l, Opcode::BINARY_SLICE);
            } else {
                self.addop(l, Opcode::STORE_SLICE);
            }
        } else {
            self.visit_expr(slice)?;
            let op = match ctx {
                ExprContext::Load => Opcode::BINARY_SUBSCR,
                ExprContext::Store => Opcode::STORE_SUBSCR,
                ExprContext::Del => Opcode::DELETE_SUBSCR,
            };
            self.addop(l, op);
        }
        Ok(())
    }

    /// `compiler_slice`: push the bounds; returns how many.
    pub(crate) fn slice(&mut self, s: &'a Expr<'a>) -> CResult<i32> {
        let ExprKind::Slice { lower, upper, step } = s.kind else {
            unreachable!()
        };
        let l = loc(s.loc);
        let mut n = 2;
        match lower {
            Some(x) => self.visit_expr(x)?,
            None => self.load_none(l),
        }
        match upper {
            Some(x) => self.visit_expr(x)?,
            None => self.load_none(l),
        }
        if let Some(x) = step {
            n += 1;
            self.visit_expr(x)?;
        }
        Ok(n)
    }

    // ----- comprehensions -----

    #[allow(clippy::too_many_arguments)]
    fn comprehension_generator(
        &mut self,
        l: Location,
        generators: &'a [&'a Comprehension<'a>],
        gen_index: usize,
        depth: i32,
        elt: &'a Expr<'a>,
        val: Option<&'a Expr<'a>>,
        ty: u8,
        iter_on_stack: bool,
    ) -> CResult {
        if generators[gen_index].is_async != 0 {
            self.async_comprehension_generator(l, generators, gen_index, depth, elt, val, ty, iter_on_stack)
        } else {
            self.sync_comprehension_generator(l, generators, gen_index, depth, elt, val, ty, iter_on_stack)
        }
    }

    fn comprehension_element(
        &mut self,
        ty: u8,
        depth: i32,
        elt: &'a Expr<'a>,
        val: Option<&'a Expr<'a>>,
    ) -> CResult<Location> {
        let mut elt_loc = loc(elt.loc);
        match ty {
            COMP_GENEXP => {
                self.visit_expr(elt)?;
                self.addop_yield(elt_loc);
                self.addop(elt_loc, Opcode::POP_TOP);
            }
            COMP_LISTCOMP => {
                self.visit_expr(elt)?;
                self.addop_i(elt_loc, Opcode::LIST_APPEND, depth + 1);
            }
            COMP_SETCOMP => {
                self.visit_expr(elt)?;
                self.addop_i(elt_loc, Opcode::SET_ADD, depth + 1);
            }
            _ => {
                let val = val.expect("dict comprehension value");
                self.visit_expr(elt)?;
                self.visit_expr(val)?;
                elt_loc = Location::new(
                    elt.loc.lineno as i32,
                    val.loc.end_lineno as i32,
                    elt.loc.col_offset as i32,
                    val.loc.end_col_offset as i32,
                );
                self.addop_i(elt_loc, Opcode::MAP_ADD, depth + 1);
            }
        }
        Ok(elt_loc)
    }

    #[allow(clippy::too_many_arguments)]
    fn sync_comprehension_generator(
        &mut self,
        l: Location,
        generators: &'a [&'a Comprehension<'a>],
        gen_index: usize,
        depth: i32,
        elt: &'a Expr<'a>,
        val: Option<&'a Expr<'a>>,
        ty: u8,
        iter_on_stack: bool,
    ) -> CResult {
        let mut depth = depth;
        let mut start = self.new_label();
        let if_cleanup = self.new_label();
        let anchor = self.new_label();
        let gen = generators[gen_index];
        if !iter_on_stack {
            if gen_index == 0 {
                self.u().argcount = 1;
                self.addop_i(l, Opcode::LOAD_FAST, 0);
            } else {
                let elts: &[&Expr] = match gen.iter.kind {
                    ExprKind::List { elts, .. } | ExprKind::Tuple { elts, .. } => elts,
                    _ => &[],
                };
                if elts.len() == 1 && !matches!(elts[0].kind, ExprKind::Starred { .. }) {
                    self.visit_expr(elts[0])?;
                    start = Label::NONE;
                }
                if start.is_label() {
                    self.visit_expr(gen.iter)?;
                    self.addop(l, Opcode::GET_ITER);
                }
            }
        }
        if start.is_label() {
            depth += 1;
            self.use_label(start);
            self.addop_j(l, Opcode::FOR_ITER, anchor);
        }
        self.visit_expr(gen.target)?;
        for e in gen.ifs {
            self.jump_if(l, e, if_cleanup, false)?;
        }
        let gen_index = gen_index + 1;
        if gen_index < generators.len() {
            self.comprehension_generator(l, generators, gen_index, depth, elt, val, ty, false)?;
        }
        let mut elt_loc = loc(elt.loc);
        if gen_index >= generators.len() {
            elt_loc = self.comprehension_element(ty, depth, elt, val)?;
        }
        self.use_label(if_cleanup);
        if start.is_label() {
            self.addop_j(elt_loc, Opcode::JUMP, start);
            self.use_label(anchor);
            self.addop(NO_LOCATION, Opcode::END_FOR);
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn async_comprehension_generator(
        &mut self,
        l: Location,
        generators: &'a [&'a Comprehension<'a>],
        gen_index: usize,
        depth: i32,
        elt: &'a Expr<'a>,
        val: Option<&'a Expr<'a>>,
        ty: u8,
        iter_on_stack: bool,
    ) -> CResult {
        let start = self.new_label();
        let except = self.new_label();
        let if_cleanup = self.new_label();
        let gen = generators[gen_index];
        if !iter_on_stack {
            if gen_index == 0 {
                self.u().argcount = 1;
                self.addop_i(l, Opcode::LOAD_FAST, 0);
            } else {
                self.visit_expr(gen.iter)?;
                self.addop(l, Opcode::GET_AITER);
            }
        }
        self.use_label(start);
        self.push_fblock(
            l,
            FBlockType::AsyncComprehensionGenerator,
            start,
            Label::NONE,
            FBlockDatum::None,
        )?;
        self.addop_j(l, Opcode::SETUP_FINALLY, except);
        self.addop(l, Opcode::GET_ANEXT);
        self.load_none(l);
        self.add_yield_from(l, true);
        self.addop(l, Opcode::POP_BLOCK);
        self.visit_expr(gen.target)?;
        for e in gen.ifs {
            self.jump_if(l, e, if_cleanup, false)?;
        }
        let depth = depth + 1;
        let gen_index = gen_index + 1;
        if gen_index < generators.len() {
            self.comprehension_generator(l, generators, gen_index, depth, elt, val, ty, false)?;
        }
        let mut elt_loc = loc(elt.loc);
        if gen_index >= generators.len() {
            elt_loc = self.comprehension_element(ty, depth, elt, val)?;
        }
        self.use_label(if_cleanup);
        self.addop_j(elt_loc, Opcode::JUMP, start);
        self.pop_fblock();
        self.use_label(except);
        self.addop(l, Opcode::END_ASYNC_FOR);
        Ok(())
    }

    fn push_inlined_comprehension_state(
        &mut self,
        l: Location,
        entry: ScopeId,
    ) -> CResult<InlinedComprehensionState<'a>> {
        let mut state = InlinedComprehensionState {
            pushed_locals: Vec::new(),
            temp_symbols: Vec::new(),
            fast_hidden: Vec::new(),
            cleanup: Label::NONE,
            end: Label::NONE,
        };
        let in_class_block = self.ste().kind == BlockType::Class && self.ur().in_inlined_comp == 0;
        self.u().in_inlined_comp += 1;
        let entry_scope = self.st.scope(entry);
        for (&k, &symbol) in entry_scope.symbols.iter() {
            if !((symbol & DEF_LOCAL != 0 && symbol & DEF_NONLOCAL == 0) || in_class_block) {
                continue;
            }
            if !self.is_function_like() {
                let orig = self.ur().fasthidden.get(k).copied();
                if orig != Some(true) {
                    self.u().fasthidden.insert(k, true);
                    state.fast_hidden.push(k);
                }
            }
            let scope = (symbol >> SCOPE_OFFSET) & SCOPE_MASK;
            let outer = self.symbol_flags(k);
            let has_outer = self.ur().sym_overrides.contains_key(k) || self.ste().symbols.contains_key(k);
            let outsc = (outer >> SCOPE_OFFSET) & SCOPE_MASK;
            if scope != outsc && !(scope == CELL && outsc == FREE) {
                let prev = if has_outer { Some(outer) } else { None };
                state.temp_symbols.push((k, prev));
                self.u().sym_overrides.insert(k, symbol);
            }
            self.addop_varname(l, Opcode::LOAD_FAST_AND_CLEAR, k);
            if scope == CELL {
                if outsc == FREE {
                    let idx = self.freevar_index(k);
                    self.addop_i(l, Opcode::MAKE_CELL, idx);
                } else {
                    let (i, _) = self.u().cellvars.insert_full(k);
                    self.addop_i(l, Opcode::MAKE_CELL, i as i32);
                }
            }
            state.pushed_locals.push(k);
        }
        if !state.pushed_locals.is_empty() {
            self.addop_i(l, Opcode::SWAP, state.pushed_locals.len() as i32 + 1);
            state.cleanup = self.new_label();
            state.end = self.new_label();
            self.addop_j(l, Opcode::SETUP_FINALLY, state.cleanup);
        }
        Ok(state)
    }

    fn restore_inlined_comprehension_locals(&mut self, l: Location, state: &InlinedComprehensionState<'a>) {
        let npops = state.pushed_locals.len();
        self.addop_i(l, Opcode::SWAP, npops as i32 + 1);
        for &k in state.pushed_locals.iter().rev() {
            self.addop_varname(l, Opcode::STORE_FAST_MAYBE_NULL, k);
        }
    }

    fn pop_inlined_comprehension_state(&mut self, l: Location, state: InlinedComprehensionState<'a>) {
        self.u().in_inlined_comp -= 1;
        for &(k, prev) in state.temp_symbols.iter() {
            match prev {
                Some(v) => {
                    // CPython writes the outer value back into ste_symbols; an override that
                    // equals the real entry is simply dropped.
                    if self.ste().symbols.get(k).copied() == Some(v) {
                        self.u().sym_overrides.remove(k);
                    } else {
                        self.u().sym_overrides.insert(k, v);
                    }
                }
                None => {
                    // The outer scope had no entry: CPython stores 0 (it read `_PyLong_GetZero`).
                    self.u().sym_overrides.insert(k, 0);
                }
            }
        }
        if !state.pushed_locals.is_empty() {
            self.addop(NO_LOCATION, Opcode::POP_BLOCK);
            self.addop_j(NO_LOCATION, Opcode::JUMP, state.end);
            self.use_label(state.cleanup);
            self.addop_i(NO_LOCATION, Opcode::SWAP, 2);
            self.addop(NO_LOCATION, Opcode::POP_TOP);
            self.restore_inlined_comprehension_locals(l, &state);
            self.addop_i(NO_LOCATION, Opcode::RERAISE, 0);
            self.use_label(state.end);
            self.restore_inlined_comprehension_locals(l, &state);
        }
        for &k in state.fast_hidden.iter() {
            self.u().fasthidden.insert(k, false);
        }
    }

    fn comprehension_iter(&mut self, l: Location, comp: &'a Comprehension<'a>) -> CResult {
        self.visit_expr(comp.iter)?;
        if comp.is_async != 0 {
            self.addop(l, Opcode::GET_AITER);
        } else {
            self.addop(l, Opcode::GET_ITER);
        }
        Ok(())
    }

    fn comprehension(
        &mut self,
        e: &'a Expr<'a>,
        ty: u8,
        name: &'a str,
        generators: &'a [&'a Comprehension<'a>],
        elt: &'a Expr<'a>,
        val: Option<&'a Expr<'a>>,
    ) -> CResult {
        let scope_type = self.ur().scope_type;
        let is_top_level_await = self.is_top_level_await();
        let key = e as *const Expr as usize;
        let entry = self
            .st
            .lookup(key)
            .ok_or_else(|| CompileError::System("no symbol table entry for a comprehension".into()))?;
        let entry_scope = self.st.scope(entry);
        let is_inlined = entry_scope.comp_inlined;
        let is_async_generator = entry_scope.coroutine;
        let l = loc(e.loc);
        let outermost = generators[0];
        let mut inline_state = None;
        if is_inlined {
            self.comprehension_iter(l, outermost)?;
            inline_state = Some(self.push_inlined_comprehension_state(l, entry)?);
        } else {
            self.enter_scope(name, ScopeType::Comprehension, key, e.loc.lineno as i32)?;
        }
        let r = (|| -> CResult {
            if is_async_generator
                && ty != COMP_GENEXP
                && scope_type != ScopeType::AsyncFunction
                && scope_type != ScopeType::Comprehension
                && !is_top_level_await
            {
                return Err(self.error(l, "asynchronous comprehension outside of an asynchronous function"));
            }
            if ty != COMP_GENEXP {
                let op = match ty {
                    COMP_LISTCOMP => Opcode::BUILD_LIST,
                    COMP_SETCOMP => Opcode::BUILD_SET,
                    _ => Opcode::BUILD_MAP,
                };
                self.addop_i(l, op, 0);
                if is_inlined {
                    self.addop_i(l, Opcode::SWAP, 2);
                }
            }
            self.comprehension_generator(l, generators, 0, 0, elt, val, ty, is_inlined)
        })();
        if let Err(err) = r {
            if !is_inlined {
                self.exit_scope();
            }
            return Err(err);
        }
        if let Some(state) = inline_state {
            self.pop_inlined_comprehension_state(l, state);
            return Ok(());
        }
        if ty != COMP_GENEXP {
            self.addop(loc(e.loc), Opcode::RETURN_VALUE);
        }
        if ty == COMP_GENEXP {
            self.wrap_in_stopiteration_handler();
        }
        let co = self.optimize_and_assemble(true);
        self.exit_scope();
        if is_top_level_await && is_async_generator {
            self.u().coroutine = true;
        }
        let co = co?;
        self.make_closure(l, co, 0)?;
        self.comprehension_iter(l, outermost)?;
        self.addop_i(l, Opcode::CALL, 0);
        if is_async_generator && ty != COMP_GENEXP {
            self.addop_i(l, Opcode::GET_AWAITABLE, 0);
            self.load_none(l);
            self.add_yield_from(l, true);
        }
        Ok(())
    }
}

/// A constant frozenset's items in the order CPython's set would iterate them. Without
/// CPython's hashes of strings (randomized per process) the order cannot be reproduced in
/// general; items keep their source order, which equality of frozensets does not see.
fn frozenset_order(items: Vec<Constant>) -> Vec<Constant> {
    let mut out: Vec<Constant> = Vec::with_capacity(items.len());
    for item in items {
        if !out
            .iter()
            .any(|o| pyrite_code::constant_key_eq(o, &item) || pyrite_code::python_eq(o, &item))
        {
            out.push(item);
        }
    }
    out
}
