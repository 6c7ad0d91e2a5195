//! The expression unparser the compiler uses to turn annotations into strings under
//! `from __future__ import annotations` (CPython's `Python/ast_unparse.c`,
//! `_PyAST_ExprAsUnicode`).
//!
//! This is not `ast.unparse` (which is written in Python and differs in many details): it
//! parenthesizes by a small table of priority levels, writes constants with `repr()` (an infinite
//! float or any complex gets `inf` replaced by `1e309`, so the text reads back as the same value),
//! and writes an f-string by building its body and then taking the `repr()` of that body.
//!
//! The result is a Python `str` as generalized UTF-8 bytes (see [`pyrite_unicode::Wtf8`]): a
//! format spec's literal text is copied without escaping, so a hand-built tree can put a lone
//! surrogate into the text. Anything the parser produces comes out as plain UTF-8.

use crate::{Arg, Arguments, BoolOp, CmpOp, Comprehension, Constant, Expr, ExprKind, Int, Keyword, Operator, UnaryOp};
use pyrite_unicode::wtf8::write_repr_code_points;
use pyrite_unicode::Wtf8;

/// The message of the `ValueError` CPython raises when `repr()` of an int would need more than
/// `sys.get_int_max_str_digits()` (4300 by default) decimal digits.
pub const INT_MAX_STR_DIGITS_ERROR: &str =
    "Exceeds the limit (4300 digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit";

/// The default of `sys.get_int_max_str_digits()`.
const INT_MAX_STR_DIGITS: usize = 4300;

/// How deep the unparser recurses before giving up. CPython's symbol table rejects expressions
/// nested more than about 3000 levels ("maximum recursion depth exceeded during compilation")
/// before the code generator ever unparses an annotation, so this only bounds hand-built trees.
const MAX_DEPTH: u32 = 20_000;

/// Recursion moves to a fresh thread with a [`HOP_STACK`]-byte stack at depth `HOP_FIRST` and
/// every `HOP_EVERY` levels after it, so that no depth up to [`MAX_DEPTH`] can overflow the
/// caller's stack (a level takes about 200 bytes optimized, 1.3 KB unoptimized).
const HOP_FIRST: u32 = 256;
const HOP_EVERY: u32 = 4096;
const HOP_STACK: usize = 16 << 20;

/// `_PyAST_ExprAsUnicode`: the source text of `e` as the C unparser writes it, in generalized
/// UTF-8 (wrap it with [`Wtf8::from_bytes_unchecked`]).
///
/// The error is the message of the exception CPython raises. From parsed source the only one
/// possible is the `ValueError` [`INT_MAX_STR_DIGITS_ERROR`] (an int literal such as a long hex
/// literal whose decimal form has more than 4300 digits). Hand-built trees can also give
/// CPython's `SystemError`s (`unknown f-value conversion kind`, `unknown expression kind inside
/// f-string`) or a `TypeError` for a non-str constant inside an f-string; a tree nested
/// deeper than any the symbol table accepts gives a `RecursionError` message.
pub fn expr_as_unicode(e: &Expr<'_>) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(64);
    Unparser { depth: 0 }.expr(&mut out, e, PR_TEST)?;
    Ok(out)
}

// Priority levels: an expression is parenthesized when the context asks for a higher level than
// its own.
const PR_TUPLE: u8 = 0;
/// `if`-`else`, `lambda`.
const PR_TEST: u8 = 1;
const PR_OR: u8 = 2;
const PR_AND: u8 = 3;
const PR_NOT: u8 = 4;
/// Comparisons, `in`, `is`.
const PR_CMP: u8 = 5;
/// `|` (the level of a bare `expr` in the grammar).
const PR_EXPR: u8 = 6;
const PR_BOR: u8 = PR_EXPR;
const PR_BXOR: u8 = 7;
const PR_BAND: u8 = 8;
const PR_SHIFT: u8 = 9;
/// Binary `+`, `-`.
const PR_ARITH: u8 = 10;
/// `*`, `@`, `/`, `%`, `//`.
const PR_TERM: u8 = 11;
/// Unary `+`, `-`, `~`.
const PR_FACTOR: u8 = 12;
const PR_POWER: u8 = 13;
const PR_AWAIT: u8 = 14;
const PR_ATOM: u8 = 15;

