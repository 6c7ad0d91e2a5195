//! `ast.dump(node, include_attributes=..., indent=...)`, byte for byte as CPython 3.12.1's
//! `Lib/ast.py` writes it (with `annotate_fields=True`, its default).
//!
//! `ast.dump` formats a node recursively (`_format`): a node prints as `Class(name=value, ...)`
//! with its fields in ASDL order, leaving out optional fields whose value is None, then, if
//! `include_attributes`, its attributes (`lineno`, `col_offset`, `end_lineno`,
//! `end_col_offset`). Lists print as `[...]`, everything else with `repr()`. With an indent,
//! a node's arguments and a list's items go on lines of their own, one indent deeper, except
//! that a node whose arguments are all *simple* (scalars, empty lists, nodes printed without
//! arguments) and at most three stays on one line.
//!
//! The [`Dump`] implementations of the node types are generated from the ASDL by `build.rs`;
//! the ones here cover sequences, options and scalars. Everything is written into one `String`.

use crate::*;

/// A value as `ast.dump`'s `_format` prints it.
pub trait Dump {
    /// `_format`'s second result: a scalar, an empty list, or a node printed without arguments.
    fn is_simple(&self, d: &Dumper) -> bool;

    /// Append the value's text. `level` is the nesting level `_format` is called with: a node's
    /// arguments (a list's items) go one level deeper.
    fn dump(&self, d: &mut Dumper, level: usize);
}

/// The output buffer and the options of one `ast.dump` call.
pub struct Dumper {
    pub(crate) out: String,
    pub(crate) include_attributes: bool,
    indent: Option<usize>,
}

/// The state of one node's argument list while it is written.
pub(crate) struct Args {
    /// All on one line, separated by `, ` (no indent, or few simple arguments).
    compact: bool,
    first: bool,
    /// The level of the arguments' lines and of their values.
    pub(crate) level: usize,
}

const SPACES: &str = "                                                                ";

impl Dumper {
    /// A dumper for `ast.dump(..., include_attributes=include_attributes, indent=indent)`
    /// (`indent=None` is the one-line form; `Some(0)` puts arguments on lines of their own
    /// without indenting them).
    pub fn new(include_attributes: bool, indent: Option<usize>) -> Self {
        Self::with_buffer(String::new(), include_attributes, indent)
    }

    /// Like [`Dumper::new`], appending to `out` (to reuse its allocation).
    pub fn with_buffer(out: String, include_attributes: bool, indent: Option<usize>) -> Self {
        Dumper {
            out,
            include_attributes,
            indent,
        }
    }

    /// Append `ast.dump(node, ...)`.
    pub fn dump<T: Dump + ?Sized>(&mut self, node: &T) {
        node.dump(self, 0);
    }

    /// The text written so far.
    pub fn as_str(&self) -> &str {
        &self.out
    }

    /// The text written.
    pub fn into_string(self) -> String {
        self.out
    }

    fn newline(&mut self, level: usize) {
        self.out.push('\n');
        if let Some(indent) = self.indent {
            let mut n = indent * level;
            while n > 0 {
                let k = n.min(SPACES.len());
                self.out.push_str(&SPACES[..k]);
                n -= k;
            }
        }
    }

    /// How many attributes a node with a location prints.
    #[inline]
    pub(crate) fn attribute_count(&self) -> usize {
        if self.include_attributes {
            LOC_ATTRIBUTE_COUNT
        } else {
            0
        }
    }

    /// Is this the one-line form (no indent)?
    #[inline]
    pub(crate) fn one_line(&self) -> bool {
        self.indent.is_none()
    }

    /// Start a node: `Class(`. `compact`: its arguments go on one line (always without an
    /// indent; with one, when they are at most three and all simple).
    #[inline]
    pub(crate) fn open(&mut self, class: &str, compact: bool, level: usize) -> Args {
        self.out.push_str(class);
        self.out.push('(');
        Args {
            compact,
            first: true,
            level: level + 1,
        }
    }

    /// Start an argument: the separator, then `name=`.
    #[inline]
    pub(crate) fn arg(&mut self, args: &mut Args, name: &str) {
        if args.compact {
            if !args.first {
                self.out.push_str(", ");
            }
        } else {
            if !args.first {
                self.out.push(',');
            }
            self.newline(args.level);
        }
        args.first = false;
        self.out.push_str(name);
        self.out.push('=');
    }

