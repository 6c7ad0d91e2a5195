//! Literals: numbers (`parsenumber`), string and bytes literals with their escapes
//! (`Parser/string_parser.c`), implicit concatenation and PEP 701 f-strings
//! (`Parser/action_helpers.c`).

use crate::errors::ErrorKind;
use crate::parser::*;
use bumpalo::Bump;
use pyrite_ast::*;
use pyrite_tokenizer::token::TokenType;
use pyrite_unicode::wtf8::push_code_point;
use pyrite_unicode::Wtf8;

/// The largest number of decimal digits an int literal may have (`sys.get_int_max_str_digits()`).
const INT_MAX_STR_DIGITS: usize = 4300;

/// A NUMBER token's value (`parsenumber`). The error is the ValueError's text.
pub fn parse_number<'a>(arena: &'a Bump, text: &str) -> Result<Constant<'a>, String> {
    let owned;
    let s = if text.contains('_') {
        owned = text.replace('_', "");
        owned.as_str()
    } else {
        text
    };
    let b = s.as_bytes();
    if let Some(&last) = b.last() {
        if last == b'j' || last == b'J' {
            let v = parse_float(&s[..s.len() - 1]);
            return Ok(Constant::Complex { real: 0.0, imag: v });
        }
    }
    if b.len() > 1 && b[0] == b'0' && matches!(b[1], b'x' | b'X' | b'o' | b'O' | b'b' | b'B') {
        let radix = match b[1] {
            b'x' | b'X' => 16,
            b'o' | b'O' => 8,
            _ => 2,
        };
        return Ok(Constant::Int(int_from_digits(arena, &s[2..], radix)));
    }
    if b.iter().any(|&c| matches!(c, b'.' | b'e' | b'E')) {
        return Ok(Constant::Float(parse_float(s)));
    }
    let digits = s.trim_start_matches('0');
    if digits.len() > INT_MAX_STR_DIGITS {
        return Err(format!(
            "Exceeds the limit ({INT_MAX_STR_DIGITS} digits) for integer string conversion: value has {} digits; use sys.set_int_max_str_digits() to increase the limit",
            s.len()
        ));
    }
    Ok(Constant::Int(int_from_digits(arena, s, 10)))
}

fn parse_float(s: &str) -> f64 {
    // Rust accepts "1.", ".5", "1e5", "1E+5" as Python does; "inf"/"nan" never reach here.
    s.parse::<f64>().unwrap_or(f64::NAN)
}

fn int_from_digits<'a>(arena: &'a Bump, digits: &str, radix: u32) -> Int<'a> {
    if let Ok(v) = i64::from_str_radix(digits, radix) {
        return Int::Small(v);
    }
    let big = num_bigint::BigInt::parse_bytes(digits.as_bytes(), radix).unwrap_or_default();
    Int::from_bigint(&big, arena)
}

/// A decoding failure of a literal: the message of the `UnicodeError`/`ValueError` that
/// CPython raises, without its "(unicode error)" prefix.
pub struct DecodeFailure {
    pub prefix: &'static str,
    pub msg: String,
}

