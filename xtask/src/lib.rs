//! The project's own tooling: the differential harness that runs a pyrite stage and the oracle
//! (CPython 3.12.1) over the same files, the parity ratchet, and the benchmarks.
//!
//! A [`Stage`] knows how to run the oracle over a batch of files and pyrite over one file, each
//! producing an [`Outcome`] (stdout, stderr, exit status); the harness compares them. Later
//! stages (ast, code, dis, errors, program output) plug in as further stages.

pub mod bench;

use pyrite_oracle::Oracle;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::Stdio;

/// What a run printed and how it exited.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Outcome {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

/// A pipeline stage under differential test.
pub trait Stage: Sync {
    /// The name in reports and in the ratchet file.
    fn name(&self) -> &'static str;
    /// The oracle's outcome for each file, in order.
    fn oracle(&self, oracle: &Oracle, files: &[PathBuf]) -> Result<Vec<Outcome>, String>;
    /// pyrite's outcome for one file.
    fn pyrite(&self, file: &Path) -> Outcome;
}

/// `python3.12 -m tokenize -e FILE` against `pyrite tokenize -e FILE`.
pub struct Tokens;

impl Stage for Tokens {
    fn name(&self) -> &'static str {
        "tokens"
    }

    fn oracle(&self, oracle: &Oracle, files: &[PathBuf]) -> Result<Vec<Outcome>, String> {
        run_driver_parallel(oracle, "tokenize_driver.py", files)
    }

    fn pyrite(&self, file: &Path) -> Outcome {
        let name = file.to_string_lossy();
        match std::fs::read(file) {
            Ok(bytes) => {
                let out = pyrite_tokenizer::tokenize_main(&name, &bytes, true);
                Outcome {
                    stdout: out.stdout,
                    stderr: out.stderr,
                    code: out.exit_code,
                }
            }
            Err(e) => Outcome {
                stderr: format!("cannot read {name}: {e}\n"),
                code: 1,
                ..Outcome::default()
            },
        }
    }
}

/// The C tokenizer's raw stream, as the parser reads it, against `_tokenize.TokenizerIter`
/// without extra tokens. CPython 3.12.1's iterator computes the line of the tokens produced at
/// end of file (the trailing DEDENTs and ENDMARKER) from a stale pointer in this configuration,
/// and so sometimes raises `SystemError: Negative size passed to PyUnicode_New`, depending on
/// memory contents; both sides therefore replace those tokens (or that error) by one
/// `<end of stream>` line, see [`normalize_end_of_stream`].
pub struct CTokens;

impl Stage for CTokens {
    fn name(&self) -> &'static str {
        "c-tokens"
    }

    fn oracle(&self, oracle: &Oracle, files: &[PathBuf]) -> Result<Vec<Outcome>, String> {
        let mut outcomes = run_driver_parallel(oracle, "c_tokens_driver.py", files)?;
        for o in &mut outcomes {
            o.stdout = normalize_end_of_stream(&o.stdout);
        }
        Ok(outcomes)
    }

    fn pyrite(&self, file: &Path) -> Outcome {
        use pyrite_tokenizer::lexer::LexerOptions;
        use pyrite_tokenizer::source::{decode_for_tokenize, detect_encoding};
        use pyrite_tokenizer::tokenize::TokenizeIter;
        use std::fmt::Write as _;
        let bytes = match std::fs::read(file) {
            Ok(b) => b,
            Err(e) => {
                return Outcome {
                    stderr: format!("cannot read: {e}\n"),
                    code: 1,
                    ..Outcome::default()
                }
            }
        };
        let mut out = String::new();
        match detect_encoding(&bytes, None) {
            Err(msg) => {
                let _ = writeln!(out, "encoding error: {msg}");
            }
            Ok(det) => {
                let body = if det.bom { &bytes[3..] } else { &bytes[..] };
                let decoded = decode_for_tokenize(body, &det.codec);
                let mut iter = TokenizeIter::new(&decoded.text, decoded.implicit_newline, LexerOptions::default());
                for item in iter.by_ref() {
                    match item {
                        Ok(t) => {
                            let s = pyrite_unicode::repr(t.string);
                            let _ = writeln!(
                                out,
                                "{} {s} {},{}-{},{}",
                                t.kind.name(),
                                t.start.0,
                                t.start.1,
                                t.end.0,
                                t.end.1
                            );
                        }
                        Err(e) => {
                            let _ = writeln!(out, "{}: {} @ {},{}", e.kind, e.msg, e.lineno, e.offset);
                        }
                    }
                }
                for w in iter.warnings() {
                    let _ = writeln!(out, "{}: {} @ {}", w.category, w.msg, w.lineno);
                }
            }
        }
        Outcome {
            stdout: normalize_end_of_stream(&out),
            ..Outcome::default()
        }
    }
}

