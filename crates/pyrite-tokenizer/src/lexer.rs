//! The tokenizer proper: CPython 3.12's C tokenizer (`Parser/tokenizer.c`) re-expressed in Rust.
//!
//! The state machine mirrors CPython's `tok_state` field for field where that changes what is
//! observable (token boundaries, line numbers, the buffer that error offsets are measured from),
//! so that its documentation explains this code too. Positions are byte offsets into one
//! contiguous UTF-8 text; nothing is allocated per token.
//!
//! Input is read "line by line" the way CPython's readline-driven tokenizer reads it: the buffer
//! (`buf..inp`) is restarted at each new line unless a token or an f-string is still open, which
//! is what error offsets and INDENT token text are measured against.

use crate::token::{one_char, three_chars, two_chars, TokenType};

/// Maximum indentation depth (`MAXINDENT`).
pub const MAXINDENT: usize = 100;
/// Maximum bracket nesting depth (`MAXLEVEL`).
pub const MAXLEVEL: usize = 200;
/// Maximum f-string nesting depth (`MAXFSTRINGLEVEL`).
pub const MAXFSTRINGLEVEL: usize = 150;
/// Maximum nesting of replacement fields inside one f-string (`MAX_EXPR_NESTING`).
const MAX_EXPR_NESTING: i32 = 3;
const TABSIZE: i32 = 8;
const ALTTABSIZE: i32 = 1;
const EOF: i32 = -1;
/// "No position" (CPython's NULL pointer).
pub const NONE: usize = usize::MAX;

/// The tokenizer's completion state (CPython's `tok->done` error codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Done {
    /// E_OK
    Ok,
    /// E_EOF
    Eof,
    /// E_TOKEN
    Token,
    /// E_ERROR: a SyntaxError has been recorded in [`Lexer::error`].
    Error,
    /// E_TABSPACE
    TabSpace,
    /// E_TOODEEP
    TooDeep,
    /// E_DEDENT
    Dedent,
    /// E_DECODE
    Decode,
    /// E_EOFS
    Eofs,
    /// E_EOLS
    Eols,
    /// E_LINECONT
    LineCont,
    /// E_NOMEM
    NoMem,
}

/// A SyntaxError raised by the tokenizer itself (CPython's `_syntaxerror_range`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokSyntaxError {
    pub msg: String,
    pub lineno: usize,
    /// 1-based character offset, as in `SyntaxError.offset`.
    pub offset: i64,
    pub end_lineno: usize,
    pub end_offset: i64,
    /// Byte range of the error line's text in the source (without its newline).
    pub text_start: usize,
    pub text_end: usize,
}

/// A warning raised while tokenizing (CPython calls `PyErr_WarnExplicitObject`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokWarning {
    pub category: &'static str,
    pub msg: String,
    pub lineno: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ModeKind {
    Regular,
    FString,
}

/// One entry of the tokenizer-mode stack (CPython's `tokenizer_mode`): the bottom entry is the
/// regular mode; each open f-string pushes one.
#[derive(Debug, Clone, Copy)]
struct Mode {
    kind: ModeKind,
    curly_bracket_depth: i32,
    curly_bracket_expr_start_depth: i32,
    quote: u8,
    quote_size: u32,
    raw: bool,
    start: usize,
    multi_line_start: usize,
    line_start: usize, // line number
    debug: bool,
    in_format_spec: bool,
}

impl Mode {
    const REGULAR: Mode = Mode {
        kind: ModeKind::Regular,
        curly_bracket_depth: 0,
        curly_bracket_expr_start_depth: 0,
        quote: 0,
        quote_size: 0,
        raw: false,
        start: 0,
        multi_line_start: 0,
        line_start: 0,
        debug: false,
        in_format_spec: false,
    };
}

/// Options that select between CPython's tokenizer configurations.
#[derive(Debug, Clone, Copy, Default)]
pub struct LexerOptions {
    /// `tok_extra_tokens`: emit COMMENT and NL tokens and be lenient as the `tokenize` module is.
    pub extra_tokens: bool,
    /// `type_comments`: report `# type: ...` comments as TYPE_COMMENT / TYPE_IGNORE tokens.
    pub type_comments: bool,
}

/// A token as the tokenizer produces it: its type and byte range (`NONE` when it has no text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawToken {
    pub kind: TokenType,
    pub start: usize,
    pub end: usize,
}

/// Up to two string-prefix letters, lowercased, zero-padded.
struct SmallPrefix([u8; 2]);

impl FromIterator<u8> for SmallPrefix {
    fn from_iter<I: IntoIterator<Item = u8>>(it: I) -> Self {
        let mut out = [0; 2];
        for (slot, c) in out.iter_mut().zip(it) {
            *slot = c;
        }
        SmallPrefix(out)
    }
}

/// Where the string literal whose opening quote is at `at` ends, if it ends on this line
/// (`line` runs to the end of its newline): what the general path's `string` scan finds, for
/// the cases that need neither another line nor an error.
fn string_end_on_line(line: &[u8], at: usize) -> Option<usize> {
    let quote = line[at];
    let mut i = at + 1;
    let triple = line.get(i) == Some(&quote) && line.get(i + 1) == Some(&quote);
    if triple {
        i += 2;
    } else if line.get(i) == Some(&quote) {
        return Some(i + 1); // the empty string
    }
    loop {
        let j = i + memchr::memchr3(quote, b'\\', b'\n', &line[i..])?;
        match line[j] {
            b'\n' => return None,
            b'\\' => {
                if matches!(line.get(j + 1), None | Some(b'\n') | Some(b'\r')) {
                    return None;
                }
                i = j + 2;
            }
            _ if !triple => return Some(j + 1),
            _ if line.get(j + 1) == Some(&quote) && line.get(j + 2) == Some(&quote) => return Some(j + 3),
            _ => i = j + 1,
        }
    }
}

/// The tokenizer state (CPython's `struct tok_state`).
pub struct Lexer<'a> {
    text: &'a [u8],
    /// Whether the last line had no newline and one was supplied (`implicit_newline` at EOF).
    last_line_implicit_newline: bool,
    /// Read lines as CPython's string tokenizer does (`tok_underflow_string`, what `compile()`
    /// and `ast.parse` use) rather than its readline tokenizer (`tokenize`): the buffer restarts
    /// at each line between tokens even inside an f-string, and still holds the last line at end
    /// of input; only error columns see the difference.
    pub string_input: bool,
    pub buf: usize,
    pub cur: usize,
    pub inp: usize,
    pub start: usize,
    pub done: Done,
    indent: usize,
    indstack: [i32; MAXINDENT],
    altindstack: [i32; MAXINDENT],
    atbol: bool,
    pendin: i32,
    pub lineno: usize,
    pub first_lineno: usize,
    pub starting_col_offset: i64,
    pub level: usize,
    parenstack: [u8; MAXLEVEL],
    parenlinenostack: [usize; MAXLEVEL],
    parencolstack: [usize; MAXLEVEL],
    cont_line: bool,
    pub line_start: usize,
    pub multi_line_start: usize,
    modes: Vec<Mode>,
    extra_tokens: bool,
    type_comments: bool,
    comment_newline: bool,
    /// The first SyntaxError raised (later ones never overwrite it, as in CPython).
    pub error: Option<TokSyntaxError>,
    pub warnings: Vec<TokWarning>,
    /// Where the text's first NUL byte is (`NONE` if it has none).
    first_nul: usize,
}