/// A literal's decoded value.
pub enum Decoded<'a> {
    Str(&'a Wtf8),
    Bytes(&'a [u8]),
}

/// `decode_unicode_with_escapes`: decode backslash escapes of a str literal body. Returns the
/// value and the first invalid escape (its byte offset in `s`), if any.
pub fn decode_unicode_escapes<'a>(arena: &'a Bump, s: &[u8]) -> Result<(&'a Wtf8, Option<usize>), DecodeFailure> {
    let mut out: Vec<u8> = Vec::with_capacity(s.len());
    let mut first_invalid = None;
    // Positions in CPython's intermediate buffer, where each non-ASCII character is written as
    // a 10-byte \UXXXXXXXX escape: error messages count in it.
    let mut pos = 0usize;
    let mut i = 0;
    let err = |start: usize, end: usize, reason: &str| DecodeFailure {
        prefix: "unicode error",
        msg: format!(
            "'unicodeescape' codec can't decode bytes in position {start}-{}: {reason}",
            end - 1
        ),
    };
    while i < s.len() {
        let c = s[i];
        if c >= 0x80 {
            // A run of non-ASCII bytes: UTF-8.
            let start = i;
            while i < s.len() && s[i] >= 0x80 {
                i += 1;
            }
            match std::str::from_utf8(&s[start..i]) {
                Ok(text) => {
                    for ch in text.chars() {
                        push_code_point(&mut out, ch as u32);
                        pos += 10;
                    }
                }
                Err(_) => return Err(utf8_failure(&s[start..i])),
            }
            continue;
        }
        if c != b'\\' {
            out.push(c);
            i += 1;
            pos += 1;
            continue;
        }
        // A backslash.
        let bs_pos = pos;
        i += 1;
        if i >= s.len() || s[i] >= 0x80 {
            // "\\" before a non-ASCII character or at the end: an escaped backslash.
            out.push(b'\\');
            pos += 6;
            if i >= s.len() {
                break;
            }
            continue;
        }
        let e = s[i];
        i += 1;
        pos += 2;
        match e {
            b'\n' => {}
            b'\\' => out.push(b'\\'),
            b'\'' => out.push(b'\''),
            b'"' => out.push(b'"'),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b't' => out.push(b'\t'),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b'v' => out.push(11),
            b'a' => out.push(7),
            b'0'..=b'7' => {
                let mut v = (e - b'0') as u32;
                let mut n = 1;
                while n < 3 && i < s.len() && (b'0'..=b'7').contains(&s[i]) {
                    v = v * 8 + (s[i] - b'0') as u32;
                    i += 1;
                    pos += 1;
                    n += 1;
                }
                if v > 0o377 && first_invalid.is_none() {
                    first_invalid = Some(i - 3);
                }
                push_code_point(&mut out, v);
            }
            b'x' | b'u' | b'U' => {
                let (count, name) = match e {
                    b'x' => (2, "truncated \\xXX escape"),
                    b'u' => (4, "truncated \\uXXXX escape"),
                    _ => (8, "truncated \\UXXXXXXXX escape"),
                };
                let mut v: u32 = 0;
                for k in 0..count {
                    let d = s.get(i).and_then(|&b| (b as char).to_digit(16));
                    match d {
                        Some(d) if s[i] < 0x80 => {
                            v = v * 16 + d;
                            i += 1;
                        }
                        _ => return Err(err(bs_pos, pos + k, name)),
                    }
                }
                pos += count;
                if v > 0x10FFFF {
                    return Err(err(bs_pos, pos, "illegal Unicode character"));
                }
                push_code_point(&mut out, v);
            }
            b'N' => {
                // \N{name}
                let malformed = |p: usize| err(bs_pos, p, "malformed \\N character escape");
                if i >= s.len() || s[i] != b'{' {
                    return Err(malformed(pos));
                }
                let name_start = i + 1;
                let mut j = name_start;
                while j < s.len() && s[j] != b'}' && s[j] < 0x80 {
                    j += 1;
                }
                if j >= s.len() || s[j] != b'}' || j == name_start {
                    return Err(malformed(pos + (j.min(s.len()) - i)));
                }
                let name = std::str::from_utf8(&s[name_start..j]).unwrap_or("");
                let end_pos = pos + (j + 1 - i);
                match pyrite_unicode::names::lookup(name) {
                    Some(cp) => push_code_point(&mut out, cp),
                    None => return Err(err(bs_pos, end_pos, "unknown Unicode character name")),
                }
                pos = end_pos;
                i = j + 1;
            }
            _ => {
                if first_invalid.is_none() {
                    first_invalid = Some(i - 2);
                }
                out.push(b'\\');
                out.push(e);
            }
        }
    }
    let v = Wtf8::from_bytes_unchecked(arena.alloc_slice_copy(&out));
    Ok((v, first_invalid))
}

fn utf8_failure(run: &[u8]) -> DecodeFailure {
    let mut sink = String::new();
    let codec = pyrite_codecs::lookup("utf-8").expect("utf-8 codec");
    let msg = match codec.decode(run, pyrite_codecs::Errors::Strict, &mut sink) {
        Err(e) => e.to_string(),
        Ok(()) => "invalid utf-8".to_string(),
    };
    DecodeFailure {
        prefix: "unicode error",
        msg,
    }
}