type Out = Vec<u8>;
type Res = Result<(), String>;

struct Unparser {
    depth: u32,
}

fn push(out: &mut Out, s: &str) {
    out.extend_from_slice(s.as_bytes());
}

fn push_if(out: &mut Out, cond: bool, s: &str) {
    if cond {
        push(out, s);
    }
}

/// Append `repr()` of the string whose generalized UTF-8 is `text`.
fn push_str_repr(out: &mut Out, text: &[u8]) {
    let mut s = String::with_capacity(text.len() + 2);
    write_repr_code_points(Wtf8::from_bytes_unchecked(text).code_points(), &mut s);
    push(out, &s);
}

/// Append `text` with `{` and `}` doubled (a literal part of an f-string).
fn push_escaping_braces(out: &mut Out, text: &[u8]) {
    for &b in text {
        out.push(b);
        if b == b'{' || b == b'}' {
            out.push(b);
        }
    }
}

/// Fail as `int.__repr__` does for an int of more than 4300 decimal digits (anywhere inside
/// `c`, which may be a tuple or frozenset).
fn check_int_digits(c: &Constant<'_>) -> Res {
    match c {
        Constant::Int(i @ Int::Big { magnitude, .. }) => {
            // An int of n 32-bit digits has fewer than 10n decimal digits.
            if magnitude.len() * 10 > INT_MAX_STR_DIGITS {
                let mut s = String::new();
                i.write_decimal(&mut s);
                let digits = s.len() - usize::from(i.is_negative());
                if digits > INT_MAX_STR_DIGITS {
                    return Err(INT_MAX_STR_DIGITS_ERROR.to_string());
                }
            }
            Ok(())
        }
        Constant::Tuple(items) | Constant::FrozenSet(items) => items.iter().try_for_each(check_int_digits),
        _ => Ok(()),
    }
}

/// `repr()` of a constant, with `inf` written as `1e309` in an infinite float and in a complex
/// (`1e309` overflows to infinity when read back).
fn push_repr(out: &mut Out, c: &Constant<'_>) -> Res {
    check_int_digits(c)?;
    let mut s = String::new();
    c.write_repr(&mut s);
    let replace_inf = match *c {
        Constant::Float(f) => f.is_infinite(),
        Constant::Complex { .. } => true,
        _ => false,
    };
    if replace_inf {
        s = s.replace("inf", "1e309");
    }
    push(out, &s);
    Ok(())
}

/// A constant's value: a tuple item by item (so its floats and complexes get the same `inf`
/// treatment), anything else by [`push_repr`].
fn push_constant(out: &mut Out, c: &Constant<'_>) -> Res {
    if let Constant::Tuple(items) = c {
        push(out, "(");
        for (i, item) in items.iter().enumerate() {
            push_if(out, i > 0, ", ");
            push_constant(out, item)?;
        }
        push_if(out, items.len() == 1, ",");
        push(out, ")");
        return Ok(());
    }
    push_repr(out, c)
}

/// A `Constant` node: `...` for Ellipsis, otherwise its kind (the `u` prefix) and value.
fn constant(out: &mut Out, value: &Constant<'_>, kind: Option<&str>) -> Res {
    if *value == Constant::Ellipsis {
        push(out, "...");
        return Ok(());
    }
    if let Some(k) = kind {
        push(out, k);
    }
    push_constant(out, value)
}

/// The name of a constant's Python type, for error messages.
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

