//! Text codecs for decoding Python source files (PEP 263), with Python's codec registry
//! semantics: the same name normalization, aliases and codec names as `codecs.lookup`, and the
//! same replacement characters and error messages as Python's decoders.
//!
//! UTF-8, ASCII, Latin-1 and every single-byte charmap codec of the `encodings` package are
//! implemented, and the CJK codecs that are plain double-byte codecs (big5, cp932, cp949,
//! cp950, gb2312, gbk, johab, shift_jis); their tables and aliases are generated from the
//! oracle by `tools/gen/codec_tables.py`. Codecs Python has but pyrite does not implement (the
//! other CJK codecs, UTF-16/32, the bytes-to-bytes codecs) are reported as such, never
//! mistaken for unknown ones.

#[rustfmt::skip]
pub mod tables;

use std::fmt;

/// How a codec is implemented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Utf8,
    Utf8Sig,
    Ascii,
    Latin1,
    /// Index into [`tables::CHARMAPS`].
    Charmap(usize),
    /// Index into [`tables::DOUBLE_BYTE`]: a CJK codec of one- and two-byte sequences.
    DoubleByte(usize),
    Unsupported,
}

/// A codec found by [`lookup`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Codec {
    name: &'static str,
    kind: Kind,
}

/// Why [`lookup`] found no usable codec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupError {
    /// Python's `codecs.lookup` would raise LookupError.
    Unknown,
    /// Python has this codec (its name is given) but pyrite does not implement it.
    Unsupported(String),
}

/// The error handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Errors {
    Strict,
    Replace,
}

/// Python's `UnicodeDecodeError`, for the strict error handler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// The encoding named in the message (`'charmap'` for the charmap codecs, as in Python).
    pub encoding: &'static str,
    /// The invalid input's byte range.
    pub start: usize,
    pub end: usize,
    pub reason: &'static str,
    /// The first byte of the invalid input.
    pub byte: u8,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.end == self.start + 1 {
            write!(
                f,
                "'{}' codec can't decode byte 0x{:02x} in position {}: {}",
                self.encoding, self.byte, self.start, self.reason
            )
        } else {
            write!(
                f,
                "'{}' codec can't decode bytes in position {}-{}: {}",
                self.encoding,
                self.start,
                self.end - 1,
                self.reason
            )
        }
    }
}

impl std::error::Error for DecodeError {}

/// CPython's `_Py_normalize_encoding`: ASCII letters, digits and dots kept (lowercased), every
/// run of other characters becomes one underscore (none at the start).
fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut punct = false;
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b == b'.' {
            if punct && !out.is_empty() {
                out.push('_');
            }
            punct = false;
            out.push(b.to_ascii_lowercase() as char);
        } else {
            punct = true;
        }
    }
    out
}

fn module(name: &str) -> Option<&'static (&'static str, &'static str, Kind)> {
    tables::MODULES.iter().find(|(m, _, _)| *m == name)
}

fn alias(name: &str) -> Option<&'static str> {
    tables::ALIASES
        .binary_search_by(|(a, _)| (*a).cmp(name))
        .ok()
        .map(|i| tables::ALIASES[i].1)
}

/// `codecs.lookup(name)`, as far as decoding source files goes.
pub fn lookup(name: &str) -> Result<Codec, LookupError> {
    let norm = normalize(name);
    // The `encodings` search function: aliases first, then the module of that name.
    let aliased = alias(&norm).or_else(|| alias(&norm.replace('.', "_")));
    let candidates = aliased.into_iter().chain(std::iter::once(norm.as_str()));
    for modname in candidates {
        if modname.is_empty() || modname.contains('.') {
            continue;
        }
        if let Some(&(_, codec_name, kind)) = module(modname) {
            if kind == Kind::Unsupported {
                return Err(LookupError::Unsupported(codec_name.to_string()));
            }
            return Ok(Codec { name: codec_name, kind });
        }
    }
    Err(LookupError::Unknown)
}

impl Codec {
    /// `codecs.lookup(...).name`.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Decode `bytes`, appending to `out`. With [`Errors::Replace`] this never fails.
    pub fn decode(&self, bytes: &[u8], errors: Errors, out: &mut String) -> Result<(), DecodeError> {
        match self.kind {
            Kind::Utf8 => decode_utf8(bytes, errors, out),
            Kind::Utf8Sig => {
                let skip = if bytes.starts_with(b"\xef\xbb\xbf") { 3 } else { 0 };
                decode_utf8(&bytes[skip..], errors, out).map_err(|e| DecodeError {
                    start: e.start + skip,
                    end: e.end + skip,
                    ..e
                })
            }
            Kind::Ascii => decode_table(bytes, errors, out, "ascii", "ordinal not in range(128)", |b| {
                (b < 0x80).then_some(b as char)
            }),
            Kind::Latin1 => {
                out.extend(bytes.iter().map(|&b| b as char));
                Ok(())
            }
            Kind::Charmap(i) => {
                let table = &tables::CHARMAPS[i];
                decode_table(bytes, errors, out, "charmap", "character maps to <undefined>", |b| {
                    let v = table[b as usize];
                    if v == 0xFFFE {
                        None
                    } else {
                        char::from_u32(v as u32)
                    }
                })
            }
            Kind::DoubleByte(i) => decode_double_byte(tables::DOUBLE_BYTE[i], self.name, bytes, errors, out),
            Kind::Unsupported => unreachable!("lookup never returns an unsupported codec"),
        }
    }
}

