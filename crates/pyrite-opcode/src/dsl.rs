//! The reader of `grammar/bytecodes.def`: lexer, parser and checker of the instruction
//! definition language (the grammar is described in the crate documentation and at the top of
//! the file itself).
//!
//! `build.rs` includes this module to generate the crate's tables; the library exposes it too,
//! so that later generators (the interpreter's cases, documentation) read the same file the same
//! way. [`load`] parses and checks a definition and returns the resolved [`Model`]; every error
//! names the line and column it was found at.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

/// The bits of `InstrDef::flags` in the library (and of [`OpModel::flags`]).
///
/// `HAS_ARG` is derived (never written in the file); the others are written after an
/// instruction's stack effect. Pseudo-instructions also inherit the `HAS_*` list flags their
/// targets all share, as `opcode.py` computes them.
pub mod flags {
    /// The instruction uses its oparg (`opcode.hasarg`).
    pub const HAS_ARG: u32 = 1 << 0;
    /// The oparg indexes `co_consts` (`opcode.hasconst`).
    pub const HAS_CONST: u32 = 1 << 1;
    /// The oparg indexes `co_names` (`opcode.hasname`).
    pub const HAS_NAME: u32 = 1 << 2;
    /// A relative jump (`opcode.hasjrel`).
    pub const HAS_JREL: u32 = 1 << 3;
    /// An absolute jump (`opcode.hasjabs`, empty in 3.12).
    pub const HAS_JABS: u32 = 1 << 4;
    /// The oparg indexes the fast locals (`opcode.haslocal`).
    pub const HAS_LOCAL: u32 = 1 << 5;
    /// The oparg indexes the cell and free variables (`opcode.hasfree`).
    pub const HAS_FREE: u32 = 1 << 6;
    /// A comparison (`opcode.hascompare`).
    pub const HAS_COMPARE: u32 = 1 << 7;
    /// Sets up an exception handler (`opcode.hasexc`).
    pub const HAS_EXC: u32 = 1 << 8;
    /// Never falls through to the next instruction: jumps always.
    pub const UNCONDITIONAL_JUMP: u32 = 1 << 9;
    /// Jumps or falls through depending on a popped value (POP_JUMP_IF_*).
    pub const CONDITIONAL_JUMP: u32 = 1 << 10;
    /// Its target is behind it.
    pub const BACKWARD_JUMP: u32 = 1 << 11;
    /// Leaves the code object (return, raise).
    pub const SCOPE_EXIT: u32 = 1 << 12;
    /// Pushes an exception-handling block (SETUP_*).
    pub const BLOCK_PUSH: u32 = 1 << 13;

    /// Every flag with its name, in bit order.
    pub const ALL: [(&str, u32); 14] = [
        ("HAS_ARG", HAS_ARG),
        ("HAS_CONST", HAS_CONST),
        ("HAS_NAME", HAS_NAME),
        ("HAS_JREL", HAS_JREL),
        ("HAS_JABS", HAS_JABS),
        ("HAS_LOCAL", HAS_LOCAL),
        ("HAS_FREE", HAS_FREE),
        ("HAS_COMPARE", HAS_COMPARE),
        ("HAS_EXC", HAS_EXC),
        ("UNCONDITIONAL_JUMP", UNCONDITIONAL_JUMP),
        ("CONDITIONAL_JUMP", CONDITIONAL_JUMP),
        ("BACKWARD_JUMP", BACKWARD_JUMP),
        ("SCOPE_EXIT", SCOPE_EXIT),
        ("BLOCK_PUSH", BLOCK_PUSH),
    ];

    /// The flags that mirror `opcode.py`'s lists, which a pseudo-instruction inherits when all
    /// its targets have them.
    pub const OPCODE_LISTS: u32 =
        HAS_ARG | HAS_CONST | HAS_NAME | HAS_JREL | HAS_JABS | HAS_LOCAL | HAS_FREE | HAS_COMPARE | HAS_EXC;

    /// The bit of a flag name.
    pub fn by_name(name: &str) -> Option<u32> {
        ALL.iter().find(|(n, _)| *n == name).map(|&(_, bit)| bit)
    }
}

// ------------------------------------------------------------------------------------------
// Errors

/// A malformed definition: where, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// 1-based line.
    pub line: u32,
    /// 1-based column (in characters).
    pub col: u32,
    pub message: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}: {}", self.line, self.col, self.message)
    }
}

impl std::error::Error for Error {}

/// A position in the source (1-based line and column).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

impl Pos {
    fn error(self, message: impl Into<String>) -> Error {
        Error {
            line: self.line,
            col: self.col,
            message: message.into(),
        }
    }
}

// ------------------------------------------------------------------------------------------
// The syntax tree

