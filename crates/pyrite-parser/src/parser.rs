//! The parser's state and the helpers that the grammar's actions call (CPython's
//! `Parser/pegen.c` and `Parser/action_helpers.c`).
//!
//! Tokens are pulled from the tokenizer lazily, as the rules ask for them, and kept in
//! `tokens` so the parser can backtrack to any `mark`. A token is arena-allocated once;
//! rules pass `&Token` around.

use crate::errors::{ErrorKind, SyntaxErrorInfo};
use crate::generated::{keyword_kind, MemoValue, SOFT_KEYWORDS};
use bumpalo::Bump;
use pyrite_ast::*;
use pyrite_tokenizer::lexer::{Done, Lexer, NONE};
use pyrite_tokenizer::token::TokenType;

/// Nesting limit of rule calls (CPython's `MAXSTACK`).
pub const MAXSTACK: usize = 6000;
/// `CURRENT_POS`: an error position resolved to the tokenizer's current position.
pub const CURRENT_POS: i64 = -5;

/// A token as the parser sees it (CPython's `Token`): keywords have their own kinds
/// (`KEYWORD_BASE` and up), positions are 1-based lines and 0-based byte columns (-1 when the
/// token has no text, like DEDENT).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: u16,
    pub start: u32,
    pub end: u32,
    pub level: u32,
    pub lineno: i64,
    pub col_offset: i64,
    pub end_lineno: i64,
    pub end_col_offset: i64,
}

pub type Tok<'a> = &'a Token;
pub type ModRef<'a> = &'a Mod<'a>;
pub type ExprRef<'a> = &'a Expr<'a>;
pub type ExprSeq<'a> = &'a [&'a Expr<'a>];
pub type StmtRef<'a> = &'a Stmt<'a>;
pub type StmtSeq<'a> = &'a [&'a Stmt<'a>];
pub type PatternRef<'a> = &'a Pattern<'a>;
pub type PatternSeq<'a> = &'a [&'a Pattern<'a>];
pub type AliasRef<'a> = &'a Alias<'a>;
pub type AliasSeq<'a> = &'a [&'a Alias<'a>];
pub type ArgRef<'a> = &'a Arg<'a>;
pub type ArgSeq<'a> = &'a [&'a Arg<'a>];
pub type ArgumentsRef<'a> = &'a Arguments<'a>;
pub type WithItemRef<'a> = &'a WithItem<'a>;
pub type ExceptHandlerRef<'a> = &'a ExceptHandler<'a>;
pub type MatchCaseRef<'a> = &'a MatchCase<'a>;
pub type TypeParamRef<'a> = &'a TypeParam<'a>;
pub type TypeParamSeq<'a> = &'a [&'a TypeParam<'a>];
pub type ComprehensionRef<'a> = &'a Comprehension<'a>;
pub type ComprehensionSeq<'a> = &'a [&'a Comprehension<'a>];

#[derive(Debug, Clone, Copy)]
pub struct CmpopExprPair<'a> {
    pub op: CmpOp,
    pub expr: ExprRef<'a>,
}

#[derive(Debug, Clone, Copy)]
pub struct KeyValuePair<'a> {
    pub key: Option<ExprRef<'a>>,
    pub value: ExprRef<'a>,
}

#[derive(Debug, Clone, Copy)]
pub struct KeyPatternPair<'a> {
    pub key: ExprRef<'a>,
    pub pattern: PatternRef<'a>,
}

#[derive(Debug, Clone, Copy)]
pub struct NameDefaultPair<'a> {
    pub arg: ArgRef<'a>,
    pub value: Option<ExprRef<'a>>,
}

#[derive(Debug, Clone, Copy)]
pub struct SlashWithDefault<'a> {
    pub plain_names: ArgSeq<'a>,
    pub names_with_defaults: &'a [NameDefaultPair<'a>],
}

#[derive(Debug, Clone, Copy)]
pub struct StarEtc<'a> {
    pub vararg: Option<ArgRef<'a>>,
    pub kwonlyargs: &'a [NameDefaultPair<'a>],
    pub kwarg: Option<ArgRef<'a>>,
}

#[derive(Debug, Clone, Copy)]
pub enum KwOrStarred<'a> {
    Keyword(&'a Keyword<'a>),
    Starred(ExprRef<'a>),
}

/// `_PyPegen_get_invalid_target`'s target kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetsType {
    StarTargets,
    DelTargets,
    ForTargets,
}

/// Anything with a source range that an error can point at.
pub trait Located {
    /// (lineno, col_offset, end_lineno, end_col_offset), columns in bytes.
    fn range(&self) -> (i64, i64, i64, i64);
}

impl Located for Token {
    fn range(&self) -> (i64, i64, i64, i64) {
        (self.lineno, self.col_offset, self.end_lineno, self.end_col_offset)
    }
}

fn loc_range(l: &Loc) -> (i64, i64, i64, i64) {
    (
        l.lineno as i64,
        l.col_offset as i64,
        l.end_lineno as i64,
        l.end_col_offset as i64,
    )
}

macro_rules! located {
    ($($t:ident),*) => {$(
        impl Located for $t<'_> {
            fn range(&self) -> (i64, i64, i64, i64) {
                loc_range(&self.loc)
            }
        }
    )*};
}
located!(Expr, Stmt, Pattern, Arg, Keyword, Alias, TypeParam, ExceptHandler);

impl<T: Located + ?Sized> Located for &T {
    fn range(&self) -> (i64, i64, i64, i64) {
        (**self).range()
    }
}

/// Parser flags (CPython's `PyPARSE_*`).
#[derive(Debug, Clone, Copy, Default)]
pub struct ParseFlags {
    pub barry_as_bdfl: bool,
    pub type_comments: bool,
}

/// The memo table (CPython keeps a linked list of memo entries on each token): for each token
/// position, a bit set of the rules memoized there (so that a miss, the common case, costs one
/// load and a test) and the head of a list of entries in one pool.
#[derive(Default)]
pub struct Memo<'a> {
    /// Per token position: (bit set of rule numbers modulo 64, first entry or `NO_ENTRY`).
    heads: Vec<(u64, u32)>,
    pool: Vec<MemoEntry<'a>>,
}

struct MemoEntry<'a> {
    rule: u32,
    end: u32,
    next: u32,
    value: MemoValue<'a>,
}