    /// The attributes of a node, if they are asked for.
    pub(crate) fn attributes(&mut self, args: &mut Args, loc: &Loc) {
        if !self.include_attributes {
            return;
        }
        for (name, value) in [
            ("lineno", loc.lineno),
            ("col_offset", loc.col_offset),
            ("end_lineno", loc.end_lineno),
            ("end_col_offset", loc.end_col_offset),
        ] {
            self.arg(args, name);
            self.out.push_str(itoa::Buffer::new().format(value));
        }
    }

    /// End a node.
    #[inline]
    pub(crate) fn close(&mut self) {
        self.out.push(')');
    }
}

/// The number of attributes in a [`Loc`].
const LOC_ATTRIBUTE_COUNT: usize = 4;

impl<T: Dump + ?Sized> Dump for &T {
    #[inline]
    fn is_simple(&self, d: &Dumper) -> bool {
        (**self).is_simple(d)
    }

    #[inline]
    fn dump(&self, d: &mut Dumper, level: usize) {
        (**self).dump(d, level)
    }
}

/// A list: `[]`, or its items separated by `, ` (on lines of their own with an indent).
impl<T: Dump> Dump for [T] {
    fn is_simple(&self, _: &Dumper) -> bool {
        self.is_empty()
    }

    fn dump(&self, d: &mut Dumper, level: usize) {
        if self.is_empty() {
            d.out.push_str("[]");
            return;
        }
        let level = level + 1;
        d.out.push('[');
        for (i, item) in self.iter().enumerate() {
            if d.indent.is_some() {
                if i > 0 {
                    d.out.push(',');
                }
                d.newline(level);
            } else if i > 0 {
                d.out.push_str(", ");
            }
            item.dump(d, level);
        }
        d.out.push(']');
    }
}

/// An item of a list that may hold None (`Dict.keys`, `arguments.kw_defaults`).
impl<T: Dump> Dump for Option<T> {
    fn is_simple(&self, d: &Dumper) -> bool {
        match self {
            Some(v) => v.is_simple(d),
            None => true,
        }
    }

    fn dump(&self, d: &mut Dumper, level: usize) {
        match self {
            Some(v) => v.dump(d, level),
            None => d.out.push_str("None"),
        }
    }
}

/// `int` fields.
impl Dump for i32 {
    fn is_simple(&self, _: &Dumper) -> bool {
        true
    }

    fn dump(&self, d: &mut Dumper, _: usize) {
        d.out.push_str(itoa::Buffer::new().format(*self));
    }
}

/// `identifier` and `string` fields, as `repr()` writes them.
impl Dump for str {
    fn is_simple(&self, _: &Dumper) -> bool {
        true
    }

    fn dump(&self, d: &mut Dumper, _: usize) {
        pyrite_unicode::write_repr(self, &mut d.out);
    }
}

/// `constant` fields, as `repr()` writes them.
impl Dump for Constant<'_> {
    fn is_simple(&self, _: &Dumper) -> bool {
        true
    }

    fn dump(&self, d: &mut Dumper, _: usize) {
        self.write_repr(&mut d.out);
    }
}

mod generated {
    use super::*;
    include!(concat!(env!("OUT_DIR"), "/dump.rs"));
}

/// `ast.dump(node, include_attributes=include_attributes, indent=indent)` of any node (or list
/// of nodes, which `ast.dump` would refuse).
pub fn dump<T: Dump + ?Sized>(node: &T, include_attributes: bool, indent: Option<usize>) -> String {
    let mut d = Dumper::new(include_attributes, indent);
    d.dump(node);
    d.into_string()
}

/// `ast.dump(m, include_attributes=include_attributes, indent=indent)` of a module (the result
/// of `ast.parse`).
pub fn dump_mod(m: &Mod<'_>, include_attributes: bool, indent: Option<usize>) -> String {
    let mut d = Dumper::with_buffer(String::with_capacity(4096), include_attributes, indent);
    d.dump(m);
    d.into_string()
}

/// `ast.dump` of a statement.
pub fn dump_stmt(s: &Stmt<'_>, include_attributes: bool, indent: Option<usize>) -> String {
    dump(s, include_attributes, indent)
}