impl Unparser {
    fn expr(&mut self, out: &mut Out, e: &Expr<'_>, level: u8) -> Res {
        if self.depth >= MAX_DEPTH {
            return Err("maximum recursion depth exceeded during compilation".to_string());
        }
        self.depth += 1;
        let r = if self.depth % HOP_EVERY == HOP_FIRST {
            self.expr_on_new_stack(out, e, level)
        } else {
            self.expr_inner(out, e, level)
        };
        self.depth -= 1;
        r
    }

    #[cold]
    #[inline(never)]
    fn expr_on_new_stack(&mut self, out: &mut Out, e: &Expr<'_>, level: u8) -> Res {
        std::thread::scope(|scope| {
            let worker = std::thread::Builder::new()
                .name("pyrite-unparse".to_string())
                .stack_size(HOP_STACK)
                .spawn_scoped(scope, || self.expr_inner(out, e, level));
            match worker {
                Ok(handle) => handle
                    .join()
                    .unwrap_or_else(|_| Err("the unparser's thread failed".to_string())),
                Err(err) => Err(format!("cannot unparse so deep an expression: {err}")),
            }
        })
    }

    /// One node. Each kind has its own method, which keeps this frame (and so the stack used per
    /// level of nesting) small in unoptimized builds.
    fn expr_inner(&mut self, out: &mut Out, e: &Expr<'_>, level: u8) -> Res {
        match &e.kind {
            ExprKind::BoolOp { op, values } => self.bool_op(out, *op, values, level),
            ExprKind::NamedExpr { target, value } => self.named_expr(out, target, value, level),
            ExprKind::BinOp { left, op, right } => self.bin_op(out, left, *op, right, level),
            ExprKind::UnaryOp { op, operand } => self.unary_op(out, *op, operand, level),
            ExprKind::Lambda { args, body } => self.lambda(out, args, body, level),
            ExprKind::IfExp { test, body, orelse } => self.if_exp(out, test, body, orelse, level),
            ExprKind::Dict { keys, values } => self.dict(out, keys, values),
            ExprKind::Set { elts } => self.display(out, "{", elts, "}"),
            ExprKind::ListComp { elt, generators } => self.comprehension(out, "[", None, elt, generators, "]"),
            ExprKind::SetComp { elt, generators } => self.comprehension(out, "{", None, elt, generators, "}"),
            ExprKind::DictComp { key, value, generators } => {
                self.comprehension(out, "{", Some(key), value, generators, "}")
            }
            ExprKind::GeneratorExp { elt, generators } => self.comprehension(out, "(", None, elt, generators, ")"),
            ExprKind::Await { value } => self.await_(out, value, level),
            ExprKind::Yield { value } => self.yield_(out, *value),
            ExprKind::YieldFrom { value } => self.prefixed(out, "(yield from ", value, PR_TEST, ")"),
            ExprKind::Compare { left, ops, comparators } => self.compare(out, left, ops, comparators, level),
            ExprKind::Call { func, args, keywords } => self.call(out, func, args, keywords),
            ExprKind::FormattedValue {
                value,
                conversion,
                format_spec,
            } => self.formatted_value(out, value, *conversion, *format_spec),
            ExprKind::JoinedStr { values } => self.joined_str(out, values, false),
            ExprKind::Constant { value, kind } => constant(out, value, *kind),
            ExprKind::Attribute { value, attr, .. } => self.attribute(out, value, attr),
            ExprKind::Subscript { value, slice, .. } => self.subscript(out, value, slice),
            ExprKind::Starred { value, .. } => self.prefixed(out, "*", value, PR_EXPR, ""),
            ExprKind::Name { id, .. } => {
                push(out, id);
                Ok(())
            }
            ExprKind::List { elts, .. } => self.display(out, "[", elts, "]"),
            ExprKind::Tuple { elts, .. } => self.tuple(out, elts, level),
            ExprKind::Slice { lower, upper, step } => self.slice(out, *lower, *upper, *step),
        }
    }