/// `_PyBytes_DecodeEscape`: the value and the first invalid escape's offset.
pub fn decode_bytes_escapes<'a>(arena: &'a Bump, s: &[u8]) -> Result<(&'a [u8], Option<usize>), DecodeFailure> {
    let mut out = Vec::with_capacity(s.len());
    let mut first_invalid = None;
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if c != b'\\' {
            out.push(c);
            i += 1;
            continue;
        }
        let bs = i;
        i += 1;
        if i >= s.len() {
            return Err(DecodeFailure {
                prefix: "value error",
                msg: "Trailing \\ in string".into(),
            });
        }
        let e = s[i];
        i += 1;
        match e {
            b'\n' => {}
            b'\\' => out.push(b'\\'),
            b'\'' => out.push(b'\''),
            b'"' => out.push(b'"'),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b't' => out.push(b'\t'),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b'v' => out.push(11),
            b'a' => out.push(7),
            b'0'..=b'7' => {
                let mut v = (e - b'0') as u32;
                let mut n = 1;
                while n < 3 && i < s.len() && (b'0'..=b'7').contains(&s[i]) {
                    v = v * 8 + (s[i] - b'0') as u32;
                    i += 1;
                    n += 1;
                }
                if v > 0o377 && first_invalid.is_none() {
                    first_invalid = Some(i - 3);
                }
                out.push(v as u8);
            }
            b'x' => {
                let h = |b: Option<&u8>| b.and_then(|&b| (b as char).to_digit(16));
                match (h(s.get(i)), h(s.get(i + 1))) {
                    (Some(a), Some(b)) => {
                        out.push((a * 16 + b) as u8);
                        i += 2;
                    }
                    _ => {
                        return Err(DecodeFailure {
                            prefix: "value error",
                            msg: format!("invalid \\x escape at position {bs}"),
                        })
                    }
                }
            }
            _ => {
                if first_invalid.is_none() {
                    first_invalid = Some(i - 2);
                }
                out.push(b'\\');
                out.push(e);
            }
        }
    }
    Ok((arena.alloc_slice_copy(&out), first_invalid))
}

/// The SyntaxWarning text for an invalid escape at `s[at..]` (`warn_invalid_escape_sequence`).
fn invalid_escape_message(s: &[u8], at: usize) -> String {
    let c = s[at + 1];
    if (b'4'..=b'7').contains(&c) {
        let end = (at + 4).min(s.len());
        format!(
            "invalid octal escape sequence '\\{}'",
            String::from_utf8_lossy(&s[at + 1..end])
        )
    } else {
        format!("invalid escape sequence '\\{}'", c as char)
    }
}

impl<'a> Parser<'a> {
    fn decode_failure<T>(&mut self, f: DecodeFailure) -> Option<T> {
        let msg = format!("({}) {}", f.prefix, f.msg);
        self.raise_syntax_error(&msg)
    }

    fn warn_invalid_escape(&mut self, body: &[u8], at: usize, t: Tok<'a>) {
        let c = body[at + 1];
        let is_fstring = t.kind == TokenType::FSTRING_MIDDLE as u16 || t.kind == TokenType::FSTRING_END as u16;
        if is_fstring && (c == b'{' || c == b'}') {
            return;
        }
        let msg = invalid_escape_message(body, at);
        self.warnings.push(("SyntaxWarning", msg, t.lineno));
    }