const NO_ENTRY: u32 = u32::MAX;

impl<'a> Memo<'a> {
    /// Forget everything (the second pass starts afresh).
    pub fn clear(&mut self) {
        self.heads.clear();
        self.pool.clear();
    }

    /// Room for a source of `tokens` tokens (a guess), so the tables rarely grow.
    pub fn reserve(&mut self, tokens: usize) {
        self.heads.reserve(tokens);
        self.pool.reserve(tokens / 2);
    }

    #[inline]
    fn bit(rule: u32) -> u64 {
        1u64 << (rule & 63)
    }

    #[inline]
    pub fn get(&self, mark: usize, rule: u32) -> Option<(MemoValue<'a>, usize)> {
        let &(mask, mut i) = self.heads.get(mark)?;
        if mask & Self::bit(rule) == 0 {
            return None;
        }
        while i != NO_ENTRY {
            let e = &self.pool[i as usize];
            if e.rule == rule {
                return Some((e.value, e.end as usize));
            }
            i = e.next;
        }
        None
    }

    #[inline]
    pub fn put(&mut self, mark: usize, rule: u32, value: MemoValue<'a>, end: usize) {
        if mark >= self.heads.len() {
            self.heads.resize(mark + 1, (0, NO_ENTRY));
        }
        let (mask, head) = self.heads[mark];
        if mask & Self::bit(rule) != 0 {
            let mut i = head;
            while i != NO_ENTRY {
                let e = &mut self.pool[i as usize];
                if e.rule == rule {
                    e.value = value;
                    e.end = end as u32;
                    return;
                }
                i = e.next;
            }
        }
        let i = self.pool.len() as u32;
        self.pool.push(MemoEntry {
            rule,
            end: end as u32,
            next: head,
            value,
        });
        self.heads[mark] = (mask | Self::bit(rule), i);
    }
}

pub struct Parser<'a> {
    pub arena: &'a Bump,
    pub text: &'a [u8],
    /// `text` as a `str` when it is all UTF-8 (the usual case; checked once, not per token).
    pub text_str: Option<&'a str>,
    pub lexer: Lexer<'a>,
    pub tokens: Vec<&'a Token>,
    /// The kinds of `tokens`, side by side: what the rules test most, kept dense.
    kinds: Vec<u16>,
    /// The `Name` node made for the NAME token at each position, once made.
    names: Vec<Option<ExprRef<'a>>>,
    pub mark: usize,
    /// CPython's `error_indicator`: every rule fails at once when it is set.
    pub error: bool,
    /// The exception "currently set" (CPython's `PyErr_Occurred()`).
    pub exception: Option<SyntaxErrorInfo>,
    pub call_invalid_rules: bool,
    /// In the second, error-reporting pass (memoization follows CPython's exactly then).
    pub second_pass: bool,
    pub level: usize,
    pub memo: Memo<'a>,
    pub flags: ParseFlags,
    pub known_err_token: Option<usize>,
    pub filename: &'a str,
    /// Whether the source is a file given by name (Py_file_input): error lines are read from
    /// the source text then.
    pub type_ignores: Vec<TypeIgnore<'a>>,
    /// SyntaxWarnings and DeprecationWarnings raised while parsing: (category, message, lineno).
    pub warnings: Vec<(&'static str, String, i64)>,
    /// Whether the source declared its encoding: error columns are characters then, else bytes.
    pub has_encoding: bool,
    scratch_name_buf: String,
}

impl<'a> Parser<'a> {
    pub fn new(arena: &'a Bump, text: &'a [u8], lexer: Lexer<'a>, filename: &'a str, flags: ParseFlags) -> Self {
        Parser {
            arena,
            text,
            text_str: std::str::from_utf8(text).ok(),
            lexer,
            tokens: Vec::with_capacity(text.len() / 4 + 16),
            kinds: Vec::with_capacity(text.len() / 4 + 16),
            names: Vec::new(),
            mark: 0,
            error: false,
            exception: None,
            call_invalid_rules: false,
            second_pass: false,
            level: 0,
            memo: {
                let mut m = Memo::default();
                m.reserve(text.len() / 4 + 16);
                m
            },
            flags,
            known_err_token: None,
            filename,
            type_ignores: Vec::new(),
            warnings: Vec::new(),
            has_encoding: false,
            scratch_name_buf: String::new(),
        }
    }

    // ---- rule plumbing -------------------------------------------------------------------

    #[inline(always)]
    pub fn enter_rule(&mut self) -> bool {
        if self.level >= MAXSTACK {
            self.stack_overflow();
            return false;
        }
        self.level += 1;
        if self.error {
            self.level -= 1;
            return false;
        }
        true
    }

    #[inline(always)]
    pub fn exit_rule(&mut self) {
        self.level -= 1;
    }

    fn stack_overflow(&mut self) {
        self.error = true;
        if self.exception.is_none() {
            self.exception = Some(SyntaxErrorInfo::memory_error(
                "Parser stack overflowed - Python source too complex to parse",
            ));
        }
    }

    #[inline]
    pub fn memo_get(&self, mark: usize, rule: u32) -> Option<(MemoValue<'a>, usize)> {
        self.memo.get(mark, rule)
    }

    #[inline]
    pub fn memo_put(&mut self, mark: usize, rule: u32, v: MemoValue<'a>, end: usize) {
        self.memo.put(mark, rule, v, end)
    }

    // ---- tokens --------------------------------------------------------------------------

    /// Read the next token into `tokens` (CPython's `_PyPegen_fill_token`). False on error.
    pub fn fill_token(&mut self) -> bool {
        loop {
            let raw = self.lexer.next_token();
            let kind = raw.kind;
            if kind == TokenType::TYPE_IGNORE {
                let tag = if raw.start == NONE {
                    ""
                } else {
                    // The text after "ignore".
                    let s = &self.text[raw.start..raw.end];
                    std::str::from_utf8(s).unwrap_or("")
                };
                let tag = self.arena.alloc_str(tag);
                self.type_ignores.push(TypeIgnore::TypeIgnore {
                    lineno: self.lexer.lineno as i32,
                    tag,
                });
                continue;
            }
            let lx = &self.lexer;
            let is_string = matches!(kind, TokenType::STRING | TokenType::FSTRING_MIDDLE);
            let lineno = if is_string { lx.first_lineno } else { lx.lineno } as i64;
            let (start, end) = (raw.start, raw.end);
            let (col, end_col) = if start != NONE && end != NONE {
                (lx.starting_col_offset, lx.col_offset())
            } else {
                (-1, -1)
            };
            let mut k = kind as u16;
            if kind == TokenType::NAME {
                if let Some(kw) = keyword_kind(&self.text[start..end]) {
                    k = kw;
                }
            }
            let tok = self.arena.alloc(Token {
                kind: k,
                start: if start == NONE { u32::MAX } else { start as u32 },
                end: if end == NONE { u32::MAX } else { end as u32 },
                level: lx.level as u32,
                lineno,
                col_offset: col,
                end_lineno: lx.lineno as i64,
                end_col_offset: end_col,
            });
            self.tokens.push(tok);
            self.kinds.push(k);
            if kind == TokenType::ERRORTOKEN {
                self.tokenizer_error();
                return false;
            }
            return true;
        }
    }

