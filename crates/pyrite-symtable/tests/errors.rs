//! `corpus/syntax-errors/compiler`: snippets from CPython's test suite that parse but that
//! `compile()` rejects. Those that `_symtable.symtable()` rejects (future statement and symbol
//! table errors) must give exactly CPython's error (`traceback.format_exception_only`: message,
//! line, offsets, text read back from the file); the others (code generator errors) must build
//! without error.

mod common;

use common::{on_big_stack, oracle_outputs, run, Outcome};
use std::path::{Path, PathBuf};

fn case_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/syntax-errors/compiler");
    let dir = dir.canonicalize().expect("corpus/syntax-errors/compiler exists");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    files.sort();
    files
}

#[test]
fn symtable_errors_match_cpython() {
    let files = case_files();
    assert!(files.len() > 300, "only {} cases", files.len());
    let expected = oracle_outputs(&files, true);
    let (symtable_cases, later_cases, failures) = on_big_stack(move || {
        let mut failures = Vec::new();
        let (mut symtable_cases, mut later_cases) = (0, 0);
        for path in &files {
            let name = path.to_str().unwrap();
            let want = &expected[name];
            let source = std::fs::read(path).unwrap();
            let outcome = run(&source, name);
            if let Some(err) = want.strip_prefix("SYMTABLE\n") {
                symtable_cases += 1;
                match outcome {
                    Outcome::SymtableError(e) if e == err => {}
                    Outcome::SymtableError(e) => failures.push(format!("{name}: expected\n{err}got\n{e}")),
                    Outcome::ParseError(e) => failures.push(format!("{name}: parse error\n{e}")),
                    Outcome::Dump(_) => failures.push(format!("{name}: expected\n{err}but it built")),
                }
            } else {
                later_cases += 1;
                match outcome {
                    Outcome::Dump(_) => {}
                    Outcome::SymtableError(e) | Outcome::ParseError(e) => {
                        failures.push(format!("{name}: CPython's symbol table accepts it, pyrite raised\n{e}"))
                    }
                }
            }
        }
        (symtable_cases, later_cases, failures)
    });
    println!(
        "symtable errors: {}/{} cases identical ({symtable_cases} future/symbol table errors, {later_cases} later-stage errors)",
        symtable_cases + later_cases - failures.len(),
        symtable_cases + later_cases
    );
    for f in failures.iter().take(15) {
        eprintln!("{f}");
    }
    assert!(failures.is_empty(), "{} cases differ", failures.len());
}