/// An integer expression over `oparg` and named constants, with C `int` semantics (32-bit,
/// wrapping; comparisons and logical operators give 0 or 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expr {
    Int(i64),
    Oparg,
    /// A `const` of the file.
    Name(String, Pos),
    Unary(UnOp, Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOp {
    Plus,
    Neg,
    /// `~`
    BitNot,
    /// `!`
    Not,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Mul,
    Div,
    Rem,
    Add,
    Sub,
    Shl,
    Shr,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    BitAnd,
    BitXor,
    BitOr,
    And,
    Or,
}

impl BinOp {
    fn precedence(self) -> u8 {
        match self {
            BinOp::Mul | BinOp::Div | BinOp::Rem => 10,
            BinOp::Add | BinOp::Sub => 9,
            BinOp::Shl | BinOp::Shr => 8,
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => 7,
            BinOp::Eq | BinOp::Ne => 6,
            BinOp::BitAnd => 5,
            BinOp::BitXor => 4,
            BinOp::BitOr => 3,
            BinOp::And => 2,
            BinOp::Or => 1,
        }
    }

    fn from_punct(p: &str) -> Option<BinOp> {
        Some(match p {
            "*" => BinOp::Mul,
            "/" => BinOp::Div,
            "%" => BinOp::Rem,
            "+" => BinOp::Add,
            "-" => BinOp::Sub,
            "<<" => BinOp::Shl,
            ">>" => BinOp::Shr,
            "<" => BinOp::Lt,
            "<=" => BinOp::Le,
            ">" => BinOp::Gt,
            ">=" => BinOp::Ge,
            "==" => BinOp::Eq,
            "!=" => BinOp::Ne,
            "&" => BinOp::BitAnd,
            "^" => BinOp::BitXor,
            "|" => BinOp::BitOr,
            "&&" => BinOp::And,
            "||" => BinOp::Or,
            _ => return None,
        })
    }
}

impl Expr {
    /// Its value for `oparg`, with C `int` arithmetic (wrapping). `consts` holds the values of
    /// the file's constants; an unknown name or a division by zero is an error.
    pub fn eval(&self, oparg: i32, consts: &HashMap<String, i64>) -> Result<i32, String> {
        Ok(match self {
            Expr::Int(n) => *n as i32,
            Expr::Oparg => oparg,
            Expr::Name(name, _) => match consts.get(name) {
                Some(&v) => v as i32,
                None => return Err(format!("unknown constant {name}")),
            },
            Expr::Unary(op, e) => {
                let v = e.eval(oparg, consts)?;
                match op {
                    UnOp::Plus => v,
                    UnOp::Neg => v.wrapping_neg(),
                    UnOp::BitNot => !v,
                    UnOp::Not => (v == 0) as i32,
                }
            }
            Expr::Binary(op, a, b) => {
                let a = a.eval(oparg, consts)?;
                let b = b.eval(oparg, consts)?;
                match op {
                    BinOp::Mul => a.wrapping_mul(b),
                    BinOp::Div | BinOp::Rem if b == 0 => return Err("division by zero".into()),
                    BinOp::Div => a.wrapping_div(b),
                    BinOp::Rem => a.wrapping_rem(b),
                    BinOp::Add => a.wrapping_add(b),
                    BinOp::Sub => a.wrapping_sub(b),
                    BinOp::Shl => a.wrapping_shl(b as u32),
                    BinOp::Shr => a.wrapping_shr(b as u32),
                    BinOp::Lt => (a < b) as i32,
                    BinOp::Le => (a <= b) as i32,
                    BinOp::Gt => (a > b) as i32,
                    BinOp::Ge => (a >= b) as i32,
                    BinOp::Eq => (a == b) as i32,
                    BinOp::Ne => (a != b) as i32,
                    BinOp::BitAnd => a & b,
                    BinOp::BitXor => a ^ b,
                    BinOp::BitOr => a | b,
                    BinOp::And => (a != 0 && b != 0) as i32,
                    BinOp::Or => (a != 0 || b != 0) as i32,
                }
            }
        })
    }

    /// Whether it depends on `oparg`.
    pub fn uses_oparg(&self) -> bool {
        match self {
            Expr::Oparg => true,
            Expr::Int(_) | Expr::Name(..) => false,
            Expr::Unary(_, e) => e.uses_oparg(),
            Expr::Binary(_, a, b) => a.uses_oparg() || b.uses_oparg(),
        }
    }

    /// Rust code computing it as an `i32` from a variable `oparg: i32` (constants inlined,
    /// wrapping arithmetic as in C).
    pub fn to_rust(&self, consts: &HashMap<String, i64>) -> String {
        if !self.uses_oparg() {
            if let Ok(v) = self.eval(0, consts) {
                return int_literal(v);
            }
        }
        match self {
            Expr::Int(n) => int_literal(*n as i32),
            Expr::Oparg => "oparg".into(),
            Expr::Name(name, _) => int_literal(consts.get(name).copied().unwrap_or(0) as i32),
            Expr::Unary(op, e) => {
                let e = e.to_rust(consts);
                match op {
                    UnOp::Plus => e,
                    UnOp::Neg => format!("{e}.wrapping_neg()"),
                    UnOp::BitNot => format!("(!{e})"),
                    UnOp::Not => format!("i32::from({e} == 0)"),
                }
            }
            Expr::Binary(op, a, b) => {
                let a = a.to_rust(consts);
                let b = b.to_rust(consts);
                match op {
                    BinOp::Mul => format!("{a}.wrapping_mul({b})"),
                    BinOp::Div => format!("{a}.wrapping_div({b})"),
                    BinOp::Rem => format!("{a}.wrapping_rem({b})"),
                    BinOp::Add => format!("{a}.wrapping_add({b})"),
                    BinOp::Sub => format!("{a}.wrapping_sub({b})"),
                    BinOp::Shl => format!("{a}.wrapping_shl({b} as u32)"),
                    BinOp::Shr => format!("{a}.wrapping_shr({b} as u32)"),
                    BinOp::Lt => format!("i32::from({a} < {b})"),
                    BinOp::Le => format!("i32::from({a} <= {b})"),
                    BinOp::Gt => format!("i32::from({a} > {b})"),
                    BinOp::Ge => format!("i32::from({a} >= {b})"),
                    BinOp::Eq => format!("i32::from({a} == {b})"),
                    BinOp::Ne => format!("i32::from({a} != {b})"),
                    BinOp::BitAnd => format!("({a} & {b})"),
                    BinOp::BitXor => format!("({a} ^ {b})"),
                    BinOp::BitOr => format!("({a} | {b})"),
                    BinOp::And => format!("i32::from({a} != 0 && {b} != 0)"),
                    BinOp::Or => format!("i32::from({a} != 0 || {b} != 0)"),
                }
            }
        }
    }

    fn names(&self, out: &mut Vec<(String, Pos)>) {
        match self {
            Expr::Name(n, p) => out.push((n.clone(), *p)),
            Expr::Int(_) | Expr::Oparg => {}
            Expr::Unary(_, e) => e.names(out),
            Expr::Binary(_, a, b) => {
                a.names(out);
                b.names(out);
            }
        }
    }
}

fn int_literal(v: i32) -> String {
    if v < 0 {
        format!("({v}i32)")
    } else {
        format!("{v}i32")
    }
}

/// An expression with the text it was written as (whitespace collapsed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceExpr {
    pub text: String,
    pub expr: Expr,
}

/// One value on the stack: `name`, `name[size]`, `name if (condition)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StackItem {
    pub name: String,
    /// For an array of values: how many.
    pub size: Option<SourceExpr>,
    /// For a value present only when the condition is non-zero.
    pub condition: Option<SourceExpr>,
    pub pos: Pos,
}

impl StackItem {
    /// Rust code for the number of stack slots it takes (an `i32`).
    pub fn count_rust(&self, consts: &HashMap<String, i64>) -> String {
        let size = match &self.size {
            Some(s) => s.expr.to_rust(consts),
            None => "1i32".into(),
        };
        match &self.condition {
            None => size,
            Some(c) => {
                let c = c.expr.to_rust(consts);
                if size == "1i32" {
                    format!("i32::from({c} != 0)")
                } else {
                    format!("(if {c} != 0 {{ {size} }} else {{ 0i32 }})")
                }
            }
        }
    }

    /// The number of stack slots it takes for `oparg`.
    pub fn count(&self, oparg: i32, consts: &HashMap<String, i64>) -> Result<i32, String> {
        if let Some(c) = &self.condition {
            if c.expr.eval(oparg, consts)? == 0 {
                return Ok(0);
            }
        }
        match &self.size {
            Some(s) => s.expr.eval(oparg, consts),
            None => Ok(1),
        }
    }
}

/// A named inline cache entry: `name/size`, size in 16-bit code units.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CacheItem {
    pub name: String,
    pub size: u8,
    pub pos: Pos,
}

/// `(caches and inputs -- outputs)`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Effect {
    pub caches: Vec<CacheItem>,
    pub inputs: Vec<StackItem>,
    pub outputs: Vec<StackItem>,
    pub pos: Pos,
}

impl Effect {
    /// Total inline cache size.
    pub fn cache_size(&self) -> u32 {
        self.caches.iter().map(|c| c.size as u32).sum()
    }

    /// Rust code summing the slots of `items` (an `i32`, wrapping like C).
    pub fn sum_rust(items: &[StackItem], consts: &HashMap<String, i64>) -> String {
        let mut constant: i32 = 0;
        let mut terms = Vec::new();
        for item in items {
            let term = item.count_rust(consts);
            match term.strip_suffix("i32").and_then(|t| t.parse::<i32>().ok()) {
                Some(v) => constant = constant.wrapping_add(v),
                None => terms.push(term),
            }
        }
        let mut code = match terms.first() {
            Some(first) => first.clone(),
            None => return int_literal(constant),
        };
        for t in &terms[1..] {
            code = format!("{code}.wrapping_add({t})");
        }
        if constant != 0 {
            code = format!("{code}.wrapping_add({})", int_literal(constant));
        }
        code
    }