/// Replace the end-of-file tokens of a `c-tokens` listing (DEDENTs followed only by DEDENTs and
/// ENDMARKER, and the ENDMARKER itself), or the SystemError CPython may raise in their place,
/// by one `<end of stream>` line. DEDENTs followed by any other token are kept.
pub fn normalize_end_of_stream(listing: &str) -> String {
    let mut out = String::with_capacity(listing.len());
    let mut pending: Vec<&str> = Vec::new();
    for line in listing.lines() {
        if line.starts_with("DEDENT ") {
            pending.push(line);
        } else if line.starts_with("ENDMARKER ")
            || line.starts_with("SystemError: Negative size passed to PyUnicode_New")
        {
            pending.clear();
            out.push_str("<end of stream>\n");
        } else {
            for p in pending.drain(..) {
                out.push_str(p);
                out.push('\n');
            }
            out.push_str(line);
            out.push('\n');
        }
    }
    for p in pending {
        out.push_str(p);
        out.push('\n');
    }
    out
}

/// [`run_driver`] in two oracle processes, each on half the files (the machines have two cores).
fn run_driver_parallel(oracle: &Oracle, script: &str, files: &[PathBuf]) -> Result<Vec<Outcome>, String> {
    run_driver_parallel_args(oracle, script, &[], files)
}

/// [`run_driver_parallel`] with arguments for the script.
fn run_driver_parallel_args(
    oracle: &Oracle,
    script: &str,
    args: &[&str],
    files: &[PathBuf],
) -> Result<Vec<Outcome>, String> {
    let script = repo_root().join("tools/oracle").join(script);
    let halves: Vec<&[PathBuf]> = if files.len() > 64 {
        let (a, b) = files.split_at(files.len() / 2);
        vec![a, b]
    } else {
        vec![files]
    };
    let results: Vec<Result<Vec<Outcome>, String>> = std::thread::scope(|s| {
        let handles: Vec<_> = halves
            .iter()
            .map(|part| s.spawn(|| run_driver(oracle, &script, args, part)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("oracle thread panicked"))
            .collect()
    });
    let mut all = Vec::with_capacity(files.len());
    for r in results {
        all.extend(r?);
    }
    Ok(all)
}

/// Run an oracle driver script that reads paths on stdin and writes one JSON outcome per line.
fn run_driver(oracle: &Oracle, script: &Path, args: &[&str], files: &[PathBuf]) -> Result<Vec<Outcome>, String> {
    let mut child = oracle
        .command()
        .arg(script)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run the oracle: {e}"))?;
    let mut stdin = child.stdin.take().unwrap();
    let input: String = files.iter().map(|f| format!("{}\n", f.to_string_lossy())).collect();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let mut outcomes = Vec::with_capacity(files.len());
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let line = line.map_err(|e| e.to_string())?;
        let v: serde_json::Value = serde_json::from_str(&line).map_err(|e| format!("bad oracle output: {e}"))?;
        outcomes.push(Outcome {
            stdout: v["stdout"].as_str().unwrap_or_default().to_string(),
            stderr: v["stderr"].as_str().unwrap_or_default().to_string(),
            code: v["code"].as_i64().unwrap_or(-1) as i32,
        });
    }
    let _ = writer.join();
    let status = child.wait().map_err(|e| e.to_string())?;
    if !status.success() || outcomes.len() != files.len() {
        return Err(format!(
            "the oracle driver failed ({status}) after {} of {} files",
            outcomes.len(),
            files.len()
        ));
    }
    Ok(outcomes)
}

