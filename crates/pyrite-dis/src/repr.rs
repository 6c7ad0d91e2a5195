//! Python's `repr()` of the constants of a code object, as `dis` shows them.

use crate::hash::try_set_order;
use pyrite_code::{CodeObject, Constant, PyStr};
use std::borrow::Cow;

/// A str as text: lone surrogates, which a Rust string cannot hold, become U+FFFD.
pub fn lossy(s: &PyStr) -> Cow<'_, str> {
    match s.as_str() {
        Some(s) => Cow::Borrowed(s),
        None => Cow::Owned(
            s.as_wtf8()
                .code_points()
                .map(|cp| char::from_u32(cp).unwrap_or('\u{FFFD}'))
                .collect(),
        ),
    }
}

/// `repr(code)` (`code_repr`), the address written as `0x0`.
pub fn write_code_repr(code: &CodeObject, out: &mut String) {
    let line = if code.firstlineno != 0 { code.firstlineno } else { -1 };
    out.push_str("<code object ");
    out.push_str(&lossy(&code.name));
    out.push_str(" at 0x0, file \"");
    out.push_str(&lossy(&code.filename));
    out.push_str("\", line ");
    out.push_str(&line.to_string());
    out.push('>');
}

/// The items of a frozenset constant in the order CPython iterates it, given them in the order
/// CPython's compiler met them (a set display's items, in source order, as pyrite's compiler
/// keeps them).
///
/// CPython builds such a frozenset more than once, each time by adding the items in the
/// iteration order of the previous one, which is where colliding hashes can land differently:
/// the AST optimizer builds it from the items; merging the constants
/// (`merge_consts_recursive`) rebuilds it; and creating the code object (`intern_constants`)
/// rebuilds it once more if interning replaced one of its strings, which happens when a string
/// of name characters (not a one-character one, those are singletons) was already interned
/// elsewhere: the identifiers of the module, the interpreter's own names. That is assumed of
/// every such string, which the standard library bears out for all but one frozenset out of
/// 234. For items given in another order (marshal data sorts them) the result can differ where
/// hashes collide; for items whose hash depends on an address (Ellipsis, NaN), the given order
/// is kept.
pub fn frozenset_display_order(items: &[Constant]) -> Vec<&Constant> {
    let interned = items
        .iter()
        .any(|c| matches!(c, Constant::Str(s) if s.is_name_chars() && s.char_len() > 1));
    let builds = if interned { 3 } else { 2 };
    let mut order: Vec<usize> = (0..items.len()).collect();
    for _ in 0..builds {
        let current: Vec<Constant> = order.iter().map(|&i| items[i].clone()).collect();
        match try_set_order(&current) {
            Some(next) => order = next.iter().map(|&i| order[i]).collect(),
            None => break,
        }
    }
    order.into_iter().map(|i| &items[i]).collect()
}

/// Append `repr(c)`.
pub fn write_constant_repr(c: &Constant, out: &mut String) {
    match c {
        Constant::None => out.push_str("None"),
        Constant::True => out.push_str("True"),
        Constant::False => out.push_str("False"),
        Constant::Ellipsis => out.push_str("Ellipsis"),
        Constant::Int(n) => out.push_str(&n.to_string()),
        Constant::Float(f) => pyrite_ast::constant::write_float_repr(*f, out),
        Constant::Complex { real, imag } => pyrite_ast::constant::write_complex_repr(*real, *imag, out),
        Constant::Str(s) => pyrite_unicode::wtf8::write_repr_code_points(s.as_wtf8().code_points(), out),
        Constant::Bytes(b) => pyrite_ast::constant::write_bytes_repr(b, out),
        Constant::Tuple(items) => {
            out.push('(');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_constant_repr(item, out);
            }
            if items.len() == 1 {
                out.push(',');
            }
            out.push(')');
        }
        Constant::FrozenSet(items) if items.is_empty() => out.push_str("frozenset()"),
        Constant::FrozenSet(items) => {
            out.push_str("frozenset({");
            for (i, item) in frozenset_display_order(items).into_iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_constant_repr(item, out);
            }
            out.push_str("})");
        }
        Constant::Code(code) => write_code_repr(code, out),
    }
}