    /// `_PyPegen_decode_string`.
    fn decode_str(&mut self, raw: bool, body: &[u8], t: Tok<'a>) -> Option<&'a Wtf8> {
        if raw {
            return match std::str::from_utf8(body) {
                Ok(s) => Some(Wtf8::from_str(self.arena.alloc_str(s))),
                Err(_) => {
                    let f = utf8_failure(body);
                    self.decode_failure(f)
                }
            };
        }
        match decode_unicode_escapes(self.arena, body) {
            Ok((v, inv)) => {
                if let Some(at) = inv {
                    self.warn_invalid_escape(body, at, t);
                }
                Some(v)
            }
            Err(f) => self.decode_failure(f),
        }
    }

    /// STRING token → `Constant` (`_PyPegen_constant_from_string`).
    pub fn constant_from_string(&mut self, t: Tok<'a>) -> Option<ExprRef<'a>> {
        let text = &self.text[t.start as usize..t.end as usize];
        let mut i = 0;
        let (mut bytes, mut raw, mut u) = (false, false, false);
        while i < text.len() && text[i].is_ascii_alphabetic() {
            match text[i] {
                b'b' | b'B' => bytes = true,
                b'r' | b'R' => raw = true,
                // CPython gives the constant kind 'u' for a lowercase prefix only.
                b'u' => u = true,
                _ => {}
            }
            i += 1;
        }
        let quote = text[i];
        let triple = text.len() - i >= 6 && text[i + 1] == quote && text[i + 2] == quote;
        let q = if triple { 3 } else { 1 };
        let body = &text[i + q..text.len() - q];
        let raw = raw || !body.contains(&b'\\');
        let loc = tok_loc(t);
        if bytes {
            if body.iter().any(|&b| b >= 0x80) {
                return self.raise_at(t, "bytes can only contain ASCII literal characters");
            }
            let v = if raw {
                self.arena.alloc_slice_copy(body) as &[u8]
            } else {
                match decode_bytes_escapes(self.arena, body) {
                    Ok((v, inv)) => {
                        if let Some(at) = inv {
                            self.warn_invalid_escape(body, at, t);
                        }
                        v
                    }
                    Err(f) => return self.decode_failure(f),
                }
            };
            return Some(self.expr(
                ExprKind::Constant {
                    value: Constant::Bytes(v),
                    kind: None,
                },
                loc,
            ));
        }
        let v = self.decode_str(raw, body, t)?;
        let kind = if u { Some("u") } else { None };
        Some(self.expr(
            ExprKind::Constant {
                value: Constant::Str(v),
                kind,
            },
            loc,
        ))
    }

    /// FSTRING_MIDDLE → undecoded `Constant` (`_PyPegen_constant_from_token`).
    pub fn constant_from_token(&mut self, t: Tok<'a>) -> Option<ExprRef<'a>> {
        let s = self.token_text(t);
        Some(self.expr(
            ExprKind::Constant {
                value: Constant::Str(Wtf8::from_str(s)),
                kind: None,
            },
            tok_loc(t),
        ))
    }

    /// A format spec's FSTRING_MIDDLE → decoded `Constant` (`_PyPegen_decoded_constant_from_token`).
    pub fn decoded_constant_from_token(&mut self, t: Tok<'a>) -> Option<ExprRef<'a>> {
        let body = &self.text[t.start as usize..t.end as usize];
        let v = self.decode_str(false, body, t)?;
        Some(self.expr(
            ExprKind::Constant {
                value: Constant::Str(v),
                kind: None,
            },
            tok_loc(t),
        ))
    }

    /// `_PyPegen_decode_fstring_part`.
    fn decode_fstring_part(&mut self, is_raw: bool, c: ExprRef<'a>, t: Tok<'a>) -> Option<ExprRef<'a>> {
        let Constant::Str(s) = (match c.kind {
            ExprKind::Constant { value, .. } => value,
            _ => return Some(c),
        }) else {
            return Some(c);
        };
        let b = s.as_bytes();
        let body = if b == b"{{" || b == b"}}" { &b[..1] } else { b };
        let raw = is_raw || !body.contains(&b'\\');
        let v = self.decode_str(raw, body, t)?;
        Some(self.expr(
            ExprKind::Constant {
                value: Constant::Str(v),
                kind: None,
            },
            c.loc,
        ))
    }

    /// `_PyPegen_joined_str`.
    pub fn joined_str(&mut self, a: Tok<'a>, parts: ExprSeq<'a>, b: Tok<'a>) -> Option<ExprRef<'a>> {
        let start = self.token_text(a);
        let is_raw = start.contains(['r', 'R']);
        let mut out: Vec<ExprRef<'a>> = Vec::with_capacity(parts.len());
        for &item in parts {
            if let ExprKind::JoinedStr { values } = item.kind {
                out.extend_from_slice(values);
                continue;
            }
            if let ExprKind::Constant { .. } = item.kind {
                let d = self.decode_fstring_part(is_raw, item, b)?;
                if let ExprKind::Constant {
                    value: Constant::Str(s),
                    ..
                } = d.kind
                {
                    if s.is_empty() {
                        continue;
                    }
                }
                out.push(d);
                continue;
            }
            out.push(item);
        }
        let loc = Loc {
            lineno: a.lineno as u32,
            col_offset: a.col_offset as u32,
            end_lineno: b.end_lineno as u32,
            end_col_offset: b.end_col_offset as u32,
        };
        Some(self.expr(ExprKind::JoinedStr { values: self.seq(&out) }, loc))
    }

    /// `_PyPegen_check_fstring_conversion`.
    pub fn check_fstring_conversion(&mut self, bang: Tok<'a>, conv: ExprRef<'a>) -> Option<ConversionSpec<'a>> {
        if bang.lineno != conv.loc.lineno as i64 || bang.end_col_offset != conv.loc.col_offset as i64 {
            return self.raise_range(
                bang,
                conv,
                "f-string: conversion type must come right after the exclamanation mark",
            );
        }
        Some(ConversionSpec { name: conv, bang })
    }

    /// `_PyPegen_setup_full_format_spec`.
    pub fn setup_full_format_spec(&mut self, colon: Tok<'a>, spec: ExprSeq<'a>, loc: Loc) -> Option<FormatSpec<'a>> {
        // A spec that is one empty string is an empty JoinedStr, as in 3.11; other empty parts
        // stay (CPython 3.12.1).
        let spec = match spec {
            [e] if matches!(e.kind, ExprKind::Constant { value: Constant::Str(s), .. } if s.is_empty()) => &[],
            _ => spec,
        };
        let res = self.expr(ExprKind::JoinedStr { values: spec }, loc);
        Some(FormatSpec { spec: res, colon })
    }

    /// `_PyPegen_formatted_value`.
    #[allow(clippy::too_many_arguments)]
    pub fn formatted_value(
        &mut self,
        lbrace: Tok<'a>,
        expression: ExprRef<'a>,
        debug: Option<Tok<'a>>,
        conversion: Option<ConversionSpec<'a>>,
        format: Option<FormatSpec<'a>>,
        rbrace: Tok<'a>,
        loc: Loc,
    ) -> Option<ExprRef<'a>> {
        let mut conversion_val = -1;
        if let Some(c) = conversion {
            let id = name_id(c.name);
            let first = id.chars().next().unwrap_or('\0');
            if id.chars().count() > 1 || !matches!(first, 's' | 'r' | 'a') {
                let mut r = String::new();
                pyrite_unicode::write_repr(id, &mut r);
                return self.raise_at(
                    c.name,
                    &format!("f-string: invalid conversion character {r}: expected 's', 'r', or 'a'"),
                );
            }
            conversion_val = first as i32;
        } else if debug.is_some() && format.is_none() {
            conversion_val = 'r' as i32;
        }
        let fv = self.expr(
            ExprKind::FormattedValue {
                value: expression,
                conversion: conversion_val,
                format_spec: format.map(|f| f.spec),
            },
            loc,
        );
        if debug.is_none() {
            return Some(fv);
        }
        // The debug text: the source between '{' and the token that follows '='.
        let (end_line, end_off, end_tok) = if let Some(c) = conversion {
            (c.name.loc.lineno as i64, c.name.loc.col_offset as i64, c.bang)
        } else if let Some(f) = format {
            (f.spec.loc.lineno as i64, f.spec.loc.col_offset as i64 + 1, f.colon)
        } else {
            (loc.end_lineno as i64, loc.end_col_offset as i64, rbrace)
        };
        let (from, to) = (lbrace.end as usize, end_tok.start as usize);
        let raw = std::str::from_utf8(&self.text[from..to]).unwrap_or("");
        let text = if raw.contains('#') {
            // The tokenizer leaves comments out of the expression text it records; a '#' can
            // only be a comment in the gaps between the expression's tokens.
            let mut out = bumpalo::collections::String::new_in(self.arena);
            let first = self.tokens.partition_point(|t| (t.start as usize) < from);
            let mut prev = from;
            let push_gap = |out: &mut bumpalo::collections::String, gap: &str| {
                let mut rest = gap;
                while let Some(hash) = rest.find('#') {
                    out.push_str(&rest[..hash]);
                    let eol = rest[hash..].find(['\n', '\r']).map_or(rest.len(), |i| hash + i);
                    rest = &rest[eol..];
                }
                out.push_str(rest);
            };
            for t in &self.tokens[first..] {
                let (s, e) = (t.start as usize, t.end as usize);
                if e > to || s < prev {
                    break;
                }
                push_gap(&mut out, std::str::from_utf8(&self.text[prev..s]).unwrap_or(""));
                out.push_str(std::str::from_utf8(&self.text[s..e]).unwrap_or(""));
                prev = e;
            }
            push_gap(&mut out, std::str::from_utf8(&self.text[prev..to]).unwrap_or(""));
            out.into_bump_str()
        } else {
            raw
        };
        let text = Wtf8::from_str(text);
        let debug_loc = Loc {
            lineno: loc.lineno,
            col_offset: loc.col_offset + 1,
            end_lineno: end_line as u32,
            end_col_offset: (end_off - 1) as u32,
        };
        let debug_text = self.expr(
            ExprKind::Constant {
                value: Constant::Str(text),
                kind: None,
            },
            debug_loc,
        );
        let jloc = Loc {
            lineno: loc.lineno,
            col_offset: loc.col_offset,
            end_lineno: end_line as u32,
            end_col_offset: end_off as u32,
        };
        let values = self.seq(&[debug_text, fv]);
        Some(self.expr(ExprKind::JoinedStr { values }, jloc))
    }

    /// `_PyPegen_concatenate_strings`.
    pub fn concatenate_strings(&mut self, strings: ExprSeq<'a>, loc: Loc) -> Option<ExprRef<'a>> {
        let (mut fstring, mut unicode, mut bytes) = (false, false, false);
        for s in strings {
            match s.kind {
                ExprKind::Constant {
                    value: Constant::Bytes(_),
                    ..
                } => bytes = true,
                ExprKind::Constant { .. } => unicode = true,
                _ => fstring = true,
            }
        }
        if (unicode || fstring) && bytes {
            return self.raise_syntax_error("cannot mix bytes and nonbytes literals");
        }
        if bytes {
            let kind = match strings[0].kind {
                ExprKind::Constant { kind, .. } => kind,
                _ => None,
            };
            let mut v = Vec::new();
            for s in strings {
                if let ExprKind::Constant {
                    value: Constant::Bytes(b),
                    ..
                } = s.kind
                {
                    v.extend_from_slice(b);
                }
            }
            let v = self.arena.alloc_slice_copy(&v);
            return Some(self.expr(
                ExprKind::Constant {
                    value: Constant::Bytes(v),
                    kind,
                },
                loc,
            ));
        }
        if !fstring && strings.len() == 1 {
            return Some(strings[0]);
        }
        let mut flat: Vec<ExprRef<'a>> = Vec::new();
        for s in strings {
            match s.kind {
                ExprKind::JoinedStr { values } => flat.extend_from_slice(values),
                _ => flat.push(s),
            }
        }
        let is_empty_str =
            |e: ExprRef<'a>| matches!(e.kind, ExprKind::Constant { value: Constant::Str(s), .. } if s.is_empty());
        let is_const = |e: ExprRef<'a>| matches!(e.kind, ExprKind::Constant { .. });
        let mut values: Vec<ExprRef<'a>> = Vec::new();
        let mut i = 0;
        while i < flat.len() {
            let mut elem = flat[i];
            if is_const(elem) {
                if i + 1 < flat.len() && is_const(flat[i + 1]) {
                    let first = elem;
                    let kind = match elem.kind {
                        ExprKind::Constant { kind, .. } => kind,
                        _ => None,
                    };
                    let mut buf: Vec<u8> = Vec::new();
                    let mut last = elem;
                    let mut j = i;
                    while j < flat.len() && is_const(flat[j]) {
                        if let ExprKind::Constant {
                            value: Constant::Str(s),
                            ..
                        } = flat[j].kind
                        {
                            buf.extend_from_slice(s.as_bytes());
                        }
                        last = flat[j];
                        j += 1;
                    }
                    i = j - 1;
                    let s = Wtf8::from_bytes_unchecked(self.arena.alloc_slice_copy(&buf));
                    let l = Loc {
                        lineno: first.loc.lineno,
                        col_offset: first.loc.col_offset,
                        end_lineno: last.loc.end_lineno,
                        end_col_offset: last.loc.end_col_offset,
                    };
                    elem = self.expr(
                        ExprKind::Constant {
                            value: Constant::Str(s),
                            kind,
                        },
                        l,
                    );
                }
                if fstring && is_empty_str(elem) {
                    i += 1;
                    continue;
                }
            }
            values.push(elem);
            i += 1;
        }
        if !fstring {
            return values.first().copied();
        }
        Some(self.expr(
            ExprKind::JoinedStr {
                values: self.seq(&values),
            },
            loc,
        ))
    }
}

/// `fstring_conversion`'s result: the conversion NAME and its '!' token.
#[derive(Clone, Copy, Debug)]
pub struct ConversionSpec<'a> {
    pub name: ExprRef<'a>,
    pub bang: Tok<'a>,
}

/// `fstring_full_format_spec`'s result: the spec (a JoinedStr) and its ':' token.
#[derive(Clone, Copy, Debug)]
pub struct FormatSpec<'a> {
    pub spec: ExprRef<'a>,
    pub colon: Tok<'a>,
}

#[allow(dead_code)]
fn unused(_: ErrorKind) {}