/// Byte classes: bit 0 = may start an identifier, bit 1 = may continue one.
static BYTE_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        if b.is_ascii_alphabetic() || b == b'_' || b >= 128 {
            t[i] = 3;
        } else if b.is_ascii_digit() {
            t[i] = 2;
        }
        i += 1;
    }
    t
};

#[inline(always)]
fn is_potential_identifier_start(c: i32) -> bool {
    c >= 0 && BYTE_CLASS[c as usize & 0xff] & 1 != 0
}

#[inline(always)]
fn is_potential_identifier_char(c: i32) -> bool {
    c >= 0 && BYTE_CLASS[c as usize & 0xff] & 2 != 0
}

#[inline]
fn is_digit(c: i32) -> bool {
    (b'0' as i32..=b'9' as i32).contains(&c)
}

#[inline]
fn is_xdigit(c: i32) -> bool {
    is_digit(c) || (b'a' as i32..=b'f' as i32).contains(&c) || (b'A' as i32..=b'F' as i32).contains(&c)
}

#[inline]
fn ch(c: u8) -> i32 {
    c as i32
}

impl<'a> Lexer<'a> {
    /// A tokenizer over `text`, valid UTF-8 source code. If the text is non-empty and does not end
    /// in a newline, pass `implicit_newline = true` and a text with the newline appended, as
    /// CPython's readline tokenizer supplies one.
    pub fn new(text: &'a [u8], implicit_newline: bool, options: LexerOptions) -> Self {
        let mut modes = Vec::with_capacity(4);
        modes.push(Mode::REGULAR);
        Lexer {
            text,
            last_line_implicit_newline: implicit_newline,
            string_input: false,
            buf: 0,
            cur: 0,
            inp: 0,
            start: NONE,
            done: Done::Ok,
            indent: 0,
            indstack: [0; MAXINDENT],
            altindstack: [0; MAXINDENT],
            atbol: true,
            pendin: 0,
            lineno: 0,
            first_lineno: 0,
            starting_col_offset: -1,
            level: 0,
            parenstack: [0; MAXLEVEL],
            parenlinenostack: [0; MAXLEVEL],
            parencolstack: [0; MAXLEVEL],
            cont_line: false,
            line_start: 0,
            multi_line_start: 0,
            modes,
            extra_tokens: options.extra_tokens,
            type_comments: options.type_comments,
            comment_newline: false,
            error: None,
            warnings: Vec::new(),
            first_nul: memchr::memchr(0, text).unwrap_or(NONE),
        }
    }

    /// The innermost open bracket: its character, line and byte column (CPython's
    /// `parenstack`, `parenlinenostack` and `parencolstack` at `level - 1`).
    pub fn innermost_bracket(&self) -> Option<(u8, usize, usize)> {
        let l = self.level.checked_sub(1)?;
        Some((self.parenstack[l], self.parenlinenostack[l], self.parencolstack[l]))
    }

    /// Depth of the f-string mode stack (CPython's `tok_mode_stack_index`).
    pub fn mode_depth(&self) -> usize {
        self.modes.len() - 1
    }

