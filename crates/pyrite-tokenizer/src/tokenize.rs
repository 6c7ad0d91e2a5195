//! The `tokenize` module's view of the tokenizer: what `python3.12 -m tokenize [-e] FILE` prints.
//!
//! CPython 3.12's `tokenize` drives the C tokenizer in its "extra tokens" configuration and then
//! adjusts each token in `Python/Python-tokenize.c` (positions in characters, operators reported
//! as OP, NEWLINE text, the line numbers of trailing tokens). [`TokenizeIter`] does the same.

use crate::lexer::{char_count, Done, Lexer, LexerOptions, RawToken, TokSyntaxError, NONE};
use crate::source::{decode_for_tokenize, detect_encoding};
use crate::token::{exact_type_of, TokenType};
use std::fmt::Write as _;

/// A token as the `tokenize` module reports it (`TokenInfo` without the `line` field).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo<'a> {
    pub kind: TokenType,
    pub string: &'a str,
    pub start: (usize, i64),
    pub end: (usize, i64),
}

impl TokenInfo<'_> {
    /// `TokenInfo.exact_type`: the operator's own type for OP tokens.
    pub fn exact_type(&self) -> TokenType {
        if self.kind == TokenType::OP {
            exact_type_of(self.string.as_bytes()).unwrap_or(TokenType::OP)
        } else {
            self.kind
        }
    }
}

/// The exception `_tokenize.TokenizerIter` raises: its class, message and location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenizeError {
    /// `SyntaxError`, `IndentationError` or `TabError`.
    pub kind: &'static str,
    pub msg: String,
    pub lineno: usize,
    pub offset: i64,
}

/// Iterates over a decoded text's tokens as `_tokenize.TokenizerIter` yields them
/// (`Python/Python-tokenize.c`): with `extra_tokens` as the `tokenize` module sees them,
/// without it the C tokenizer's raw stream, which is what the parser reads.
pub struct TokenizeIter<'a> {
    lexer: Lexer<'a>,
    extra_tokens: bool,
    text: &'a str,
    finished: bool,
    /// Incremental character counting on the current line: (line start, byte pos, chars so far).
    col_cache: (usize, usize, usize),
    /// The range most recently found to be pure ASCII, where characters are bytes.
    ascii_range: (usize, usize),
}

impl<'a> TokenizeIter<'a> {
    pub fn new(text: &'a str, implicit_newline: bool, options: LexerOptions) -> Self {
        TokenizeIter {
            lexer: Lexer::new(text.as_bytes(), implicit_newline, options),
            extra_tokens: options.extra_tokens,
            text,
            finished: false,
            col_cache: (NONE, 0, 0),
            ascii_range: (NONE, NONE),
        }
    }

    /// Warnings the tokenizer has raised so far.
    pub fn warnings(&self) -> &[crate::lexer::TokWarning] {
        &self.lexer.warnings
    }

    /// Characters in `text[line_start..pos]`, reusing the previous count on the same line.
    fn chars_between(&mut self, line_start: usize, pos: usize) -> usize {
        let bytes = self.text.as_bytes();
        let (cs, cp, cc) = self.col_cache;
        let n = if cs == line_start && cp <= pos {
            cc + char_count(&bytes[cp..pos])
        } else {
            char_count(&bytes[line_start..pos])
        };
        self.col_cache = (line_start, pos, n);
        n
    }

    /// `_PyPegen_byte_offset_to_character_offset` on the text from `line_start` to the end of the
    /// buffer (less an implicit newline): offsets past its end are clamped to one past it, and an
    /// offset inside a multi-byte character counts that character (its partial decoding is one
    /// replacement character).
    #[inline]
    fn col_in_line(&mut self, line_start: usize, pos: usize) -> i64 {
        let mut line_end = self.lexer.inp.max(line_start);
        if line_end > line_start && self.lexer.implicit_newline() {
            line_end -= 1;
        }
        let len = line_end - line_start;
        let off = pos - line_start;
        if (line_start, line_end) != self.ascii_range && self.text.as_bytes()[line_start..line_end].is_ascii() {
            self.ascii_range = (line_start, line_end);
        }
        if (line_start, line_end) == self.ascii_range {
            return off.min(len + 1) as i64;
        }
        if off > len {
            (self.chars_between(line_start, line_end) + 1) as i64
        } else {
            self.chars_between(line_start, pos) as i64
        }
    }

