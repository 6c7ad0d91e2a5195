//! Python strings as bytes: a `str` may hold any code point, lone surrogates (U+D800..U+DFFF)
//! included, which Rust's `str` cannot. [`Wtf8`] stores a Python string in *generalized UTF-8*:
//! every code point is encoded as UTF-8 encodes it, surrogates included (three bytes, `ED A0..BF
//! xx`), and a high surrogate followed by a low one stays two code points, as in Python. A string
//! without surrogates is plain UTF-8, so `as_str` is free for it.

use std::fmt;

/// A borrowed Python string in generalized UTF-8.
#[derive(PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(transparent)]
pub struct Wtf8([u8]);

impl Wtf8 {
    /// View a Rust string as a Python string.
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(s: &str) -> &Wtf8 {
        // SAFETY: Wtf8 is a transparent wrapper of [u8], and UTF-8 is generalized UTF-8.
        unsafe { &*(s.as_bytes() as *const [u8] as *const Wtf8) }
    }

    /// View bytes as a Python string. The bytes must be generalized UTF-8 (for example built by
    /// [`push_code_point`]); this is checked in debug builds.
    pub fn from_bytes_unchecked(b: &[u8]) -> &Wtf8 {
        debug_assert!(is_generalized_utf8(b), "not generalized UTF-8: {b:?}");
        // SAFETY: transparent wrapper.
        unsafe { &*(b as *const [u8] as *const Wtf8) }
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The string as a Rust `str`, if it holds no surrogate.
    pub fn as_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.0).ok()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The number of code points (Python's `len()`).
    pub fn char_len(&self) -> usize {
        self.0.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
    }

    /// The code points, in order.
    pub fn code_points(&self) -> CodePoints<'_> {
        CodePoints { bytes: &self.0, pos: 0 }
    }
}

impl fmt::Debug for Wtf8 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&repr_code_points(self.code_points()))
    }
}

/// Iterator over the code points of a [`Wtf8`] string.
#[derive(Clone)]
pub struct CodePoints<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Iterator for CodePoints<'_> {
    type Item = u32;

    #[inline]
    fn next(&mut self) -> Option<u32> {
        let b = self.bytes;
        let i = self.pos;
        let b0 = *b.get(i)? as u32;
        let (cp, n) = if b0 < 0x80 {
            (b0, 1)
        } else if b0 < 0xE0 {
            (((b0 & 0x1F) << 6) | (b[i + 1] as u32 & 0x3F), 2)
        } else if b0 < 0xF0 {
            (
                ((b0 & 0x0F) << 12) | ((b[i + 1] as u32 & 0x3F) << 6) | (b[i + 2] as u32 & 0x3F),
                3,
            )
        } else {
            (
                ((b0 & 0x07) << 18)
                    | ((b[i + 1] as u32 & 0x3F) << 12)
                    | ((b[i + 2] as u32 & 0x3F) << 6)
                    | (b[i + 3] as u32 & 0x3F),
                4,
            )
        };
        self.pos = i + n;
        Some(cp)
    }
}

/// Append the generalized UTF-8 encoding of code point `cp` (at most U+10FFFF) to `buf`.
#[inline]
pub fn push_code_point(buf: &mut Vec<u8>, cp: u32) {
    debug_assert!(cp <= 0x10FFFF);
    if cp < 0x80 {
        buf.push(cp as u8);
    } else if cp < 0x800 {
        buf.extend_from_slice(&[0xC0 | (cp >> 6) as u8, 0x80 | (cp & 0x3F) as u8]);
    } else if cp < 0x10000 {
        buf.extend_from_slice(&[
            0xE0 | (cp >> 12) as u8,
            0x80 | ((cp >> 6) & 0x3F) as u8,
            0x80 | (cp & 0x3F) as u8,
        ]);
    } else {
        buf.extend_from_slice(&[
            0xF0 | (cp >> 18) as u8,
            0x80 | ((cp >> 12) & 0x3F) as u8,
            0x80 | ((cp >> 6) & 0x3F) as u8,
            0x80 | (cp & 0x3F) as u8,
        ]);
    }
}

/// Is `b` generalized UTF-8 (UTF-8 that may also encode surrogates)?
pub fn is_generalized_utf8(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        let b0 = b[i];
        let n = match b0 {
            0x00..=0x7F => 1,
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF4 => 4,
            _ => return false,
        };
        if i + n > b.len() || !b[i + 1..i + n].iter().all(|&c| (c & 0xC0) == 0x80) {
            return false;
        }
        // Reject overlong forms and code points above U+10FFFF.
        if (b0 == 0xE0 && b[i + 1] < 0xA0) || (b0 == 0xF0 && b[i + 1] < 0x90) || (b0 == 0xF4 && b[i + 1] > 0x8F) {
            return false;
        }
        i += n;
    }
    true
}

/// Python's `repr()` of a string given by its code points.
pub fn repr_code_points(cps: impl Iterator<Item = u32> + Clone) -> String {
    let mut out = String::new();
    write_repr_code_points(cps, &mut out);
    out
}

/// Append Python's `repr()` of a string given by its code points to `out` (CPython's
/// `unicode_repr`: the quote is `"` only if the string has a `'` and no `"`).
pub fn write_repr_code_points(cps: impl Iterator<Item = u32> + Clone, out: &mut String) {
    use std::fmt::Write as _;
    let (mut has_single, mut has_double) = (false, false);
    for c in cps.clone() {
        has_single |= c == '\'' as u32;
        has_double |= c == '"' as u32;
    }
    let quote = if has_single && !has_double { '"' } else { '\'' };
    out.push(quote);
    for cp in cps {
        match char::from_u32(cp) {
            Some('\\') => out.push_str("\\\\"),
            Some('\t') => out.push_str("\\t"),
            Some('\n') => out.push_str("\\n"),
            Some('\r') => out.push_str("\\r"),
            Some(c) if c == quote => {
                out.push('\\');
                out.push(c);
            }
            Some(c) if cp < 0x20 || cp == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            Some(c) if c.is_ascii() || crate::is_printable(c) => out.push(c),
            _ => {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surrogates_round_trip() {
        let mut buf = Vec::new();
        for cp in [0x41, 0xD800, 0xDC00, 0x10FFFF, 0xE9] {
            push_code_point(&mut buf, cp);
        }
        let s = Wtf8::from_bytes_unchecked(&buf);
        assert_eq!(
            s.code_points().collect::<Vec<_>>(),
            vec![0x41, 0xD800, 0xDC00, 0x10FFFF, 0xE9]
        );
        assert_eq!(s.char_len(), 5);
        assert!(s.as_str().is_none());
        assert_eq!(format!("{s:?}"), "'A\\ud800\\udc00\\U0010ffffé'");
    }

    #[test]
    fn repr_matches_str_repr() {
        for s in ["", "a'b", "a\"b", "'\"", "\x00\x7f\u{85}\u{a0}é€𝄞\u{e000}"] {
            assert_eq!(
                repr_code_points(Wtf8::from_str(s).code_points()),
                crate::repr(s),
                "{s:?}"
            );
        }
    }
}