    /// Turn the tokenizer's failure into the parser's exception (`_Pypegen_tokenizer_error`).
    fn tokenizer_error(&mut self) {
        self.error = true;
        if self.exception.is_some() {
            return;
        }
        if let Some(e) = self.lexer.error.clone() {
            let text = String::from_utf8_lossy(&self.text[e.text_start..e.text_end]).into_owned();
            self.exception = Some(SyntaxErrorInfo {
                kind: ErrorKind::SyntaxError,
                msg: e.msg,
                lineno: e.lineno as i64,
                offset: e.offset,
                end_lineno: e.end_lineno as i64,
                end_offset: e.end_offset,
                text: Some(text),
                has_filename: true,
            });
            return;
        }
        let lineno = self.lexer.lineno as i64;
        let (kind, msg, col) = match self.lexer.done {
            Done::Eof => {
                if self.lexer.level > 0 {
                    self.raise_unclosed_parentheses_error();
                } else {
                    self.raise_syntax_error::<()>("unexpected EOF while parsing");
                }
                return;
            }
            Done::Dedent => {
                self.raise_error(
                    ErrorKind::IndentationError,
                    false,
                    "unindent does not match any outer indentation level",
                );
                return;
            }
            Done::TabSpace => (
                ErrorKind::TabError,
                "inconsistent use of tabs and spaces in indentation",
                -1,
            ),
            Done::TooDeep => (ErrorKind::IndentationError, "too many levels of indentation", -1),
            Done::LineCont => (
                ErrorKind::SyntaxError,
                "unexpected character after line continuation character",
                self.lexer.cur as i64 - self.lexer.buf as i64 - 1,
            ),
            Done::Token => (ErrorKind::SyntaxError, "invalid token", -1),
            Done::Decode => {
                // `_Pypegen_raise_decode_error`: the identifier's bytes are not UTF-8.
                let start = if self.lexer.start == NONE {
                    self.lexer.cur
                } else {
                    self.lexer.start
                };
                let bytes = &self.text[start..self.lexer.cur];
                let mut sink = String::new();
                let codec = pyrite_codecs::lookup("utf-8").expect("utf-8 codec");
                let why = match codec.decode(bytes, pyrite_codecs::Errors::Strict, &mut sink) {
                    Err(e) => e.to_string(),
                    Ok(()) => "invalid utf-8".to_string(),
                };
                self.raise_syntax_error::<()>(&format!("(unicode error) {why}"));
                return;
            }
            _ => (ErrorKind::SyntaxError, "unknown parsing error", -1),
        };
        self.raise_known_location::<()>(kind, lineno, if col >= 0 { col } else { 0 }, lineno, -1, msg);
    }

    pub fn raise_unclosed_parentheses_error(&mut self) {
        if let Some((c, line, col)) = self.lexer.innermost_bracket() {
            let msg = format!("'{}' was never closed", c as char);
            self.raise_known_location::<()>(ErrorKind::SyntaxError, line as i64, col as i64, line as i64, -1, &msg);
        }
    }

    /// Whether the token at the mark is already read and `can_start` rejects its kind: then a
    /// rule or alternative whose first tokens `can_start` describes is bound to fail there, and
    /// the generated parser skips it. (A token not yet read is never read for this: when the
    /// parser reads tokens decides which token a syntax error points at.)
    #[inline(always)]
    pub fn cannot_start(&self, can_start: impl Fn(u16) -> bool) -> bool {
        self.cannot_start_at(self.mark, can_start)
    }

    /// The kind of the token at the mark, reading it if needed (None if the tokenizer fails).
    #[inline]
    pub fn kind_at_mark(&mut self) -> Option<u16> {
        if self.mark == self.kinds.len() && !self.fill_token() {
            self.error = true;
            return None;
        }
        Some(self.kinds[self.mark])
    }

    /// `cannot_start` at another position.
    #[inline(always)]
    pub fn cannot_start_at(&self, mark: usize, can_start: impl Fn(u16) -> bool) -> bool {
        match self.kinds.get(mark) {
            Some(&k) => !can_start(k),
            None => false,
        }
    }

    /// The token at `mark`, reading it if needed.
    #[inline]
    fn ensure(&mut self) -> bool {
        self.mark < self.tokens.len() || self.fill_token()
    }