    /// The exception for the error that stopped the tokenizer (`_tokenizer_error`).
    fn convert_error(&self) -> TokenizeError {
        let lx = &self.lexer;
        if let Some(TokSyntaxError {
            msg, lineno, offset, ..
        }) = &lx.error
        {
            return TokenizeError {
                kind: "SyntaxError",
                msg: msg.clone(),
                lineno: *lineno,
                offset: *offset,
            };
        }
        let (kind, msg) = match lx.done {
            Done::Eof => {
                // Located by `PyErr_SyntaxLocationObject`, with the buffer's length in bytes.
                return TokenizeError {
                    kind: "SyntaxError",
                    msg: "unexpected EOF in multi-line statement".into(),
                    lineno: lx.lineno,
                    offset: lx.inp as i64 - lx.buf as i64,
                };
            }
            Done::Token => ("SyntaxError", "invalid token"),
            Done::Dedent => (
                "IndentationError",
                "unindent does not match any outer indentation level",
            ),
            Done::TabSpace => ("TabError", "inconsistent use of tabs and spaces in indentation"),
            Done::TooDeep => ("IndentationError", "too many levels of indentation"),
            Done::LineCont => ("SyntaxError", "unexpected character after line continuation character"),
            _ => ("SyntaxError", "unknown tokenization error"),
        };
        // The offset is measured over the whole buffer, whose last byte is its newline.
        let size = lx.inp.saturating_sub(lx.buf);
        let line = &self.text.as_bytes()[lx.buf..lx.buf + size.saturating_sub(1)];
        let offset = if size == 0 { 0 } else { char_count(line) as i64 + 1 };
        TokenizeError {
            kind,
            msg: msg.into(),
            lineno: lx.lineno,
            offset,
        }
    }

    fn convert(&mut self, t: RawToken) -> TokenInfo<'a> {
        // The common case: a one-line token other than NEWLINE/NL on a line of ASCII text.
        let lx = &self.lexer;
        if self.extra_tokens
            && t.start != NONE
            && t.start >= lx.line_start
            && matches!(
                t.kind,
                TokenType::NAME
                    | TokenType::NUMBER
                    | TokenType::ASYNC
                    | TokenType::AWAIT
                    | TokenType::COMMENT
                    | TokenType::OP
            ) | (t.kind > TokenType::DEDENT && t.kind < TokenType::OP)
        {
            let ls = lx.line_start;
            let mut le = lx.inp;
            if lx.implicit_newline() {
                le -= 1;
            }
            if (ls, le) == self.ascii_range || {
                let ascii = self.text.as_bytes()[ls..le].is_ascii();
                if ascii {
                    self.ascii_range = (ls, le);
                }
                ascii
            } {
                let kind = match t.kind {
                    TokenType::ASYNC | TokenType::AWAIT => TokenType::NAME,
                    k if k > TokenType::DEDENT && k < TokenType::OP => TokenType::OP,
                    k => k,
                };
                let lineno = lx.lineno;
                return TokenInfo {
                    kind,
                    string: &self.text[t.start..t.end],
                    start: (lineno, (t.start - ls) as i64),
                    end: (lineno, (t.end - ls) as i64),
                };
            }
        }
        let lx = &self.lexer;
        let is_string_lit = matches!(t.kind, TokenType::STRING | TokenType::FSTRING_MIDDLE);
        let is_trailing = t.kind == TokenType::ENDMARKER || (t.kind == TokenType::DEDENT && lx.done == Done::Eof);
        let line_start = if is_string_lit {
            lx.multi_line_start
        } else {
            lx.line_start
        };
        let cur_line_start = lx.line_start;
        let mut lineno = if is_string_lit { lx.first_lineno } else { lx.lineno };
        let mut end_lineno = lx.lineno;
        let tok_start_char = self.text.as_bytes().get(t.start).copied().unwrap_or(0);
        let implicit_newline = lx.implicit_newline();
        let mut string: &'a str = if t.start == NONE || t.end == NONE {
            ""
        } else {
            &self.text[t.start..t.end]
        };

        let mut col = -1;
        let mut end_col = -1;
        if t.start != NONE && t.start >= line_start {
            col = self.col_in_line(line_start, t.start);
        }
        if t.end != NONE && t.end >= cur_line_start {
            // CPython 3.12.1 measures the end's byte offset from the start of the token's last
            // line, but converts it to characters over the text of the token's *first* line
            // onwards: for a multi-line string these differ, and so does its end column.
            end_col = self.col_in_line(line_start, line_start + (t.end - cur_line_start));
        }

        if !self.extra_tokens {
            return TokenInfo {
                kind: t.kind,
                string,
                start: (lineno, col),
                end: (end_lineno, end_col),
            };
        }
        if is_trailing {
            lineno += 1;
            end_lineno = lineno;
            col = 0;
            end_col = 0;
        }
        let mut kind = t.kind;
        if kind > TokenType::DEDENT && kind < TokenType::OP {
            kind = TokenType::OP;
        } else if kind == TokenType::ASYNC || kind == TokenType::AWAIT {
            kind = TokenType::NAME;
        } else if kind == TokenType::NEWLINE {
            if !implicit_newline {
                string = if tok_start_char == b'\r' { "\r\n" } else { "\n" };
            }
            end_col += 1;
        } else if kind == TokenType::NL && implicit_newline {
            string = "";
        }
        TokenInfo {
            kind,
            string,
            start: (lineno, col),
            end: (end_lineno, end_col),
        }
    }
}