fn decode_table(
    bytes: &[u8],
    errors: Errors,
    out: &mut String,
    encoding: &'static str,
    reason: &'static str,
    map: impl Fn(u8) -> Option<char>,
) -> Result<(), DecodeError> {
    out.reserve(bytes.len());
    for (i, &b) in bytes.iter().enumerate() {
        match map(b) {
            Some(c) => out.push(c),
            None if errors == Errors::Replace => out.push('\u{FFFD}'),
            None => {
                return Err(DecodeError {
                    encoding,
                    start: i,
                    end: i + 1,
                    reason,
                    byte: b,
                })
            }
        }
    }
    Ok(())
}

/// A double-byte codec with the error semantics of CPython's multibyte codecs: an invalid byte,
/// or a lead byte whose pair is invalid, is one "illegal multibyte sequence" error of one byte
/// (decoding resumes after it); a lead byte at the end is an "incomplete multibyte sequence".
fn decode_double_byte(
    table: &[u8],
    encoding: &'static str,
    bytes: &[u8],
    errors: Errors,
    out: &mut String,
) -> Result<(), DecodeError> {
    let single = |b: u8| u16::from_le_bytes([table[2 * b as usize], table[2 * b as usize + 1]]);
    let npairs = u32::from_le_bytes([table[512], table[513], table[514], table[515]]) as usize;
    let pairs = &table[516..516 + 4 * npairs];
    let pair = |code: u16| -> Option<char> {
        let (mut lo, mut hi) = (0usize, npairs);
        while lo < hi {
            let mid = (lo + hi) / 2;
            let c = u16::from_le_bytes([pairs[4 * mid], pairs[4 * mid + 1]]);
            match c.cmp(&code) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => {
                    let ch = u16::from_le_bytes([pairs[4 * mid + 2], pairs[4 * mid + 3]]);
                    return char::from_u32(ch as u32);
                }
            }
        }
        None
    };
    let mut i = 0;
    out.reserve(bytes.len());
    while i < bytes.len() {
        let b = bytes[i];
        let (ch, len, reason) = match single(b) {
            0xFFFE => (None, 1, "illegal multibyte sequence"),
            0xFFFF => match bytes.get(i + 1) {
                None => (None, 1, "incomplete multibyte sequence"),
                Some(&t) => match pair(((b as u16) << 8) | t as u16) {
                    Some(c) => (Some(c), 2, ""),
                    None => (None, 1, "illegal multibyte sequence"),
                },
            },
            c => (char::from_u32(c as u32), 1, ""),
        };
        match ch {
            Some(c) => out.push(c),
            None if errors == Errors::Replace => out.push('\u{FFFD}'),
            None => {
                return Err(DecodeError {
                    encoding,
                    start: i,
                    end: i + len,
                    reason,
                    byte: b,
                })
            }
        }
        i += len;
    }
    Ok(())
}

/// UTF-8 with Python's error semantics: each maximal invalid subpart is one error (one U+FFFD).
fn decode_utf8(bytes: &[u8], errors: Errors, out: &mut String) -> Result<(), DecodeError> {
    let mut rest = bytes;
    let mut base = 0;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.push_str(s);
                return Ok(());
            }
            Err(e) => {
                let valid = e.valid_up_to();
                out.push_str(std::str::from_utf8(&rest[..valid]).unwrap());
                let bad = rest[valid];
                let (len, reason) = match e.error_len() {
                    None => (rest.len() - valid, "unexpected end of data"),
                    Some(n) if !(0xC2..=0xF4).contains(&bad) => (n, "invalid start byte"),
                    Some(n) => (n, "invalid continuation byte"),
                };
                if errors == Errors::Strict {
                    let start = base + valid;
                    return Err(DecodeError {
                        encoding: "utf-8",
                        start,
                        end: start + len,
                        reason,
                        byte: bad,
                    });
                }
                out.push('\u{FFFD}');
                base += valid + len;
                rest = &rest[valid + len..];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalization_follows_py_normalize_encoding() {
        assert_eq!(normalize("UTF-8"), "utf_8");
        assert_eq!(normalize("  Latin  1 "), "latin_1");
        assert_eq!(normalize("iso8859.15"), "iso8859.15");
        assert_eq!(normalize("ébc"), "bc");
    }

    #[test]
    fn messages_look_like_pythons() {
        let mut s = String::new();
        let e = lookup("utf-8")
            .unwrap()
            .decode(b"ab\xff", Errors::Strict, &mut s)
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "'utf-8' codec can't decode byte 0xff in position 2: invalid start byte"
        );
    }
}
