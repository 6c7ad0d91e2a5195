//! Raising SyntaxErrors as the symbol table and `future.c` do.

use pyrite_parser::errors::{ErrorKind, SyntaxErrorInfo, NONE};
use std::io::Read;

/// The message of the RecursionError the walk raises past [`crate::RECURSION_LIMIT`].
pub const RECURSION_ERROR_MSG: &str = "maximum recursion depth exceeded during compilation";

/// Whether `e` stands for CPython's RecursionError ("maximum recursion depth exceeded during
/// compilation"). `SyntaxErrorInfo` has no kind for it: it comes as a `MemoryError` kind with
/// [`RECURSION_ERROR_MSG`].
pub fn is_recursion_error(e: &SyntaxErrorInfo) -> bool {
    e.kind == ErrorKind::MemoryError && e.msg == RECURSION_ERROR_MSG
}

pub(crate) fn recursion_error() -> Box<SyntaxErrorInfo> {
    Box::new(SyntaxErrorInfo::without_location(
        ErrorKind::MemoryError,
        RECURSION_ERROR_MSG,
    ))
}

/// `PyErr_ProgramTextObject(filename, lineno)`: line `lineno` (1-based) of the file `filename`
/// as CPython reads it back for a SyntaxError raised after parsing: read in chunks of at most
/// 999 bytes (`Py_UniversalNewlineFgets` into a 1000-byte buffer, `\r\n` and `\r` read as `\n`),
/// the line being the last chunk read; decoded as strict UTF-8 up to any NUL. None if the file
/// cannot be read, is shorter, or the line is not valid UTF-8.
pub fn program_text(filename: &str, lineno: i64) -> Option<String> {
    if lineno <= 0 || filename.is_empty() || filename.contains('\0') {
        return None;
    }
    let mut data = Vec::new();
    std::fs::File::open(filename).ok()?.read_to_end(&mut data).ok()?;
    let mut pos = 0usize;
    // The last chunk read (what CPython's buffer holds).
    let mut chunk: Vec<u8> = Vec::new();
    let mut next: Vec<u8> = Vec::new();
    let mut i = 0i64;
    'lines: while i < lineno {
        // One line: chunks until one ends with '\n' or is shorter than the buffer allows.
        loop {
            if fgets(&data, &mut pos, &mut next).is_none() {
                break 'lines;
            }
            std::mem::swap(&mut chunk, &mut next);
            if chunk.len() < 999 || chunk.last() == Some(&b'\n') {
                break;
            }
        }
        i += 1;
    }
    if i != lineno {
        return None;
    }
    let end = chunk.iter().position(|&b| b == 0).unwrap_or(chunk.len());
    std::str::from_utf8(&chunk[..end]).ok().map(str::to_owned)
}

/// `Py_UniversalNewlineFgets(buf, 1000, fp, NULL)`: up to 999 bytes, through the first newline.
fn fgets(data: &[u8], pos: &mut usize, out: &mut Vec<u8>) -> Option<()> {
    out.clear();
    let mut n = 999;
    while n > 0 && *pos < data.len() {
        let mut c = data[*pos];
        *pos += 1;
        if c == b'\r' {
            c = b'\n';
            // The '\n' of a "\r\n" is skipped.
            if data.get(*pos) == Some(&b'\n') {
                *pos += 1;
            }
        }
        out.push(c);
        n -= 1;
        if c == b'\n' {
            break;
        }
    }
    if out.is_empty() {
        None
    } else {
        Some(())
    }
}

/// A SyntaxError at a node's range (`PyErr_RangedSyntaxLocationObject(filename, lineno,
/// col_offset + 1, end_lineno, end_col_offset + 1)`).
pub(crate) fn ranged(
    filename: &str,
    msg: String,
    lineno: i32,
    col_offset: i32,
    end_lineno: i32,
    end_col_offset: i32,
) -> Box<SyntaxErrorInfo> {
    let opt = |v: i64| if v < 0 { NONE } else { v };
    Box::new(SyntaxErrorInfo {
        kind: ErrorKind::SyntaxError,
        msg,
        lineno: lineno as i64,
        offset: opt(col_offset as i64 + 1),
        end_lineno: opt(end_lineno as i64),
        end_offset: opt(end_col_offset as i64 + 1),
        text: program_text(filename, lineno as i64),
        has_filename: true,
    })
}

/// A SyntaxError at a line and column (`PyErr_SyntaxLocationObject(filename, lineno,
/// col_offset + 1)`: the end is the same line, no end offset).
pub(crate) fn located(filename: &str, msg: String, lineno: i32, col_offset: i32) -> Box<SyntaxErrorInfo> {
    Box::new(SyntaxErrorInfo {
        kind: ErrorKind::SyntaxError,
        msg,
        lineno: lineno as i64,
        offset: if col_offset + 1 < 0 {
            NONE
        } else {
            col_offset as i64 + 1
        },
        end_lineno: lineno as i64,
        end_offset: NONE,
        text: program_text(filename, lineno as i64),
        has_filename: true,
    })
}
