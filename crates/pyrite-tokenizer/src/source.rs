//! Finding a source file's encoding (PEP 263) and decoding it into the UTF-8 text the tokenizer
//! reads.
//!
//! [`detect_encoding`] follows the `tokenize` module's `detect_encoding`: a UTF-8 byte-order mark,
//! then a coding cookie on the first line or, if the first line is blank or a comment, on the
//! second.

use pyrite_codecs::{Codec, Errors};

/// The outcome of encoding detection.
#[derive(Debug, Clone)]
pub struct DetectedEncoding {
    /// The encoding name as `tokenize.detect_encoding` returns it (the cookie's spelling after
    /// `_get_normal_name`, or `utf-8` / `utf-8-sig` by default).
    pub name: String,
    /// The codec that decodes the file.
    pub codec: Codec,
    /// Whether a UTF-8 byte-order mark was found (and must be skipped).
    pub bom: bool,
}

/// `tokenize._get_normal_name`: imitates `get_normal_name` in CPython's tokenizer.
pub fn normal_encoding_name(orig: &str) -> String {
    let enc: String = orig
        .chars()
        .take(12)
        .collect::<String>()
        .to_lowercase()
        .replace('_', "-");
    if enc == "utf-8" || enc.starts_with("utf-8-") {
        return "utf-8".into();
    }
    if ["latin-1", "iso-8859-1", "iso-latin-1"].contains(&enc.as_str())
        || ["latin-1-", "iso-8859-1-", "iso-latin-1-"]
            .iter()
            .any(|p| enc.starts_with(p))
    {
        return "iso-8859-1".into();
    }
    orig.to_string()
}

/// Match `tokenize.cookie_re` (`^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)`, ASCII) against a line,
/// returning the encoding name it declares.
pub fn match_cookie(line: &str) -> Option<&str> {
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() && matches!(b[i], b' ' | b'\t' | 0x0c) {
        i += 1;
    }
    if i >= b.len() || b[i] != b'#' {
        return None;
    }
    i += 1;
    // `.*?` never crosses a newline; try each position lazily from the left.
    let limit = b.iter().skip(i).position(|&c| c == b'\n').map_or(b.len(), |p| i + p);
    let is_name = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'-' || c == b'.';
    let mut p = i;
    while p + 6 < limit + 1 {
        if b[p..].starts_with(b"coding") && p + 6 < b.len() && (b[p + 6] == b':' || b[p + 6] == b'=') {
            let mut q = p + 7;
            while q < b.len() && (b[q] == b' ' || b[q] == b'\t') {
                q += 1;
            }
            let name_start = q;
            while q < b.len() && is_name(b[q]) {
                q += 1;
            }
            if q > name_start {
                return Some(&line[name_start..q]);
            }
        }
        p += 1;
    }
    None
}

/// `tokenize.blank_re`: `^[ \t\f]*(?:[#\r\n]|$)` on bytes.
fn is_blank_line(line: &[u8]) -> bool {
    let mut i = 0;
    while i < line.len() && matches!(line[i], b' ' | b'\t' | 0x0c) {
        i += 1;
    }
    i == line.len() || matches!(line[i], b'#' | b'\r' | b'\n')
}

/// The next line as a binary file's `readline` returns it (up to and including b'\n').
fn read_line(bytes: &[u8]) -> &[u8] {
    match bytes.iter().position(|&b| b == b'\n') {
        Some(i) => &bytes[..=i],
        None => bytes,
    }
}

