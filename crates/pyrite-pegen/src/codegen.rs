//! Writes the Rust parser for a grammar.
//!
//! Every rule becomes a function `fn r_NAME(p: &mut Parser<'a>) -> Option<T>` (None = no match,
//! the mark restored). Alternatives are labelled blocks tried in order; groups, repetitions and
//! lookaheads are generated inline (a group is an immediately called closure), so Rust infers
//! the types that the grammar does not spell out. `(memo)` rules and left-recursive leaders
//! keep their results in the parser's memo table, keyed by token position and rule number.
//!
//! What the generated code expects of the parser type (see pyrite-parser's `parser.rs`):
//! `p.mark`, `p.error`, `p.call_invalid_rules`, `p.enter_rule()`/`p.exit_rule()`,
//! `p.expect_token(kind)`, `p.expect_keyword(kind)`, `p.expect_soft_keyword(text)`,
//! `p.name_token()`, `p.number_token()`, `p.string_token()` (any token type with a value of its
//! own), `p.expect_forced(opt, what)`, `p.extra(start_mark)`, `p.seq(&[T])` (arena slice),
//! `p.memo_get(mark, rule)`, `p.memo_put(mark, rule, value, end)`.

use crate::analysis::Analysis;
use crate::grammar::{Alt, Grammar, Item, NamedItem};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write;

/// Token names with a value-producing accessor on the parser.
const VALUE_TOKENS: [(&str, &str); 3] = [
    ("NAME", "p.name_token()"),
    ("NUMBER", "p.number_token()"),
    ("SOFT_KEYWORD", "p.any_soft_keyword()"),
];

pub struct Tokens {
    /// Token names in order (their numbers).
    pub names: Vec<String>,
    /// Operator text → token name.
    pub ops: HashMap<String, String>,
}

/// Parse a `Tokens` file (lines of NAME or NAME 'op').
pub fn read_tokens(src: &str) -> Tokens {
    let mut names = Vec::new();
    let mut ops = HashMap::new();
    for line in src.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.split_whitespace();
        let name = parts.next().unwrap().to_string();
        if let Some(op) = parts.next() {
            ops.insert(op.trim_matches('\'').to_string(), name.clone());
        }
        names.push(name);
    }
    Tokens { names, ops }
}

pub struct Generator<'g> {
    g: &'g Grammar,
    an: Analysis,
    tokens: &'g Tokens,
    index: HashMap<&'g str, usize>,
    pub keywords: Vec<String>,
    pub soft_keywords: BTreeSet<String>,
    memo_ids: BTreeMap<usize, usize>,
    /// Per rule, the token kinds it can start with (None: any, or none needed).
    firsts: Vec<First>,
    /// `@shortcut TOP BOTTOM` directives, by top rule: (bottom rule, planned shortcut).
    shortcuts: BTreeMap<usize, Shortcut>,
    out: String,
    counter: usize,
}

/// The token kinds a rule or an alternative can start with; `None` when it can match without
/// consuming a token, or act whatever the token (then nothing can be decided in advance).
type First = Option<BTreeSet<u16>>;

fn union(a: First, b: First) -> First {
    match (a, b) {
        (Some(mut a), Some(b)) => {
            a.extend(b);
            Some(a)
        }
        _ => None,
    }
}

/// `matches!(k, ...)` for a set of kinds, with runs as ranges.
fn kinds_pattern(set: &BTreeSet<u16>) -> String {
    if set.is_empty() {
        return "false".into();
    }
    let mut parts = Vec::new();
    let mut it = set.iter().copied().peekable();
    while let Some(lo) = it.next() {
        let mut hi = lo;
        while it.peek() == Some(&(hi + 1)) {
            hi = it.next().unwrap();
        }
        parts.push(if lo == hi {
            lo.to_string()
        } else {
            format!("{lo}..={hi}")
        });
    }
    format!("matches!(k, {})", parts.join(" | "))
}

/// Whether an alternative calls an `invalid_*` rule (so runs in the second pass only).
fn is_invalid_alt(a: &Alt) -> bool {
    a.items
        .iter()
        .any(|i| matches!(&i.item, Item::Name(n) if n.starts_with("invalid_")))
}

/// Whether an alternative's first item is the rule `name` (`sum: sum '+' term`).
fn starts_with_rule(a: &Alt, name: &str) -> bool {
    matches!(a.items.first().map(|i| &i.item), Some(Item::Name(m)) if m == name)
}

/// The names an item refers to (rules and tokens), anywhere inside it.
fn calls(item: &Item, out: &mut BTreeSet<String>) {
    match item {
        Item::Name(n) => {
            out.insert(n.clone());
        }
        Item::Group(alts) => {
            for a in alts {
                for i in &a.items {
                    calls(&i.item, out);
                }
            }
        }
        Item::Opt(x)
        | Item::Star(x)
        | Item::Plus(x)
        | Item::PosLookahead(x)
        | Item::NegLookahead(x)
        | Item::Forced(x) => calls(x, out),
        Item::Gather { sep, elem } => {
            calls(sep, out);
            calls(elem, out);
        }
        Item::Str { .. } | Item::Cut => {}
    }
}

/// A planned `@shortcut` (see `Generator::plan_shortcut`).
struct Shortcut {
    bottom: usize,
    /// The rules strictly between top and bottom (their nesting levels).
    depth: usize,
    /// Tokens at which the shortcut is taken.
    entry: BTreeSet<u16>,
    /// Tokens after the bottom's match that would let some rule in between continue.
    cont: BTreeSet<u16>,
}

/// How an alternative of a directly left-recursive rule is generated (see `direct_lr_rule`).
#[derive(Clone, Copy)]
enum AltRole {
    /// An ordinary alternative.
    Plain,
    /// A non-recursive alternative computing the seed; it also yields its index.
    Seed(usize),
    /// A recursive alternative growing the seed `_seed` (which ended at `_seedend`).
    Grow,
}

/// The code of the first keyword token kind (CPython numbers keywords from 500 as well).
pub const KEYWORD_BASE: u16 = 500;

