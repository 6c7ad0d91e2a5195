//! The grammar file's data model and its reader.
//!
//! The meta-grammar is pegen's (PEP 617): `rule[Type] (memo): | alt | alt` (or `(memo_pass1)`,
//! `(memo_pass2)`: memoized in the first, or the error-reporting, pass only), items
//! `name=item`, `&e`, `!e`, `&&e`, `~`, `[e]`, `e?`, `e*`, `e+`, `sep.e+`, `( alts )`,
//! `NAME` (a rule or a token), `'keyword'` / `'op'` and `"soft_keyword"`. Actions are Rust
//! expressions in braces: `{ expr }` yields a value, `{? expr }` yields an `Option` (None fails
//! the alternative, as a NULL result does in CPython's generated parser).

use std::fmt;

#[derive(Debug, Clone)]
pub struct Grammar {
    pub metas: Vec<(String, String)>,
    pub rules: Vec<Rule>,
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub name: String,
    /// The Rust type the rule yields (`()` when the grammar gives none).
    pub ty: Option<String>,
    /// `(memo)` or `(memo_pass2)`: CPython memoizes the rule (so pyrite's second pass must).
    pub memo: bool,
    /// `(memo)` or `(memo_pass1)`: memoized in the first pass (`(memo_pass1)`: a rule CPython
    /// does not memoize, memoized where that cannot change the result).
    pub memo_first_pass: bool,
    pub alts: Vec<Alt>,
    pub line: usize,
}

#[derive(Debug, Clone)]
pub struct Alt {
    pub items: Vec<NamedItem>,
    pub action: Option<Action>,
}

#[derive(Debug, Clone)]
pub struct Action {
    pub code: String,
    /// `{? ... }`: the action's value is an `Option`.
    pub fallible: bool,
}

#[derive(Debug, Clone)]
pub struct NamedItem {
    pub name: Option<String>,
    pub item: Item,
}

#[derive(Debug, Clone)]
pub enum Item {
    /// A rule or token name.
    Name(String),
    /// A quoted string: `'if'` (keyword or operator) or `"match"` (soft keyword).
    Str {
        text: String,
        soft: bool,
    },
    Group(Vec<Alt>),
    Opt(Box<Item>),
    Star(Box<Item>),
    Plus(Box<Item>),
    /// `sep.elem+`
    Gather {
        sep: Box<Item>,
        elem: Box<Item>,
    },
    PosLookahead(Box<Item>),
    NegLookahead(Box<Item>),
    /// `&&e`: e must follow, or the parse stops with "expected ..."
    Forced(Box<Item>),
    Cut,
}

#[derive(Debug)]
pub struct GrammarError {
    pub line: usize,
    pub msg: String,
}

impl fmt::Display for GrammarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "grammar line {}: {}", self.line, self.msg)
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Name(String),
    Str(String, bool),
    Op(&'static str),
    Action(String, bool),
    /// A type annotation `[...]` right after a rule name or an item name.
    Type(String),
    Meta(String, String),
    RuleStart,
}

struct Lexer<'s> {
    src: &'s [u8],
    pos: usize,
    line: usize,
}

impl<'s> Lexer<'s> {
    fn err(&self, msg: impl Into<String>) -> GrammarError {
        GrammarError {
            line: self.line,
            msg: msg.into(),
        }
    }