/// `tokenize.detect_encoding`, where `filename` is the name the file was opened with.
/// The error is the message of the SyntaxError it raises.
pub fn detect_encoding(bytes: &[u8], filename: Option<&str>) -> Result<DetectedEncoding, String> {
    let quoted = |name: &str| {
        let mut s = String::new();
        pyrite_unicode::write_repr(name, &mut s);
        s
    };
    let mut bom_found = false;
    let mut default = "utf-8";
    let mut rest = bytes;
    let mut first = read_line(rest);
    if first.starts_with(b"\xef\xbb\xbf") {
        bom_found = true;
        first = &first[3..];
        rest = &rest[3..];
        default = "utf-8-sig";
    }
    let utf8 = || pyrite_codecs::lookup("utf-8").expect("utf-8 codec");
    let make_default = |default: &str| DetectedEncoding {
        name: default.to_string(),
        codec: utf8(),
        bom: bom_found,
    };

    let find_cookie = |line: &[u8]| -> Result<Option<DetectedEncoding>, String> {
        let line_string = match std::str::from_utf8(line) {
            Ok(s) => s,
            Err(_) => {
                let mut msg = "invalid or missing encoding declaration".to_string();
                if let Some(f) = filename {
                    msg = format!("{msg} for {}", quoted(f));
                }
                return Err(msg);
            }
        };
        let Some(raw) = match_cookie(line_string) else {
            return Ok(None);
        };
        let encoding = normal_encoding_name(raw);
        let codec = match pyrite_codecs::lookup(&encoding) {
            Ok(codec) => codec,
            Err(pyrite_codecs::LookupError::Unknown) => {
                return Err(match filename {
                    None => format!("unknown encoding: {encoding}"),
                    Some(f) => format!("unknown encoding for {}: {encoding}", quoted(f)),
                });
            }
            Err(pyrite_codecs::LookupError::Unsupported(name)) => {
                return Err(format!(
                    "pyrite does not implement the codec {name:?} declared by this file"
                ));
            }
        };
        if bom_found {
            if encoding != "utf-8" {
                return Err(match filename {
                    None => "encoding problem: utf-8".to_string(),
                    Some(f) => format!("encoding problem for {}: utf-8", quoted(f)),
                });
            }
            return Ok(Some(DetectedEncoding {
                name: "utf-8-sig".into(),
                codec,
                bom: true,
            }));
        }
        Ok(Some(DetectedEncoding {
            name: encoding,
            codec,
            bom: false,
        }))
    };

    if first.is_empty() {
        return Ok(make_default(default));
    }
    if let Some(found) = find_cookie(first)? {
        return Ok(found);
    }
    if !is_blank_line(first) {
        return Ok(make_default(default));
    }
    let second = read_line(&rest[first.len()..]);
    if second.is_empty() {
        return Ok(make_default(default));
    }
    if let Some(found) = find_cookie(second)? {
        return Ok(found);
    }
    Ok(make_default(default))
}

/// Decoded source text ready for the tokenizer.
pub struct DecodedSource {
    /// UTF-8 text; ends with a newline if it is non-empty.
    pub text: String,
    /// Whether the final newline was supplied because the last line had none.
    pub implicit_newline: bool,
}

/// Decode the file body (after any BOM) with `codec` and the "replace" error handler, as the
/// tokenize module's readline-driven tokenizer does line by line.
pub fn decode_for_tokenize(body: &[u8], codec: &Codec) -> DecodedSource {
    let mut text = String::with_capacity(body.len() + 1);
    codec
        .decode(body, Errors::Replace, &mut text)
        .expect("the replace handler never fails");
    let implicit_newline = !text.is_empty() && !text.ends_with('\n');
    if implicit_newline {
        text.push('\n');
    }
    DecodedSource { text, implicit_newline }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_matching_follows_tokenize_cookie_re() {
        assert_eq!(match_cookie("# -*- coding: latin-1 -*-\n"), Some("latin-1"));
        assert_eq!(match_cookie("#!/usr/bin/env python\n"), None);
        assert_eq!(match_cookie("  # vim: set fileencoding=utf-8 :\n"), Some("utf-8"));
        assert_eq!(match_cookie("x = 1  # coding: latin-1\n"), None);
        assert_eq!(match_cookie("# coding: \n"), None);
        assert_eq!(match_cookie("# coding:  \t koi8_r.x-y\r\n"), Some("koi8_r.x-y"));
        assert_eq!(match_cookie("# coding= ok coding: better\n"), Some("ok"));
        assert_eq!(match_cookie("# coding: ! coding=second\n"), Some("second"));
    }

    #[test]
    fn normal_names_match_get_normal_name() {
        assert_eq!(normal_encoding_name("UTF_8"), "utf-8");
        assert_eq!(normal_encoding_name("utf-8-sig"), "utf-8");
        assert_eq!(normal_encoding_name("Latin-1"), "iso-8859-1");
        assert_eq!(normal_encoding_name("latin1"), "latin1");
        assert_eq!(normal_encoding_name("iso-latin-1-unix"), "iso-8859-1");
        assert_eq!(normal_encoding_name("koi8-r"), "koi8-r");
    }

    #[test]
    fn blank_lines() {
        assert!(is_blank_line(b""));
        assert!(is_blank_line(b"  \t# comment\n"));
        assert!(is_blank_line(b"\r\n"));
        assert!(!is_blank_line(b"x = 1\n"));
    }
}
