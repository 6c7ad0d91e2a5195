//! `ast.dump(node, include_attributes=..., indent=...)`, byte for byte as CPython 3.12 writes it.
//! The per-node field lists are generated from the ASDL description (`build.rs`).

use crate::*;

/// What `ast.dump` needs to know of a node: its class name, its fields in order (name, value,
/// optional?), and its location if the node type has attributes.
pub struct Parts<'n> {
    pub name: &'static str,
    pub fields: Vec<(&'static str, &'n dyn Value, bool)>,
    pub loc: Option<&'n Loc>,
}

pub trait Node {
    fn parts(&self) -> Parts<'_>;
}

/// A field value as `ast.dump`'s `_format` sees it.
pub trait Value {
    /// `_format`'s "simple" flag: scalars, empty lists and nodes without arguments.
    fn is_simple(&self, include_attributes: bool) -> bool;
    fn write(&self, w: &mut Dumper, level: usize);
    /// Python's None (omitted when the field is optional).
    fn is_none(&self) -> bool {
        false
    }
}

pub struct Dumper {
    pub out: String,
    pub include_attributes: bool,
    pub indent: Option<String>,
}

impl Dumper {
    pub fn new(include_attributes: bool, indent: Option<usize>) -> Self {
        Dumper {
            out: String::new(),
            include_attributes,
            indent: indent.map(|n| " ".repeat(n)),
        }
    }

    fn newline(&mut self, level: usize) {
        self.out.push('\n');
        if let Some(ind) = &self.indent {
            for _ in 0..level {
                self.out.push_str(ind);
            }
        }
    }

    fn write_node(&mut self, p: &Parts<'_>, level: usize) {
        let lvl = level + 1;
        let inc = self.include_attributes && p.loc.is_some();
        let mut nargs = if inc { 4 } else { 0 };
        let mut allsimple = true;
        for (_, v, opt) in &p.fields {
            if *opt && v.is_none() {
                continue;
            }
            nargs += 1;
            allsimple &= v.is_simple(self.include_attributes);
        }
        let compact = self.indent.is_none() || (allsimple && nargs <= 3);
        self.out.push_str(p.name);
        self.out.push('(');
        let mut first = true;
        let sep = |w: &mut Dumper, first: &mut bool| {
            if compact {
                if !*first {
                    w.out.push_str(", ");
                }
            } else {
                if !*first {
                    w.out.push(',');
                }
                w.newline(lvl);
            }
            *first = false;
        };
        for (name, v, opt) in &p.fields {
            if *opt && v.is_none() {
                continue;
            }
            sep(self, &mut first);
            self.out.push_str(name);
            self.out.push('=');
            v.write(self, lvl);
        }
        if inc {
            let l = p.loc.unwrap();
            for (name, v) in [
                ("lineno", l.lineno),
                ("col_offset", l.col_offset),
                ("end_lineno", l.end_lineno),
                ("end_col_offset", l.end_col_offset),
            ] {
                sep(self, &mut first);
                self.out.push_str(name);
                self.out.push('=');
                self.out.push_str(itoa::Buffer::new().format(v));
            }
        }
        self.out.push(')');
    }

    fn node_nargs(&self, p: &Parts<'_>) -> usize {
        let inc = self.include_attributes && p.loc.is_some();
        let n = p.fields.iter().filter(|(_, v, opt)| !(*opt && v.is_none())).count();
        n + if inc { 4 } else { 0 }
    }
}

impl<T: Node> Value for &T {
    fn is_simple(&self, include_attributes: bool) -> bool {
        let p = self.parts();
        let d = Dumper {
            out: String::new(),
            include_attributes,
            indent: None,
        };
        d.node_nargs(&p) == 0
    }
    fn write(&self, w: &mut Dumper, level: usize) {
        let p = self.parts();
        w.write_node(&p, level);
    }
}

impl<V: Value> Value for Option<V> {
    fn is_simple(&self, ia: bool) -> bool {
        match self {
            Some(v) => v.is_simple(ia),
            None => true,
        }
    }
    fn write(&self, w: &mut Dumper, level: usize) {
        match self {
            Some(v) => v.write(w, level),
            None => w.out.push_str("None"),
        }
    }
    fn is_none(&self) -> bool {
        self.is_none()
    }
}

impl<V: Value> Value for &[V] {
    fn is_simple(&self, _: bool) -> bool {
        self.is_empty()
    }
    fn write(&self, w: &mut Dumper, level: usize) {
        if self.is_empty() {
            w.out.push_str("[]");
            return;
        }
        let lvl = level + 1;
        w.out.push('[');
        let indented = w.indent.is_some();
        for (i, v) in self.iter().enumerate() {
            if indented {
                if i > 0 {
                    w.out.push(',');
                }
                w.newline(lvl);
            } else if i > 0 {
                w.out.push_str(", ");
            }
            v.write(w, lvl);
        }
        w.out.push(']');
    }
}

impl Value for i32 {
    fn is_simple(&self, _: bool) -> bool {
        true
    }
    fn write(&self, w: &mut Dumper, _: usize) {
        w.out.push_str(itoa::Buffer::new().format(*self));
    }
}

impl Value for &str {
    fn is_simple(&self, _: bool) -> bool {
        true
    }
    fn write(&self, w: &mut Dumper, _: usize) {
        pyrite_unicode::write_repr(self, &mut w.out);
    }
}

impl Value for Constant<'_> {
    fn is_simple(&self, _: bool) -> bool {
        true
    }
    fn write(&self, w: &mut Dumper, _: usize) {
        self.write_repr(&mut w.out);
    }
}

mod generated_dump {
    #![allow(clippy::all)]
    use super::*;
    include!(concat!(env!("OUT_DIR"), "/dump.rs"));
}

/// `ast.dump(m, include_attributes=..., indent=...)`.
pub fn dump_mod(m: &Mod<'_>, include_attributes: bool, indent: Option<usize>) -> String {
    let mut w = Dumper::new(include_attributes, indent);
    w.out.reserve(4096);
    (&m).write(&mut w, 0);
    w.out
}
