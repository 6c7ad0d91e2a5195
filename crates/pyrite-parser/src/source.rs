//! Preparing source bytes for the tokenizer as `compile()` does for bytes input
//! (`_Py_SourceAsString`, `translate_newlines`, and `decode_str` in CPython's tokenizer):
//! no NUL bytes, newlines normalized, a final newline, the PEP 263 encoding declaration or
//! UTF-8 BOM honoured.

use crate::errors::{ErrorKind, SyntaxErrorInfo, NONE};

pub struct Prepared<'a> {
    /// The text for the tokenizer, in the arena: UTF-8 unless undeclared invalid bytes are left
    /// in it.
    pub text: &'a [u8],
    /// Whether an encoding was declared (BOM or cookie): error columns are then counted in
    /// characters, else in bytes, as CPython does.
    pub has_encoding: bool,
}

/// An error raised before tokenizing (`_PyPegen_raise_tokenizer_init_error`): line 0, offset -1.
fn init_error(msg: String) -> SyntaxErrorInfo {
    SyntaxErrorInfo {
        kind: ErrorKind::SyntaxError,
        msg,
        lineno: 0,
        offset: -1,
        end_lineno: NONE,
        end_offset: NONE,
        text: None,
        has_filename: true,
    }
}

/// `get_coding_spec`: the encoding named in a comment line, normalized.
fn coding_spec(line: &[u8]) -> Option<String> {
    let size = line.len();
    let mut i = 0;
    while i + 6 < size {
        if line[i] == b'#' {
            break;
        }
        if !matches!(line[i], b' ' | b'\t' | 0x0c) {
            return None;
        }
        i += 1;
    }
    while i + 6 < size {
        if &line[i..i + 6] == b"coding" {
            let mut t = i + 6;
            if t < size && (line[t] == b':' || line[t] == b'=') {
                t += 1;
                while t < size && (line[t] == b' ' || line[t] == b'\t') {
                    t += 1;
                }
                let begin = t;
                while t < size && (line[t].is_ascii_alphanumeric() || matches!(line[t], b'-' | b'_' | b'.')) {
                    t += 1;
                }
                if begin < t {
                    let name = String::from_utf8_lossy(&line[begin..t]).into_owned();
                    return Some(normal_name(&name));
                }
            }
        }
        i += 1;
    }
    None
}

/// `get_normal_name`.
fn normal_name(s: &str) -> String {
    let buf: String = s
        .chars()
        .take(12)
        .map(|c| if c == '_' { '-' } else { c.to_ascii_lowercase() })
        .collect();
    if buf == "utf-8" || buf.starts_with("utf-8-") {
        return "utf-8".into();
    }
    for p in ["latin-1", "iso-8859-1", "iso-latin-1"] {
        if buf == p || buf.starts_with(&format!("{p}-")) {
            return "iso-8859-1".into();
        }
    }
    s.to_string()
}

/// Does the line hold only blanks and a comment (so the declaration may be on line 2)?
fn is_blank_or_comment(line: &[u8]) -> bool {
    for &c in line {
        if c == b'#' || c == b'\n' || c == b'\r' {
            return true;
        }
        if !matches!(c, b' ' | b'\t' | 0x0c) {
            return false;
        }
    }
    true
}

/// Prepare `source` (see the module's documentation), the text made once, in `arena`.
pub fn prepare<'a>(arena: &'a bumpalo::Bump, source: &[u8]) -> Result<Prepared<'a>, SyntaxErrorInfo> {
    if memchr::memchr(0, source).is_some() {
        return Err(SyntaxErrorInfo::without_location(
            ErrorKind::SyntaxError,
            "source code string cannot contain null bytes",
        ));
    }
    // translate_newlines (a plain copy into the arena in the usual case: no '\r', final newline).
    let mut text: &'a [u8] = if source.last() == Some(&b'\n') && memchr::memchr(b'\r', source).is_none() {
        arena.alloc_slice_copy(source)
    } else {
        let mut out = Vec::with_capacity(source.len() + 1);
        let mut rest = source;
        while let Some(i) = memchr::memchr(b'\r', rest) {
            out.extend_from_slice(&rest[..i]);
            out.push(b'\n');
            rest = &rest[i + 1..];
            if rest.first() == Some(&b'\n') {
                rest = &rest[1..];
            }
        }
        out.extend_from_slice(rest);
        if out.last() != Some(&b'\n') {
            out.push(b'\n');
        }
        arena.alloc_slice_copy(&out)
    };
    let mut has_encoding = false;
    let mut bom = false;
    if text.starts_with(&[0xEF, 0xBB, 0xBF]) {
        text = &text[3..];
        bom = true;
        has_encoding = true;
    }
    let first_end = memchr::memchr(b'\n', text).map_or(text.len(), |i| i + 1);
    let mut spec = coding_spec(&text[..first_end]);
    if spec.is_none() && is_blank_or_comment(&text[..first_end]) {
        let rest = &text[first_end..];
        let second_end = memchr::memchr(b'\n', rest).map_or(rest.len(), |i| i + 1);
        spec = coding_spec(&rest[..second_end]);
    }
    if let Some(cs) = spec {
        has_encoding = true;
        if bom {
            if cs != "utf-8" {
                return Err(init_error(format!("encoding problem: {cs} with BOM")));
            }
        } else if cs != "utf-8" {
            let codec = match pyrite_codecs::lookup(&cs) {
                Ok(c) => c,
                Err(pyrite_codecs::LookupError::Unknown) => return Err(init_error(format!("unknown encoding: {cs}"))),
                Err(pyrite_codecs::LookupError::Unsupported(name)) => {
                    return Err(init_error(format!("pyrite: the {name} codec is not supported yet")))
                }
            };
            let mut out = String::with_capacity(text.len());
            if let Err(e) = codec.decode(text, pyrite_codecs::Errors::Strict, &mut out) {
                return Err(init_error(e.to_string()));
            }
            text = arena.alloc_slice_copy(out.as_bytes());
        }
    }
    Ok(Prepared { text, has_encoding })
}
