//! The differential harness shared by the tests: pyrite's side of `tools/oracle/symtable_dump.py`
//! and the oracle's.

#![allow(dead_code)]

use bumpalo::Bump;
use pyrite_parser::errors::SyntaxErrorInfo;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The oracle script.
pub fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tools/oracle/symtable_dump.py")
}

/// `traceback.format_exception_only` of an error of `parse_module`, `future_features` or `build`.
pub fn error_text(e: &SyntaxErrorInfo, filename: &str) -> String {
    if pyrite_symtable::is_recursion_error(e) {
        return format!("RecursionError: {}\n", e.msg);
    }
    e.format_exception_only(filename)
}

/// Which stage rejected the source, and its error.
pub enum Outcome {
    Dump(String),
    ParseError(String),
    SymtableError(String),
}

/// Parse, read the future features and build the symbol table of `source` compiled as
/// `filename`, as `_symtable.symtable(source, filename, "exec")` does.
pub fn run(source: &[u8], filename: &str) -> Outcome {
    let arena = Bump::new();
    let fname = arena.alloc_str(filename);
    let module = match pyrite_parser::parse_module(&arena, source, fname).module {
        Ok(m) => m,
        Err(e) => return Outcome::ParseError(error_text(&e, filename)),
    };
    let future = match pyrite_symtable::future_features(module, filename) {
        Ok(f) => f,
        Err(e) => return Outcome::SymtableError(error_text(&e, filename)),
    };
    match pyrite_symtable::build(module, filename, &future) {
        Ok(table) => {
            check_lookups(&table);
            Outcome::Dump(pyrite_symtable::dump(&table))
        }
        Err(e) => Outcome::SymtableError(error_text(&e, filename)),
    }
}

/// Every block is found by its key, unless a later block was filed under the same key (an
/// annotation block shadowed by its function's).
fn check_lookups(table: &pyrite_symtable::SymbolTable<'_>) {
    let scopes = table.scopes();
    for (i, s) in scopes.iter().enumerate() {
        let found = table.lookup(s.key).expect("every key is filed");
        if found.index() != i {
            assert!(found.index() > i, "block {i} ({}) shadowed by an earlier one", s.name);
            assert_eq!(scopes[found.index()].key, s.key);
        }
    }
}

/// What `symtable_dump.py` prints for one file (default mode).
pub fn pyrite_dump(source: &[u8], filename: &str) -> String {
    match run(source, filename) {
        Outcome::Dump(d) => d,
        Outcome::ParseError(e) | Outcome::SymtableError(e) => format!("ERROR\n{e}"),
    }
}

/// Run the oracle script over `paths` (in one process); its output per path.
pub fn oracle_outputs(paths: &[PathBuf], errors_mode: bool) -> HashMap<String, String> {
    let oracle = pyrite_oracle::Oracle::require();
    let args: Vec<String> = if errors_mode { vec!["--errors".into()] } else { vec![] };
    let out = oracle
        .run_script(&script(), &args, paths)
        .unwrap_or_else(|e| panic!("the oracle failed: {e}"));
    let mut map = HashMap::new();
    let mut cur: Option<(String, String)> = None;
    for line in out.split_inclusive('\n') {
        if let Some(path) = line.strip_prefix("=== ") {
            if let Some((p, text)) = cur.take() {
                map.insert(p, text);
            }
            cur = Some((path.trim_end_matches('\n').to_string(), String::new()));
        } else if let Some((_, text)) = cur.as_mut() {
            text.push_str(line);
        }
    }
    if let Some((p, text)) = cur.take() {
        map.insert(p, text);
    }
    map
}

/// Run `f` on a thread with a large stack (the parser and the symbol table recurse natively).
pub fn on_big_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(1 << 30)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

/// The first lines where two texts differ, as a small diff.
pub fn first_difference(expected: &str, actual: &str) -> String {
    let e: Vec<&str> = expected.lines().collect();
    let a: Vec<&str> = actual.lines().collect();
    let i = e.iter().zip(&a).take_while(|(x, y)| x == y).count();
    let from = i.saturating_sub(3);
    let mut out = String::new();
    for line in &e[from..i] {
        out.push_str(&format!("   {line}\n"));
    }
    for line in e.iter().skip(i).take(4) {
        out.push_str(&format!(" - {line}\n"));
    }
    for line in a.iter().skip(i).take(4) {
        out.push_str(&format!(" + {line}\n"));
    }
    out
}