/// `ast.dump(ast.parse(source, FILE), include_attributes=True)` (or the SyntaxError) against
/// `pyrite ast FILE`.
pub struct Ast;

impl Stage for Ast {
    fn name(&self) -> &'static str {
        "ast"
    }

    fn oracle(&self, oracle: &Oracle, files: &[PathBuf]) -> Result<Vec<Outcome>, String> {
        run_driver_parallel(oracle, "ast_driver.py", files)
    }

    fn pyrite(&self, file: &Path) -> Outcome {
        let name = file.to_string_lossy();
        match std::fs::read(file) {
            Ok(bytes) => {
                let out = pyrite_parser::ast_main(&name, &bytes, None);
                Outcome {
                    stdout: out.stdout,
                    stderr: out.stderr,
                    code: out.exit_code,
                }
            }
            Err(e) => Outcome {
                stderr: format!("cannot read {name}: {e}\n"),
                code: 1,
                ..Outcome::default()
            },
        }
    }
}

/// `compile(source_bytes, FILE, 'exec', dont_inherit=True)` against pyrite's compiler: a dump
/// of every field of the code object and its nested code objects (`tools/oracle/code_driver.py`
/// and `pyrite_compiler::dump_code` write the same format), or the SyntaxError.
/// `Code(0)` is the `code` stage; `Code(2)` (`code-O2`) compiles with `optimize=2` (no
/// docstrings, no asserts, `__debug__` false).
pub struct Code(pub i32);

impl Stage for Code {
    fn name(&self) -> &'static str {
        match self.0 {
            0 => "code",
            1 => "code-O1",
            _ => "code-O2",
        }
    }

    fn oracle(&self, oracle: &Oracle, files: &[PathBuf]) -> Result<Vec<Outcome>, String> {
        let level = self.0.to_string();
        run_driver_parallel_args(oracle, "code_driver.py", &[&level], files)
    }

    fn pyrite(&self, file: &Path) -> Outcome {
        let name = file.to_string_lossy();
        match std::fs::read(file) {
            Ok(bytes) => {
                let compiled = pyrite_compiler::compile(&bytes, &name, self.0);
                match compiled.code {
                    Ok(co) => Outcome {
                        stdout: pyrite_compiler::dump_code(&co),
                        ..Outcome::default()
                    },
                    Err(e) => Outcome {
                        stderr: e.format_exception_only(&name),
                        code: 1,
                        ..Outcome::default()
                    },
                }
            }
            Err(e) => Outcome {
                stderr: format!("cannot read {name}: {e}\n"),
                code: 1,
                ..Outcome::default()
            },
        }
    }
}

/// `python3.12 -m dis FILE` against `pyrite dis FILE` (addresses masked to `0x0`).
pub struct Dis;

impl Stage for Dis {
    fn name(&self) -> &'static str {
        "dis"
    }

    fn oracle(&self, oracle: &Oracle, files: &[PathBuf]) -> Result<Vec<Outcome>, String> {
        run_driver_parallel(oracle, "dis_driver.py", files)
    }

    fn pyrite(&self, file: &Path) -> Outcome {
        let name = file.to_string_lossy();
        match std::fs::read(file) {
            Ok(bytes) => match pyrite_compiler::compile(&bytes, &name, 0).code {
                Ok(co) => Outcome {
                    stdout: mask_addresses(&pyrite_dis::dis_module(&co)),
                    ..Outcome::default()
                },
                Err(e) => Outcome {
                    stderr: e.format_exception_only(&name),
                    code: 1,
                    ..Outcome::default()
                },
            },
            Err(e) => Outcome {
                stderr: format!("cannot read {name}: {e}\n"),
                code: 1,
                ..Outcome::default()
            },
        }
    }
}