    fn tokens(mut self) -> Result<Vec<(Tok, usize)>, GrammarError> {
        let mut out = Vec::new();
        let mut at_line_start = true;
        while self.pos < self.src.len() {
            let c = self.src[self.pos];
            if c == b'\n' {
                self.line += 1;
                self.pos += 1;
                at_line_start = true;
                continue;
            }
            if c == b'#' {
                while self.pos < self.src.len() && self.src[self.pos] != b'\n' {
                    self.pos += 1;
                }
                continue;
            }
            if c == b' ' || c == b'\t' || c == b'\r' {
                self.pos += 1;
                at_line_start = false;
                continue;
            }
            if at_line_start {
                at_line_start = false;
                if c == b'@' {
                    // @name '''text''' or @name value
                    let start = self.pos + 1;
                    let mut e = start;
                    while e < self.src.len() && (self.src[e].is_ascii_alphanumeric() || self.src[e] == b'_') {
                        e += 1;
                    }
                    let name = String::from_utf8_lossy(&self.src[start..e]).into_owned();
                    self.pos = e;
                    while self.src[self.pos] == b' ' {
                        self.pos += 1;
                    }
                    let value = if self.src[self.pos..].starts_with(b"'''") {
                        let body = self.pos + 3;
                        let end = find(self.src, body, b"'''").ok_or_else(|| self.err("unterminated '''"))?;
                        self.line += self.src[body..end].iter().filter(|&&b| b == b'\n').count();
                        self.pos = end + 3;
                        String::from_utf8_lossy(&self.src[body..end]).into_owned()
                    } else {
                        let s = self.pos;
                        while self.pos < self.src.len() && self.src[self.pos] != b'\n' {
                            self.pos += 1;
                        }
                        String::from_utf8_lossy(&self.src[s..self.pos]).trim().to_string()
                    };
                    out.push((Tok::Meta(name, value), self.line));
                    continue;
                }
                if c.is_ascii_alphabetic() || c == b'_' {
                    out.push((Tok::RuleStart, self.line));
                }
            }
            let line = self.line;
            if c.is_ascii_alphabetic() || c == b'_' {
                let s = self.pos;
                while self.pos < self.src.len()
                    && (self.src[self.pos].is_ascii_alphanumeric() || self.src[self.pos] == b'_')
                {
                    self.pos += 1;
                }
                out.push((
                    Tok::Name(String::from_utf8_lossy(&self.src[s..self.pos]).into_owned()),
                    line,
                ));
                // A type annotation follows a name immediately.
                if self.pos < self.src.len() && self.src[self.pos] == b'[' {
                    let prev_is_rule_start = matches!(out.iter().rev().nth(1), Some((Tok::RuleStart, _)));
                    let next_is_eq = {
                        let close = self.matching(b'[', b']')?;
                        let mut k = close + 1;
                        while k < self.src.len() && self.src[k] == b' ' {
                            k += 1;
                        }
                        (k < self.src.len() && self.src[k] == b'=' && self.src.get(k + 1) != Some(&b'='))
                            || (k < self.src.len() && (self.src[k] == b':' || self.src[k] == b'('))
                    };
                    if prev_is_rule_start || next_is_eq {
                        let close = self.matching(b'[', b']')?;
                        let ty = String::from_utf8_lossy(&self.src[self.pos + 1..close]).into_owned();
                        self.pos = close + 1;
                        out.push((Tok::Type(ty), line));
                    }
                }
                continue;
            }
            if c == b'\'' || c == b'"' {
                let s = self.pos + 1;
                let mut e = s;
                while e < self.src.len() && self.src[e] != c {
                    if self.src[e] == b'\\' {
                        e += 1;
                    }
                    e += 1;
                }
                if e >= self.src.len() {
                    return Err(self.err("unterminated string"));
                }
                out.push((
                    Tok::Str(String::from_utf8_lossy(&self.src[s..e]).into_owned(), c == b'"'),
                    line,
                ));
                self.pos = e + 1;
                continue;
            }
            if c == b'{' {
                let close = self.matching(b'{', b'}')?;
                let mut body = &self.src[self.pos + 1..close];
                let fallible = body.first() == Some(&b'?');
                if fallible {
                    body = &body[1..];
                }
                let code = String::from_utf8_lossy(body).trim().to_string();
                self.line += self.src[self.pos..close].iter().filter(|&&b| b == b'\n').count();
                self.pos = close + 1;
                out.push((Tok::Action(code, fallible), line));
                continue;
            }
            const OPS: [&str; 14] = ["&&", "|", ":", "=", "&", "!", "~", "[", "]", "(", ")", "?", "*", "+"];
            let mut matched = None;
            for op in OPS {
                if self.src[self.pos..].starts_with(op.as_bytes()) {
                    matched = Some(op);
                    break;
                }
            }
            if let Some(op) = matched {
                self.pos += op.len();
                out.push((Tok::Op(op), line));
                continue;
            }
            if c == b'.' {
                self.pos += 1;
                out.push((Tok::Op("."), line));
                continue;
            }
            return Err(self.err(format!("unexpected character {:?}", c as char)));
        }
        Ok(out)
    }