    /// The source text being tokenized.
    pub fn text(&self) -> &'a [u8] {
        self.text
    }

    /// CPython's `tok->implicit_newline`: the line just read had no newline of its own.
    pub fn implicit_newline(&self) -> bool {
        self.last_line_implicit_newline && self.inp == self.text.len() && self.inp > 0
    }

    #[inline]
    fn inside_fstring(&self) -> bool {
        self.modes.len() > 1
    }

    /// Read the next line into the buffer (CPython's readline underflow). Returns false at EOF.
    fn underflow(&mut self) -> bool {
        // A string's underflow restarts the buffer between tokens even inside an f-string, and
        // leaves it on the last line at EOF (where a readline's empties it).
        let restart = self.start == NONE && (self.string_input || !self.inside_fstring());
        if self.inp == self.text.len() {
            if restart && !self.string_input {
                self.buf = self.cur;
            }
            self.done = Done::Eof;
            return false;
        }
        if restart {
            self.buf = self.cur;
        }
        let rest = &self.text[self.inp..];
        let end = match memchr::memchr(b'\n', rest) {
            Some(i) => self.inp + i + 1,
            None => self.text.len(),
        };
        self.inp = end;
        self.lineno += 1;
        true
    }

    /// Get the next character (CPython's `tok_nextc`); `EOF` at the end or after an error.
    #[inline(always)]
    fn nextc(&mut self) -> i32 {
        if self.cur != self.inp {
            let c = self.text[self.cur];
            self.cur += 1;
            return c as i32;
        }
        self.nextc_slow()
    }

    #[cold]
    #[inline(never)]
    fn nextc_slow(&mut self) -> i32 {
        loop {
            if self.cur != self.inp {
                let c = self.text[self.cur];
                self.cur += 1;
                return c as i32;
            }
            if self.done != Done::Ok {
                return EOF;
            }
            if !self.underflow() {
                self.cur = self.inp;
                return EOF;
            }
            self.line_start = self.cur;
            if (self.line_start..self.inp).contains(&self.first_nul) {
                self.syntax_error("source code cannot contain null bytes".into());
                self.cur = self.inp;
                return EOF;
            }
        }
    }

    /// Consume bytes of the current line while `pred` holds (a bulk form of a `tok_nextc` loop;
    /// it never reads a new line, so the caller's next `nextc` sees what stopped it).
    #[inline(always)]
    fn skip_while(&mut self, pred: impl Fn(u8) -> bool) -> bool {
        let start = self.cur;
        let line = &self.text[self.cur..self.inp];
        let n = line.iter().position(|&b| !pred(b)).unwrap_or(line.len());
        self.cur += n;
        self.cur != start
    }

    /// Back up one character (CPython's `tok_backup`).
    #[inline(always)]
    fn backup(&mut self, c: i32) {
        if c != EOF {
            debug_assert!(self.cur > 0);
            self.cur -= 1;
            debug_assert_eq!(self.text[self.cur] as i32, c, "tok_backup: wrong character");
        }
    }

    /// The byte column of the next character (CPython's `tok->col_offset`).
    #[inline]
    pub fn col_offset(&self) -> i64 {
        self.cur as i64 - self.line_start as i64
    }

    /// Record a SyntaxError at the current position (CPython's `syntaxerror`).
    fn syntax_error(&mut self, msg: String) -> TokenType {
        self.syntax_error_range(msg, -1, -1)
    }

    fn syntax_error_range(&mut self, msg: String, col_offset: i64, end_col_offset: i64) -> TokenType {
        if self.done == Done::Error {
            return TokenType::ERRORTOKEN;
        }
        let upto = self.cur.max(self.line_start);
        let col_offset = if col_offset == -1 {
            char_count(&self.text[self.line_start..upto]) as i64
        } else {
            col_offset
        };
        let end_col_offset = if end_col_offset == -1 {
            col_offset
        } else {
            end_col_offset
        };
        let rest = &self.text[self.line_start..];
        let line_len = memchr::memchr2(b'\n', 0, rest).unwrap_or(rest.len());
        if self.error.is_none() {
            self.error = Some(TokSyntaxError {
                msg,
                lineno: self.lineno,
                offset: col_offset,
                end_lineno: self.lineno,
                end_offset: end_col_offset,
                text_start: self.line_start,
                text_end: self.line_start + line_len,
            });
        }
        self.done = Done::Error;
        TokenType::ERRORTOKEN
    }

    fn indent_error(&mut self) -> TokenType {
        self.done = Done::TabSpace;
        self.cur = self.inp;
        TokenType::ERRORTOKEN
    }

    fn warn(&mut self, category: &'static str, msg: String) {
        self.warnings.push(TokWarning {
            category,
            msg,
            lineno: self.lineno,
        });
    }

    fn warn_invalid_escape_sequence(&mut self, c: i32) {
        let msg = format!("invalid escape sequence '\\{}'", c as u8 as char);
        self.warn("SyntaxWarning", msg);
    }

    /// CPython's `lookahead`: is `test` next, not followed by an identifier character?
    fn lookahead(&mut self, test: &[u8]) -> bool {
        let mut i = 0;
        loop {
            let c = self.nextc();
            let res;
            if i == test.len() {
                res = !is_potential_identifier_char(c);
            } else if c == test[i] as i32 {
                i += 1;
                continue;
            } else {
                res = false;
            }
            self.backup(c);
            while i > 0 {
                i -= 1;
                self.backup(test[i] as i32);
            }
            return res;
        }
    }

    /// CPython's `verify_end_of_number`.
    fn verify_end_of_number(&mut self, c: i32, kind: &str) -> bool {
        if self.extra_tokens {
            return true;
        }
        let r = match c as u8 {
            _ if c < 0 => false,
            b'a' => self.lookahead(b"nd"),
            b'e' => self.lookahead(b"lse"),
            b'f' => self.lookahead(b"or"),
            b'i' => {
                let c2 = self.nextc();
                let r = c2 == ch(b'f') || c2 == ch(b'n') || c2 == ch(b's');
                self.backup(c2);
                r
            }
            b'o' => self.lookahead(b"r"),
            b'n' => self.lookahead(b"ot"),
            _ => false,
        };
        if r {
            self.backup(c);
            self.warn("SyntaxWarning", format!("invalid {kind} literal"));
            self.nextc();
        } else if (0..128).contains(&c) && is_potential_identifier_char(c) {
            self.backup(c);
            self.syntax_error(format!("invalid {kind} literal"));
            return false;
        }
        true
    }

    /// CPython's `verify_identifier` (only in the parser's configuration).
    fn verify_identifier(&mut self) -> bool {
        if self.extra_tokens {
            return true;
        }
        let s = match std::str::from_utf8(&self.text[self.start..self.cur]) {
            Ok(s) => s,
            Err(_) => {
                self.done = Done::Decode;
                return false;
            }
        };
        let invalid = pyrite_unicode::scan_identifier(s);
        let nchars = s.chars().count();
        if invalid < nchars {
            let (byte_idx, c) = s.char_indices().nth(invalid).unwrap();
            if invalid + 1 < nchars {
                self.cur = self.start + byte_idx + c.len_utf8();
            }
            let cp = c as u32;
            if pyrite_unicode::is_printable(c) {
                self.syntax_error(format!("invalid character '{c}' (U+{cp:04X})"));
            } else {
                self.syntax_error(format!("invalid non-printable character U+{cp:04X}"));
            }
            return false;
        }
        true
    }

    /// CPython's `tok_decimal_tail`: digits with single underscores; returns the next char,
    /// or `None` after a SyntaxError.
    fn decimal_tail(&mut self) -> Option<i32> {
        loop {
            let mut c;
            loop {
                c = self.nextc();
                if !is_digit(c) {
                    break;
                }
            }
            if c != ch(b'_') {
                return Some(c);
            }
            c = self.nextc();
            if !is_digit(c) {
                self.backup(c);
                self.syntax_error("invalid decimal literal".into());
                return None;
            }
        }
    }

    /// CPython's `tok_continuation_line`: after a backslash. Returns `None` on error.
    fn continuation_line(&mut self) -> Option<i32> {
        let mut c = self.nextc();
        if c == ch(b'\r') {
            c = self.nextc();
        }
        if c != ch(b'\n') {
            self.done = Done::LineCont;
            return None;
        }
        c = self.nextc();
        if c == EOF {
            self.done = Done::Eof;
            self.cur = self.inp;
            return None;
        }
        self.backup(c);
        Some(c)
    }

    #[inline]
    fn tok(&self, kind: TokenType, start: usize, end: usize) -> RawToken {
        RawToken { kind, start, end }
    }

    /// Get the next token (CPython's `_PyTokenizer_Get`).
    #[inline]
    pub fn next_token(&mut self) -> RawToken {
        if let Some(t) = self.fast_token() {
            return t;
        }
        self.next_token_general()
    }

    /// The commonest tokens in the commonest state, produced with exactly the effects the general
    /// path would have; `None` (having changed nothing) for anything else.
    #[inline(always)]
    fn fast_token(&mut self) -> Option<RawToken> {
        // The parser's configuration: no NL, COMMENT or type-comment tokens.
        let parser_mode = !self.extra_tokens && !self.type_comments;
        if self.pendin < 0 && parser_mode && self.modes.len() == 1 && self.done == Done::Ok {
            // A pending DEDENT, as the general path returns it.
            self.pendin += 1;
            self.start = self.cur;
            self.starting_col_offset = (self.cur - self.line_start) as i64;
            return Some(RawToken {
                kind: TokenType::DEDENT,
                start: NONE,
                end: NONE,
            });
        }
        if self.pendin != 0 || self.modes.len() != 1 || self.done != Done::Ok {
            return None;
        }
        let text = self.text;
        let mut p = self.cur;
        if self.atbol {
            // A new line indented with plain spaces.
            if self.level != 0 {
                return None;
            }
            loop {
                if p == self.inp {
                    // Read the line exactly as `tok_nextc` would at the start of `tok_get`.
                    self.start = NONE;
                    if !self.underflow() {
                        self.cur = self.inp;
                        return None;
                    }
                    self.line_start = self.cur;
                    if (self.line_start..self.inp).contains(&self.first_nul) {
                        self.syntax_error("source code cannot contain null bytes".into());
                        self.cur = self.inp;
                        return None;
                    }
                    p = self.cur;
                }
                let line = &text[..self.inp];
                let mut q = p;
                while q < line.len() && line[q] == b' ' {
                    q += 1;
                }
                let col = (q - p) as i32;
                if q < line.len() && self.extra_tokens && !self.type_comments {
                    match line[q] {
                        // A blank line: NL, the indentation untouched, still at the beginning of a line.
                        b'\n' => {
                            self.comment_newline = false;
                            self.start = q;
                            self.starting_col_offset = (q - self.line_start) as i64;
                            self.cur = q + 1;
                            return Some(RawToken {
                                kind: TokenType::NL,
                                start: q,
                                end: q + 1,
                            });
                        }
                        // A comment alone on its line: COMMENT, then NL.
                        b'#' => {
                            let end = q + memchr::memchr2(b'\n', b'\r', &line[q..])?;
                            self.atbol = false;
                            self.comment_newline = true;
                            self.start = q;
                            self.starting_col_offset = (q - self.line_start) as i64;
                            self.cur = end;
                            return Some(RawToken {
                                kind: TokenType::COMMENT,
                                start: q,
                                end,
                            });
                        }
                        _ => {}
                    }
                }
                if parser_mode && q < line.len() && (line[q] == b'\n' || line[q] == b'#') {
                    // A blank or comment-only line gives the parser nothing: on to the next
                    // line, still at its beginning, as the general path's `goto nextline`.
                    let nl = q + memchr::memchr2(b'\n', b'\r', &line[q..])?;
                    if line[nl] != b'\n' {
                        return None;
                    }
                    p = nl + 1;
                    self.cur = p;
                    continue;
                }
                if q >= line.len() || matches!(line[q], b'\t' | 0x0c | b'\\' | b'#' | b'\n' | b'\r') {
                    return None;
                }
                let top = self.indstack[self.indent];
                if col != top || col != self.altindstack[self.indent] {
                    if !parser_mode || col == top {
                        return None;
                    }
                    // The indentation changed (spaces only, so the tab-size-1 column is the
                    // same): INDENT, or the first of the DEDENTs, with the general path's
                    // effects; anything it would report as an error is left to it.
                    let kind = if col > top {
                        if self.indent + 1 >= MAXINDENT || col <= self.altindstack[self.indent] {
                            return None;
                        }
                        self.indent += 1;
                        self.indstack[self.indent] = col;
                        self.altindstack[self.indent] = col;
                        TokenType::INDENT
                    } else {
                        let mut i = self.indent;
                        while i > 0 && col < self.indstack[i] {
                            i -= 1;
                        }
                        if col != self.indstack[i] || col != self.altindstack[i] {
                            return None;
                        }
                        self.pendin = -((self.indent - i) as i32) + 1;
                        self.indent = i;
                        TokenType::DEDENT
                    };
                    self.atbol = false;
                    self.cur = q;
                    self.start = q;
                    self.starting_col_offset = (q - self.line_start) as i64;
                    return Some(RawToken {
                        kind,
                        start: NONE,
                        end: NONE,
                    });
                }
                // From here on the general path would find nothing more to do for the indentation.
                self.atbol = false;
                self.cur = q;
                p = q;
                break;
            }
        }
        let line = &text[..self.inp];
        while p < line.len() && line[p] == b' ' {
            p += 1;
        }
        let &b = line.get(p)?;
        let kind;
        let mut q = p + 1;
        match BYTE_CLASS[b as usize] {
            3 if b < 128 => {
                while q < line.len() && BYTE_CLASS[line[q] as usize] & 2 != 0 {
                    if line[q] >= 128 {
                        return None;
                    }
                    q += 1;
                }
                if q >= line.len() {
                    return None;
                }
                if line[q] == b'"' || line[q] == b'\'' {
                    // A string prefix: the bytes and raw ones here, f-strings and anything
                    // else to the general path.
                    let prefix = &line[p..q];
                    let plain = prefix.len() <= 2
                        && prefix.iter().all(|c| matches!(c | 0x20, b'b' | b'r' | b'u'))
                        && matches!(
                            prefix.iter().map(|c| c | 0x20).collect::<SmallPrefix>().0,
                            [b'b', 0] | [b'r', 0] | [b'u', 0] | [b'b', b'r'] | [b'r', b'b']
                        );
                    if !plain {
                        return None;
                    }
                    q = string_end_on_line(line, q)?;
                    self.first_lineno = self.lineno;
                    self.multi_line_start = self.line_start;
                    kind = TokenType::STRING;
                } else {
                    kind = keyword_token(&line[p..q]);
                }
            }
            2 => {
                // A plain decimal integer: no underscores, fraction, exponent or suffix.
                while q < line.len() && line[q].is_ascii_digit() {
                    q += 1;
                }
                if (b == b'0' && q > p + 1) || q >= line.len() || BYTE_CLASS[line[q] as usize] != 0 || line[q] == b'.' {
                    return None;
                }
                kind = TokenType::NUMBER;
            }
            _ => {
                let next = line.get(q).copied().unwrap_or(0);
                match b {
                    b'(' | b'[' | b'{' => {
                        if self.level >= MAXLEVEL {
                            return None;
                        }
                        self.parenstack[self.level] = b;
                        self.parenlinenostack[self.level] = self.lineno;
                        self.parencolstack[self.level] = p - self.line_start;
                        self.level += 1;
                        kind = one_char(b);
                    }
                    b')' | b']' | b'}' => {
                        if self.level == 0 {
                            return None;
                        }
                        let opening = self.parenstack[self.level - 1];
                        if !self.extra_tokens && !matches!((opening, b), (b'(', b')') | (b'[', b']') | (b'{', b'}')) {
                            return None;
                        }
                        self.level -= 1;
                        kind = one_char(b);
                    }
                    b'+' | b'-' | b'*' | b'/' | b'%' | b'&' | b'|' | b'^' | b'~' | b'<' | b'>' | b'=' | b'!' | b'@'
                    | b':' | b',' | b';' => {
                        // Operators, as the general path's two- and three-character checks find
                        // them (the line always ends in a newline, so `line[q + 1]` exists when
                        // a two-character operator matched).
                        let t2 = two_chars(b, next);
                        if t2 != TokenType::OP {
                            let t3 = three_chars(b, next, line[q + 1]);
                            if t3 != TokenType::OP {
                                kind = t3;
                                q += 2;
                            } else {
                                kind = t2;
                                q += 1;
                            }
                        } else {
                            if b == b'=' {
                                self.modes[0].debug = true;
                            }
                            kind = one_char(b);
                        }
                    }
                    b'"' | b'\'' => {
                        // A string that ends on its line.
                        q = string_end_on_line(line, p)?;
                        self.first_lineno = self.lineno;
                        self.multi_line_start = self.line_start;
                        kind = TokenType::STRING;
                    }
                    b'.' if next != b'.' && !next.is_ascii_digit() => kind = TokenType::DOT,
                    b'\n' if self.level == 0 && !self.comment_newline => {
                        self.atbol = true;
                        self.cont_line = false;
                        self.start = p;
                        self.starting_col_offset = (p - self.line_start) as i64;
                        self.cur = q;
                        return Some(RawToken {
                            kind: TokenType::NEWLINE,
                            start: p,
                            end: p,
                        });
                    }
                    b'#' if self.extra_tokens && !self.type_comments => {
                        q = p + memchr::memchr2(b'\n', b'\r', &line[p..])?;
                        self.comment_newline = false;
                        kind = TokenType::COMMENT;
                    }
                    b'\n' if self.level == 0 && self.comment_newline && self.extra_tokens => {
                        self.atbol = true;
                        self.comment_newline = false;
                        kind = TokenType::NL;
                    }
                    b'\n' if self.level > 0 && self.extra_tokens => {
                        self.atbol = true;
                        self.comment_newline = false;
                        kind = TokenType::NL;
                    }
                    _ => return None,
                }
            }
        }
        self.start = p;
        self.starting_col_offset = (p - self.line_start) as i64;
        self.cur = q;
        Some(RawToken { kind, start: p, end: q })
    }

    #[inline(never)]
    fn next_token_general(&mut self) -> RawToken {
        let idx = self.modes.len() - 1;
        let t = if self.modes[idx].kind == ModeKind::Regular {
            self.get_normal_mode(idx)
        } else {
            self.get_fstring_mode(idx)
        };
        if self.done == Done::Decode {
            return self.tok(TokenType::ERRORTOKEN, NONE, NONE);
        }
        t
    }

    fn err(&self) -> RawToken {
        self.tok(TokenType::ERRORTOKEN, NONE, NONE)
    }

    fn get_normal_mode(&mut self, mi: usize) -> RawToken {
        let mut c;
        let mut blankline;
        'nextline: loop {
            self.start = NONE;
            self.starting_col_offset = -1;
            blankline = false;

            // Get indentation level
            if self.atbol {
                let mut col: i32 = 0;
                let mut altcol: i32 = 0;
                self.atbol = false;
                let mut cont_line_col: i32 = 0;
                loop {
                    // Runs of spaces, the usual indentation, in bulk.
                    let before = self.cur;
                    if self.skip_while(|b| b == b' ') {
                        let n = (self.cur - before) as i32;
                        col += n;
                        altcol += n;
                    }
                    c = self.nextc();
                    if c == ch(b' ') {
                        col += 1;
                        altcol += 1;
                    } else if c == ch(b'\t') {
                        col = (col / TABSIZE + 1) * TABSIZE;
                        altcol = (altcol / ALTTABSIZE + 1) * ALTTABSIZE;
                    } else if c == 0o14 {
                        col = 0;
                        altcol = 0;
                    } else if c == ch(b'\\') {
                        cont_line_col = if cont_line_col != 0 { cont_line_col } else { col };
                        if self.continuation_line().is_none() {
                            return self.err();
                        }
                    } else {
                        break;
                    }
                }
                self.backup(c);
                if c == ch(b'#') || c == ch(b'\n') || c == ch(b'\r') {
                    blankline = true;
                }
                if !blankline && self.level == 0 {
                    if cont_line_col != 0 {
                        col = cont_line_col;
                        altcol = cont_line_col;
                    }
                    let top = self.indstack[self.indent];
                    if col == top {
                        if altcol != self.altindstack[self.indent] {
                            let t = self.indent_error();
                            return self.tok(t, NONE, NONE);
                        }
                    } else if col > top {
                        if self.indent + 1 >= MAXINDENT {
                            self.done = Done::TooDeep;
                            self.cur = self.inp;
                            return self.err();
                        }
                        if altcol <= self.altindstack[self.indent] {
                            let t = self.indent_error();
                            return self.tok(t, NONE, NONE);
                        }
                        self.pendin += 1;
                        self.indent += 1;
                        self.indstack[self.indent] = col;
                        self.altindstack[self.indent] = altcol;
                    } else {
                        while self.indent > 0 && col < self.indstack[self.indent] {
                            self.pendin -= 1;
                            self.indent -= 1;
                        }
                        if col != self.indstack[self.indent] {
                            self.done = Done::Dedent;
                            self.cur = self.inp;
                            return self.err();
                        }
                        if altcol != self.altindstack[self.indent] {
                            let t = self.indent_error();
                            return self.tok(t, NONE, NONE);
                        }
                    }
                }
            }

            self.start = self.cur;
            self.starting_col_offset = self.col_offset();

            // Return pending indents/dedents
            if self.pendin != 0 {
                if self.pendin < 0 {
                    self.pendin += 1;
                    let (s, e) = if self.extra_tokens {
                        (self.cur, self.cur)
                    } else {
                        (NONE, NONE)
                    };
                    return self.tok(TokenType::DEDENT, s, e);
                } else {
                    self.pendin -= 1;
                    let (s, e) = if self.extra_tokens {
                        (self.buf, self.cur)
                    } else {
                        (NONE, NONE)
                    };
                    return self.tok(TokenType::INDENT, s, e);
                }
            }

            // 'again': after a line continuation
            loop {
                self.start = NONE;
                // Skip spaces
                loop {
                    c = self.nextc();
                    if !(c == ch(b' ') || c == ch(b'\t') || c == 0o14) {
                        break;
                    }
                }
                // Set start of current token
                self.start = self.cur.wrapping_sub(1);
                self.starting_col_offset = self.col_offset() - 1;

                // Skip comment
                if c == ch(b'#') {
                    self.skip_while(|b| b != b'\n' && b != b'\r');
                    c = self.nextc();
                    while c != EOF && c != ch(b'\n') && c != ch(b'\r') {
                        c = self.nextc();
                    }
                    if self.type_comments {
                        if let Some(t) = self.type_comment(c, blankline) {
                            return t;
                        }
                    }
                    if self.extra_tokens {
                        self.backup(c);
                        self.comment_newline = blankline;
                        return self.tok(TokenType::COMMENT, self.start, self.cur);
                    }
                }

                // Check for EOF and errors now
                if c == EOF {
                    if self.level > 0 {
                        return self.err();
                    }
                    let kind = if self.done == Done::Eof {
                        TokenType::ENDMARKER
                    } else {
                        TokenType::ERRORTOKEN
                    };
                    return self.tok(kind, NONE, NONE);
                }

                // Identifier (most frequent token!)
                if is_potential_identifier_start(c) {
                    let (mut saw_b, mut saw_r, mut saw_u, mut saw_f) = (false, false, false, false);
                    loop {
                        let lc = (c as u8).to_ascii_lowercase();
                        if !(saw_b || saw_u || saw_f) && lc == b'b' {
                            saw_b = true;
                        } else if !(saw_b || saw_u || saw_r || saw_f) && lc == b'u' {
                            saw_u = true;
                        } else if !(saw_r || saw_u) && lc == b'r' {
                            saw_r = true;
                        } else if !(saw_f || saw_b || saw_u) && lc == b'f' {
                            saw_f = true;
                        } else {
                            break;
                        }
                        c = self.nextc();
                        if c == ch(b'"') || c == ch(b'\'') {
                            if saw_f {
                                return self.fstring_start(c);
                            }
                            return self.string(c, mi);
                        }
                    }
                    let mut nonascii = c >= 128;
                    if is_potential_identifier_char(c) {
                        let from = self.cur;
                        self.skip_while(|b| is_potential_identifier_char(b as i32));
                        nonascii |= !self.text[from..self.cur].is_ascii();
                        c = self.nextc();
                    }
                    while is_potential_identifier_char(c) {
                        if c >= 128 {
                            nonascii = true;
                        }
                        c = self.nextc();
                    }
                    self.backup(c);
                    if nonascii && !self.verify_identifier() {
                        return self.err();
                    }
                    return self.tok(keyword_token(&self.text[self.start..self.cur]), self.start, self.cur);
                }

                if c == ch(b'\r') {
                    c = self.nextc();
                }

                // Newline
                if c == ch(b'\n') {
                    self.atbol = true;
                    if blankline || self.level > 0 {
                        if self.extra_tokens {
                            self.comment_newline = false;
                            return self.tok(TokenType::NL, self.start, self.cur);
                        }
                        continue 'nextline;
                    }
                    if self.comment_newline && self.extra_tokens {
                        self.comment_newline = false;
                        return self.tok(TokenType::NL, self.start, self.cur);
                    }
                    self.cont_line = false;
                    return self.tok(TokenType::NEWLINE, self.start, self.cur - 1);
                }

                // Period or number starting with period?
                if c == ch(b'.') {
                    c = self.nextc();
                    if is_digit(c) {
                        return self.number_fraction(c);
                    } else if c == ch(b'.') {
                        c = self.nextc();
                        if c == ch(b'.') {
                            return self.tok(TokenType::ELLIPSIS, self.start, self.cur);
                        } else {
                            self.backup(c);
                        }
                        self.backup(ch(b'.'));
                    } else {
                        self.backup(c);
                    }
                    return self.tok(TokenType::DOT, self.start, self.cur);
                }

                // Number
                if is_digit(c) {
                    return self.number(c);
                }

                // String (f-strings only arrive here through the prefix loop above)
                if c == ch(b'\'') || c == ch(b'"') {
                    return self.string(c, mi);
                }

                // Line continuation
                if c == ch(b'\\') {
                    if self.continuation_line().is_none() {
                        return self.err();
                    }
                    self.cont_line = true;
                    continue; // again
                }
                break;
            }
            break;
        }

        // Punctuation character
        let is_punctuation = c == ch(b':') || c == ch(b'}') || c == ch(b'!') || c == ch(b'{');
        if is_punctuation && self.inside_fstring() && self.modes[mi].curly_bracket_expr_start_depth >= 0 {
            // Before the '{' case below increments curly_bracket_depth, so adjust for it.
            let cursor = self.modes[mi].curly_bracket_depth - i32::from(c != ch(b'{'));
            if c == ch(b':') && cursor == self.modes[mi].curly_bracket_expr_start_depth {
                let m = &mut self.modes[mi];
                m.kind = ModeKind::FString;
                m.in_format_spec = true;
                return self.tok(one_char(c as u8), self.start, self.cur);
            }
        }

        // Check for two-character token
        {
            let c2 = self.nextc();
            let mut current_token = if c2 >= 0 {
                two_chars(c as u8, c2 as u8)
            } else {
                TokenType::OP
            };
            if current_token != TokenType::OP {
                let c3 = self.nextc();
                let t3 = if c3 >= 0 {
                    three_chars(c as u8, c2 as u8, c3 as u8)
                } else {
                    TokenType::OP
                };
                if t3 != TokenType::OP {
                    current_token = t3;
                } else {
                    self.backup(c3);
                }
                return self.tok(current_token, self.start, self.cur);
            }
            self.backup(c2);
        }

        // Keep track of parentheses nesting level
        match c as u8 {
            b'(' | b'[' | b'{' => {
                if self.level >= MAXLEVEL {
                    let t = self.syntax_error("too many nested parentheses".into());
                    return self.tok(t, NONE, NONE);
                }
                self.parenstack[self.level] = c as u8;
                self.parenlinenostack[self.level] = self.lineno;
                self.parencolstack[self.level] = self.start - self.line_start;
                self.level += 1;
                if self.inside_fstring() {
                    self.modes[mi].curly_bracket_depth += 1;
                }
            }
            b')' | b']' | b'}' => {
                if self.inside_fstring() && self.modes[mi].curly_bracket_depth == 0 && c == ch(b'}') {
                    let t = self.syntax_error("f-string: single '}' is not allowed".into());
                    return self.tok(t, NONE, NONE);
                }
                if !self.extra_tokens && self.level == 0 {
                    let t = self.syntax_error(format!("unmatched '{}'", c as u8 as char));
                    return self.tok(t, NONE, NONE);
                }
                if self.level > 0 {
                    self.level -= 1;
                    let opening = self.parenstack[self.level];
                    let c8 = c as u8;
                    if !self.extra_tokens && !matches!((opening, c8), (b'(', b')') | (b'[', b']') | (b'{', b'}')) {
                        if self.inside_fstring() && opening == b'{' {
                            let previous_bracket = self.modes[mi].curly_bracket_depth - 1;
                            if previous_bracket == self.modes[mi].curly_bracket_expr_start_depth {
                                let t = self.syntax_error(format!("f-string: unmatched '{}'", c8 as char));
                                return self.tok(t, NONE, NONE);
                            }
                        }
                        let open_line = self.parenlinenostack[self.level];
                        let msg = if open_line != self.lineno {
                            format!(
                                "closing parenthesis '{}' does not match opening parenthesis '{}' on line {}",
                                c8 as char, opening as char, open_line
                            )
                        } else {
                            format!(
                                "closing parenthesis '{}' does not match opening parenthesis '{}'",
                                c8 as char, opening as char
                            )
                        };
                        let t = self.syntax_error(msg);
                        return self.tok(t, NONE, NONE);
                    }
                }
                if self.inside_fstring() {
                    let m = &mut self.modes[mi];
                    m.curly_bracket_depth -= 1;
                    if m.curly_bracket_depth < 0 {
                        let t = self.syntax_error(format!("f-string: unmatched '{}'", c as u8 as char));
                        return self.tok(t, NONE, NONE);
                    }
                    let m = &mut self.modes[mi];
                    if c == ch(b'}') && m.curly_bracket_depth == m.curly_bracket_expr_start_depth {
                        m.curly_bracket_expr_start_depth -= 1;
                        m.kind = ModeKind::FString;
                        m.in_format_spec = false;
                        m.debug = false;
                    }
                }
            }
            _ => {}
        }

        if !(0x20..0x7f).contains(&c) {
            let t = self.syntax_error(format!("invalid non-printable character U+{c:04X}"));
            return self.tok(t, NONE, NONE);
        }

        if c == ch(b'=') && self.modes[mi].curly_bracket_expr_start_depth >= 0 {
            self.modes[mi].debug = true;
        }

        self.tok(one_char(c as u8), self.start, self.cur)
    }

    /// A comment that matches `# type: ` (each space standing for any run of spaces and tabs) is
    /// a TYPE_COMMENT, or a TYPE_IGNORE when what follows is `ignore` not followed by an ASCII
    /// letter, digit or non-ASCII byte. `c` is the character that ended the comment.
    fn type_comment(&mut self, c: i32, blankline: bool) -> Option<RawToken> {
        let text = self.text;
        let at = |i: usize| text.get(i).copied().unwrap_or(0);
        let mut p = self.start;
        let mut matched = true;
        for &want in b"# type: " {
            if p >= self.cur {
                matched = false;
                break;
            }
            if want == b' ' {
                while at(p) == b' ' || at(p) == b'\t' {
                    p += 1;
                }
            } else if at(p) == want {
                p += 1;
            } else {
                matched = false;
                break;
            }
        }
        if !matched {
            return None;
        }
        self.backup(c); // don't eat the newline or EOF
        let ignore_end = p + 6;
        let is_type_ignore = self.cur >= ignore_end
            && &text[p..ignore_end] == b"ignore"
            && !(self.cur > ignore_end && (at(ignore_end) >= 128 || at(ignore_end).is_ascii_alphanumeric()));
        if is_type_ignore {
            let end = self.cur;
            // A type: ignore alone on its line consumes the newline too.
            if blankline {
                self.nextc();
                self.atbol = true;
            }
            return Some(self.tok(TokenType::TYPE_IGNORE, ignore_end, end));
        }
        Some(self.tok(TokenType::TYPE_COMMENT, p, self.cur))
    }

    /// Numbers (CPython's number branch of `tok_get_normal_mode`); `c` is the first digit.
    fn number(&mut self, mut c: i32) -> RawToken {
        if c == ch(b'0') {
            // Hex, octal or binary -- maybe.
            c = self.nextc();
            if c == ch(b'x') || c == ch(b'X') {
                c = self.nextc();
                loop {
                    if c == ch(b'_') {
                        c = self.nextc();
                    }
                    if !is_xdigit(c) {
                        self.backup(c);
                        return self.error_token("invalid hexadecimal literal");
                    }
                    loop {
                        c = self.nextc();
                        if !is_xdigit(c) {
                            break;
                        }
                    }
                    if c != ch(b'_') {
                        break;
                    }
                }
                if !self.verify_end_of_number(c, "hexadecimal") {
                    return self.err();
                }
            } else if c == ch(b'o') || c == ch(b'O') {
                c = self.nextc();
                loop {
                    if c == ch(b'_') {
                        c = self.nextc();
                    }
                    if c < ch(b'0') || c >= ch(b'8') {
                        if is_digit(c) {
                            return self.error_token(&format!("invalid digit '{}' in octal literal", c as u8 as char));
                        }
                        self.backup(c);
                        return self.error_token("invalid octal literal");
                    }
                    loop {
                        c = self.nextc();
                        if !(ch(b'0')..ch(b'8')).contains(&c) {
                            break;
                        }
                    }
                    if c != ch(b'_') {
                        break;
                    }
                }
                if is_digit(c) {
                    return self.error_token(&format!("invalid digit '{}' in octal literal", c as u8 as char));
                }
                if !self.verify_end_of_number(c, "octal") {
                    return self.err();
                }
            } else if c == ch(b'b') || c == ch(b'B') {
                c = self.nextc();
                loop {
                    if c == ch(b'_') {
                        c = self.nextc();
                    }
                    if c != ch(b'0') && c != ch(b'1') {
                        if is_digit(c) {
                            return self.error_token(&format!("invalid digit '{}' in binary literal", c as u8 as char));
                        }
                        self.backup(c);
                        return self.error_token("invalid binary literal");
                    }
                    loop {
                        c = self.nextc();
                        if c != ch(b'0') && c != ch(b'1') {
                            break;
                        }
                    }
                    if c != ch(b'_') {
                        break;
                    }
                }
                if is_digit(c) {
                    return self.error_token(&format!("invalid digit '{}' in binary literal", c as u8 as char));
                }
                if !self.verify_end_of_number(c, "binary") {
                    return self.err();
                }
            } else {
                let mut nonzero = false;
                // maybe old-style octal; in any case, allow '0' as a literal
                loop {
                    if c == ch(b'_') {
                        c = self.nextc();
                        if !is_digit(c) {
                            self.backup(c);
                            return self.error_token("invalid decimal literal");
                        }
                    }
                    if c != ch(b'0') {
                        break;
                    }
                    c = self.nextc();
                }
                let zeros_end = self.cur;
                if is_digit(c) {
                    nonzero = true;
                    match self.decimal_tail() {
                        Some(n) => c = n,
                        None => return self.err(),
                    }
                }
                if c == ch(b'.') {
                    c = self.nextc();
                    return self.number_fraction(c);
                } else if c == ch(b'e') || c == ch(b'E') {
                    return self.number_exponent(c);
                } else if c == ch(b'j') || c == ch(b'J') {
                    return self.number_imaginary();
                } else if nonzero && !self.extra_tokens {
                    // Old-style octal: now disallowed.
                    self.backup(c);
                    let col = (self.start + 1 - self.line_start) as i64;
                    let end_col = (zeros_end - self.line_start) as i64;
                    let t = self.syntax_error_range(
                        "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers".into(),
                        col,
                        end_col,
                    );
                    return self.tok(t, NONE, NONE);
                }
                if !self.verify_end_of_number(c, "decimal") {
                    return self.err();
                }
            }
        } else {
            // Decimal
            match self.decimal_tail() {
                Some(n) => c = n,
                None => return self.err(),
            }
            if c == ch(b'.') {
                c = self.nextc();
                return self.number_fraction(c);
            }
            return self.number_after_fraction(c);
        }
        self.backup(c);
        self.tok(TokenType::NUMBER, self.start, self.cur)
    }

    /// After the '.' of a float; `c` is the character following it.
    fn number_fraction(&mut self, mut c: i32) -> RawToken {
        if is_digit(c) {
            match self.decimal_tail() {
                Some(n) => c = n,
                None => return self.err(),
            }
        }
        self.number_after_fraction(c)
    }

    fn number_after_fraction(&mut self, c: i32) -> RawToken {
        if c == ch(b'e') || c == ch(b'E') {
            return self.number_exponent(c);
        }
        if c == ch(b'j') || c == ch(b'J') {
            return self.number_imaginary();
        }
        if !self.verify_end_of_number(c, "decimal") {
            return self.err();
        }
        self.backup(c);
        self.tok(TokenType::NUMBER, self.start, self.cur)
    }

    /// At the 'e' of an exponent (`c` is that 'e' or 'E').
    fn number_exponent(&mut self, e: i32) -> RawToken {
        let mut c = self.nextc();
        if c == ch(b'+') || c == ch(b'-') {
            c = self.nextc();
            if !is_digit(c) {
                self.backup(c);
                return self.error_token("invalid decimal literal");
            }
        } else if !is_digit(c) {
            self.backup(c);
            if !self.verify_end_of_number(e, "decimal") {
                return self.err();
            }
            self.backup(e);
            return self.tok(TokenType::NUMBER, self.start, self.cur);
        }
        match self.decimal_tail() {
            Some(n) => c = n,
            None => return self.err(),
        }
        if c == ch(b'j') || c == ch(b'J') {
            return self.number_imaginary();
        }
        if !self.verify_end_of_number(c, "decimal") {
            return self.err();
        }
        self.backup(c);
        self.tok(TokenType::NUMBER, self.start, self.cur)
    }

    /// After the 'j' of an imaginary literal has been seen (not yet consumed past).
    fn number_imaginary(&mut self) -> RawToken {
        let c = self.nextc();
        if !self.verify_end_of_number(c, "imaginary") {
            return self.err();
        }
        self.backup(c);
        self.tok(TokenType::NUMBER, self.start, self.cur)
    }

    fn error_token(&mut self, msg: &str) -> RawToken {
        let t = self.syntax_error(msg.to_string());
        self.tok(t, NONE, NONE)
    }

    /// The opening quote of an f-string: push an f-string mode (CPython's `f_string_quote` label).
    fn fstring_start(&mut self, quote: i32) -> RawToken {
        let mut quote_size = 1;
        self.first_lineno = self.lineno;
        self.multi_line_start = self.line_start;
        let after_quote = self.nextc();
        if after_quote == quote {
            let after_after_quote = self.nextc();
            if after_after_quote == quote {
                quote_size = 3;
            } else {
                self.backup(after_after_quote);
                self.backup(after_quote);
            }
        }
        if after_quote != quote {
            self.backup(after_quote);
        }
        let (p_start, p_end) = (self.start, self.cur);
        if self.modes.len() >= MAXFSTRINGLEVEL {
            return self.error_token("too many nested f-strings");
        }
        let first = self.text[self.start].to_ascii_lowercase();
        let raw = if first == b'f' {
            self.text[self.start + 1].eq_ignore_ascii_case(&b'r')
        } else {
            true
        };
        self.modes.push(Mode {
            kind: ModeKind::FString,
            curly_bracket_depth: 0,
            curly_bracket_expr_start_depth: -1,
            quote: quote as u8,
            quote_size,
            raw,
            start: self.start,
            multi_line_start: self.line_start,
            line_start: self.lineno,
            debug: false,
            in_format_spec: false,
        });
        self.tok(TokenType::FSTRING_START, p_start, p_end)
    }

    /// A string literal (CPython's `letter_quote` label); `quote` is the opening quote.
    fn string(&mut self, quote: i32, mi: usize) -> RawToken {
        let mut quote_size = 1;
        let mut end_quote_size = 0;
        self.first_lineno = self.lineno;
        self.multi_line_start = self.line_start;

        // Find the quote size and start of string
        let mut c = self.nextc();
        if c == quote {
            c = self.nextc();
            if c == quote {
                quote_size = 3;
            } else {
                end_quote_size = 1; // empty string found
            }
        }
        if c != quote {
            self.backup(c);
        }

        // Get rest of string
        let q = quote as u8;
        while end_quote_size != quote_size {
            if self.skip_while(|b| b != q && b != b'\\' && b != b'\n') {
                end_quote_size = 0;
            }
            c = self.nextc();
            if self.done == Done::Error {
                return self.err();
            }
            if self.done == Done::Decode {
                break;
            }
            if c == EOF || (quote_size == 1 && c == ch(b'\n')) {
                // Report the error from the initial quote character.
                self.cur = self.start + 1;
                self.line_start = self.multi_line_start;
                let start_line = self.lineno;
                self.lineno = self.first_lineno;
                if self.inside_fstring() {
                    let m = &self.modes[mi];
                    if m.quote as i32 == quote && m.quote_size == quote_size {
                        return self.error_token("f-string: expecting '}'");
                    }
                }
                if quote_size == 3 {
                    self.syntax_error(format!(
                        "unterminated triple-quoted string literal (detected at line {start_line})"
                    ));
                    if c != ch(b'\n') {
                        self.done = Done::Eofs;
                    }
                } else {
                    self.syntax_error(format!("unterminated string literal (detected at line {start_line})"));
                    if c != ch(b'\n') {
                        self.done = Done::Eols;
                    }
                }
                return self.err();
            }
            if c == quote {
                end_quote_size += 1;
            } else {
                end_quote_size = 0;
                if c == ch(b'\\') {
                    c = self.nextc(); // skip escaped char
                    if c == ch(b'\r') {
                        self.nextc();
                    }
                }
            }
        }
        self.tok(TokenType::STRING, self.start, self.cur)
    }

    /// Inside the literal part of an f-string (CPython's `tok_get_fstring_mode`).
    fn get_fstring_mode(&mut self, mi: usize) -> RawToken {
        let mut end_quote_size = 0;
        let mut unicode_escape = false;

        self.start = self.cur;
        self.first_lineno = self.lineno;
        self.starting_col_offset = self.col_offset();

        // If we start with a bracket, defer to the normal mode: nothing to tokenize before it.
        let start_char = self.nextc();
        if start_char == ch(b'{') {
            let peek1 = self.nextc();
            self.backup(peek1);
            self.backup(start_char);
            if peek1 != ch(b'{') {
                self.modes[mi].curly_bracket_expr_start_depth += 1;
                if self.modes[mi].curly_bracket_expr_start_depth >= MAX_EXPR_NESTING {
                    return self.error_token("f-string: expressions nested too deeply");
                }
                self.modes[mi].kind = ModeKind::Regular;
                return self.get_normal_mode(mi);
            }
        } else {
            self.backup(start_char);
        }

        // Check if we are at the end of the string
        let (quote, quote_size) = (self.modes[mi].quote as i32, self.modes[mi].quote_size);
        let mut at_end = true;
        for _ in 0..quote_size {
            let q = self.nextc();
            if q != quote {
                self.backup(q);
                at_end = false;
                break;
            }
        }
        if at_end {
            let (s, e) = (self.start, self.cur);
            self.modes.pop();
            return self.tok(TokenType::FSTRING_END, s, e);
        }

        // f_string_middle:
        self.multi_line_start = self.line_start;
        while end_quote_size != quote_size {
            let c = self.nextc();
            if self.done == Done::Error || self.done == Done::Decode {
                return self.err();
            }
            let m = self.modes[mi];
            let in_format_spec = m.in_format_spec && m.curly_bracket_expr_start_depth >= 0;

            if c == EOF || (quote_size == 1 && c == ch(b'\n')) {
                // A newline ends a format spec: return to the regular mode.
                if in_format_spec && c == ch(b'\n') {
                    self.backup(c);
                    let m = &mut self.modes[mi];
                    m.kind = ModeKind::Regular;
                    m.in_format_spec = false;
                    return self.tok(TokenType::FSTRING_MIDDLE, self.start, self.cur);
                }
                // Report the error from the f-string's opening quote.
                self.cur = m.start + 1;
                self.line_start = m.multi_line_start;
                let start_line = self.lineno;
                self.lineno = m.line_start;
                if quote_size == 3 {
                    self.syntax_error(format!(
                        "unterminated triple-quoted f-string literal (detected at line {start_line})"
                    ));
                    if c != ch(b'\n') {
                        self.done = Done::Eofs;
                    }
                    return self.err();
                }
                return self.error_token(&format!(
                    "unterminated f-string literal (detected at line {start_line})"
                ));
            }

            if c == quote {
                end_quote_size += 1;
                continue;
            }
            end_quote_size = 0;

            if c == ch(b'{') {
                let peek = self.nextc();
                if peek != ch(b'{') || in_format_spec {
                    self.backup(peek);
                    self.backup(c);
                    let m = &mut self.modes[mi];
                    m.curly_bracket_expr_start_depth += 1;
                    if m.curly_bracket_expr_start_depth >= MAX_EXPR_NESTING {
                        return self.error_token("f-string: expressions nested too deeply");
                    }
                    let m = &mut self.modes[mi];
                    m.kind = ModeKind::Regular;
                    m.in_format_spec = false;
                    return self.tok(TokenType::FSTRING_MIDDLE, self.start, self.cur);
                }
                return self.tok(TokenType::FSTRING_MIDDLE, self.start, self.cur - 1);
            } else if c == ch(b'}') {
                if unicode_escape {
                    return self.tok(TokenType::FSTRING_MIDDLE, self.start, self.cur);
                }
                let peek = self.nextc();
                // Format specs can't legally use doubled braces, so '}}' only escapes outside one.
                let cursor = self.modes[mi].curly_bracket_depth;
                if peek == ch(b'}') && !in_format_spec && cursor == 0 {
                    return self.tok(TokenType::FSTRING_MIDDLE, self.start, self.cur - 1);
                }
                self.backup(peek);
                self.backup(c);
                self.modes[mi].kind = ModeKind::Regular;
                return self.tok(TokenType::FSTRING_MIDDLE, self.start, self.cur);
            } else if c == ch(b'\\') {
                let mut peek = self.nextc();
                if peek == ch(b'\r') {
                    peek = self.nextc();
                }
                // A backslash right before a brace: give the brace back to the loop.
                if peek == ch(b'{') || peek == ch(b'}') {
                    if !self.modes[mi].raw {
                        self.warn_invalid_escape_sequence(peek);
                    }
                    self.backup(peek);
                    continue;
                }
                if !self.modes[mi].raw && peek == ch(b'N') {
                    // Named unicode escapes (\N{BULLET})
                    peek = self.nextc();
                    if peek == ch(b'{') {
                        unicode_escape = true;
                    } else {
                        self.backup(peek);
                    }
                }
            }
        }

        // Back up over the closing quotes: emit a final FSTRING_MIDDLE now and the quotes as
        // FSTRING_END next time.
        for _ in 0..quote_size {
            self.backup(quote);
        }
        self.tok(TokenType::FSTRING_MIDDLE, self.start, self.cur)
    }
}

/// NAME, or ASYNC / AWAIT for the two names the 3.12 tokenizer always reports as such.
#[inline(always)]
fn keyword_token(name: &[u8]) -> TokenType {
    match name {
        b"async" => TokenType::ASYNC,
        b"await" => TokenType::AWAIT,
        _ => TokenType::NAME,
    }
}

/// Number of characters in a UTF-8 byte string (counting each non-continuation byte).
#[inline]
pub fn char_count(bytes: &[u8]) -> usize {
    if bytes.is_ascii() {
        return bytes.len();
    }
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}