    /// The slots `items` take for `oparg`.
    pub fn sum(items: &[StackItem], oparg: i32, consts: &HashMap<String, i64>) -> Result<i32, String> {
        let mut total: i32 = 0;
        for item in items {
            total = total.wrapping_add(item.count(oparg, consts)?);
        }
        Ok(total)
    }
}

/// `inst` (a real instruction, with a body) or `pseudo` (a compiler-only instruction, with the
/// real instructions it may become).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InstKind {
    Inst,
    Pseudo,
}

/// The text between an instruction's braces, kept verbatim.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Body {
    pub text: String,
    /// Where the text starts (just after `{`).
    pub pos: Pos,
}

/// One `inst(...)` or `pseudo(...)` definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instruction {
    pub kind: InstKind,
    pub name: String,
    pub number: u16,
    /// `None`: no stack effect metadata (`dis.stack_effect` rejects the instruction).
    pub effect: Option<Effect>,
    /// The effect when the instruction jumps, if it differs.
    pub jump_effect: Option<Effect>,
    /// Flag names as written, with where.
    pub flags: Vec<(String, Pos)>,
    /// Pseudo-instructions: the real instructions it may become.
    pub targets: Vec<(String, Pos)>,
    /// Real instructions: the body.
    pub body: Option<Body>,
    pub pos: Pos,
}

/// `family(HEAD) = { MEMBER, ... };`: the specializations of HEAD.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Family {
    pub head: String,
    pub members: Vec<(String, Pos)>,
    pub pos: Pos,
}

/// `const NAME: TYPE = EXPR;`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Const {
    pub name: String,
    pub ty: String,
    pub expr: SourceExpr,
    /// Filled in by [`load`].
    pub value: i64,
    pub pos: Pos,
}

/// One entry of a `table`: an identifier, a string, or both.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableEntry {
    pub ident: Option<String>,
    pub string: Option<String>,
    pub pos: Pos,
}

/// `table NAME = { ENTRY, ... };`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    pub name: String,
    pub entries: Vec<TableEntry>,
    pub pos: Pos,
}

impl Table {
    /// The shape of its entries: identifiers, strings, or identifier-string pairs.
    pub fn shape(&self) -> TableShape {
        match self.entries.first() {
            Some(TableEntry {
                ident: Some(_),
                string: Some(_),
                ..
            }) => TableShape::Pairs,
            Some(TableEntry { ident: Some(_), .. }) => TableShape::Idents,
            _ => TableShape::Strings,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableShape {
    Idents,
    Strings,
    Pairs,
}

/// A parsed file, before checking.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DefFile {
    pub consts: Vec<Const>,
    pub instructions: Vec<Instruction>,
    pub families: Vec<Family>,
    pub tables: Vec<Table>,
}

// ------------------------------------------------------------------------------------------
// Lexer

#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    Ident(String),
    Int(i64),
    Str(String),
    Punct(&'static str),
    Eof,
}

impl fmt::Display for Tok {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tok::Ident(s) => write!(f, "`{s}`"),
            Tok::Int(n) => write!(f, "`{n}`"),
            Tok::Str(s) => write!(f, "{s:?}"),
            Tok::Punct(p) => write!(f, "`{p}`"),
            Tok::Eof => write!(f, "end of file"),
        }
    }
}

#[derive(Clone, Debug)]
struct Token {
    tok: Tok,
    start: usize,
    end: usize,
}

const PUNCTS: [&str; 30] = [
    "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "(", ")", "[", "]", "{", "}", ",", ";", ":", "=", "/", "+",
    "-", "*", "%", "&", "|", "^", "~", "!", "<",
];

struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    /// Byte offsets of line starts.
    lines: Vec<usize>,
    peeked: Option<Token>,
}

impl<'a> Lexer<'a> {
    fn new(src: &'a str) -> Self {
        let mut lines = vec![0];
        lines.extend(src.match_indices('\n').map(|(i, _)| i + 1));
        Lexer {
            src,
            pos: 0,
            lines,
            peeked: None,
        }
    }

    fn pos_of(&self, offset: usize) -> Pos {
        let line = self.lines.partition_point(|&start| start <= offset);
        let start = self.lines[line - 1];
        let col = self.src[start..offset.min(self.src.len())].chars().count() + 1;
        Pos {
            line: line as u32,
            col: col as u32,
        }
    }

    fn rest(&self) -> &'a str {
        &self.src[self.pos..]
    }

    /// Skip whitespace and comments.
    fn skip_trivia(&mut self) -> Result<(), Error> {
        loop {
            let rest = self.rest();
            let trimmed = rest.trim_start();
            self.pos += rest.len() - trimmed.len();
            if trimmed.starts_with("//") {
                self.pos += trimmed.find('\n').unwrap_or(trimmed.len());
            } else if let Some(comment) = trimmed.strip_prefix("/*") {
                match comment.find("*/") {
                    Some(end) => self.pos += end + 4,
                    None => return Err(self.pos_of(self.pos).error("unterminated comment")),
                }
            } else {
                return Ok(());
            }
        }
    }

    fn lex(&mut self) -> Result<Token, Error> {
        self.skip_trivia()?;
        let start = self.pos;
        let rest = self.rest();
        let Some(c) = rest.chars().next() else {
            return Ok(Token {
                tok: Tok::Eof,
                start,
                end: start,
            });
        };
        let tok = if c.is_ascii_alphabetic() || c == '_' {
            let len = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            self.pos += len;
            Tok::Ident(rest[..len].to_string())
        } else if c.is_ascii_digit() {
            let len = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            let text = rest[..len].replace('_', "");
            self.pos += len;
            let value = if let Some(hex) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
                i64::from_str_radix(hex, 16)
            } else {
                text.parse::<i64>()
            };
            match value {
                Ok(v) if v <= u32::MAX as i64 => Tok::Int(v),
                _ => return Err(self.pos_of(start).error(format!("bad integer `{}`", &rest[..len]))),
            }
        } else if c == '"' {
            let mut value = String::new();
            let mut chars = rest[1..].char_indices();
            loop {
                match chars.next() {
                    None | Some((_, '\n')) => return Err(self.pos_of(start).error("unterminated string")),
                    Some((i, '"')) => {
                        self.pos += i + 2;
                        break;
                    }
                    Some((_, '\\')) => match chars.next() {
                        Some((_, 'n')) => value.push('\n'),
                        Some((_, 't')) => value.push('\t'),
                        Some((_, c @ ('\\' | '"' | '\''))) => value.push(c),
                        _ => return Err(self.pos_of(start).error("unknown escape in string")),
                    },
                    Some((_, c)) => value.push(c),
                }
            }
            Tok::Str(value)
        } else {
            match PUNCTS.iter().find(|p| rest.starts_with(**p)) {
                Some(p) => {
                    self.pos += p.len();
                    Tok::Punct(p)
                }
                None => return Err(self.pos_of(start).error(format!("unexpected character {c:?}"))),
            }
        };
        Ok(Token {
            tok,
            start,
            end: self.pos,
        })
    }

    fn peek(&mut self) -> Result<&Token, Error> {
        if self.peeked.is_none() {
            let t = self.lex()?;
            self.peeked = Some(t);
        }
        Ok(self.peeked.as_ref().expect("just filled"))
    }

    fn next(&mut self) -> Result<Token, Error> {
        match self.peeked.take() {
            Some(t) => Ok(t),
            None => self.lex(),
        }
    }

    /// The body after an opening brace at `open` (already consumed): Rust text up to the
    /// matching closing brace, skipping braces inside string and character literals and
    /// comments.
    fn raw_block(&mut self, open: usize) -> Result<(String, Pos), Error> {
        debug_assert!(self.peeked.is_none());
        match scan_block(self.src, open) {
            Ok(close) => {
                self.pos = close + 1;
                Ok((self.src[open + 1..close].to_string(), self.pos_of(open + 1)))
            }
            Err((what, at)) => Err(self.pos_of(at).error(format!("unterminated {what}"))),
        }
    }
}