fn is_ident(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl<'g> Generator<'g> {
    pub fn new(g: &'g Grammar, an: Analysis, tokens: &'g Tokens) -> Result<Self, String> {
        let index = g.rules.iter().enumerate().map(|(i, r)| (r.name.as_str(), i)).collect();
        let mut kw = BTreeSet::new();
        let mut soft = BTreeSet::new();
        fn walk(item: &Item, kw: &mut BTreeSet<String>, soft: &mut BTreeSet<String>) {
            match item {
                Item::Str { text, soft: s } if is_ident(text) => {
                    if *s {
                        soft.insert(text.clone());
                    } else {
                        kw.insert(text.clone());
                    }
                }
                Item::Group(alts) => {
                    for a in alts {
                        for i in &a.items {
                            walk(&i.item, kw, soft);
                        }
                    }
                }
                Item::Opt(x)
                | Item::Star(x)
                | Item::Plus(x)
                | Item::PosLookahead(x)
                | Item::NegLookahead(x)
                | Item::Forced(x) => walk(x, kw, soft),
                Item::Gather { sep, elem } => {
                    walk(sep, kw, soft);
                    walk(elem, kw, soft);
                }
                _ => {}
            }
        }
        for r in &g.rules {
            for a in &r.alts {
                for i in &a.items {
                    walk(&i.item, &mut kw, &mut soft);
                }
            }
        }
        let mut memo_ids = BTreeMap::new();
        for (i, r) in g.rules.iter().enumerate() {
            // Every rule CPython memoizes (marked, or a left-recursive leader) is memoized in
            // the second pass; see `memo_first_pass` for the first.
            if r.memo || r.memo_first_pass || an.leaders.contains(&i) {
                let id = memo_ids.len();
                memo_ids.insert(i, id);
            }
        }
        Ok(Generator {
            g,
            an,
            tokens,
            index,
            keywords: kw.into_iter().collect(),
            soft_keywords: soft,
            memo_ids,
            firsts: Vec::new(),
            shortcuts: BTreeMap::new(),
            out: String::new(),
            counter: 0,
        })
    }

    /// Whether the first pass memoizes the rule too. The second pass memoizes exactly what
    /// CPython memoizes: there, `_without_invalid` rules make a memoized result computed without
    /// the `invalid_*` rules stand for one with them, so the memo can change which error is
    /// found. In the first pass no flag changes, the memo is a pure cache, and it is kept only
    /// where it pays: rules marked `(memo)` (not `(memo_pass2)`), and left-recursive leaders
    /// that grow their seed through it (not the directly left-recursive ones).
    fn memo_first_pass(&self, rule: usize) -> bool {
        let r = &self.g.rules[rule];
        r.memo_first_pass || (self.an.leaders.contains(&rule) && !self.an.direct.contains(&rule))
    }

    /// Packrat parsing is linear because every recursion passes through a memoized rule; left
    /// without one, a cycle of rules tried by several alternatives over the same input takes
    /// exponential time (nested `((((x))))` targets, say). So the first pass, which memoizes
    /// fewer rules than CPython, must still have a memoized rule on every cycle of the
    /// rule-call graph (not counting `invalid_*` alternatives, which it never tries, nor the
    /// self-call that starts a directly left-recursive alternative, which is the growing loop).
    fn check_first_pass_memo(&self) -> Result<(), String> {
        let n = self.g.rules.len();
        let unmemoized = |r: usize| !self.memo_first_pass(r);
        let graph: Vec<BTreeSet<usize>> = (0..n)
            .map(|r| {
                let mut out = BTreeSet::new();
                if !unmemoized(r) {
                    return out;
                }
                let rule = &self.g.rules[r];
                for a in &rule.alts {
                    if is_invalid_alt(a) {
                        continue;
                    }
                    let skip_first = self.an.direct.contains(&r) && starts_with_rule(a, &rule.name);
                    let mut names = BTreeSet::new();
                    for i in &a.items[skip_first as usize..] {
                        calls(&i.item, &mut names);
                    }
                    out.extend(
                        names
                            .iter()
                            .filter_map(|m| self.index.get(m.as_str()))
                            .copied()
                            .filter(|&c| unmemoized(c)),
                    );
                }
                out
            })
            .collect();
        // A cycle cannot blow up if its recursion cannot branch: in each of its rules, at most
        // one alternative can apply at a position (the alternatives that lead back into the
        // cycle have pairwise disjoint first tokens) and that one leads back through one item
        // only: `factor: '+' factor | '-' factor | '~' factor | power`, or nested format specs.
        let linear = |scc: &[usize]| {
            let members: BTreeSet<&str> = scc.iter().map(|&r| self.g.rules[r].name.as_str()).collect();
            scc.iter().all(|&r| {
                let rule = &self.g.rules[r];
                let mut seen: BTreeSet<u16> = BTreeSet::new();
                rule.alts.iter().all(|a| {
                    if is_invalid_alt(a) {
                        return true;
                    }
                    let skip_first = self.an.direct.contains(&r) && starts_with_rule(a, &rule.name);
                    let back = a.items[skip_first as usize..]
                        .iter()
                        .filter(|i| {
                            let mut set = BTreeSet::new();
                            calls(&i.item, &mut set);
                            set.iter().any(|n| members.contains(n.as_str()))
                        })
                        .count();
                    match back {
                        0 => true,
                        1 => self.alt_first(a).is_some_and(|f| f.iter().all(|k| seen.insert(*k))),
                        _ => false,
                    }
                })
            })
        };
        for scc in crate::analysis::tarjan(&graph) {
            if (scc.len() > 1 || graph[scc[0]].contains(&scc[0])) && !linear(&scc) {
                let names: Vec<&str> = scc.iter().map(|&r| self.g.rules[r].name.as_str()).collect();
                return Err(format!(
                    "these rules call each other with none memoized in the first pass (mark one `(memo)`): {names:?}"
                ));
            }
        }
        Ok(())
    }

    /// Whether the second pass memoizes the rule: exactly when CPython does.
    fn memo_second_pass(&self, rule: usize) -> bool {
        self.g.rules[rule].memo || self.an.leaders.contains(&rule)
    }

    /// `stmt` guarded so that it runs only in the passes that memoize `rule`.
    fn memo_guard(&self, rule: usize, stmt: &str) -> String {
        if !self.memo_second_pass(rule) {
            format!("if !p.second_pass {{ {stmt} }}")
        } else if self.memo_first_pass(rule) {
            stmt.to_string()
        } else {
            // Not `call_invalid_rules`: `_without_invalid` rules clear that in the second pass.
            format!("if p.second_pass {{ {stmt} }}")
        }
    }

    fn ty(&self, rule: usize) -> String {
        self.g.rules[rule].ty.clone().unwrap_or_else(|| "()".into())
    }

    pub fn generate(mut self) -> Result<String, String> {
        let mut o = String::new();
        writeln!(
            o,
            "// @generated by pyrite-pegen from grammar/python.gram; do not edit."
        )
        .unwrap();
        for (name, value) in &self.g.metas {
            if name == "header" {
                o.push_str(value);
                o.push('\n');
            }
        }
        // Keywords.
        writeln!(o, "pub const KEYWORD_BASE: u16 = {KEYWORD_BASE};").unwrap();
        writeln!(
            o,
            "pub const KEYWORDS: [&str; {}] = {:?};",
            self.keywords.len(),
            self.keywords
        )
        .unwrap();
        for (i, k) in self.keywords.iter().enumerate() {
            writeln!(
                o,
                "pub const KW_{}: u16 = {};",
                k.to_uppercase(),
                KEYWORD_BASE as usize + i
            )
            .unwrap();
        }
        writeln!(
            o,
            "/// The keyword token kind of a NAME's text, if it is a (hard) keyword."
        )
        .unwrap();
        writeln!(
            o,
            "#[inline]\npub fn keyword_kind(s: &[u8]) -> Option<u16> {{\n    match s {{"
        )
        .unwrap();
        for (i, k) in self.keywords.iter().enumerate() {
            writeln!(o, "        b\"{k}\" => Some({}),", KEYWORD_BASE as usize + i).unwrap();
        }
        writeln!(o, "        _ => None,\n    }}\n}}").unwrap();
        writeln!(
            o,
            "pub const SOFT_KEYWORDS: [&str; {}] = {:?};",
            self.soft_keywords.len(),
            self.soft_keywords.iter().collect::<Vec<_>>()
        )
        .unwrap();
        // Memo slots.
        writeln!(
            o,
            "#[derive(Clone, Copy)]\n#[allow(non_camel_case_types, clippy::type_complexity)]"
        )
        .unwrap();
        writeln!(o, "pub enum MemoValue<'a> {{").unwrap();
        writeln!(o, "    _Phantom(std::marker::PhantomData<&'a ()>),").unwrap();
        for &r in self.memo_ids.keys() {
            writeln!(o, "    {}(Option<{}>),", self.g.rules[r].name, self.ty(r)).unwrap();
        }
        writeln!(o, "}}").unwrap();
        writeln!(o, "pub const RULE_NAMES: [&str; {}] = [", self.g.rules.len()).unwrap();
        for r in &self.g.rules {
            writeln!(o, "    {:?},", r.name).unwrap();
        }
        writeln!(o, "];").unwrap();
        self.out = o;
        self.firsts = self.compute_firsts();
        self.check_first_pass_memo()?;
        for (name, value) in &self.g.metas {
            if name == "shortcut" {
                let mut words = value.split_whitespace();
                let (Some(top), Some(bottom), None) = (words.next(), words.next(), words.next()) else {
                    return Err(format!("@shortcut wants two rule names, got {value:?}"));
                };
                let rule = |n: &str| {
                    self.index
                        .get(n)
                        .copied()
                        .ok_or_else(|| format!("@shortcut: no rule {n}"))
                };
                let (top, bottom) = (rule(top)?, rule(bottom)?);
                let plan = self.plan_shortcut(top, bottom)?;
                self.shortcuts.insert(top, plan);
            }
        }
        for i in 0..self.g.rules.len() {
            self.rule(i)?;
        }
        Ok(self.out)
    }

    fn rule(&mut self, ri: usize) -> Result<(), String> {
        let r = &self.g.rules[ri];
        let ty = self.ty(ri);
        let name = &r.name;
        let leader = self.an.leaders.contains(&ri);
        let memo = self.memo_ids.get(&ri).copied();
        if self.an.direct.contains(&ri) {
            return self.direct_lr_rule(ri, memo);
        }
        let mut o = String::new();
        writeln!(o, "\n// {name}").unwrap();
        writeln!(o, "#[allow(unused_variables, unused_mut, clippy::all)]").unwrap();
        writeln!(o, "pub fn r_{name}<'a>(p: &mut Parser<'a>) -> Option<{ty}> {{").unwrap();
        writeln!(o, "    if !p.enter_rule() {{ return None; }}").unwrap();
        o.push_str(&self.rule_first_check(ri));
        writeln!(o, "    let _mark = p.mark;").unwrap();
        if let Some(id) = memo {
            let get = format!(
                "if let Some((MemoValue::{name}(v), end)) = p.memo_get(_mark, {id}) {{ p.mark = end; p.exit_rule(); return v; }}"
            );
            writeln!(o, "    {}", self.memo_guard(ri, &get)).unwrap();
        }
        o.push_str(&self.shortcut_code(ri));
        if leader {
            let id = memo.unwrap();
            writeln!(o, "    let mut _res: Option<{ty}> = None;").unwrap();
            writeln!(o, "    let mut _resmark = _mark;").unwrap();
            writeln!(o, "    loop {{").unwrap();
            writeln!(o, "        p.memo_put(_mark, {id}, MemoValue::{name}(_res), _resmark);").unwrap();
            writeln!(o, "        p.mark = _mark;").unwrap();
            writeln!(o, "        let raw = r_{name}_raw(p);").unwrap();
            writeln!(o, "        if p.error {{ p.exit_rule(); return None; }}").unwrap();
            writeln!(o, "        if raw.is_none() || p.mark <= _resmark {{ break; }}").unwrap();
            writeln!(o, "        _resmark = p.mark;\n        _res = raw;\n    }}").unwrap();
            writeln!(o, "    p.mark = _resmark;\n    p.exit_rule();\n    _res\n}}").unwrap();
            writeln!(o, "#[allow(unused_variables, unused_mut, unused_labels, clippy::all)]").unwrap();
            writeln!(o, "fn r_{name}_raw<'a>(p: &mut Parser<'a>) -> Option<{ty}> {{").unwrap();
            writeln!(o, "    let _mark = p.mark;").unwrap();
            let body = self.alts_body(&r.alts.clone(), r.ty.is_none(), 1)?;
            o.push_str(&body);
            writeln!(o, "}}").unwrap();
        } else {
            if name.ends_with("_without_invalid") {
                // Invalid rules are never called under this rule, even in the second pass.
                writeln!(
                    o,
                    "    let _saved = std::mem::replace(&mut p.call_invalid_rules, false);"
                )
                .unwrap();
                writeln!(o, "    let _res = r_{name}_body(p, _mark);").unwrap();
                writeln!(o, "    p.call_invalid_rules = _saved;").unwrap();
            } else {
                writeln!(o, "    let _res = r_{name}_body(p, _mark);").unwrap();
            }
            if let Some(id) = memo {
                let put = format!("p.memo_put(_mark, {id}, MemoValue::{name}(_res), p.mark);");
                writeln!(o, "    {}", self.memo_guard(ri, &put)).unwrap();
            }
            writeln!(o, "    p.exit_rule();\n    _res\n}}").unwrap();
            writeln!(o, "#[allow(unused_variables, unused_mut, unused_labels, clippy::all)]").unwrap();
            writeln!(o, "#[inline(always)]").unwrap();
            writeln!(
                o,
                "fn r_{name}_body<'a>(p: &mut Parser<'a>, _mark: usize) -> Option<{ty}> {{"
            )
            .unwrap();
            let body = self.alts_body(&r.alts.clone(), r.ty.is_none(), 1)?;
            o.push_str(&body);
            writeln!(o, "}}").unwrap();
        }
        self.out.push_str(&o);
        Ok(())
    }

    /// A directly left-recursive rule (`sum: sum '+' term | sum '-' term | term`), grown
    /// without the memo. The general algorithm (Warth et al., as pegen generates it) stores the
    /// seed in the memo and re-runs every alternative until the match stops growing; here, where
    /// only the rule itself can call the rule at the start position (`Analysis::direct`), the
    /// same result comes from: the seed is the first alternative that matches without the
    /// recursion (say alternative j); then, while it grows, try the recursive alternatives
    /// before j in order with the seed standing in for the recursive call. (Alternatives from j
    /// on cannot matter: alternative j would match again with the same, not longer, end.)
    fn direct_lr_rule(&mut self, ri: usize, memo: Option<usize>) -> Result<(), String> {
        let r = &self.g.rules[ri];
        let ty = self.ty(ri);
        let unit = r.ty.is_none();
        let name = r.name.clone();
        let alts = r.alts.clone();
        let is_rec = |a: &Alt| starts_with_rule(a, &name);
        let mut o = String::new();
        writeln!(o, "\n// {name} (directly left-recursive)").unwrap();
        writeln!(o, "#[allow(unused_variables, unused_mut, clippy::all)]").unwrap();
        writeln!(o, "pub fn r_{name}<'a>(p: &mut Parser<'a>) -> Option<{ty}> {{").unwrap();
        writeln!(o, "    if !p.enter_rule() {{ return None; }}").unwrap();
        o.push_str(&self.rule_first_check(ri));
        writeln!(o, "    let _mark = p.mark;").unwrap();
        if let Some(id) = memo {
            let get = format!(
                "if let Some((MemoValue::{name}(v), end)) = p.memo_get(_mark, {id}) {{ p.mark = end; p.exit_rule(); return v; }}"
            );
            writeln!(o, "    {}", self.memo_guard(ri, &get)).unwrap();
        }
        o.push_str(&self.shortcut_code(ri));
        writeln!(o, "    let (mut _res, _j) = match r_{name}_seed(p) {{").unwrap();
        writeln!(o, "        Some(s) => s,").unwrap();
        writeln!(o, "        None => {{").unwrap();
        writeln!(o, "            p.exit_rule();").unwrap();
        writeln!(o, "            if p.error {{ return None; }}").unwrap();
        if let Some(id) = memo {
            let put = format!("p.memo_put(_mark, {id}, MemoValue::{name}(None), _mark);");
            writeln!(o, "            {}", self.memo_guard(ri, &put)).unwrap();
        }
        writeln!(
            o,
            "            p.mark = _mark;\n            return None;\n        }}\n    }};"
        )
        .unwrap();
        writeln!(o, "    let mut _resmark = p.mark;").unwrap();
        writeln!(o, "    loop {{").unwrap();
        // Stop at once when the token after the seed cannot continue any recursive alternative.
        let mut cont = Some(BTreeSet::new());
        for a in alts.iter().filter(|a| is_rec(a)) {
            cont = union(cont, self.rest_first(a));
        }
        if let Some(set) = cont {
            writeln!(
                o,
                "        if p.cannot_start_at(_resmark, |k| {}) {{ break; }}",
                kinds_pattern(&set)
            )
            .unwrap();
        }
        writeln!(o, "        p.mark = _mark;").unwrap();
        writeln!(o, "        let raw = r_{name}_grow(p, _res, _resmark, _j);").unwrap();
        writeln!(o, "        if p.error {{ p.exit_rule(); return None; }}").unwrap();
        writeln!(o, "        match raw {{").unwrap();
        writeln!(
            o,
            "            Some(v) if p.mark > _resmark => {{ _res = v; _resmark = p.mark; }}"
        )
        .unwrap();
        writeln!(o, "            _ => break,\n        }}\n    }}").unwrap();
        if let Some(id) = memo {
            let put = format!("p.memo_put(_mark, {id}, MemoValue::{name}(Some(_res)), _resmark);");
            writeln!(o, "    {}", self.memo_guard(ri, &put)).unwrap();
        }
        writeln!(o, "    p.mark = _resmark;\n    p.exit_rule();\n    Some(_res)\n}}").unwrap();
        // The seed.
        writeln!(o, "#[allow(unused_variables, unused_mut, unused_labels, clippy::all)]").unwrap();
        writeln!(o, "#[inline(always)]").unwrap();
        writeln!(o, "fn r_{name}_seed<'a>(p: &mut Parser<'a>) -> Option<({ty}, u32)> {{").unwrap();
        writeln!(o, "    let _mark = p.mark;").unwrap();
        for (i, a) in alts.iter().enumerate() {
            if !is_rec(a) {
                o.push_str(&self.alt_block(a, unit, 1, AltRole::Seed(i))?);
            }
        }
        writeln!(o, "    p.mark = _mark;\n    None\n}}").unwrap();
        // The growth.
        writeln!(o, "#[allow(unused_variables, unused_mut, unused_labels, clippy::all)]").unwrap();
        writeln!(o, "#[inline]").unwrap();
        writeln!(
            o,
            "fn r_{name}_grow<'a>(p: &mut Parser<'a>, _seed: {ty}, _seedend: usize, _j: u32) -> Option<{ty}> {{"
        )
        .unwrap();
        writeln!(o, "    let _mark = p.mark;").unwrap();
        for (i, a) in alts.iter().enumerate() {
            if is_rec(a) {
                writeln!(o, "    if {i} < _j {{").unwrap();
                o.push_str(&self.alt_block(a, unit, 2, AltRole::Grow)?);
                writeln!(o, "    }}").unwrap();
            }
        }
        writeln!(o, "    p.mark = _mark;\n    None\n}}").unwrap();
        self.out.push_str(&o);
        Ok(())
    }

    /// The body trying `alts` in order from `_mark`; returns from the enclosing fn/closure.
    fn alts_body(&mut self, alts: &[Alt], unit: bool, depth: usize) -> Result<String, String> {
        let ind = "    ".repeat(depth);
        let mut o = String::new();
        // A memoized rule that starts several alternatives (`a=disjunction 'if' ... |
        // disjunction`) is called once: its result at this mark is fixed once computed (the
        // memo would return it), so the later alternatives take it from a local.
        let mut starts: BTreeMap<String, usize> = BTreeMap::new();
        for alt in alts {
            if let Some(Item::Name(n)) = alt.items.first().map(|i| &i.item) {
                if self
                    .index
                    .get(n.as_str())
                    .is_some_and(|r| self.memo_ids.contains_key(r))
                {
                    *starts.entry(n.clone()).or_default() += 1;
                }
            }
        }
        let reuse: BTreeSet<String> = starts.into_iter().filter(|&(_, c)| c > 1).map(|(n, _)| n).collect();
        for n in &reuse {
            let ty = self.ty(self.index[n.as_str()]);
            writeln!(o, "{ind}let mut _pre_{n}: Option<(Option<{ty}>, usize)> = None;").unwrap();
        }
        for alt in alts {
            o.push_str(&self.alt_block_reusing(alt, unit, depth, AltRole::Plain, &reuse)?);
        }
        writeln!(o, "{ind}p.mark = _mark;").unwrap();
        writeln!(o, "{ind}None").unwrap();
        Ok(o)
    }

    /// One alternative as a labelled block that returns its value from the enclosing function
    /// (or breaks out of the block when it does not match).
    fn alt_block(&mut self, alt: &Alt, unit: bool, depth: usize, role: AltRole) -> Result<String, String> {
        self.alt_block_reusing(alt, unit, depth, role, &BTreeSet::new())
    }

    /// `alt_block`, where a first item naming a rule in `reuse` takes the result computed by
    /// an earlier alternative (see `alts_body`).
    fn alt_block_reusing(
        &mut self,
        alt: &Alt,
        unit: bool,
        depth: usize,
        role: AltRole,
        reuse: &BTreeSet<String>,
    ) -> Result<String, String> {
        let ind = "    ".repeat(depth);
        let mut o = String::new();
        let is_invalid = is_invalid_alt(alt);
        let label = self.label();
        let has_cut = alt.items.iter().any(|i| matches!(i.item, Item::Cut));
        writeln!(o, "{ind}if p.error {{ return None; }}").unwrap();
        writeln!(o, "{ind}p.mark = _mark;").unwrap();
        if has_cut {
            writeln!(o, "{ind}let mut _cut = false;").unwrap();
        }
        // Skip the alternative when the token where it must start is read and cannot start
        // it (for a growing alternative: the token after the seed).
        let (first, at) = match role {
            AltRole::Grow => (self.rest_first(alt), "_seedend"),
            _ => (self.alt_first(alt), "p.mark"),
        };
        let test = first.map(|set| format!("!p.cannot_start_at({at}, |k| {})", kinds_pattern(&set)));
        let guard = match (test, is_invalid) {
            (Some(t), true) => format!("if p.call_invalid_rules && {t} {{"),
            (Some(t), false) => format!("if {t} {{"),
            (None, true) => "if p.call_invalid_rules {".to_string(),
            (None, false) => String::new(),
        };
        if !guard.is_empty() {
            writeln!(o, "{ind}{guard}").unwrap();
        }
        writeln!(o, "{ind}'{label}: {{").unwrap();
        let mut names = Vec::new();
        let valued_count = alt
            .items
            .iter()
            .filter(|i| !matches!(i.item, Item::PosLookahead(_) | Item::NegLookahead(_) | Item::Cut))
            .count();
        for (k, ni) in alt.items.iter().enumerate() {
            let NamedItem { name, item } = ni;
            if let Item::Cut = item {
                writeln!(o, "{ind}    _cut = true;").unwrap();
                continue;
            }
            let needs_value = name.is_some() || (alt.action.is_none() && valued_count == 1);
            let expr = if k == 0 && matches!(role, AltRole::Grow) {
                // The rule's own result so far stands in for the left-recursive call.
                "{ p.mark = _seedend; Some(_seed) }".to_string()
            } else if let (0, Item::Name(n)) = (k, item) {
                if reuse.contains(n) {
                    format!(
                        "match _pre_{n} {{ Some((v, e)) => {{ p.mark = e; v }} None => {{ let v = r_{n}(p); _pre_{n} = Some((v, p.mark)); v }} }}"
                    )
                } else {
                    self.item_expr_v(item, depth + 1, needs_value)?
                }
            } else {
                self.item_expr_v(item, depth + 1, needs_value)?
            };
            let var = match name {
                Some(n) => n.clone(),
                None => format!("_i{k}"),
            };
            writeln!(
                o,
                "{ind}    let {var} = match {expr} {{ Some(v) => v, None => break '{label} }};"
            )
            .unwrap();
            names.push((var, name.is_some(), item));
        }
        // The alternative's value.
        let value = match &alt.action {
            Some(a) => {
                if a.code.contains("EXTRA") {
                    writeln!(o, "{ind}    let _extra = p.extra(_mark);").unwrap();
                }
                let code = a.code.replace("EXTRA", "_extra");
                if a.fallible {
                    let ann = if unit { ": Option<()>" } else { "" };
                    format!("{{ let _v{ann} = {{ {code} }}; if _v.is_none() {{ break '{label}; }} _v.unwrap() }}")
                } else {
                    format!("{{ {code} }}")
                }
            }
            None => {
                let valued: Vec<&(String, bool, &Item)> = names
                    .iter()
                    .filter(|(_, _, it)| !matches!(it, Item::PosLookahead(_) | Item::NegLookahead(_)))
                    .collect();
                let untyped_rule = |it: &Item| match it {
                    Item::Name(n) => self
                        .index
                        .get(n.as_str())
                        .is_some_and(|&r| self.g.rules[r].ty.is_none()),
                    _ => false,
                };
                if valued.len() == 1 && untyped_rule(valued[0].2) && !unit {
                    // An untyped rule (an invalid_* rule) in a typed context: it only ever
                    // matches by raising an error, so matching is failing here.
                    format!("{{ let _ = {}; break '{label} }}", valued[0].0)
                } else if valued.len() == 1 {
                    valued[0].0.clone()
                } else if let Some(n) = names.iter().find(|(_, named, _)| *named) {
                    n.0.clone()
                } else {
                    "()".into()
                }
            }
        };
        let ret = match (unit, role) {
            (true, AltRole::Seed(i)) => format!("let _ = {value}; return Some(((), {i}));"),
            (false, AltRole::Seed(i)) => format!("return Some(({value}, {i}));"),
            (true, _) => format!("let _ = {value}; return Some(());"),
            (false, _) => format!("return Some({value});"),
        };
        writeln!(o, "{ind}    {ret}").unwrap();
        writeln!(o, "{ind}}}").unwrap();
        if !guard.is_empty() {
            writeln!(o, "{ind}}}").unwrap();
        }
        if has_cut {
            writeln!(o, "{ind}if _cut {{ p.mark = _mark; return None; }}").unwrap();
        }
        Ok(o)
    }

    /// If `item` names a rule whose alternatives are each a single token (no action, no soft
    /// keyword, no `invalid_*`), the set of those tokens.
    fn token_set_rule(&self, item: &Item) -> Option<BTreeSet<u16>> {
        let Item::Name(n) = item else { return None };
        let &r = self.index.get(n.as_str())?;
        let rule = &self.g.rules[r];
        let mut set = BTreeSet::new();
        for a in &rule.alts {
            if a.action.is_some() || a.items.len() != 1 || a.items[0].name.is_some() {
                return None;
            }
            match &a.items[0].item {
                it @ Item::Str { soft: false, .. } => set.insert(self.token_kind(it)?),
                it @ Item::Name(t)
                    if !self.index.contains_key(t.as_str()) && !VALUE_TOKENS.iter().any(|(v, _)| v == t) =>
                {
                    set.insert(self.token_kind(it)?)
                }
                _ => return None,
            };
        }
        Some(set)
    }

    /// The token kind a token or string item matches, if it is one.
    fn token_kind(&self, item: &Item) -> Option<u16> {
        let kind_of = |name: &str| self.tokens.names.iter().position(|t| t == name).map(|i| i as u16);
        match item {
            Item::Name(n) if !self.index.contains_key(n.as_str()) => match n.as_str() {
                "SOFT_KEYWORD" => kind_of("NAME"),
                n => kind_of(n),
            },
            Item::Str { text, soft } => {
                if !is_ident(text) {
                    self.tokens.ops.get(text).and_then(|t| kind_of(t))
                } else if *soft {
                    kind_of("NAME")
                } else {
                    self.keywords
                        .iter()
                        .position(|k| k == text)
                        .map(|i| KEYWORD_BASE + i as u16)
                }
            }
            _ => None,
        }
    }

    /// The kinds of token `item` can start with, and whether it can match nothing. `None`
    /// stands for "any token" (the item may act, e.g. raise, whatever the token is).
    fn item_first(&self, item: &Item, firsts: &[First]) -> (First, bool) {
        let nullable_rule = |n: &str| self.index.get(n).is_some_and(|&r| self.an.nullable[r]);
        match item {
            Item::Name(n) => match self.index.get(n.as_str()) {
                Some(&r) => (firsts[r].clone(), nullable_rule(n)),
                None => (self.token_kind(item).map(|k| BTreeSet::from([k])), false),
            },
            Item::Str { .. } => (self.token_kind(item).map(|k| BTreeSet::from([k])), false),
            Item::Group(alts) => {
                let mut set = Some(BTreeSet::new());
                let mut nullable = false;
                for a in alts {
                    let (f, n) = self.alt_first_with(a, firsts);
                    set = union(set, f);
                    nullable |= n;
                }
                (set, nullable)
            }
            Item::Opt(x) | Item::Star(x) | Item::PosLookahead(x) | Item::NegLookahead(x) => {
                (self.item_first(x, firsts).0, true)
            }
            Item::Plus(x) => self.item_first(x, firsts),
            Item::Gather { elem, .. } => self.item_first(elem, firsts),
            Item::Forced(_) => (None, false),
            Item::Cut => (Some(BTreeSet::new()), true),
        }
    }

    /// The first tokens of an alternative (the union over its nullable prefix and the first
    /// item that must consume), and whether it can match nothing.
    fn alt_first_with(&self, alt: &Alt, firsts: &[First]) -> (First, bool) {
        let mut set = Some(BTreeSet::new());
        for i in &alt.items {
            let (f, nullable) = self.item_first(&i.item, firsts);
            set = union(set, f);
            if !nullable {
                return (set, false);
            }
        }
        (set, true)
    }

    /// The first tokens of an alternative, `None` when it can match nothing or act on any token.
    fn alt_first(&self, alt: &Alt) -> First {
        match self.alt_first_with(alt, &self.firsts) {
            (f, false) => f,
            (_, true) => None,
        }
    }

    /// The first tokens of an alternative after its first item (`None` as for `alt_first`).
    fn rest_first(&self, alt: &Alt) -> First {
        let rest = Alt {
            items: alt.items[1..].to_vec(),
            action: None,
        };
        self.alt_first(&rest)
    }

    /// Each rule's first tokens, to a fixed point.
    fn compute_firsts(&self) -> Vec<First> {
        let n = self.g.rules.len();
        let mut firsts: Vec<First> = vec![Some(BTreeSet::new()); n];
        loop {
            let mut changed = false;
            for r in 0..n {
                let mut set = Some(BTreeSet::new());
                for a in &self.g.rules[r].alts {
                    let (f, nullable) = self.alt_first_with(a, &firsts);
                    set = if nullable { None } else { union(set, f) };
                    if set.is_none() {
                        break;
                    }
                }
                if set != firsts[r] {
                    firsts[r] = set;
                    changed = true;
                }
            }
            if !changed {
                return firsts;
            }
        }
    }

    /// Check and plan `@shortcut TOP BOTTOM`. From TOP down to BOTTOM every rule must pass its
    /// value through from the next one: its first alternative that is a bare call of a rule
    /// (no action) names the next rule, and every earlier alternative either starts with that
    /// same rule followed by something that must consume a token (which then continues the
    /// match: its first tokens join the continuation set), or cannot start with a token of the
    /// entry set (which is narrowed until that holds). Recursive alternatives of directly
    /// left-recursive rules join the continuation set too; `invalid_*` alternatives do not
    /// count (the shortcut is taken in the first pass only).
    fn plan_shortcut(&self, top: usize, bottom: usize) -> Result<Shortcut, String> {
        let fail = |why: String| {
            format!(
                "@shortcut {} {}: {why}",
                self.g.rules[top].name, self.g.rules[bottom].name
            )
        };
        if self.ty(top) != self.ty(bottom) {
            return Err(fail("the two rules have different types".into()));
        }
        let mut entry = self.firsts[bottom]
            .clone()
            .ok_or_else(|| fail("the bottom rule has no first-token set".into()))?;
        let mut cont = BTreeSet::new();
        let mut level = top;
        let mut depth = 0;
        while level != bottom {
            let r = &self.g.rules[level];
            let is_invalid = is_invalid_alt;
            let starts_with = starts_with_rule;
            let direct = self.an.direct.contains(&level);
            let pass = r.alts.iter().position(|a| {
                !is_invalid(a)
                    && a.action.is_none()
                    && a.items.len() == 1
                    && matches!(&a.items[0].item, Item::Name(n) if self.index.contains_key(n.as_str()) && *n != r.name)
            });
            let Some(j) = pass else {
                return Err(fail(format!("{} has no pass-through alternative", r.name)));
            };
            let Item::Name(sub) = &r.alts[j].items[0].item else {
                unreachable!()
            };
            for (i, a) in r.alts.iter().enumerate() {
                if is_invalid(a) || i == j || (i > j && !(direct && starts_with(a, &r.name))) {
                    continue;
                }
                if starts_with(a, sub) || (direct && starts_with(a, &r.name)) {
                    match self.rest_first(a) {
                        Some(f) => cont.extend(f),
                        None => return Err(fail(format!("an alternative of {} may continue with anything", r.name))),
                    }
                } else {
                    match self.alt_first(a) {
                        Some(f) => entry.retain(|k| !f.contains(k)),
                        None => return Err(fail(format!("an alternative of {} may start with anything", r.name))),
                    }
                }
            }
            level = self.index[sub.as_str()];
            depth += 1;
            if depth > self.g.rules.len() {
                return Err(fail("the chain does not reach the bottom rule".into()));
            }
        }
        Ok(Shortcut {
            bottom,
            depth: depth - 1,
            entry,
            cont,
        })
    }

    /// The shortcut of a rule that has one (see `plan_shortcut`): in the first pass, when the
    /// token at the mark is in the entry set, call the bottom rule directly (at the nesting
    /// level the full descent would reach); if the token after its match is read and cannot
    /// continue any rule in between, that match is the rule's. Otherwise take the full path.
    fn shortcut_code(&self, ri: usize) -> String {
        let Some(sc) = self.shortcuts.get(&ri) else {
            return String::new();
        };
        let name = &self.g.rules[ri].name;
        let bottom = &self.g.rules[sc.bottom].name;
        let depth = sc.depth;
        let mut o = String::new();
        writeln!(o, "    // @shortcut {name} {bottom}").unwrap();
        writeln!(
            o,
            "    if !p.second_pass && p.level + {depth} < MAXSTACK && p.kind_at_mark().is_some_and(|k| {}) {{",
            kinds_pattern(&sc.entry)
        )
        .unwrap();
        writeln!(o, "        p.level += {depth};").unwrap();
        writeln!(o, "        let _r = r_{bottom}(p);").unwrap();
        writeln!(o, "        p.level -= {depth};").unwrap();
        writeln!(o, "        if p.error {{ p.exit_rule(); return None; }}").unwrap();
        writeln!(o, "        match _r {{").unwrap();
        writeln!(
            o,
            "            Some(v) if p.cannot_start(|k| {}) => {{",
            kinds_pattern(&sc.cont)
        )
        .unwrap();
        if let Some(id) = self.memo_ids.get(&ri) {
            if self.memo_first_pass(ri) {
                writeln!(
                    o,
                    "                p.memo_put(_mark, {id}, MemoValue::{name}(Some(v)), p.mark);"
                )
                .unwrap();
            }
        }
        writeln!(
            o,
            "                p.exit_rule();\n                return Some(v);\n            }}"
        )
        .unwrap();
        writeln!(o, "            _ => p.mark = _mark,\n        }}\n    }}").unwrap();
        o
    }

    /// Fail a rule at once when the token at the mark is already read and cannot start it.
    fn rule_first_check(&self, ri: usize) -> String {
        match &self.firsts[ri] {
            Some(set) => format!(
                "    if p.cannot_start(|k| {}) {{ p.exit_rule(); return None; }}\n",
                kinds_pattern(set)
            ),
            None => String::new(),
        }
    }

    fn label(&mut self) -> String {
        self.counter += 1;
        format!("a{}", self.counter)
    }

    fn item_expr(&mut self, item: &Item, depth: usize) -> Result<String, String> {
        self.item_expr_v(item, depth, true)
    }

    /// A Rust expression of type `Option<T>` that tries `item` at `p.mark`, leaving the mark
    /// unchanged when it fails. Without `needs_value`, groups yield `()`.
    fn item_expr_v(&mut self, item: &Item, depth: usize, needs_value: bool) -> Result<String, String> {
        Ok(match item {
            Item::Name(n) => {
                if let Some(&ri) = self.index.get(n.as_str()) {
                    let _ = ri;
                    format!("r_{n}(p)")
                } else if let Some((_, acc)) = VALUE_TOKENS.iter().find(|(t, _)| t == n) {
                    acc.to_string()
                } else if self.tokens.names.iter().any(|t| t == n) {
                    format!("p.expect_token(TokenType::{n} as u16)")
                } else {
                    return Err(format!("unknown rule or token {n}"));
                }
            }
            Item::Str { text, soft } => {
                if is_ident(text) {
                    if *soft {
                        format!("p.expect_soft_keyword({text:?})")
                    } else {
                        format!("p.expect_token(KW_{})", text.to_uppercase())
                    }
                } else {
                    let tok = self
                        .tokens
                        .ops
                        .get(text)
                        .ok_or_else(|| format!("unknown operator '{text}'"))?;
                    format!("p.expect_token(TokenType::{tok} as u16)")
                }
            }
            Item::Group(alts) => {
                let body = self.alts_body(alts, !needs_value, depth + 1)?;
                let ind = "    ".repeat(depth);
                format!("(|p: &mut Parser<'a>| {{\n{ind}    let _mark = p.mark;\n{body}{ind}}})(p)")
            }
            Item::Opt(x) => {
                let e = self.item_expr_v(x, depth, needs_value)?;
                format!("{{ let _o = {e}; if p.error {{ None }} else {{ Some(_o) }} }}")
            }
            Item::Star(x) | Item::Plus(x) => {
                let e = self.item_expr_v(x, depth, needs_value)?;
                let plus = matches!(item, Item::Plus(_));
                // Items collect in an arena vector, which becomes the node's slice in place.
                format!(
                    "{{ let mut _v = bumpalo::collections::Vec::new_in(p.arena); loop {{ let _m = p.mark; match {e} {{ Some(v) => _v.push(v), None => {{ p.mark = _m; break; }} }} }} if p.error {{ None }} else if {} {{ None }} else {{ Some(&*_v.into_bump_slice()) }} }}",
                    if plus { "_v.is_empty()" } else { "false" }
                )
            }
            Item::Gather { sep, elem } => {
                let s = self.item_expr_v(sep, depth, false)?;
                let e = self.item_expr_v(elem, depth, needs_value)?;
                format!(
                    "{{ let _start = p.mark; match {e} {{ None => None, Some(first) => {{ let mut _v = bumpalo::collections::Vec::with_capacity_in(4, p.arena); _v.push(first); loop {{ let _m = p.mark; if {s}.is_none() {{ p.mark = _m; break; }} match {e} {{ Some(v) => _v.push(v), None => {{ p.mark = _m; break; }} }} }} if p.error {{ p.mark = _start; None }} else {{ Some(&*_v.into_bump_slice()) }} }} }} }}"
                )
            }
            Item::PosLookahead(x) | Item::NegLookahead(x) if self.token_set_rule(x).is_some() => {
                // A lookahead on a rule that is only a choice of tokens (`&t_lookahead`): test the
                // token's kind instead of calling the rule (which, at the nesting limit, is still
                // called: entering it is what raises the error there).
                let pos = matches!(item, Item::PosLookahead(_));
                let Item::Name(n) = &**x else { unreachable!() };
                let set = self.token_set_rule(x).unwrap_or_default();
                format!(
                    "{{ let _ok = if p.level >= MAXSTACK {{ let _m = p.mark; let _r = r_{n}(p).is_some(); p.mark = _m; _r }} else {{ !p.error && p.kind_at_mark().is_some_and(|k| {}) }}; if _ok == {pos} {{ Some(()) }} else {{ None }} }}",
                    kinds_pattern(&set)
                )
            }
            Item::PosLookahead(x) | Item::NegLookahead(x) => {
                let pos = matches!(item, Item::PosLookahead(_));
                let e = self.item_expr_v(x, depth, false)?;
                format!(
                    "{{ let _m = p.mark; let _ok = {e}.is_some(); p.mark = _m; if _ok == {pos} {{ Some(()) }} else {{ None }} }}"
                )
            }
            Item::Forced(x) => {
                let what = match &**x {
                    Item::Str { text, .. } => text.clone(),
                    Item::Name(n) => n.clone(),
                    _ => return Err("&& needs a token or a rule".into()),
                };
                let e = self.item_expr(x, depth)?;
                format!("{{ let _f = {e}; p.expect_forced(_f, {what:?}) }}")
            }
            Item::Cut => unreachable!(),
        })
    }
}