impl<'a> Iterator for TokenizeIter<'a> {
    type Item = Result<TokenInfo<'a>, TokenizeError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.finished {
            return None;
        }
        let t = self.lexer.next_token();
        if t.kind == TokenType::ERRORTOKEN {
            self.finished = true;
            return Some(Err(self.convert_error()));
        }
        if t.kind == TokenType::ENDMARKER {
            self.finished = true;
        }
        Some(Ok(self.convert(t)))
    }
}

/// What `python3.12 -m tokenize [-e] FILE` would print: stdout, stderr and exit status.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TokenizeOutput {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
}

fn write_token_line(out: &mut String, tok: &TokenInfo<'_>, exact: bool, scratch: &mut String) {
    let kind = if exact { tok.exact_type() } else { tok.kind };
    scratch.clear();
    let _ = write!(scratch, "{},{}-{},{}:", tok.start.0, tok.start.1, tok.end.0, tok.end.1);
    let _ = write!(out, "{scratch:<20}{:<15}", kind.name());
    scratch.clear();
    pyrite_unicode::write_repr(tok.string, scratch);
    let _ = writeln!(out, "{scratch:<15}");
}

/// Emulates `python3.12 -m tokenize [-e] FILENAME` on the given file contents.
/// `filename` is the path exactly as it would be given on the command line (it appears in error
/// messages).
pub fn tokenize_main(filename: &str, source: &[u8], exact: bool) -> TokenizeOutput {
    let mut out = TokenizeOutput::default();
    let fail = |out: &mut TokenizeOutput, line: String| {
        out.stdout.clear();
        out.stderr.push_str(&line);
        out.stderr.push('\n');
        out.exit_code = 1;
    };
    let detected = match detect_encoding(source, Some(filename)) {
        Ok(d) => d,
        Err(msg) => {
            fail(&mut out, format!("{filename}: error: {msg}"));
            return out;
        }
    };
    let body = if detected.bom { &source[3..] } else { source };
    let decoded = decode_for_tokenize(body, &detected.codec);
    let encoding = if detected.name == "utf-8-sig" {
        "utf-8"
    } else {
        detected.name.as_str()
    };

    let mut scratch = String::new();
    out.stdout.reserve(source.len() * 4);
    let encoding_token = TokenInfo {
        kind: TokenType::ENCODING,
        string: encoding,
        start: (0, 0),
        end: (0, 0),
    };
    write_token_line(&mut out.stdout, &encoding_token, exact, &mut scratch);

    let options = LexerOptions {
        extra_tokens: true,
        type_comments: false,
    };
    let mut iter = TokenizeIter::new(&decoded.text, decoded.implicit_newline, options);
    let mut error = None;
    for item in iter.by_ref() {
        match item {
            Ok(tok) => write_token_line(&mut out.stdout, &tok, exact, &mut scratch),
            Err(e) => {
                error = Some(e);
                break;
            }
        }
    }
    for w in iter.warnings() {
        let _ = writeln!(out.stderr, "<string>:{}: {}: {}", w.lineno, w.category, w.msg);
    }
    if let Some(e) = error {
        // `tokenize` turns a plain SyntaxError into TokenError, renaming one message on the way;
        // IndentationError and TabError pass through. `main` prints both the same way.
        let msg = if e.kind == "SyntaxError" && e.msg.contains("unterminated triple-quoted string literal") {
            "EOF in multi-line string"
        } else {
            &e.msg
        };
        fail(&mut out, format!("{filename}:{}:{}: error: {msg}", e.lineno, e.offset));
    }
    out
}