    /// The position of the bracket closing the one at `self.pos`, skipping Rust string and
    /// character literals inside.
    fn matching(&self, open: u8, close: u8) -> Result<usize, GrammarError> {
        let mut depth = 0;
        let mut i = self.pos;
        while i < self.src.len() {
            let c = self.src[i];
            if c == b'"' {
                i += 1;
                while i < self.src.len() && self.src[i] != b'"' {
                    if self.src[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            } else if c == b'\'' && open == b'{' {
                // A char literal ('x', '\n', '{') or a lifetime ('a).
                if i + 2 < self.src.len() && self.src[i + 2] == b'\'' {
                    i += 2;
                } else if i + 3 < self.src.len() && self.src[i + 1] == b'\\' && self.src[i + 3] == b'\'' {
                    i += 3;
                }
            } else if c == open {
                depth += 1;
            } else if c == close {
                depth -= 1;
                if depth == 0 {
                    return Ok(i);
                }
            }
            i += 1;
        }
        Err(self.err("unbalanced brackets"))
    }
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

struct Reader {
    toks: Vec<(Tok, usize)>,
    pos: usize,
}

impl Reader {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|t| &t.0)
    }
    fn line(&self) -> usize {
        self.toks.get(self.pos).or(self.toks.last()).map_or(0, |t| t.1)
    }
    fn err(&self, msg: impl Into<String>) -> GrammarError {
        GrammarError {
            line: self.line(),
            msg: msg.into(),
        }
    }
    fn eat_op(&mut self, op: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Op(o)) if *o == op) {
            self.pos += 1;
            true
        } else {
            false
        }
    }
    fn expect_op(&mut self, op: &str) -> Result<(), GrammarError> {
        if self.eat_op(op) {
            Ok(())
        } else {
            Err(self.err(format!("expected {op:?}, found {:?}", self.peek())))
        }
    }

    fn rule(&mut self) -> Result<Rule, GrammarError> {
        let line = self.line();
        let name = match self.peek() {
            Some(Tok::Name(n)) => n.clone(),
            t => return Err(self.err(format!("expected a rule name, found {t:?}"))),
        };
        self.pos += 1;
        let mut ty = None;
        if let Some(Tok::Type(t)) = self.peek() {
            ty = Some(t.clone());
            self.pos += 1;
        }
        let mut memo = false;
        let mut memo_first_pass = false;
        if self.eat_op("(") {
            match self.peek() {
                Some(Tok::Name(n)) if n == "memo" || n == "memo_pass1" || n == "memo_pass2" => {
                    memo = n != "memo_pass1";
                    memo_first_pass = n != "memo_pass2";
                    self.pos += 1;
                }
                t => return Err(self.err(format!("unknown rule flag {t:?}"))),
            }
            self.expect_op(")")?;
        }
        self.expect_op(":")?;
        self.eat_op("|");
        let alts = self.alts()?;
        match self.peek() {
            None | Some(Tok::RuleStart) | Some(Tok::Meta(..)) => {}
            t => return Err(self.err(format!("unexpected {t:?} after rule {name}"))),
        }
        Ok(Rule {
            name,
            ty,
            memo,
            memo_first_pass,
            alts,
            line,
        })
    }

    fn alts(&mut self) -> Result<Vec<Alt>, GrammarError> {
        let mut alts = vec![self.alt()?];
        while self.eat_op("|") {
            alts.push(self.alt()?);
        }
        Ok(alts)
    }

    fn alt(&mut self) -> Result<Alt, GrammarError> {
        let mut items = Vec::new();
        loop {
            match self.peek() {
                Some(Tok::Action(code, fallible)) => {
                    let action = Action {
                        code: code.clone(),
                        fallible: *fallible,
                    };
                    self.pos += 1;
                    if items.is_empty() {
                        return Err(self.err("an alternative needs at least one item"));
                    }
                    return Ok(Alt {
                        items,
                        action: Some(action),
                    });
                }
                None | Some(Tok::RuleStart) | Some(Tok::Meta(..)) | Some(Tok::Op("|")) | Some(Tok::Op(")"))
                | Some(Tok::Op("]")) => {
                    if items.is_empty() {
                        return Err(self.err("empty alternative"));
                    }
                    return Ok(Alt { items, action: None });
                }
                _ => items.push(self.named_item()?),
            }
        }
    }

    fn named_item(&mut self) -> Result<NamedItem, GrammarError> {
        if let (Some(Tok::Name(n)), next) = (self.peek().cloned(), self.toks.get(self.pos + 1).map(|t| &t.0)) {
            let mut skip = 1;
            let mut next = next;
            if let Some(Tok::Type(_)) = next {
                skip = 2;
                next = self.toks.get(self.pos + 2).map(|t| &t.0);
            }
            if matches!(next, Some(Tok::Op("="))) {
                self.pos += skip + 1;
                let item = self.item()?;
                return Ok(NamedItem { name: Some(n), item });
            }
        }
        Ok(NamedItem {
            name: None,
            item: self.item()?,
        })
    }

    fn item(&mut self) -> Result<Item, GrammarError> {
        if self.eat_op("&&") {
            return Ok(Item::Forced(Box::new(self.atom()?)));
        }
        if self.eat_op("&") {
            return Ok(Item::PosLookahead(Box::new(self.atom()?)));
        }
        if self.eat_op("!") {
            return Ok(Item::NegLookahead(Box::new(self.atom()?)));
        }
        if self.eat_op("~") {
            return Ok(Item::Cut);
        }
        if self.eat_op("[") {
            let alts = self.alts()?;
            self.expect_op("]")?;
            return Ok(Item::Opt(Box::new(group(alts))));
        }
        let atom = self.atom()?;
        if self.eat_op("?") {
            return Ok(Item::Opt(Box::new(atom)));
        }
        if self.eat_op("*") {
            return Ok(Item::Star(Box::new(atom)));
        }
        if self.eat_op("+") {
            return Ok(Item::Plus(Box::new(atom)));
        }
        if self.eat_op(".") {
            let elem = self.atom()?;
            self.expect_op("+")?;
            return Ok(Item::Gather {
                sep: Box::new(atom),
                elem: Box::new(elem),
            });
        }
        Ok(atom)
    }

    fn atom(&mut self) -> Result<Item, GrammarError> {
        match self.peek().cloned() {
            Some(Tok::Op("(")) => {
                self.pos += 1;
                let alts = self.alts()?;
                self.expect_op(")")?;
                Ok(group(alts))
            }
            Some(Tok::Name(n)) => {
                self.pos += 1;
                Ok(Item::Name(n))
            }
            Some(Tok::Str(s, soft)) => {
                self.pos += 1;
                Ok(Item::Str { text: s, soft })
            }
            t => Err(self.err(format!("expected an atom, found {t:?}"))),
        }
    }
}

/// A parenthesized group; a group of one alternative of one unnamed item without action is
/// that item.
fn group(mut alts: Vec<Alt>) -> Item {
    if alts.len() == 1 && alts[0].items.len() == 1 && alts[0].action.is_none() && alts[0].items[0].name.is_none() {
        return alts.pop().unwrap().items.pop().unwrap().item;
    }
    Item::Group(alts)
}

/// Read a grammar file.
pub fn parse_grammar(src: &str) -> Result<Grammar, GrammarError> {
    let toks = Lexer {
        src: src.as_bytes(),
        pos: 0,
        line: 1,
    }
    .tokens()?;
    let mut r = Reader { toks, pos: 0 };
    let mut metas = Vec::new();
    let mut rules = Vec::new();
    while let Some(t) = r.peek().cloned() {
        match t {
            Tok::Meta(n, v) => {
                metas.push((n, v));
                r.pos += 1;
            }
            Tok::RuleStart => {
                r.pos += 1;
                rules.push(r.rule()?);
            }
            t => return Err(r.err(format!("unexpected {t:?} at top level"))),
        }
    }
    Ok(Grammar { metas, rules })
}
