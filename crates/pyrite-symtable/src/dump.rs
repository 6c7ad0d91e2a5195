//! A text dump of a symbol table, the format `tools/oracle/symtable_dump.py` prints for
//! CPython's `_symtable.symtable()`.

use crate::{ScopeId, SymbolTable, DEF_ANNOT, DEF_COMP_ITER, DEF_IMPORT, DEF_TYPE_PARAM};
use std::fmt::Write;

/// The flags that record a definition or use (the others are only added by the analysis).
const DEF_USE_MASK: u32 = crate::DEF_GLOBAL
    | crate::DEF_LOCAL
    | crate::DEF_PARAM
    | crate::DEF_NONLOCAL
    | crate::USE
    | DEF_IMPORT
    | DEF_ANNOT
    | DEF_COMP_ITER
    | DEF_TYPE_PARAM;

/// The tree of blocks reachable from the module's through `children`, one block as
///
/// ```text
/// TYPE NAME line LINENO nested NESTED
///   varnames NAME NAME ...
///   sym NAME FLAGS
///   ...
///   CHILD...
/// ```
///
/// with TYPE and FLAGS CPython's ints, children indented by two more spaces. Symbols are in
/// the block's order, except those without a definition or use flag, which follow sorted by
/// name (see `tools/oracle/symtable_dump.py`).
pub fn dump(table: &SymbolTable<'_>) -> String {
    let mut out = String::new();
    dump_scope(table, table.top(), &mut String::new(), &mut out);
    out
}

fn dump_scope(table: &SymbolTable<'_>, id: ScopeId, indent: &mut String, out: &mut String) {
    let s = table.scope(id);
    let _ = writeln!(
        out,
        "{indent}{} {} line {} nested {}",
        s.kind as u8, s.name, s.lineno, s.nested as u8
    );
    let _ = write!(out, "{indent}  varnames");
    for v in &s.varnames {
        out.push(' ');
        out.push_str(v);
    }
    out.push('\n');
    for (name, flags) in s.symbols.iter().filter(|(_, &f)| f & DEF_USE_MASK != 0) {
        let _ = writeln!(out, "{indent}  sym {name} {flags}");
    }
    let mut rest: Vec<(&str, u32)> = s
        .symbols
        .iter()
        .filter(|(_, &f)| f & DEF_USE_MASK == 0)
        .map(|(&k, &v)| (k, v))
        .collect();
    rest.sort_unstable();
    for (name, flags) in rest {
        let _ = writeln!(out, "{indent}  sym {name} {flags}");
    }
    indent.push_str("  ");
    for &c in &s.children {
        dump_scope(table, c, indent, out);
    }
    indent.truncate(indent.len() - 2);
}
