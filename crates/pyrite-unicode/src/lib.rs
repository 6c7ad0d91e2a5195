//! Unicode character properties exactly as CPython 3.12.1 sees them (Unicode 15.0.0), and
//! Python's `repr()` of a string.
//!
//! The tables in [`tables`] are generated from the oracle's own `unicodedata` by
//! `tools/gen/unicode_tables.py`; a test fails if they are stale.

#[rustfmt::skip]
pub mod tables;
pub mod names;
pub mod wtf8;

pub use wtf8::Wtf8;

use tables::{DECIMAL_RUN_STARTS, IDENTIFIER_CONTINUE, IDENTIFIER_START, NOT_PRINTABLE, WHITESPACE};

#[inline]
fn in_ranges(table: &[(u32, u32)], c: u32) -> bool {
    table
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// `str.isprintable()` for one character (CPython's `Py_UNICODE_ISPRINTABLE`).
#[inline]
pub fn is_printable(c: char) -> bool {
    let c = c as u32;
    if c < 0x80 {
        return (0x20..0x7f).contains(&c);
    }
    !in_ranges(NOT_PRINTABLE, c)
}

/// May `c` start an identifier (XID_Start, or '_')?
#[inline]
pub fn is_identifier_start(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic() || c == '_';
    }
    in_ranges(IDENTIFIER_START, c as u32)
}

/// May `c` continue an identifier (XID_Continue)?
#[inline]
pub fn is_identifier_continue(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    in_ranges(IDENTIFIER_CONTINUE, c as u32)
}

/// The index (in characters) of the first character that keeps `s` from being an identifier,
/// or its length in characters if it is one (CPython's `_PyUnicode_ScanIdentifier`).
pub fn scan_identifier(s: &str) -> usize {
    for (i, c) in s.chars().enumerate() {
        let ok = if i == 0 {
            is_identifier_start(c)
        } else {
            is_identifier_continue(c)
        };
        if !ok {
            return i;
        }
    }
    s.chars().count()
}

/// `str.isidentifier()`.
pub fn is_identifier(s: &str) -> bool {
    !s.is_empty() && scan_identifier(s) == s.chars().count()
}

/// `str.isspace()` for one character.
#[inline]
pub fn is_space(c: char) -> bool {
    if c.is_ascii() {
        return matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c' | '\x1c'..='\x1f');
    }
    in_ranges(WHITESPACE, c as u32)
}

/// `unicodedata.decimal(c)`: the value of a decimal digit character.
#[inline]
pub fn decimal_value(c: char) -> Option<u32> {
    let c = c as u32;
    if (0x30..=0x39).contains(&c) {
        return Some(c - 0x30);
    }
    let i = DECIMAL_RUN_STARTS.partition_point(|&s| s <= c);
    if i == 0 {
        return None;
    }
    let start = DECIMAL_RUN_STARTS[i - 1];
    (c - start < 10).then_some(c - start)
}

/// Append Python's `repr()` of `s` to `out`.
pub fn write_repr(s: &str, out: &mut String) {
    use std::fmt::Write as _;
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    out.reserve(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if c.is_ascii() || is_printable(c) => out.push(c),
            c => {
                let cp = c as u32;
                let _ = if cp < 0x100 {
                    write!(out, "\\x{cp:02x}")
                } else if cp < 0x10000 {
                    write!(out, "\\u{cp:04x}")
                } else {
                    write!(out, "\\U{cp:08x}")
                };
            }
        }
    }
    out.push(quote);
}

/// Python's `repr()` of `s`.
pub fn repr(s: &str) -> String {
    let mut out = String::new();
    write_repr(s, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_fast_paths_agree_with_the_tables() {
        for b in 0u8..0x80 {
            let c = b as char;
            assert_eq!(is_printable(c), !in_ranges(NOT_PRINTABLE, b as u32), "{b:#x}");
            assert_eq!(is_identifier_start(c), in_ranges(IDENTIFIER_START, b as u32), "{b:#x}");
            assert_eq!(
                is_identifier_continue(c),
                in_ranges(IDENTIFIER_CONTINUE, b as u32),
                "{b:#x}"
            );
            assert_eq!(is_space(c), in_ranges(WHITESPACE, b as u32), "{b:#x}");
        }
    }

    #[test]
    fn decimal_digits() {
        assert_eq!(decimal_value('7'), Some(7));
        assert_eq!(decimal_value('\u{0663}'), Some(3)); // ARABIC-INDIC DIGIT THREE
        assert_eq!(decimal_value('a'), None);
        assert_eq!(decimal_value('\u{00B2}'), None); // superscript two is a digit, not a decimal
    }

    #[test]
    fn identifiers() {
        assert_eq!(scan_identifier("abc"), 3);
        assert_eq!(scan_identifier("1abc"), 0);
        assert_eq!(scan_identifier("a€b"), 1);
        assert!(is_identifier("名前"));
        assert!(!is_identifier(""));
    }
}
