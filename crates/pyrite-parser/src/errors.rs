//! Syntax errors as CPython raises them, and how `traceback.format_exception_only` shows them.

/// The exception class of a parse failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    SyntaxError,
    IndentationError,
    TabError,
    /// Not a SyntaxError subclass: shown without location.
    MemoryError,
    ValueError,
}

impl ErrorKind {
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::SyntaxError => "SyntaxError",
            ErrorKind::IndentationError => "IndentationError",
            ErrorKind::TabError => "TabError",
            ErrorKind::MemoryError => "MemoryError",
            ErrorKind::ValueError => "ValueError",
        }
    }
}

/// Stands for Python's None in an integer attribute.
pub const NONE: i64 = i64::MIN;

/// A raised SyntaxError's attributes: `msg`, `lineno`, `offset` and `end_offset` (1-based
/// character columns), `end_lineno`, `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxErrorInfo {
    pub kind: ErrorKind,
    pub msg: String,
    pub lineno: i64,
    pub offset: i64,
    pub end_lineno: i64,
    pub end_offset: i64,
    pub text: Option<String>,
    /// Whether the exception carries the file name (errors raised before parsing do not).
    pub has_filename: bool,
}

impl SyntaxErrorInfo {
    pub fn memory_error(msg: &str) -> Self {
        SyntaxErrorInfo {
            kind: ErrorKind::MemoryError,
            msg: msg.into(),
            lineno: 0,
            offset: 0,
            end_lineno: 0,
            end_offset: 0,
            text: None,
            has_filename: false,
        }
    }

    /// An error without location (e.g. raised before any token was read).
    pub fn without_location(kind: ErrorKind, msg: &str) -> Self {
        SyntaxErrorInfo {
            kind,
            msg: msg.into(),
            lineno: NONE,
            offset: NONE,
            end_lineno: NONE,
            end_offset: NONE,
            text: None,
            has_filename: false,
        }
    }

    /// `"".join(traceback.format_exception_only(exc))` for this error raised while
    /// compiling `filename`. A negative `lineno` / `offset` / `end_offset` stands for None.
    pub fn format_exception_only(&self, filename: &str) -> String {
        let mut out = String::new();
        if !matches!(
            self.kind,
            ErrorKind::SyntaxError | ErrorKind::IndentationError | ErrorKind::TabError
        ) {
            out.push_str(self.kind.name());
            out.push_str(": ");
            out.push_str(&self.msg);
            out.push('\n');
            return out;
        }
        let mut filename_suffix = String::new();
        if self.lineno != NONE {
            let f = if filename.is_empty() { "<string>" } else { filename };
            out.push_str(&format!("  File \"{f}\", line {}\n", self.lineno));
        } else if self.has_filename {
            filename_suffix = format!(" ({filename})");
        }
        if let Some(text) = &self.text {
            let rtext = text.trim_end_matches('\n');
            let ltext = rtext.trim_start_matches([' ', '\n', '\x0c']);
            let spaces = (rtext.chars().count() - ltext.chars().count()) as i64;
            out.push_str("    ");
            out.push_str(ltext);
            out.push('\n');
            if self.offset != NONE {
                let offset = self.offset;
                let mut end_offset = if self.end_offset == NONE || self.end_offset == 0 {
                    offset
                } else {
                    self.end_offset
                };
                if offset == end_offset || end_offset == -1 {
                    end_offset = offset + 1;
                }
                let colno = offset - 1 - spaces;
                let end_colno = end_offset - 1 - spaces;
                if colno >= 0 {
                    out.push_str("    ");
                    for c in ltext.chars().take(colno as usize) {
                        out.push(if pyrite_unicode::is_space(c) { c } else { ' ' });
                    }
                    for _ in 0..(end_colno - colno).max(0) {
                        out.push('^');
                    }
                    out.push('\n');
                }
            }
        }
        out.push_str(self.kind.name());
        out.push_str(": ");
        out.push_str(if self.msg.is_empty() {
            "<no detail available>"
        } else {
            &self.msg
        });
        out.push_str(&filename_suffix);
        out.push('\n');
        out
    }
}