/// The offset of the brace closing the one at `open`, skipping Rust string, character and
/// raw string literals and comments; or what is unterminated, and where it starts.
fn scan_block(src: &str, open: usize) -> Result<usize, (&'static str, usize)> {
    let bytes = src.as_bytes();
    let ident_char = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut i = open + 1;
    let mut depth = 1usize;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Ok(i);
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let start = i;
                let mut nesting = 0usize;
                loop {
                    if i + 1 >= bytes.len() {
                        return Err(("comment", start));
                    }
                    if bytes[i] == b'/' && bytes[i + 1] == b'*' {
                        nesting += 1;
                        i += 2;
                    } else if bytes[i] == b'*' && bytes[i + 1] == b'/' {
                        nesting -= 1;
                        i += 2;
                        if nesting == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
                continue;
            }
            b'r' | b'b' if !ident_char(bytes[i - 1]) => {
                // Raw strings r"..", r#".."#, br"..", byte strings b"..", byte chars b'.'.
                let mut j = i + 1;
                if b == b'b' && bytes.get(j) == Some(&b'r') {
                    j += 1;
                }
                let raw = b == b'r' || j == i + 2;
                let mut hashes = 0;
                while raw && bytes.get(j) == Some(&b'#') {
                    hashes += 1;
                    j += 1;
                }
                if raw && bytes.get(j) == Some(&b'"') {
                    let start = i;
                    let mut k = j + 1;
                    loop {
                        if k >= bytes.len() {
                            return Err(("raw string", start));
                        }
                        if bytes[k] == b'"'
                            && bytes[k + 1..].iter().take(hashes).filter(|&&h| h == b'#').count() == hashes
                        {
                            i = k + 1 + hashes;
                            break;
                        }
                        k += 1;
                    }
                    continue;
                }
                if b == b'b' && matches!(bytes.get(i + 1), Some(b'"' | b'\'')) {
                    // The literal itself is handled at the quote.
                    i += 1;
                    continue;
                }
                // An identifier starting with r or b: skip it whole.
                while i < bytes.len() && ident_char(bytes[i]) {
                    i += 1;
                }
                continue;
            }
            b'"' => {
                let start = i;
                i += 1;
                loop {
                    match bytes.get(i) {
                        None => return Err(("string", start)),
                        Some(b'\\') => i += 2,
                        Some(b'"') => break,
                        Some(_) => i += 1,
                    }
                }
            }
            b'\'' => {
                // A character literal, or a lifetime or label (no closing quote).
                let start = i;
                if bytes.get(i + 1) == Some(&b'\\') {
                    let mut k = i + 3;
                    while k < bytes.len() && bytes[k] != b'\'' && bytes[k] != b'\n' {
                        k += 1;
                    }
                    if bytes.get(k) != Some(&b'\'') {
                        return Err(("character literal", start));
                    }
                    i = k;
                } else if let Some(c) = src[i + 1..].chars().next() {
                    let after = i + 1 + c.len_utf8();
                    if bytes.get(after) == Some(&b'\'') {
                        i = after;
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    Err(("body (no matching `}`)", open))
}

// ------------------------------------------------------------------------------------------
// Parser

struct Parser<'a> {
    lx: Lexer<'a>,
}

impl<'a> Parser<'a> {
    fn pos(&mut self) -> Result<Pos, Error> {
        let start = self.lx.peek()?.start;
        Ok(self.lx.pos_of(start))
    }

    fn unexpected(&mut self, expected: &str) -> Error {
        match self.lx.peek() {
            Ok(t) => {
                let msg = format!("expected {expected}, found {}", t.tok);
                let at = t.start;
                self.lx.pos_of(at).error(msg)
            }
            Err(e) => e,
        }
    }

    fn is_punct(&mut self, p: &str) -> Result<bool, Error> {
        Ok(matches!(&self.lx.peek()?.tok, Tok::Punct(q) if *q == p))
    }

    fn eat_punct(&mut self, p: &str) -> Result<bool, Error> {
        if self.is_punct(p)? {
            self.lx.next()?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    fn expect_punct(&mut self, p: &str) -> Result<Token, Error> {
        if self.is_punct(p)? {
            self.lx.next()
        } else {
            Err(self.unexpected(&format!("`{p}`")))
        }
    }

    fn ident(&mut self, what: &str) -> Result<(String, Pos), Error> {
        let pos = self.pos()?;
        match &self.lx.peek()?.tok {
            Tok::Ident(s) => {
                let s = s.clone();
                self.lx.next()?;
                Ok((s, pos))
            }
            _ => Err(self.unexpected(what)),
        }
    }

    fn int(&mut self, what: &str) -> Result<(i64, Pos), Error> {
        let pos = self.pos()?;
        match self.lx.peek()?.tok {
            Tok::Int(n) => {
                self.lx.next()?;
                Ok((n, pos))
            }
            _ => Err(self.unexpected(what)),
        }
    }

    fn file(&mut self) -> Result<DefFile, Error> {
        let mut file = DefFile::default();
        loop {
            let pos = self.pos()?;
            let word = match &self.lx.peek()?.tok {
                Tok::Eof => return Ok(file),
                Tok::Ident(w) => w.clone(),
                _ => return Err(self.unexpected("`inst`, `pseudo`, `family`, `const` or `table`")),
            };
            match word.as_str() {
                "inst" => {
                    self.lx.next()?;
                    file.instructions.push(self.instruction(InstKind::Inst, pos)?);
                }
                "pseudo" => {
                    self.lx.next()?;
                    file.instructions.push(self.instruction(InstKind::Pseudo, pos)?);
                }
                "family" => {
                    self.lx.next()?;
                    file.families.push(self.family(pos)?);
                }
                "const" => {
                    self.lx.next()?;
                    file.consts.push(self.constant(pos)?);
                }
                "table" => {
                    self.lx.next()?;
                    file.tables.push(self.table(pos)?);
                }
                _ => return Err(self.unexpected("`inst`, `pseudo`, `family`, `const` or `table`")),
            }
        }
    }

    fn instruction(&mut self, kind: InstKind, pos: Pos) -> Result<Instruction, Error> {
        self.expect_punct("(")?;
        let (name, _) = self.ident("an instruction name")?;
        self.expect_punct(",")?;
        let (number, npos) = self.int("an opcode number")?;
        let number = u16::try_from(number).map_err(|_| npos.error(format!("opcode number {number} out of range")))?;
        let mut inst = Instruction {
            kind,
            name,
            number,
            effect: None,
            jump_effect: None,
            flags: Vec::new(),
            targets: Vec::new(),
            body: None,
            pos,
        };
        let mut first = true;
        while self.eat_punct(",")? {
            let here = self.pos()?;
            if self.is_punct("(")? {
                if !first || inst.effect.is_some() {
                    return Err(here.error("the stack effect must come right after the opcode number"));
                }
                inst.effect = Some(self.effect()?);
            } else {
                let (word, wpos) = self.ident("a stack effect `(... -- ...)`, `jump (... -- ...)` or a flag")?;
                if word == "jump" {
                    if inst.effect.is_none() {
                        return Err(wpos.error("a jump effect needs the ordinary stack effect before it"));
                    }
                    if inst.jump_effect.is_some() {
                        return Err(wpos.error("a second jump effect"));
                    }
                    if !self.is_punct("(")? {
                        return Err(self.unexpected("`(` starting the stack effect when jumping"));
                    }
                    inst.jump_effect = Some(self.effect()?);
                } else {
                    inst.flags.push((word, wpos));
                }
            }
            first = false;
        }
        self.expect_punct(")")?;
        match kind {
            InstKind::Inst => {
                let open = self
                    .expect_punct("{")
                    .map_err(|_| self.unexpected("`{` starting the body"))?;
                let (text, bpos) = self.lx.raw_block(open.start)?;
                inst.body = Some(Body { text, pos: bpos });
            }
            InstKind::Pseudo => {
                self.expect_punct("=")?;
                inst.targets = self.name_list("a target instruction")?;
                self.expect_punct(";")?;
            }
        }
        Ok(inst)
    }

    /// `{ NAME, NAME, ... }` (a trailing comma allowed).
    fn name_list(&mut self, what: &str) -> Result<Vec<(String, Pos)>, Error> {
        self.expect_punct("{")?;
        let mut names = Vec::new();
        while !self.is_punct("}")? {
            names.push(self.ident(what)?);
            if !self.eat_punct(",")? {
                break;
            }
        }
        self.expect_punct("}")?;
        Ok(names)
    }

    fn effect(&mut self) -> Result<Effect, Error> {
        let pos = self.pos()?;
        self.expect_punct("(")?;
        let mut effect = Effect {
            pos,
            ..Effect::default()
        };
        let mut outputs = false;
        loop {
            if self.eat_punct("--")? {
                if outputs {
                    return Err(self.unexpected("`)` (a second `--`)"));
                }
                outputs = true;
                continue;
            }
            if self.is_punct(")")? {
                if !outputs {
                    return Err(self.unexpected("`--` between the inputs and the outputs"));
                }
                self.lx.next()?;
                return Ok(effect);
            }
            let (name, ipos) = self.ident("a stack item")?;
            if self.eat_punct("/")? {
                let (size, spos) = self.int("a cache entry size")?;
                if outputs {
                    return Err(ipos.error(format!("cache entry `{name}/{size}` among the outputs")));
                }
                if !effect.inputs.is_empty() {
                    return Err(ipos.error(format!("cache entry `{name}/{size}` after a stack input")));
                }
                let size = u8::try_from(size)
                    .ok()
                    .filter(|&s| s > 0)
                    .ok_or_else(|| spos.error(format!("bad cache entry size {size}")))?;
                effect.caches.push(CacheItem { name, size, pos: ipos });
            } else {
                let mut item = StackItem {
                    name,
                    size: None,
                    condition: None,
                    pos: ipos,
                };
                if self.eat_punct("[")? {
                    item.size = Some(self.source_expr()?);
                    self.expect_punct("]")?;
                }
                if matches!(&self.lx.peek()?.tok, Tok::Ident(w) if w == "if") {
                    self.lx.next()?;
                    item.condition = Some(self.source_expr()?);
                }
                if outputs {
                    effect.outputs.push(item);
                } else {
                    effect.inputs.push(item);
                }
            }
            if !self.eat_punct(",")? && !self.is_punct("--")? && !self.is_punct(")")? {
                return Err(self.unexpected("`,`, `--` or `)`"));
            }
        }
    }

    fn source_expr(&mut self) -> Result<SourceExpr, Error> {
        let start = self.lx.peek()?.start;
        let (expr, end) = self.expr(0)?;
        let text = self.lx.src[start..end].split_whitespace().collect::<Vec<_>>().join(" ");
        Ok(SourceExpr { text, expr })
    }

    /// Precedence climbing; returns the expression and the end offset of its last token.
    fn expr(&mut self, min_prec: u8) -> Result<(Expr, usize), Error> {
        let (mut lhs, mut end) = self.unary()?;
        loop {
            let op = match &self.lx.peek()?.tok {
                Tok::Punct(p) => BinOp::from_punct(p),
                _ => None,
            };
            let Some(op) = op.filter(|op| op.precedence() > min_prec) else {
                return Ok((lhs, end));
            };
            self.lx.next()?;
            let (rhs, rend) = self.expr(op.precedence())?;
            lhs = Expr::Binary(op, Box::new(lhs), Box::new(rhs));
            end = rend;
        }
    }

    fn unary(&mut self) -> Result<(Expr, usize), Error> {
        let pos = self.pos()?;
        let tok = self.lx.peek()?.clone();
        match tok.tok {
            Tok::Int(n) => {
                self.lx.next()?;
                Ok((Expr::Int(n), tok.end))
            }
            Tok::Ident(name) => {
                self.lx.next()?;
                let e = if name == "oparg" {
                    Expr::Oparg
                } else {
                    Expr::Name(name, pos)
                };
                Ok((e, tok.end))
            }
            Tok::Punct("(") => {
                self.lx.next()?;
                let (e, _) = self.expr(0)?;
                let close = self.expect_punct(")")?;
                Ok((e, close.end))
            }
            Tok::Punct(p @ ("-" | "+" | "~" | "!")) => {
                self.lx.next()?;
                let (e, end) = self.unary()?;
                let op = match p {
                    "-" => UnOp::Neg,
                    "+" => UnOp::Plus,
                    "~" => UnOp::BitNot,
                    _ => UnOp::Not,
                };
                Ok((Expr::Unary(op, Box::new(e)), end))
            }
            _ => Err(self.unexpected("an expression")),
        }
    }

    fn family(&mut self, pos: Pos) -> Result<Family, Error> {
        self.expect_punct("(")?;
        let (head, _) = self.ident("the family's base instruction")?;
        self.expect_punct(")")?;
        self.expect_punct("=")?;
        let members = self.name_list("a specialized instruction")?;
        self.expect_punct(";")?;
        Ok(Family { head, members, pos })
    }

    fn constant(&mut self, pos: Pos) -> Result<Const, Error> {
        let (name, _) = self.ident("a constant name")?;
        self.expect_punct(":")?;
        let (ty, tpos) = self.ident("a type (u8, u16, u32, i32, i64)")?;
        if !matches!(ty.as_str(), "u8" | "u16" | "u32" | "i32" | "i64") {
            return Err(tpos.error(format!(
                "unsupported constant type `{ty}` (use u8, u16, u32, i32 or i64)"
            )));
        }
        self.expect_punct("=")?;
        let expr = self.source_expr()?;
        self.expect_punct(";")?;
        Ok(Const {
            name,
            ty,
            expr,
            value: 0,
            pos,
        })
    }

    fn table(&mut self, pos: Pos) -> Result<Table, Error> {
        let (name, _) = self.ident("a table name")?;
        self.expect_punct("=")?;
        self.expect_punct("{")?;
        let mut entries = Vec::new();
        while !self.is_punct("}")? {
            let epos = self.pos()?;
            let mut entry = TableEntry {
                ident: None,
                string: None,
                pos: epos,
            };
            if let Tok::Ident(s) = &self.lx.peek()?.tok {
                entry.ident = Some(s.clone());
                self.lx.next()?;
            }
            if let Tok::Str(s) = &self.lx.peek()?.tok {
                entry.string = Some(s.clone());
                self.lx.next()?;
            }
            if entry.ident.is_none() && entry.string.is_none() {
                return Err(self.unexpected("a table entry (an identifier, a string, or both)"));
            }
            entries.push(entry);
            if !self.eat_punct(",")? {
                break;
            }
        }
        self.expect_punct("}")?;
        self.expect_punct(";")?;
        Ok(Table { name, entries, pos })
    }
}

/// Parse a definition file (syntax only; [`load`] also checks it).
pub fn parse(src: &str) -> Result<DefFile, Error> {
    Parser { lx: Lexer::new(src) }.file()
}

// ------------------------------------------------------------------------------------------
// Checking and resolution

/// What an opcode is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OpKind {
    /// A real instruction the compiler emits (or the interpreter's own, like CACHE).
    Base,
    /// A specialization of a family's base instruction, written by the interpreter.
    Specialized,
    /// An instrumented variant (numbers from `MIN_INSTRUMENTED_OPCODE`).
    Instrumented,
    /// A compiler-only instruction (numbers from `MIN_PSEUDO_OPCODE`).
    Pseudo,
}

/// One opcode with everything derived about it.
#[derive(Clone, Debug)]
pub struct OpModel {
    pub inst: Instruction,
    pub kind: OpKind,
    /// [`flags`] bits, derived ones included.
    pub flags: u32,
    /// The family's base instruction for a specialized one, else itself.
    pub deopt: u16,
    /// Inline cache code units following it.
    pub cache_entries: u8,
    /// The family's cache layout (the base instruction's named entries).
    pub cache_format: Vec<(String, u8)>,
    /// A family's base instruction: its specializations.
    pub specializations: Vec<u16>,
    /// A pseudo-instruction: the real instructions it may become.
    pub targets: Vec<u16>,
    /// An instrumented instruction: the one it instruments (by name).
    pub uninstrumented: Option<u16>,
}

/// A checked definition file.
#[derive(Clone, Debug)]
pub struct Model {
    pub consts: Vec<Const>,
    pub const_values: HashMap<String, i64>,
    /// Every opcode, by number.
    pub ops: Vec<OpModel>,
    /// The families in file order: base opcode and members.
    pub families: Vec<(u16, Vec<u16>)>,
    pub tables: Vec<Table>,
    pub have_argument: u16,
    pub min_instrumented: u16,
    pub min_pseudo: u16,
    pub max_pseudo: u16,
    pub max_real: u16,
}

impl Model {
    /// The opcode with this number.
    pub fn op(&self, number: u16) -> Option<&OpModel> {
        self.ops
            .binary_search_by_key(&number, |o| o.inst.number)
            .ok()
            .map(|i| &self.ops[i])
    }

    /// The opcode with this name.
    pub fn by_name(&self, name: &str) -> Option<&OpModel> {
        self.ops.iter().find(|o| o.inst.name == name)
    }
}

/// Parse and check a definition file.
pub fn load(src: &str) -> Result<Model, Error> {
    check(parse(src)?)
}

fn required_const(values: &HashMap<String, i64>, name: &str) -> Result<u16, Error> {
    match values.get(name) {
        Some(&v) => u16::try_from(v).map_err(|_| Pos { line: 1, col: 1 }.error(format!("{name} = {v} out of range"))),
        None => Err(Pos { line: 1, col: 1 }.error(format!("missing `const {name}: u16 = ...;`"))),
    }
}

/// Check a parsed file and derive the model.
pub fn check(file: DefFile) -> Result<Model, Error> {
    // Constants, in order (each may use the earlier ones).
    let mut values: HashMap<String, i64> = HashMap::new();
    let mut consts = file.consts;
    for c in &mut consts {
        if values.contains_key(&c.name) || c.name == "oparg" {
            return Err(c.pos.error(format!("constant {} defined twice", c.name)));
        }
        if c.expr.expr.uses_oparg() {
            return Err(c.pos.error("a constant cannot use oparg"));
        }
        let value = c.expr.expr.eval(0, &values).map_err(|e| c.pos.error(e))?;
        let v = value as i64;
        let in_range = match c.ty.as_str() {
            "u8" => (0..=u8::MAX as i64).contains(&v),
            "u16" => (0..=u16::MAX as i64).contains(&v),
            "u32" => v >= 0,
            _ => true,
        };
        if !in_range {
            return Err(c.pos.error(format!("{} = {v} does not fit in {}", c.name, c.ty)));
        }
        c.value = v;
        values.insert(c.name.clone(), v);
    }
    let have_argument = required_const(&values, "HAVE_ARGUMENT")?;
    let min_instrumented = required_const(&values, "MIN_INSTRUMENTED_OPCODE")?;
    let min_pseudo = required_const(&values, "MIN_PSEUDO_OPCODE")?;

    // Instructions: names, numbers, ranges, expressions.
    let mut by_name: HashMap<&str, usize> = HashMap::new();
    let mut by_number: BTreeMap<u16, usize> = BTreeMap::new();
    for (i, inst) in file.instructions.iter().enumerate() {
        if let Some(&j) = by_name.get(inst.name.as_str()) {
            return Err(inst.pos.error(format!(
                "{} defined twice (first at line {})",
                inst.name, file.instructions[j].pos.line
            )));
        }
        if let Some(&j) = by_number.get(&inst.number) {
            let other = &file.instructions[j];
            return Err(inst.pos.error(format!(
                "opcode number {} of {} is already {}'s (line {})",
                inst.number, inst.name, other.name, other.pos.line
            )));
        }
        match inst.kind {
            InstKind::Inst if inst.number >= min_pseudo || inst.number > 255 => {
                return Err(inst.pos.error(format!(
                    "real instruction {} has number {}: it must be below 256 and below MIN_PSEUDO_OPCODE ({min_pseudo})",
                    inst.name, inst.number
                )));
            }
            InstKind::Pseudo if inst.number < min_pseudo => {
                return Err(inst.pos.error(format!(
                    "pseudo-instruction {} has number {}, below MIN_PSEUDO_OPCODE ({min_pseudo})",
                    inst.name, inst.number
                )));
            }
            _ => {}
        }
        for effect in inst.effect.iter().chain(inst.jump_effect.iter()) {
            for item in effect.inputs.iter().chain(effect.outputs.iter()) {
                let mut names = Vec::new();
                for e in item.size.iter().chain(item.condition.iter()) {
                    e.expr.names(&mut names);
                }
                if let Some((n, p)) = names.into_iter().find(|(n, _)| !values.contains_key(n)) {
                    return Err(p.error(format!("unknown name `{n}` (only oparg and constants may be used)")));
                }
            }
        }
        by_name.insert(&inst.name, i);
        by_number.insert(inst.number, i);
    }

    // Families.
    let mut deopt: HashMap<usize, usize> = HashMap::new();
    let mut heads: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut families = Vec::new();
    let lookup = |name: &str, pos: Pos| -> Result<usize, Error> {
        by_name
            .get(name)
            .copied()
            .ok_or_else(|| pos.error(format!("unknown instruction {name}")))
    };
    for fam in &file.families {
        let head = lookup(&fam.head, fam.pos)?;
        let hinst = &file.instructions[head];
        if hinst.kind != InstKind::Inst || hinst.number >= min_instrumented {
            return Err(fam.pos.error(format!(
                "family base {} must be a real, uninstrumented instruction",
                fam.head
            )));
        }
        if heads.contains_key(&head) {
            return Err(fam.pos.error(format!("a second family for {}", fam.head)));
        }
        if deopt.contains_key(&head) {
            return Err(fam.pos.error(format!("{} is itself a specialization", fam.head)));
        }
        let head_cache = hinst.effect.as_ref().map_or(0, Effect::cache_size);
        let mut members = Vec::new();
        for (m, mpos) in &fam.members {
            let mi = lookup(m, *mpos)?;
            let minst = &file.instructions[mi];
            if mi == head || heads.contains_key(&mi) {
                return Err(mpos.error(format!("{m} is a family's base instruction")));
            }
            if deopt.contains_key(&mi) {
                return Err(mpos.error(format!("{m} is in two families")));
            }
            if minst.kind != InstKind::Inst || minst.number >= min_instrumented {
                return Err(mpos.error(format!("specialization {m} must be a real, uninstrumented instruction")));
            }
            let mcache = minst.effect.as_ref().map_or(0, Effect::cache_size);
            if mcache != head_cache {
                return Err(minst.pos.error(format!(
                    "{m} declares {mcache} cache entries, its family base {} has {head_cache}",
                    fam.head
                )));
            }
            deopt.insert(mi, head);
            members.push(mi);
        }
        families.push((
            hinst.number,
            members.iter().map(|&m| file.instructions[m].number).collect(),
        ));
        heads.insert(head, members);
    }

    // Kinds, own flags, caches.
    let kind_of = |i: usize| -> OpKind {
        let inst = &file.instructions[i];
        if inst.kind == InstKind::Pseudo {
            OpKind::Pseudo
        } else if deopt.contains_key(&i) {
            OpKind::Specialized
        } else if inst.number >= min_instrumented {
            OpKind::Instrumented
        } else {
            OpKind::Base
        }
    };
    let mut own_flags: Vec<u32> = Vec::with_capacity(file.instructions.len());
    for (i, inst) in file.instructions.iter().enumerate() {
        let mut bits = 0u32;
        for (f, fpos) in &inst.flags {
            let bit = match flags::by_name(f) {
                Some(flags::HAS_ARG) => {
                    return Err(
                        fpos.error("HAS_ARG is derived (from HAVE_ARGUMENT, or a pseudo-instruction's targets)")
                    );
                }
                Some(bit) => bit,
                None => {
                    let known: Vec<&str> = flags::ALL[1..].iter().map(|(n, _)| *n).collect();
                    return Err(fpos.error(format!("unknown flag `{f}` (known: {})", known.join(", "))));
                }
            };
            if bits & bit != 0 {
                return Err(fpos.error(format!("flag {f} given twice")));
            }
            bits |= bit;
        }
        let kind = kind_of(i);
        if matches!(kind, OpKind::Base | OpKind::Instrumented) && inst.number >= have_argument {
            bits |= flags::HAS_ARG;
        }
        if kind == OpKind::Instrumented {
            if let Some(e) = inst.effect.as_ref().filter(|e| !e.caches.is_empty()) {
                return Err(e.caches[0].pos.error(format!(
                    "instrumented instruction {} cannot declare cache entries (they belong to the instruction it instruments)",
                    inst.name
                )));
            }
        }
        if kind == OpKind::Pseudo {
            if let Some(e) = inst.effect.as_ref().filter(|e| !e.caches.is_empty()) {
                return Err(e.caches[0].pos.error("a pseudo-instruction has no inline cache"));
            }
            if inst.targets.is_empty() {
                return Err(inst
                    .pos
                    .error(format!("pseudo-instruction {} has no targets", inst.name)));
            }
        }
        own_flags.push(bits);
    }

    // Pseudo-instructions inherit the opcode.py list flags all their targets share.
    let mut all_flags = own_flags.clone();
    let mut targets_of: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, inst) in file.instructions.iter().enumerate() {
        if inst.kind != InstKind::Pseudo {
            continue;
        }
        let mut targets = Vec::new();
        for (t, tpos) in &inst.targets {
            let ti = lookup(t, *tpos)?;
            if file.instructions[ti].kind == InstKind::Pseudo {
                return Err(tpos.error(format!("target {t} is itself a pseudo-instruction")));
            }
            targets.push(ti);
        }
        for &(fname, bit) in flags::ALL.iter().filter(|(_, b)| flags::OPCODE_LISTS & b != 0) {
            let have: Vec<bool> = targets.iter().map(|&t| own_flags[t] & bit != 0).collect();
            if have.iter().any(|&h| h) {
                if let Some(k) = have.iter().position(|&h| !h) {
                    return Err(inst.pos.error(format!(
                        "targets of {} disagree on {fname}: {} has it, {} has not",
                        inst.name,
                        file.instructions[targets[have.iter().position(|&h| h).unwrap_or(0)]].name,
                        file.instructions[targets[k]].name
                    )));
                }
                all_flags[i] |= bit;
            }
        }
        targets_of.insert(i, targets);
    }
    for (i, inst) in file.instructions.iter().enumerate() {
        let f = all_flags[i];
        let jump_class = flags::UNCONDITIONAL_JUMP | flags::CONDITIONAL_JUMP | flags::BACKWARD_JUMP;
        if f & jump_class != 0 && f & (flags::HAS_JREL | flags::HAS_JABS) == 0 {
            return Err(inst.pos.error(format!(
                "{} is classified as a jump but is neither HAS_JREL nor HAS_JABS",
                inst.name
            )));
        }
        if f & flags::UNCONDITIONAL_JUMP != 0 && f & flags::CONDITIONAL_JUMP != 0 {
            return Err(inst.pos.error(format!(
                "{} cannot be both an unconditional and a conditional jump",
                inst.name
            )));
        }
    }

    // Tables.
    let mut table_names: HashSet<&str> = HashSet::new();
    let mut idents: HashMap<&str, Pos> = HashMap::new();
    for t in &file.tables {
        if !table_names.insert(&t.name) || values.contains_key(&t.name) {
            return Err(t.pos.error(format!("{} defined twice", t.name)));
        }
        if t.entries.is_empty() {
            return Err(t.pos.error(format!("table {} is empty", t.name)));
        }
        let shape = t.shape();
        for e in &t.entries {
            let ok = match shape {
                TableShape::Pairs => e.ident.is_some() && e.string.is_some(),
                TableShape::Idents => e.ident.is_some() && e.string.is_none(),
                TableShape::Strings => e.ident.is_none() && e.string.is_some(),
            };
            if !ok {
                return Err(e.pos.error(format!("entries of table {} differ in shape", t.name)));
            }
            if let Some(id) = &e.ident {
                if values.contains_key(id) || table_names.contains(id.as_str()) {
                    return Err(e.pos.error(format!("{id} is already a constant or table")));
                }
                if let Some(p) = idents.insert(id, e.pos) {
                    return Err(e.pos.error(format!("{id} already named at line {}", p.line)));
                }
            }
        }
    }

    // The model, by number.
    let mut ops = Vec::new();
    for &i in by_number.values() {
        let inst = &file.instructions[i];
        let kind = kind_of(i);
        let base = deopt.get(&i).copied().unwrap_or(i);
        let base_inst = &file.instructions[base];
        let base_caches = base_inst.effect.as_ref().map(|e| e.caches.clone()).unwrap_or_default();
        let cache_entries = match kind {
            OpKind::Base | OpKind::Specialized => {
                let size: u32 = base_caches.iter().map(|c| c.size as u32).sum();
                u8::try_from(size).map_err(|_| inst.pos.error("more than 255 cache entries"))?
            }
            OpKind::Instrumented | OpKind::Pseudo => 0,
        };
        let cache_format = match kind {
            OpKind::Base | OpKind::Specialized => base_caches.iter().map(|c| (c.name.clone(), c.size)).collect(),
            _ => Vec::new(),
        };
        let uninstrumented = match kind {
            OpKind::Instrumented => inst
                .name
                .strip_prefix("INSTRUMENTED_")
                .and_then(|n| by_name.get(n))
                .map(|&j| file.instructions[j].number),
            _ => None,
        };
        ops.push(OpModel {
            inst: inst.clone(),
            kind,
            flags: all_flags[i],
            deopt: base_inst.number,
            cache_entries,
            cache_format,
            specializations: heads
                .get(&i)
                .map(|m| m.iter().map(|&j| file.instructions[j].number).collect())
                .unwrap_or_default(),
            targets: targets_of
                .get(&i)
                .map(|t| t.iter().map(|&j| file.instructions[j].number).collect())
                .unwrap_or_default(),
            uninstrumented,
        });
    }
    let max_pseudo = ops
        .iter()
        .filter(|o| o.kind == OpKind::Pseudo)
        .map(|o| o.inst.number)
        .max()
        .unwrap_or(min_pseudo);
    let max_real = ops
        .iter()
        .filter(|o| o.kind != OpKind::Pseudo)
        .map(|o| o.inst.number)
        .max()
        .unwrap_or(0);
    Ok(Model {
        consts,
        const_values: values,
        ops,
        families,
        tables: file.tables,
        have_argument,
        min_instrumented,
        min_pseudo,
        max_pseudo,
        max_real,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "const HAVE_ARGUMENT: u16 = 90;\nconst MIN_INSTRUMENTED_OPCODE: u16 = 237;\nconst MIN_PSEUDO_OPCODE: u16 = 256;\n";

    fn err(src: &str) -> Error {
        load(&format!("{HEADER}{src}")).expect_err("should be rejected")
    }

    #[test]
    fn malformed_definitions_name_their_line() {
        // Lines 1-3 are the header.
        let e = err("inst(NOP, 9, (--)) { }\ninst(POP_TOP, 1, (value -)) { }\n");
        assert_eq!(e.line, 5, "{e}");
        assert!(e.to_string().starts_with("line 5, column "), "{e}");
        assert!(e.message.contains("expected"), "{e}");

        let e = err("inst(NOP, 9, (--)) { }\n\ninst(NOP2, 9, (--)) { }\n");
        assert_eq!((e.line, e.col), (6, 1), "{e}");
        assert!(e.message.contains("already NOP's (line 4)"), "{e}");

        let e = err("inst(NOP, 9, (--)) {\n  let s = \"}\";\n");
        assert_eq!(e.line, 4, "{e}");
        assert!(e.message.contains("unterminated"), "{e}");

        let e = err("inst(BUILD_LIST, 103, (values[oparg * WIDTH] -- list)) { }\n");
        assert_eq!((e.line, e.col), (4, 39), "{e}");
        assert!(e.message.contains("unknown name `WIDTH`"), "{e}");

        let e = err("inst(NOP, 9, (--), HAS_CONTS) { }\n");
        assert_eq!((e.line, e.col), (4, 20), "{e}");
        assert!(e.message.contains("unknown flag"), "{e}");

        let e = err("inst(A, 100, (counter/1, x -- y)) { }\ninst(A_B, 101, (x -- y)) { }\nfamily(A) = { A_B };\n");
        assert_eq!(e.line, 5, "{e}");
        assert!(e.message.contains("declares 0 cache entries"), "{e}");

        let e = err("inst(A, 100, (x -- y/1)) { }\n");
        assert!(e.message.contains("among the outputs") && e.line == 4, "{e}");

        let e = err("pseudo(J, 300, (--)) = { NOPE };\n");
        assert!(e.message.contains("unknown instruction NOPE") && e.line == 4, "{e}");

        let e = load("inst(NOP, 9, (--)) { }\n").expect_err("constants are required");
        assert!(e.message.contains("HAVE_ARGUMENT"), "{e}");
    }

    #[test]
    fn bodies_are_kept_verbatim() {
        let body = " // a } in a comment\n    let s = \"{\"; let c = '}'; let r = r#\"}\"#; /* { */\n    fn f<'a>(x: &'a str) -> &'a str { x }\n";
        let m = load(&format!(
            "{HEADER}inst(NOP, 9, (--)) {{{body}}}\ninst(POP_TOP, 1, (value --)) {{ }}\n"
        ))
        .expect("valid");
        let nop = m.by_name("NOP").expect("NOP");
        assert_eq!(nop.inst.body.as_ref().map(|b| b.text.as_str()), Some(body));
        assert_eq!(m.by_name("POP_TOP").map(|o| o.inst.pos.line), Some(8));
    }

    #[test]
    fn expressions_follow_c() {
        let src = format!(
            "{HEADER}const MASK: i32 = 0x4;\ninst(X, 155, (value, spec if ((oparg & MASK) == MASK), rest[oparg >> 8], more[-oparg + 2 * 3] -- r)) {{ }}\n"
        );
        let m = load(&src).expect("valid");
        let x = m.by_name("X").expect("X");
        let e = x.inst.effect.as_ref().expect("effect");
        assert_eq!(
            e.inputs[1].condition.as_ref().map(|c| c.text.as_str()),
            Some("((oparg & MASK) == MASK)")
        );
        let consts = &m.const_values;
        // value, spec, no rest, more[-4 + 6]
        assert_eq!(Effect::sum(&e.inputs, 4, consts), Ok(4));
        assert_eq!(Effect::sum(&e.inputs, 0x305, consts), Ok(1 + 1 + 3 + (6 - 0x305)));
        assert_eq!(Effect::sum(&e.inputs, -1, consts), Ok(1 + 1 + -1 + 7));
        assert_eq!(x.flags, flags::HAS_ARG);
    }
}