    fn bool_op(&mut self, out: &mut Out, op: BoolOp, values: &[&Expr<'_>], level: u8) -> Res {
        let (text, pr) = match op {
            BoolOp::And => (" and ", PR_AND),
            BoolOp::Or => (" or ", PR_OR),
        };
        push_if(out, level > pr, "(");
        for (i, v) in values.iter().enumerate() {
            push_if(out, i > 0, text);
            self.expr(out, v, pr + 1)?;
        }
        push_if(out, level > pr, ")");
        Ok(())
    }

    fn named_expr(&mut self, out: &mut Out, target: &Expr<'_>, value: &Expr<'_>, level: u8) -> Res {
        push_if(out, level > PR_TUPLE, "(");
        self.expr(out, target, PR_ATOM)?;
        push(out, " := ");
        self.expr(out, value, PR_ATOM)?;
        push_if(out, level > PR_TUPLE, ")");
        Ok(())
    }

    fn bin_op(&mut self, out: &mut Out, left: &Expr<'_>, op: Operator, right: &Expr<'_>, level: u8) -> Res {
        let (text, pr) = binop(op);
        // `**` groups to the right: its left operand needs parentheses at its own level.
        let rassoc = op == Operator::Pow;
        push_if(out, level > pr, "(");
        self.expr(out, left, pr + u8::from(rassoc))?;
        push(out, text);
        self.expr(out, right, pr + u8::from(!rassoc))?;
        push_if(out, level > pr, ")");
        Ok(())
    }

    fn unary_op(&mut self, out: &mut Out, op: UnaryOp, operand: &Expr<'_>, level: u8) -> Res {
        let (text, pr) = match op {
            UnaryOp::Invert => ("~", PR_FACTOR),
            UnaryOp::Not => ("not ", PR_NOT),
            UnaryOp::UAdd => ("+", PR_FACTOR),
            UnaryOp::USub => ("-", PR_FACTOR),
        };
        push_if(out, level > pr, "(");
        push(out, text);
        self.expr(out, operand, pr)?;
        push_if(out, level > pr, ")");
        Ok(())
    }

    fn lambda(&mut self, out: &mut Out, args: &Arguments<'_>, body: &Expr<'_>, level: u8) -> Res {
        push_if(out, level > PR_TEST, "(");
        let positional = args.args.len() + args.posonlyargs.len();
        push(out, if positional > 0 { "lambda " } else { "lambda" });
        self.arguments(out, args)?;
        push(out, ": ");
        self.expr(out, body, PR_TEST)?;
        push_if(out, level > PR_TEST, ")");
        Ok(())
    }

    fn if_exp(&mut self, out: &mut Out, test: &Expr<'_>, body: &Expr<'_>, orelse: &Expr<'_>, level: u8) -> Res {
        push_if(out, level > PR_TEST, "(");
        self.expr(out, body, PR_TEST + 1)?;
        push(out, " if ");
        self.expr(out, test, PR_TEST + 1)?;
        push(out, " else ");
        self.expr(out, orelse, PR_TEST)?;
        push_if(out, level > PR_TEST, ")");
        Ok(())
    }

    fn dict(&mut self, out: &mut Out, keys: &[Option<&Expr<'_>>], values: &[&Expr<'_>]) -> Res {
        push(out, "{");
        for (i, value) in values.iter().enumerate() {
            push_if(out, i > 0, ", ");
            match keys.get(i).copied().flatten() {
                Some(key) => {
                    self.expr(out, key, PR_TEST)?;
                    push(out, ": ");
                    self.expr(out, value, PR_TEST)?;
                }
                None => {
                    push(out, "**");
                    self.expr(out, value, PR_EXPR)?;
                }
            }
        }
        push(out, "}");
        Ok(())
    }

    /// A list or set display.
    fn display(&mut self, out: &mut Out, open: &str, elts: &[&Expr<'_>], close: &str) -> Res {
        push(out, open);
        self.items(out, elts)?;
        push(out, close);
        Ok(())
    }

    /// A comprehension or generator expression (`key` for a dict comprehension).
    fn comprehension(
        &mut self,
        out: &mut Out,
        open: &str,
        key: Option<&Expr<'_>>,
        elt: &Expr<'_>,
        generators: &[&Comprehension<'_>],
        close: &str,
    ) -> Res {
        push(out, open);
        if let Some(key) = key {
            self.expr(out, key, PR_TEST)?;
            push(out, ": ");
        }
        self.expr(out, elt, PR_TEST)?;
        self.generators(out, generators)?;
        push(out, close);
        Ok(())
    }

    fn await_(&mut self, out: &mut Out, value: &Expr<'_>, level: u8) -> Res {
        push_if(out, level > PR_AWAIT, "(");
        push(out, "await ");
        self.expr(out, value, PR_ATOM)?;
        push_if(out, level > PR_AWAIT, ")");
        Ok(())
    }

    fn yield_(&mut self, out: &mut Out, value: Option<&Expr<'_>>) -> Res {
        match value {
            None => {
                push(out, "(yield)");
                Ok(())
            }
            Some(v) => self.prefixed(out, "(yield ", v, PR_TEST, ")"),
        }
    }

    /// `open`, `value` at `level`, `close`.
    fn prefixed(&mut self, out: &mut Out, open: &str, value: &Expr<'_>, level: u8, close: &str) -> Res {
        push(out, open);
        self.expr(out, value, level)?;
        push(out, close);
        Ok(())
    }

    fn compare(&mut self, out: &mut Out, left: &Expr<'_>, ops: &[CmpOp], comparators: &[&Expr<'_>], level: u8) -> Res {
        push_if(out, level > PR_CMP, "(");
        self.expr(out, left, PR_CMP + 1)?;
        for (i, comparator) in comparators.iter().enumerate() {
            let Some(&op) = ops.get(i) else {
                return Err("unexpected comparison kind".to_string());
            };
            push(out, cmpop(op));
            self.expr(out, comparator, PR_CMP + 1)?;
        }
        push_if(out, level > PR_CMP, ")");
        Ok(())
    }

    fn call(&mut self, out: &mut Out, func: &Expr<'_>, args: &[&Expr<'_>], keywords: &[&Keyword<'_>]) -> Res {
        self.expr(out, func, PR_ATOM)?;
        if let ([arg], []) = (args, keywords) {
            if let ExprKind::GeneratorExp { elt, generators } = arg.kind {
                // The generator expression's own parentheses serve as the call's.
                return self.comprehension(out, "(", None, elt, generators, ")");
            }
        }
        push(out, "(");
        let mut first = true;
        for arg in args.iter() {
            push_if(out, !first, ", ");
            first = false;
            self.expr(out, arg, PR_TEST)?;
        }
        for kw in keywords.iter() {
            push_if(out, !first, ", ");
            first = false;
            self.keyword(out, kw)?;
        }
        push(out, ")");
        Ok(())
    }

    fn attribute(&mut self, out: &mut Out, value: &Expr<'_>, attr: &str) -> Res {
        self.expr(out, value, PR_ATOM)?;
        // `1.x` would lex as a float: an int needs a space before the dot.
        let int_value = matches!(
            value.kind,
            ExprKind::Constant {
                value: Constant::Int(_),
                ..
            }
        );
        push(out, if int_value { " ." } else { "." });
        push(out, attr);
        Ok(())
    }

    fn subscript(&mut self, out: &mut Out, value: &Expr<'_>, slice: &Expr<'_>) -> Res {
        self.expr(out, value, PR_ATOM)?;
        push(out, "[");
        self.expr(out, slice, PR_TUPLE)?;
        push(out, "]");
        Ok(())
    }

    fn tuple(&mut self, out: &mut Out, elts: &[&Expr<'_>], level: u8) -> Res {
        if elts.is_empty() {
            push(out, "()");
            return Ok(());
        }
        push_if(out, level > PR_TUPLE, "(");
        self.items(out, elts)?;
        push_if(out, elts.len() == 1, ",");
        push_if(out, level > PR_TUPLE, ")");
        Ok(())
    }

    fn slice(
        &mut self,
        out: &mut Out,
        lower: Option<&Expr<'_>>,
        upper: Option<&Expr<'_>>,
        step: Option<&Expr<'_>>,
    ) -> Res {
        if let Some(lower) = lower {
            self.expr(out, lower, PR_TEST)?;
        }
        push(out, ":");
        if let Some(upper) = upper {
            self.expr(out, upper, PR_TEST)?;
        }
        if let Some(step) = step {
            push(out, ":");
            self.expr(out, step, PR_TEST)?;
        }
        Ok(())
    }

    /// Comma-separated items of a display, each at the level of a `test`.
    fn items(&mut self, out: &mut Out, elts: &[&Expr<'_>]) -> Res {
        for (i, elt) in elts.iter().enumerate() {
            push_if(out, i > 0, ", ");
            self.expr(out, elt, PR_TEST)?;
        }
        Ok(())
    }

    /// The `for` and `if` clauses of a comprehension.
    fn generators(&mut self, out: &mut Out, generators: &[&Comprehension<'_>]) -> Res {
        for g in generators {
            push(out, if g.is_async != 0 { " async for " } else { " for " });
            self.expr(out, g.target, PR_TUPLE)?;
            push(out, " in ");
            self.expr(out, g.iter, PR_TEST + 1)?;
            for cond in g.ifs.iter() {
                push(out, " if ");
                self.expr(out, cond, PR_TEST + 1)?;
            }
        }
        Ok(())
    }

    fn keyword(&mut self, out: &mut Out, kw: &Keyword<'_>) -> Res {
        match kw.arg {
            None => push(out, "**"),
            Some(name) => {
                push(out, name);
                push(out, "=");
            }
        }
        self.expr(out, kw.value, PR_TEST)
    }

    fn arg(&mut self, out: &mut Out, arg: &Arg<'_>) -> Res {
        push(out, arg.arg);
        if let Some(ann) = arg.annotation {
            push(out, ": ");
            self.expr(out, ann, PR_TEST)?;
        }
        Ok(())
    }

    fn arguments(&mut self, out: &mut Out, args: &Arguments<'_>) -> Res {
        let mut first = true;
        let mut sep = |out: &mut Out| {
            push_if(out, !first, ", ");
            first = false;
        };
        // Positional-only and positional parameters; the defaults belong to the last ones.
        let n_posonly = args.posonlyargs.len();
        let n_positional = n_posonly + args.args.len();
        let first_default = n_positional as isize - args.defaults.len() as isize;
        for (i, arg) in args.posonlyargs.iter().chain(args.args.iter()).enumerate() {
            sep(out);
            self.arg(out, arg)?;
            let di = i as isize - first_default;
            if di >= 0 {
                if let Some(default) = args.defaults.get(di as usize) {
                    push(out, "=");
                    self.expr(out, default, PR_TEST)?;
                }
            }
            if n_posonly > 0 && i + 1 == n_posonly {
                push(out, ", /");
            }
        }
        // `*args`, or a bare `*` before keyword-only parameters.
        if args.vararg.is_some() || !args.kwonlyargs.is_empty() {
            sep(out);
            push(out, "*");
            if let Some(vararg) = args.vararg {
                self.arg(out, vararg)?;
            }
        }
        let first_kw_default = args.kwonlyargs.len() as isize - args.kw_defaults.len() as isize;
        for (i, arg) in args.kwonlyargs.iter().enumerate() {
            sep(out);
            self.arg(out, arg)?;
            let di = i as isize - first_kw_default;
            if di >= 0 {
                if let Some(Some(default)) = args.kw_defaults.get(di as usize) {
                    push(out, "=");
                    self.expr(out, default, PR_TEST)?;
                }
            }
        }
        if let Some(kwarg) = args.kwarg {
            sep(out);
            push(out, "**");
            self.arg(out, kwarg)?;
        }
        Ok(())
    }

    /// An f-string: `f` and the `repr()` of its body, or in a format spec the bare body.
    fn joined_str(&mut self, out: &mut Out, values: &[&Expr<'_>], is_format_spec: bool) -> Res {
        let mut body = Vec::with_capacity(64);
        for v in values {
            self.fstring_element(&mut body, v, is_format_spec)?;
        }
        if is_format_spec {
            out.extend_from_slice(&body);
        } else {
            push(out, "f");
            push_str_repr(out, &body);
        }
        Ok(())
    }

    fn fstring_element(&mut self, out: &mut Out, e: &Expr<'_>, is_format_spec: bool) -> Res {
        match e.kind {
            ExprKind::Constant {
                value: Constant::Str(s),
                ..
            } => {
                push_escaping_braces(out, s.as_bytes());
                Ok(())
            }
            ExprKind::Constant { value, .. } => Err(format!("must be str, not {}", type_name(&value))),
            ExprKind::JoinedStr { values } => self.joined_str(out, values, is_format_spec),
            ExprKind::FormattedValue {
                value,
                conversion,
                format_spec,
            } => self.formatted_value(out, value, conversion, format_spec),
            _ => Err("unknown expression kind inside f-string".to_string()),
        }
    }

    /// A replacement field `{value!c:spec}` of an f-string body.
    fn formatted_value(
        &mut self,
        out: &mut Out,
        value: &Expr<'_>,
        conversion: i32,
        format_spec: Option<&Expr<'_>>,
    ) -> Res {
        // Above PR_TEST so that a lambda (whose `:` would start the format spec) gets
        // parentheses, as do a tuple and an assignment expression.
        let mut text = Vec::with_capacity(32);
        self.expr(&mut text, value, PR_TEST + 1)?;
        // `{{` would be an escaped brace: separate a value that starts with one.
        push(out, if text.first() == Some(&b'{') { "{ " } else { "{" });
        out.extend_from_slice(&text);
        if conversion > 0 {
            let c = match u8::try_from(conversion) {
                Ok(b'a') => "!a",
                Ok(b'r') => "!r",
                Ok(b's') => "!s",
                _ => return Err("unknown f-value conversion kind".to_string()),
            };
            push(out, c);
        }
        if let Some(spec) = format_spec {
            push(out, ":");
            self.fstring_element(out, spec, true)?;
        }
        push(out, "}");
        Ok(())
    }
}

fn binop(op: Operator) -> (&'static str, u8) {
    match op {
        Operator::Add => (" + ", PR_ARITH),
        Operator::Sub => (" - ", PR_ARITH),
        Operator::Mult => (" * ", PR_TERM),
        Operator::MatMult => (" @ ", PR_TERM),
        Operator::Div => (" / ", PR_TERM),
        Operator::Mod => (" % ", PR_TERM),
        Operator::LShift => (" << ", PR_SHIFT),
        Operator::RShift => (" >> ", PR_SHIFT),
        Operator::BitOr => (" | ", PR_BOR),
        Operator::BitXor => (" ^ ", PR_BXOR),
        Operator::BitAnd => (" & ", PR_BAND),
        Operator::FloorDiv => (" // ", PR_TERM),
        Operator::Pow => (" ** ", PR_POWER),
    }
}

fn cmpop(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Eq => " == ",
        CmpOp::NotEq => " != ",
        CmpOp::Lt => " < ",
        CmpOp::LtE => " <= ",
        CmpOp::Gt => " > ",
        CmpOp::GtE => " >= ",
        CmpOp::Is => " is ",
        CmpOp::IsNot => " is not ",
        CmpOp::In => " in ",
        CmpOp::NotIn => " not in ",
    }
}