/// `re.sub(r"at 0x[0-9a-f]+", "at 0x0", text)`: the mask `tools/oracle/dis_driver.py` applies
/// to CPython's output (it also catches addresses inside string constants).
pub fn mask_addresses(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("at 0x") {
        let after = &rest[i + 5..];
        let hex = after
            .bytes()
            .take_while(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
            .count();
        out.push_str(&rest[..i]);
        if hex > 0 {
            out.push_str("at 0x0");
            rest = &after[hex..];
        } else {
            out.push_str("at 0x");
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Every stage, in pipeline order.
pub fn stages() -> Vec<Box<dyn Stage>> {
    vec![
        Box::new(Tokens),
        Box::new(CTokens),
        Box::new(Ast),
        Box::new(Code(0)),
        Box::new(Code(2)),
        Box::new(Dis),
    ]
}

/// A set of input files a stage is measured on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileSet {
    /// Every `.py` file of the oracle's standard library (site-packages excluded).
    Corpus,
    /// The project's own small edge cases for the stage (`tests/cases` of the stage's crate).
    Cases,
    /// Invalid inputs collected from CPython's test suite by `tools/gen/syntax_error_cases.py`
    /// (`corpus/syntax-errors/parser`: the snippets `ast.parse` rejects, for `ast`;
    /// `corpus/syntax-errors/compiler`: those only the symbol table or code generator rejects,
    /// for `code`).
    Errors,
}

impl FileSet {
    /// Every set, in report order.
    pub const ALL: [FileSet; 3] = [FileSet::Corpus, FileSet::Cases, FileSet::Errors];

    /// The ratchet key of a stage on this set.
    pub fn key(self, stage: &str) -> String {
        match self {
            FileSet::Corpus => stage.to_string(),
            FileSet::Cases => format!("{stage}-cases"),
            FileSet::Errors => format!("{stage}-errors"),
        }
    }

    /// The set's files for `stage` (empty if the stage is not measured on this set).
    pub fn files(self, oracle: &Oracle, stage: &str) -> Vec<PathBuf> {
        let dir = match (self, stage) {
            (FileSet::Corpus, _) => return oracle.corpus(),
            (FileSet::Cases, "tokens" | "c-tokens") => repo_root().join("crates/pyrite-tokenizer/tests/cases"),
            (FileSet::Cases, "ast") => repo_root().join("crates/pyrite-parser/tests/cases"),
            (FileSet::Errors, "ast") => repo_root().join("corpus/syntax-errors/parser"),
            (FileSet::Cases, "code" | "dis") => repo_root().join("crates/pyrite-codegen/tests/cases"),
            (FileSet::Errors, "code") => repo_root().join("corpus/syntax-errors/compiler"),
            _ => return Vec::new(),
        };
        let mut files = Vec::new();
        pyrite_oracle::collect_py_files(&dir, &mut files);
        files.sort();
        files
    }
}

/// The repository's root directory.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// One file whose outcomes differ.
#[derive(Debug, Clone)]
pub struct Mismatch {
    pub file: PathBuf,
    pub oracle: Outcome,
    pub pyrite: Outcome,
}

/// The result of running a stage over a file set.
#[derive(Debug, Clone)]
pub struct Report {
    pub key: String,
    pub total: usize,
    pub same: usize,
    pub mismatches: Vec<Mismatch>,
}

/// Run `stage` over `files` on both sides and compare.
pub fn run_stage(stage: &dyn Stage, key: String, oracle: &Oracle, files: &[PathBuf]) -> Result<Report, String> {
    let expected = stage.oracle(oracle, files)?;
    let ours: Vec<Outcome> = std::thread::scope(|s| {
        let (a, b) = files.split_at(files.len() / 2);
        let ha = s.spawn(|| a.iter().map(|f| run_pyrite(stage, f)).collect::<Vec<_>>());
        let mut out: Vec<Outcome> = b.iter().map(|f| run_pyrite(stage, f)).collect();
        let mut first = ha.join().expect("pyrite thread panicked");
        first.append(&mut out);
        first
    });
    let mut mismatches = Vec::new();
    for ((file, exp), got) in files.iter().zip(expected).zip(ours) {
        if exp != got {
            mismatches.push(Mismatch {
                file: file.clone(),
                oracle: exp,
                pyrite: got,
            });
        }
    }
    Ok(Report {
        key,
        total: files.len(),
        same: files.len() - mismatches.len(),
        mismatches,
    })
}

/// pyrite's outcome for one file, a panic reported as an outcome (so one bad file does not end
/// the run).
fn run_pyrite(stage: &dyn Stage, file: &Path) -> Outcome {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| stage.pyrite(file))) {
        Ok(outcome) => outcome,
        Err(payload) => {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Outcome {
                stderr: format!("pyrite panicked: {msg}\n"),
                code: 101,
                ..Outcome::default()
            }
        }
    }
}

/// A readable account of a mismatch: which streams differ, where they first differ (line and
/// column), and either a unified diff of that region (short lines) or about 150 characters of
/// each side around the first difference (long lines, such as one-line AST dumps).
pub fn describe(m: &Mismatch) -> String {
    let mut s = format!("--- {}\n", m.file.display());
    if m.oracle.code != m.pyrite.code {
        s.push_str(&format!(
            "exit status: oracle {}, pyrite {}\n",
            m.oracle.code, m.pyrite.code
        ));
    }
    for (label, a, b) in [
        ("stdout", &m.oracle.stdout, &m.pyrite.stdout),
        ("stderr", &m.oracle.stderr, &m.pyrite.stderr),
    ] {
        if a == b {
            continue;
        }
        let at = first_difference(a, b);
        let line = a[..at].matches('\n').count() + 1;
        let column = a[..at].rsplit('\n').next().unwrap_or("").chars().count() + 1;
        s.push_str(&format!(
            "{label} differs (- oracle, + pyrite), first at line {line}, column {column}:\n"
        ));
        let longest = a.lines().chain(b.lines()).map(str::len).max().unwrap_or(0);
        if longest <= 300 {
            let diff = similar::TextDiff::from_lines(a.as_str(), b.as_str());
            let text = diff.unified_diff().context_radius(2).to_string();
            let mut lines = text.lines();
            for line in lines.by_ref().take(30) {
                s.push_str(line);
                s.push('\n');
            }
            if lines.next().is_some() {
                s.push_str("  [...]\n");
            }
        } else {
            s.push_str(&format!("- {}\n", context(a, at, 150)));
            s.push_str(&format!("+ {}\n", context(b, at, 150)));
        }
    }
    s
}

/// The byte offset of the first difference between `a` and `b` (a char boundary of both).
fn first_difference(a: &str, b: &str) -> usize {
    let mut at = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    while !a.is_char_boundary(at) || !b.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Up to `radius` characters of `text` on either side of byte offset `at`, escaped on one line,
/// with `…` where it was cut.
fn context(text: &str, at: usize, radius: usize) -> String {
    let before: Vec<(usize, char)> = text[..at].char_indices().rev().take(radius).collect();
    let start = before.last().map_or(at, |&(i, _)| i);
    let end = text[at..]
        .char_indices()
        .nth(radius)
        .map_or(text.len(), |(i, _)| at + i);
    let escape = |t: &str| -> String {
        t.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_debug().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect()
    };
    format!(
        "{}{}\u{2503}{}{}",
        if start > 0 { "…" } else { "" },
        escape(&text[start..at]),
        escape(&text[at..end]),
        if end < text.len() { "…" } else { "" }
    )
}

/// The committed parity ratchet: the number of identical files per stage and file set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ratchet {
    pub counts: BTreeMap<String, usize>,
}

const RATCHET_HEADER: &str = "\
# Parity ratchet: per stage, the number of files whose output is identical to CPython 3.12.1's.
# Raised by `cargo xtask parity STAGE --update`; `cargo test` fails if any count drops.
# `STAGE` is measured on the oracle's standard library, `STAGE-cases` on the stage's own edge cases,
# `STAGE-errors` on the invalid snippets of CPython's test suite (corpus/syntax-errors).
";

impl Ratchet {
    pub fn path() -> PathBuf {
        repo_root().join("parity.toml")
    }

    pub fn load() -> Result<Ratchet, String> {
        let text = std::fs::read_to_string(Self::path()).map_err(|e| format!("cannot read parity.toml: {e}"))?;
        Self::parse(&text)
    }

    pub fn parse(text: &str) -> Result<Ratchet, String> {
        let mut counts = BTreeMap::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') || line == "[stages]" {
                continue;
            }
            let (k, v) = line
                .split_once('=')
                .ok_or_else(|| format!("parity.toml:{}: expected `stage = count`", i + 1))?;
            let v: usize = v
                .trim()
                .parse()
                .map_err(|_| format!("parity.toml:{}: not a count", i + 1))?;
            counts.insert(k.trim().to_string(), v);
        }
        Ok(Ratchet { counts })
    }

    pub fn render(&self) -> String {
        let mut s = format!("{RATCHET_HEADER}\n[stages]\n");
        for (k, v) in &self.counts {
            s.push_str(&format!("{k} = {v}\n"));
        }
        s
    }

    pub fn get(&self, key: &str) -> usize {
        self.counts.get(key).copied().unwrap_or(0)
    }

    /// Raise `key` to `count` if that is higher; returns whether it changed.
    pub fn raise(&mut self, key: &str, count: usize) -> bool {
        if count > self.get(key) || !self.counts.contains_key(key) {
            self.counts.insert(key.to_string(), count.max(self.get(key)));
            return true;
        }
        false
    }

    pub fn save(&self) -> Result<(), String> {
        std::fs::write(Self::path(), self.render()).map_err(|e| format!("cannot write parity.toml: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn end_of_stream_tokens_are_normalized() {
        let a = "NAME 'x' 1,0-1,1\nDEDENT '' 2,-1-2,-1\nNAME 'y' 2,0-2,1\nNEWLINE '' 2,1-2,1\nDEDENT '' 2,-1-2,-1\nENDMARKER '' 2,-1-2,-1\nSyntaxWarning: w @ 1\n";
        let b = "NAME 'x' 1,0-1,1\nDEDENT '' 2,-1-2,-1\nNAME 'y' 2,0-2,1\nNEWLINE '' 2,1-2,1\nSystemError: Negative size passed to PyUnicode_New @ None,None\nSyntaxWarning: w @ 1\n";
        assert_eq!(normalize_end_of_stream(a), normalize_end_of_stream(b));
        assert!(normalize_end_of_stream(a).contains("DEDENT '' 2,-1-2,-1\nNAME 'y'"));
    }

    #[test]
    fn a_long_line_is_described_around_its_first_difference() {
        let a = format!("{}X{}\n", "a".repeat(5000), "b".repeat(5000));
        let b = format!("{}Y{}\n", "a".repeat(5000), "b".repeat(5000));
        let m = Mismatch {
            file: PathBuf::from("f.py"),
            oracle: Outcome {
                stdout: a,
                ..Outcome::default()
            },
            pyrite: Outcome {
                stdout: b,
                ..Outcome::default()
            },
        };
        let d = describe(&m);
        assert!(d.len() < 1000, "{d}");
        assert!(d.contains("first at line 1, column 5001"), "{d}");
        assert!(d.contains("\u{2503}X") && d.contains("\u{2503}Y"), "{d}");
    }

    #[test]
    fn the_ratchet_round_trips_and_only_rises() {
        let mut r = Ratchet::parse("# c\n[stages]\ntokens = 10\n").unwrap();
        assert_eq!(r.get("tokens"), 10);
        assert!(!r.raise("tokens", 9));
        assert_eq!(r.get("tokens"), 10);
        assert!(r.raise("tokens", 12));
        assert_eq!(Ratchet::parse(&r.render()).unwrap(), r);
        assert!(Ratchet::parse("tokens = x").is_err());
    }
}