    #[inline]
    pub fn expect_token(&mut self, kind: u16) -> Option<Tok<'a>> {
        if self.mark == self.kinds.len() && !self.fill_token() {
            self.error = true;
            return None;
        }
        if self.kinds[self.mark] != kind {
            return None;
        }
        let t = self.tokens[self.mark];
        self.mark += 1;
        Some(t)
    }

    pub fn expect_forced<T>(&mut self, got: Option<T>, what: &str) -> Option<T> {
        if got.is_some() || self.error {
            return got;
        }
        let t = *self.tokens[self.mark];
        self.raise_at::<()>(t, &format!("expected '{what}'"));
        None
    }

    pub fn token_text(&self, t: &Token) -> &'a str {
        if t.start == u32::MAX {
            return "";
        }
        let (start, end) = (t.start as usize, t.end as usize);
        match self.text_str {
            Some(s) => s.get(start..end).unwrap_or(""),
            None => std::str::from_utf8(&self.text[start..end]).unwrap_or(""),
        }
    }

    pub fn expect_soft_keyword(&mut self, kw: &str) -> Option<Tok<'a>> {
        if self.mark == self.tokens.len() && !self.fill_token() {
            self.error = true;
            return None;
        }
        let t = self.tokens[self.mark];
        if t.kind != TokenType::NAME as u16 || self.token_text(t) != kw {
            return None;
        }
        self.mark += 1;
        Some(t)
    }

    pub fn any_soft_keyword(&mut self) -> Option<Tok<'a>> {
        if self.mark == self.tokens.len() && !self.fill_token() {
            self.error = true;
            return None;
        }
        let t = self.tokens[self.mark];
        if t.kind != TokenType::NAME as u16 || !SOFT_KEYWORDS.contains(&self.token_text(t)) {
            return None;
        }
        self.mark += 1;
        Some(t)
    }

    /// NAME as a `Name` expression (`_PyPegen_name_token`).
    /// Backtracking often reads the same NAME again (as a target, then as an expression):
    /// its node is made once and shared, which nothing can tell apart (nodes are immutable).
    #[inline]
    pub fn name_token(&mut self) -> Option<ExprRef<'a>> {
        if let Some(&Some(e)) = self.names.get(self.mark) {
            self.mark += 1;
            return Some(e);
        }
        self.new_name_token()
    }

    #[inline(never)]
    fn new_name_token(&mut self) -> Option<ExprRef<'a>> {
        let at = self.mark;
        let t = self.expect_token(TokenType::NAME as u16)?;
        let id = self.new_identifier(self.token_text(t))?;
        let e = self.expr(
            ExprKind::Name {
                id,
                ctx: ExprContext::Load,
            },
            tok_loc(t),
        );
        if at >= self.names.len() {
            self.names.resize(at + 1, None);
        }
        self.names[at] = Some(e);
        Some(e)
    }

    /// An identifier, NFKC-normalized if it is not ASCII (`_PyPegen_new_identifier`).
    pub fn new_identifier(&mut self, s: &'a str) -> Option<&'a str> {
        if s.is_ascii() {
            return Some(s);
        }
        use unicode_normalization::UnicodeNormalization;
        self.scratch_name_buf.clear();
        self.scratch_name_buf.extend(s.nfkc());
        Some(self.arena.alloc_str(&self.scratch_name_buf))
    }

    /// NUMBER as a `Constant` (`_PyPegen_number_token`).
    pub fn number_token(&mut self) -> Option<ExprRef<'a>> {
        let t = self.expect_token(TokenType::NUMBER as u16)?;
        let text = self.token_text(t);
        match crate::strings::parse_number(self.arena, text) {
            Ok(c) => Some(self.constant(c, tok_loc(t))),
            Err(msg) => {
                self.error = true;
                let msg = format!(
                    "{msg} - Consider hexadecimal for huge integer literals to avoid decimal conversion limits."
                );
                self.raise_known_location::<()>(ErrorKind::SyntaxError, t.lineno, -1, t.end_lineno, -1, &msg);
                None
            }
        }
    }

    /// The location of everything matched since `start` (CPython's `EXTRA`).
    pub fn extra(&mut self, start: usize) -> Loc {
        if start >= self.tokens.len() {
            self.ensure();
        }
        let first = self.tokens[start.min(self.tokens.len() - 1)];
        let last = self.last_non_whitespace_token();
        Loc {
            lineno: first.lineno as u32,
            col_offset: first.col_offset as u32,
            end_lineno: last.end_lineno as u32,
            end_col_offset: last.end_col_offset as u32,
        }
    }

    fn last_non_whitespace_token(&self) -> &'a Token {
        let mut tok = self.tokens[0];
        for m in (0..self.mark).rev() {
            tok = self.tokens[m];
            let k = tok.kind;
            if k != TokenType::ENDMARKER as u16 && !(TokenType::NEWLINE as u16..=TokenType::DEDENT as u16).contains(&k)
            {
                break;
            }
        }
        tok
    }

    // ---- allocation ------------------------------------------------------------------------

    #[inline]
    pub fn alloc<T>(&self, v: T) -> &'a T {
        self.arena.alloc(v)
    }

    #[inline]
    pub fn seq<T: Copy>(&self, v: &[T]) -> &'a [T] {
        if v.is_empty() {
            return &[];
        }
        self.arena.alloc_slice_copy(v)
    }

    /// An arena slice of an iterator's items.
    pub fn alloc_iter<T: Copy>(&self, it: impl Iterator<Item = T>) -> &'a [T] {
        bumpalo::collections::Vec::from_iter_in(it, self.arena).into_bump_slice()
    }

    #[inline]
    pub fn seq1<T: Copy>(&self, v: T) -> &'a [T] {
        self.arena.alloc_slice_copy(&[v])
    }

    pub fn insert_front<T: Copy>(&self, a: T, rest: Option<&[T]>) -> &'a [T] {
        let rest = rest.unwrap_or(&[]);
        self.alloc_iter(std::iter::once(a).chain(rest.iter().copied()))
    }

    pub fn append<T: Copy>(&self, a: &[T], b: T) -> &'a [T] {
        self.alloc_iter(a.iter().copied().chain(std::iter::once(b)))
    }

    pub fn flatten<T: Copy>(&self, seqs: &[&[T]]) -> &'a [T] {
        self.alloc_iter(seqs.iter().flat_map(|s| s.iter().copied()))
    }

    #[inline]
    pub fn expr(&self, kind: ExprKind<'a>, loc: Loc) -> ExprRef<'a> {
        self.arena.alloc(Expr { kind, loc })
    }

    #[inline]
    pub fn binop(&self, left: ExprRef<'a>, op: Operator, right: ExprRef<'a>, loc: Loc) -> ExprRef<'a> {
        self.expr(ExprKind::BinOp { left, op, right }, loc)
    }

    #[inline]
    pub fn constant(&self, value: Constant<'a>, loc: Loc) -> ExprRef<'a> {
        self.expr(ExprKind::Constant { value, kind: None }, loc)
    }

    #[inline]
    pub fn stmt(&self, kind: StmtKind<'a>, loc: Loc) -> StmtRef<'a> {
        self.arena.alloc(Stmt { kind, loc })
    }

    #[inline]
    pub fn pattern(&self, kind: PatternKind<'a>, loc: Loc) -> PatternRef<'a> {
        self.arena.alloc(Pattern { kind, loc })
    }

    #[inline]
    pub fn type_param(&self, kind: TypeParamKind<'a>, loc: Loc) -> TypeParamRef<'a> {
        self.arena.alloc(TypeParam { kind, loc })
    }

    pub fn except_handler(
        &self,
        type_: Option<ExprRef<'a>>,
        name: Option<&'a str>,
        body: StmtSeq<'a>,
        loc: Loc,
    ) -> ExceptHandlerRef<'a> {
        self.arena.alloc(ExceptHandler {
            kind: ExceptHandlerKind::ExceptHandler { type_, name, body },
            loc,
        })
    }

    // ---- action helpers --------------------------------------------------------------------

    pub fn make_module(&self, a: Option<StmtSeq<'a>>) -> ModRef<'a> {
        let type_ignores: Vec<&'a TypeIgnore<'a>> = self.type_ignores.iter().map(|t| &*self.arena.alloc(*t)).collect();
        self.alloc(Mod::Module {
            body: a.unwrap_or(&[]),
            type_ignores: self.seq(&type_ignores),
        })
    }

    pub fn interactive_exit(&mut self) -> Option<StmtSeq<'a>> {
        None
    }

    pub fn type_comment(&self, tc: Option<Tok<'a>>) -> Option<&'a str> {
        tc.map(|t| self.token_text(t))
    }

    /// `_PyPegen_set_expr_context`: a copy of `e` with context `ctx` (recursively for
    /// tuples, lists and starred expressions).
    pub fn set_ctx(&self, e: ExprRef<'a>, ctx: ExprContext) -> ExprRef<'a> {
        let kind = match e.kind {
            ExprKind::Name { ctx: old, .. } if old == ctx => return e,
            ExprKind::Name { id, .. } => ExprKind::Name { id, ctx },
            ExprKind::Tuple { elts, .. } => ExprKind::Tuple {
                elts: self.set_seq_ctx(elts, ctx),
                ctx,
            },
            ExprKind::List { elts, .. } => ExprKind::List {
                elts: self.set_seq_ctx(elts, ctx),
                ctx,
            },
            ExprKind::Subscript { value, slice, .. } => ExprKind::Subscript { value, slice, ctx },
            ExprKind::Attribute { value, attr, .. } => ExprKind::Attribute { value, attr, ctx },
            ExprKind::Starred { value, .. } => ExprKind::Starred {
                value: self.set_ctx(value, ctx),
                ctx,
            },
            _ => return e,
        };
        self.expr(kind, e.loc)
    }

    fn set_seq_ctx(&self, elts: ExprSeq<'a>, ctx: ExprContext) -> ExprSeq<'a> {
        self.alloc_iter(elts.iter().map(|e| self.set_ctx(e, ctx)))
    }

    pub fn names_to_ids(&self, names: ExprSeq<'a>) -> &'a [&'a str] {
        self.alloc_iter(names.iter().map(|e| name_id(e)))
    }

    pub fn checked_future_import(
        &mut self,
        module: &'a str,
        names: AliasSeq<'a>,
        level: i32,
        loc: Loc,
    ) -> Option<StmtRef<'a>> {
        if level == 0 && module == "__future__" && names.iter().any(|a| a.name == "barry_as_FLUFL") {
            self.flags.barry_as_bdfl = true;
        }
        Some(self.stmt(
            StmtKind::ImportFrom {
                module: Some(module),
                names,
                level: Some(level),
            },
            loc,
        ))
    }

    pub fn alias_for_star(&self, loc: Loc) -> AliasRef<'a> {
        self.alloc(Alias {
            name: "*",
            asname: None,
            loc,
        })
    }

    pub fn join_names_with_dot(&self, a: ExprRef<'a>, b: ExprRef<'a>) -> ExprRef<'a> {
        let s = bumpalo::format!(in self.arena, "{}.{}", name_id(a), name_id(b)).into_bump_str();
        let loc = Loc {
            lineno: a.loc.lineno,
            col_offset: a.loc.col_offset,
            end_lineno: b.loc.end_lineno,
            end_col_offset: b.loc.end_col_offset,
        };
        self.expr(
            ExprKind::Name {
                id: s,
                ctx: ExprContext::Load,
            },
            loc,
        )
    }

    pub fn class_def_decorators(&self, decorators: ExprSeq<'a>, c: StmtRef<'a>) -> StmtRef<'a> {
        match c.kind {
            StmtKind::ClassDef {
                name,
                bases,
                keywords,
                body,
                type_params,
                ..
            } => self.stmt(
                StmtKind::ClassDef {
                    name,
                    bases,
                    keywords,
                    body,
                    decorator_list: decorators,
                    type_params,
                },
                c.loc,
            ),
            _ => c,
        }
    }

    pub fn function_def_decorators(&self, decorators: ExprSeq<'a>, f: StmtRef<'a>) -> StmtRef<'a> {
        let kind = match f.kind {
            StmtKind::FunctionDef {
                name,
                args,
                body,
                returns,
                type_comment,
                type_params,
                ..
            } => StmtKind::FunctionDef {
                name,
                args,
                body,
                decorator_list: decorators,
                returns,
                type_comment,
                type_params,
            },
            StmtKind::AsyncFunctionDef {
                name,
                args,
                body,
                returns,
                type_comment,
                type_params,
                ..
            } => StmtKind::AsyncFunctionDef {
                name,
                args,
                body,
                decorator_list: decorators,
                returns,
                type_comment,
                type_params,
            },
            _ => return f,
        };
        self.stmt(kind, f.loc)
    }

    pub fn empty_arguments(&self) -> ArgumentsRef<'a> {
        self.alloc(Arguments {
            posonlyargs: &[],
            args: &[],
            vararg: None,
            kwonlyargs: &[],
            kw_defaults: &[],
            kwarg: None,
            defaults: &[],
        })
    }

    /// `_PyPegen_make_arguments`.
    pub fn make_arguments(
        &self,
        slash_without_default: Option<ArgSeq<'a>>,
        slash_with_default: Option<SlashWithDefault<'a>>,
        plain_names: Option<ArgSeq<'a>>,
        names_with_default: Option<&'a [NameDefaultPair<'a>]>,
        star_etc: Option<StarEtc<'a>>,
    ) -> ArgumentsRef<'a> {
        let names = |pairs: &'a [NameDefaultPair<'a>]| pairs.iter().map(|p| p.arg);

        let posonlyargs: ArgSeq<'a> = if let Some(s) = slash_without_default {
            s
        } else if let Some(s) = slash_with_default {
            self.alloc_iter(s.plain_names.iter().copied().chain(names(s.names_with_defaults)))
        } else {
            &[]
        };
        let args: ArgSeq<'a> = match (plain_names, names_with_default) {
            (Some(p), Some(n)) => self.alloc_iter(p.iter().copied().chain(names(n))),
            (Some(p), None) => p,
            (None, Some(n)) => self.alloc_iter(names(n)),
            (None, None) => &[],
        };
        let values = |pairs: &'a [NameDefaultPair<'a>]| pairs.iter().filter_map(|p| p.value);
        let defaults: ExprSeq<'a> = match (slash_with_default, names_with_default) {
            (Some(s), Some(n)) => self.alloc_iter(values(s.names_with_defaults).chain(values(n))),
            (None, Some(n)) => self.alloc_iter(values(n)),
            (Some(s), None) => self.alloc_iter(values(s.names_with_defaults)),
            (None, None) => &[],
        };
        let (vararg, kwonlyargs, kw_defaults, kwarg) = match star_etc {
            Some(se) => (
                se.vararg,
                self.alloc_iter(names(se.kwonlyargs)),
                self.alloc_iter(se.kwonlyargs.iter().map(|p| p.value)),
                se.kwarg,
            ),
            None => (None, &[][..], &[][..], None),
        };
        self.alloc(Arguments {
            posonlyargs,
            args,
            vararg,
            kwonlyargs,
            kw_defaults,
            kwarg,
            defaults,
        })
    }

    pub fn name_default_pair(
        &self,
        arg: ArgRef<'a>,
        value: Option<ExprRef<'a>>,
        tc: Option<Tok<'a>>,
    ) -> NameDefaultPair<'a> {
        NameDefaultPair {
            arg: self.add_type_comment_to_arg(arg, tc),
            value,
        }
    }

    pub fn add_type_comment_to_arg(&self, a: ArgRef<'a>, tc: Option<Tok<'a>>) -> ArgRef<'a> {
        match tc {
            None => a,
            Some(t) => self.alloc(Arg {
                type_comment: Some(self.token_text(t)),
                ..*a
            }),
        }
    }

    pub fn get_cmpops(&self, pairs: &[CmpopExprPair<'a>]) -> &'a [CmpOp] {
        self.alloc_iter(pairs.iter().map(|p| p.op))
    }

    pub fn get_exprs(&self, pairs: &[CmpopExprPair<'a>]) -> ExprSeq<'a> {
        self.alloc_iter(pairs.iter().map(|p| p.expr))
    }

    pub fn get_keys(&self, pairs: &[KeyValuePair<'a>]) -> &'a [Option<ExprRef<'a>>] {
        self.alloc_iter(pairs.iter().map(|p| p.key))
    }

    pub fn get_values(&self, pairs: &[KeyValuePair<'a>]) -> ExprSeq<'a> {
        self.alloc_iter(pairs.iter().map(|p| p.value))
    }

    pub fn get_pattern_keys(&self, pairs: &[KeyPatternPair<'a>]) -> ExprSeq<'a> {
        self.alloc_iter(pairs.iter().map(|p| p.key))
    }

    pub fn get_patterns(&self, pairs: &[KeyPatternPair<'a>]) -> PatternSeq<'a> {
        self.alloc_iter(pairs.iter().map(|p| p.pattern))
    }

    /// `_PyPegen_check_barry_as_flufl`: true when the `!=`/`<>` token must be rejected.
    pub fn check_barry_as_flufl(&mut self, t: Tok<'a>) -> bool {
        let s = self.token_text(t);
        if self.flags.barry_as_bdfl && s != "<>" {
            self.raise_syntax_error::<()>("with Barry as BDFL, use '<>' instead of '!='");
            return true;
        }
        if !self.flags.barry_as_bdfl {
            return s != "!=";
        }
        false
    }

    pub fn ensure_real(&mut self, e: ExprRef<'a>) -> Option<ExprRef<'a>> {
        if let ExprKind::Constant {
            value: Constant::Complex { .. },
            ..
        } = e.kind
        {
            return self.raise_at(e, "real number required in complex literal");
        }
        Some(e)
    }

    pub fn ensure_imaginary(&mut self, e: ExprRef<'a>) -> Option<ExprRef<'a>> {
        if !matches!(
            e.kind,
            ExprKind::Constant {
                value: Constant::Complex { .. },
                ..
            }
        ) {
            return self.raise_at(e, "imaginary number required in complex literal");
        }
        Some(e)
    }

    pub fn dummy_name(&self) -> ExprRef<'a> {
        self.expr(
            ExprKind::Name {
                id: "",
                ctx: ExprContext::Load,
            },
            Loc {
                lineno: 1,
                col_offset: 0,
                end_lineno: 1,
                end_col_offset: 0,
            },
        )
    }

    pub fn seq_extract_starred_exprs(&self, kw: &[KwOrStarred<'a>]) -> ExprSeq<'a> {
        self.alloc_iter(kw.iter().filter_map(|k| match k {
            KwOrStarred::Starred(e) => Some(*e),
            _ => None,
        }))
    }

    pub fn seq_delete_starred_exprs(&self, kw: &[KwOrStarred<'a>]) -> &'a [&'a Keyword<'a>] {
        self.alloc_iter(kw.iter().filter_map(|k| match k {
            KwOrStarred::Keyword(k) => Some(*k),
            _ => None,
        }))
    }

    pub fn join_sequences<T: Copy>(&self, a: &[T], b: &[T]) -> &'a [T] {
        self.alloc_iter(a.iter().chain(b.iter()).copied())
    }

    pub fn collect_call_seqs(&self, a: ExprSeq<'a>, b: Option<&'a [KwOrStarred<'a>]>, loc: Loc) -> ExprRef<'a> {
        let func = self.dummy_name();
        match b {
            None => self.expr(
                ExprKind::Call {
                    func,
                    args: a,
                    keywords: &[],
                },
                loc,
            ),
            Some(b) => {
                let starreds = self.seq_extract_starred_exprs(b);
                let keywords = self.seq_delete_starred_exprs(b);
                let args = self.join_sequences(a, starreds);
                self.expr(ExprKind::Call { func, args, keywords }, loc)
            }
        }
    }

    pub fn check_legacy_stmt(&self, e: ExprRef<'a>) -> bool {
        matches!(
            e.kind,
            ExprKind::Name {
                id: "print" | "exec",
                ..
            }
        )
    }

    pub fn nonparen_genexp_in_call(&mut self, args: ExprRef<'a>, comps: ComprehensionSeq<'a>) -> Option<()> {
        let call_args = call_args(Some(args));
        if call_args.len() <= 1 {
            return None;
        }
        let last = last_comprehension_item(comps[comps.len() - 1]);
        self.raise_range(
            call_args[call_args.len() - 1],
            last,
            "Generator expression must be parenthesized",
        )
    }

    pub fn arguments_parsing_error(&mut self, e: ExprRef<'a>) -> Option<()> {
        let unpacking = call_keywords(Some(e)).iter().any(|k| k.arg.is_none());
        let msg = if unpacking {
            "positional argument follows keyword argument unpacking"
        } else {
            "positional argument follows keyword argument"
        };
        self.raise_syntax_error(msg)
    }

    // ---- errors ------------------------------------------------------------------------------

    /// `RAISE_SYNTAX_ERROR`: at the last token read.
    pub fn raise_syntax_error<T>(&mut self, msg: &str) -> Option<T> {
        self.raise_error(ErrorKind::SyntaxError, false, msg);
        None
    }

    pub fn raise_indentation_error<T>(&mut self, msg: &str) -> Option<T> {
        self.raise_error(ErrorKind::IndentationError, false, msg);
        None
    }

    /// `RAISE_SYNTAX_ERROR_ON_NEXT_TOKEN`: at the token at `mark`.
    pub fn raise_on_next_token<T>(&mut self, msg: &str) -> Option<T> {
        self.raise_error(ErrorKind::SyntaxError, true, msg);
        None
    }

    /// `PyErr_Occurred() ? NULL : RAISE_SYNTAX_ERROR_ON_NEXT_TOKEN(msg)`.
    pub fn raise_on_next_token_if_no_error<T>(&mut self, msg: &str) -> Option<T> {
        if self.exception.is_some() {
            return None;
        }
        self.raise_on_next_token(msg)
    }

    /// `_PyPegen_raise_error`.
    pub fn raise_error(&mut self, kind: ErrorKind, use_mark: bool, msg: &str) {
        if self.error && self.exception.is_some() {
            return;
        }
        if self.tokens.is_empty() {
            self.raise_known_location_1based(kind, 0, 0, 0, -1, msg);
            return;
        }
        if use_mark && self.mark == self.tokens.len() && !self.fill_token() {
            self.error = true;
            return;
        }
        let idx = self
            .known_err_token
            .unwrap_or(if use_mark { self.mark } else { self.tokens.len() - 1 });
        let t = *self.tokens[idx];
        let col = if t.col_offset == -1 {
            if self.lexer.cur == self.lexer.buf {
                0
            } else {
                self.lexer.cur as i64 - self.lexer.line_start as i64
            }
        } else {
            t.col_offset + 1
        };
        let end_col = if t.end_col_offset != -1 {
            t.end_col_offset + 1
        } else {
            -1
        };
        self.raise_known_location_1based(kind, t.lineno, col, t.end_lineno, end_col, msg);
    }

    /// `RAISE_SYNTAX_ERROR_KNOWN_LOCATION(a, msg)`.
    pub fn raise_at<T>(&mut self, a: impl Located, msg: &str) -> Option<T> {
        let (l, c, el, ec) = a.range();
        self.raise_known_location(ErrorKind::SyntaxError, l, c, el, ec, msg)
    }

    /// `RAISE_SYNTAX_ERROR_KNOWN_RANGE(a, b, msg)`.
    pub fn raise_range<T>(&mut self, a: impl Located, b: impl Located, msg: &str) -> Option<T> {
        let (l, c, _, _) = a.range();
        let (_, _, el, ec) = b.range();
        self.raise_known_location(ErrorKind::SyntaxError, l, c, el, ec, msg)
    }

    /// `RAISE_SYNTAX_ERROR_STARTING_FROM(a, msg)`.
    pub fn raise_starting_from<T>(&mut self, a: impl Located, msg: &str) -> Option<T> {
        let (l, c, _, _) = a.range();
        self.raise_known_location(ErrorKind::SyntaxError, l, c, CURRENT_POS, CURRENT_POS, msg)
    }

    /// `RAISE_SYNTAX_ERROR_INVALID_TARGET`.
    pub fn raise_invalid_target<T>(&mut self, ty: TargetsType, e: ExprRef<'a>) -> Option<T> {
        match get_invalid_target(e, ty) {
            Some(t) => {
                let verb = if ty == TargetsType::DelTargets {
                    "delete"
                } else {
                    "assign to"
                };
                let msg = format!("cannot {verb} {}", expr_name(t));
                self.raise_at(t, &msg)
            }
            None => self.raise_syntax_error("invalid syntax"),
        }
    }

    /// `RAISE_ERROR_KNOWN_LOCATION`: 0-based byte columns (or `CURRENT_POS`).
    pub fn raise_known_location<T>(
        &mut self,
        kind: ErrorKind,
        lineno: i64,
        col_offset: i64,
        end_lineno: i64,
        end_col_offset: i64,
        msg: &str,
    ) -> Option<T> {
        let c = if col_offset == CURRENT_POS {
            CURRENT_POS
        } else {
            col_offset + 1
        };
        let ec = if end_col_offset == CURRENT_POS {
            CURRENT_POS
        } else {
            end_col_offset + 1
        };
        self.raise_known_location_1based(kind, lineno, c, end_lineno, ec, msg);
        None
    }

    /// `_PyPegen_raise_error_known_location`: 1-based byte columns.
    fn raise_known_location_1based(
        &mut self,
        kind: ErrorKind,
        lineno: i64,
        col_offset: i64,
        mut end_lineno: i64,
        mut end_col_offset: i64,
        msg: &str,
    ) {
        if self.error && self.exception.is_some() {
            return;
        }
        self.error = true;
        if end_lineno == CURRENT_POS {
            end_lineno = self.lexer.lineno as i64;
        }
        if end_col_offset == CURRENT_POS {
            end_col_offset = self.lexer.cur as i64 - self.lexer.line_start as i64;
        }
        let line = self.error_line(lineno);
        let (col, end_col) = if self.has_encoding {
            let c = byte_offset_to_character_offset(&line, col_offset);
            let e = if end_col_offset > 0 {
                byte_offset_to_character_offset(&line, end_col_offset)
            } else {
                end_col_offset
            };
            (c, e)
        } else {
            (col_offset, end_col_offset)
        };
        self.exception = Some(SyntaxErrorInfo {
            kind,
            msg: msg.to_string(),
            lineno,
            offset: col,
            end_lineno,
            end_offset: end_col,
            text: Some(line),
            has_filename: true,
        });
    }

    /// The text of line `lineno` of the source (with its newline), as the error's `text`.
    /// CPython 3.12 reads it back from the file (`err_programtext`) with `fgets` into a
    /// 1000-byte buffer, going on until the line's end: of a line longer than 999 bytes, what
    /// remains is its last 999-byte piece.
    fn error_line(&self, lineno: i64) -> String {
        if lineno < 1 {
            return String::new();
        }
        let mut n = 1;
        let mut start = 0;
        let t = self.text;
        while n < lineno {
            match memchr::memchr(b'\n', &t[start..]) {
                Some(i) => {
                    start += i + 1;
                    n += 1;
                }
                None => return String::new(),
            }
        }
        let end = memchr::memchr(b'\n', &t[start..]).map_or(t.len(), |i| start + i + 1);
        const CHUNK: usize = 999;
        if end - start > CHUNK {
            start += CHUNK * ((end - start - 1) / CHUNK);
        }
        String::from_utf8_lossy(&t[start..end]).into_owned()
    }
}

/// `_PyPegen_byte_offset_to_character_offset`: the number of characters in the first
/// `col_offset` bytes of `line` (clamped to its length + 1).
pub fn byte_offset_to_character_offset(line: &str, col_offset: i64) -> i64 {
    if col_offset < 0 {
        return col_offset;
    }
    let bytes = line.as_bytes();
    let len = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len()) as i64;
    let n = col_offset.min(len + 1) as usize;
    let n = n.min(bytes.len());
    String::from_utf8_lossy(&bytes[..n]).chars().count() as i64 + (col_offset.min(len + 1) as usize - n) as i64
}

pub fn tok_loc(t: &Token) -> Loc {
    Loc {
        lineno: t.lineno as u32,
        col_offset: t.col_offset as u32,
        end_lineno: t.end_lineno as u32,
        end_col_offset: t.end_col_offset as u32,
    }
}

/// The `id` of a `Name` expression.
pub fn name_id<'a>(e: ExprRef<'a>) -> &'a str {
    match e.kind {
        ExprKind::Name { id, .. } => id,
        _ => "",
    }
}

pub fn count_dots(toks: &[Tok<'_>]) -> i32 {
    toks.iter()
        .map(|t| if t.kind == TokenType::ELLIPSIS as u16 { 3 } else { 1 })
        .sum()
}

/// The positional arguments of the dummy call that `arguments` produces.
pub fn call_args<'a>(e: Option<ExprRef<'a>>) -> ExprSeq<'a> {
    match e.map(|e| e.kind) {
        Some(ExprKind::Call { args, .. }) => args,
        _ => &[],
    }
}

pub fn call_keywords<'a>(e: Option<ExprRef<'a>>) -> &'a [&'a Keyword<'a>] {
    match e.map(|e| e.kind) {
        Some(ExprKind::Call { keywords, .. }) => keywords,
        _ => &[],
    }
}

pub fn last_comprehension_item<'a>(c: ComprehensionRef<'a>) -> ExprRef<'a> {
    if c.ifs.is_empty() {
        c.iter
    } else {
        c.ifs[c.ifs.len() - 1]
    }
}

/// `_PyPegen_get_expr_name`.
pub fn expr_name(e: &Expr<'_>) -> &'static str {
    match e.kind {
        ExprKind::Attribute { .. } => "attribute",
        ExprKind::Subscript { .. } => "subscript",
        ExprKind::Starred { .. } => "starred",
        ExprKind::Name { .. } => "name",
        ExprKind::List { .. } => "list",
        ExprKind::Tuple { .. } => "tuple",
        ExprKind::Lambda { .. } => "lambda",
        ExprKind::Call { .. } => "function call",
        ExprKind::BoolOp { .. } | ExprKind::BinOp { .. } | ExprKind::UnaryOp { .. } => "expression",
        ExprKind::GeneratorExp { .. } => "generator expression",
        ExprKind::Yield { .. } | ExprKind::YieldFrom { .. } => "yield expression",
        ExprKind::Await { .. } => "await expression",
        ExprKind::ListComp { .. } => "list comprehension",
        ExprKind::SetComp { .. } => "set comprehension",
        ExprKind::DictComp { .. } => "dict comprehension",
        ExprKind::Dict { .. } => "dict literal",
        ExprKind::Set { .. } => "set display",
        ExprKind::JoinedStr { .. } | ExprKind::FormattedValue { .. } => "f-string expression",
        ExprKind::Constant { value, .. } => match value {
            Constant::None => "None",
            Constant::False => "False",
            Constant::True => "True",
            Constant::Ellipsis => "ellipsis",
            _ => "literal",
        },
        ExprKind::Compare { .. } => "comparison",
        ExprKind::IfExp { .. } => "conditional expression",
        ExprKind::NamedExpr { .. } => "named expression",
        _ => "expression",
    }
}

/// `_PyPegen_get_invalid_target`.
pub fn get_invalid_target<'a>(e: ExprRef<'a>, ty: TargetsType) -> Option<ExprRef<'a>> {
    match e.kind {
        ExprKind::List { elts, .. } | ExprKind::Tuple { elts, .. } => {
            elts.iter().find_map(|x| get_invalid_target(x, ty))
        }
        ExprKind::Starred { value, .. } => {
            if ty == TargetsType::DelTargets {
                Some(e)
            } else {
                get_invalid_target(value, ty)
            }
        }
        ExprKind::Compare { left, ops, .. } => {
            if ty == TargetsType::ForTargets {
                if ops[0] == CmpOp::In {
                    return get_invalid_target(left, ty);
                }
                return None;
            }
            Some(e)
        }
        ExprKind::Name { .. } | ExprKind::Subscript { .. } | ExprKind::Attribute { .. } => None,
        _ => Some(e),
    }
}