/// `ast.dump` of an expression.
pub fn dump_expr(e: &Expr<'_>, include_attributes: bool, indent: Option<usize>) -> String {
    dump(e, include_attributes, indent)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc(lineno: u32, col_offset: u32, end_lineno: u32, end_col_offset: u32) -> Loc {
        Loc {
            lineno,
            col_offset,
            end_lineno,
            end_col_offset,
        }
    }

    // Expected texts are CPython 3.12.1's, for `ast.parse("x = f(a, *b, k=1)\nclass C: pass")`.
    #[test]
    fn a_small_module() {
        let x = Expr {
            kind: ExprKind::Name {
                id: "x",
                ctx: ExprContext::Store,
            },
            loc: loc(1, 0, 1, 1),
        };
        let f = Expr {
            kind: ExprKind::Name {
                id: "f",
                ctx: ExprContext::Load,
            },
            loc: loc(1, 4, 1, 5),
        };
        let a = Expr {
            kind: ExprKind::Name {
                id: "a",
                ctx: ExprContext::Load,
            },
            loc: loc(1, 6, 1, 7),
        };
        let b = Expr {
            kind: ExprKind::Name {
                id: "b",
                ctx: ExprContext::Load,
            },
            loc: loc(1, 10, 1, 11),
        };
        let star = Expr {
            kind: ExprKind::Starred {
                value: &b,
                ctx: ExprContext::Load,
            },
            loc: loc(1, 9, 1, 11),
        };
        let one = Expr {
            kind: ExprKind::Constant {
                value: Constant::Int(Int::Small(1)),
                kind: None,
            },
            loc: loc(1, 15, 1, 16),
        };
        let k = Keyword {
            arg: Some("k"),
            value: &one,
            loc: loc(1, 13, 1, 16),
        };
        let call = Expr {
            kind: ExprKind::Call {
                func: &f,
                args: &[&a, &star],
                keywords: &[&k],
            },
            loc: loc(1, 4, 1, 17),
        };
        let assign = Stmt {
            kind: StmtKind::Assign {
                targets: &[&x],
                value: &call,
                type_comment: None,
            },
            loc: loc(1, 0, 1, 17),
        };
        let pass = Stmt {
            kind: StmtKind::Pass,
            loc: loc(2, 9, 2, 13),
        };
        let class = Stmt {
            kind: StmtKind::ClassDef {
                name: "C",
                bases: &[],
                keywords: &[],
                body: &[&pass],
                decorator_list: &[],
                type_params: &[],
            },
            loc: loc(2, 0, 2, 13),
        };
        let m = Mod::Module {
            body: &[&assign, &class],
            type_ignores: &[],
        };
        assert_eq!(
            dump_mod(&m, false, None),
            "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Call(func=Name(id='f', ctx=Load()), \
             args=[Name(id='a', ctx=Load()), Starred(value=Name(id='b', ctx=Load()), ctx=Load())], \
             keywords=[keyword(arg='k', value=Constant(value=1))])), ClassDef(name='C', bases=[], keywords=[], \
             body=[Pass()], decorator_list=[], type_params=[])], type_ignores=[])"
        );
        assert_eq!(
            dump_mod(&m, false, Some(2)),
            "Module(
  body=[
    Assign(
      targets=[
        Name(id='x', ctx=Store())],
      value=Call(
        func=Name(id='f', ctx=Load()),
        args=[
          Name(id='a', ctx=Load()),
          Starred(
            value=Name(id='b', ctx=Load()),
            ctx=Load())],
        keywords=[
          keyword(
            arg='k',
            value=Constant(value=1))])),
    ClassDef(
      name='C',
      bases=[],
      keywords=[],
      body=[
        Pass()],
      decorator_list=[],
      type_params=[])],
  type_ignores=[])"
        );
        assert_eq!(
            dump_stmt(&pass, true, None),
            "Pass(lineno=2, col_offset=9, end_lineno=2, end_col_offset=13)"
        );
        assert_eq!(
            dump_expr(&one, true, Some(1)),
            "Constant(\n value=1,\n lineno=1,\n col_offset=15,\n end_lineno=1,\n end_col_offset=16)"
        );
    }
}
