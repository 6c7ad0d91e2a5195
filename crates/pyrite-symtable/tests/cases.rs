//! The hand-written cases of `tests/cases` (valid modules, and `errors/`: one symbol table or
//! future error each): pyrite's dump must equal the stored `NAME.out`, which the oracle
//! generated (`python3.12 tools/oracle/symtable_cases.py`) and which is checked here to be what
//! the oracle still says.

mod common;

use common::{first_difference, on_big_stack, oracle_outputs, pyrite_dump};
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|e| e == "py") {
            out.push(p);
        }
    }
}

#[test]
fn cases_match_the_oracle() {
    // Paths relative to the crate directory, where `cargo test` runs and the outputs were made.
    let mut cases = Vec::new();
    collect(Path::new("tests/cases"), &mut cases);
    assert!(cases.len() > 50, "only {} cases", cases.len());
    let live = oracle_outputs(&cases, false);
    let failures = on_big_stack(move || {
        let mut failures = Vec::new();
        for path in &cases {
            let name = path.to_str().unwrap();
            let stored = std::fs::read_to_string(path.with_extension("out"))
                .unwrap_or_else(|_| panic!("{name}: no .out file (run tools/oracle/symtable_cases.py)"));
            if live[name] != stored {
                failures.push(format!(
                    "{name}: stale .out (rerun tools/oracle/symtable_cases.py)\n{}",
                    first_difference(&live[name], &stored)
                ));
                continue;
            }
            let source = std::fs::read(path).unwrap();
            let actual = pyrite_dump(&source, name);
            if actual != stored {
                failures.push(format!("{name}:\n{}", first_difference(&stored, &actual)));
            }
        }
        failures
    });
    for f in &failures {
        eprintln!("{f}");
    }
    assert!(failures.is_empty(), "{} cases differ", failures.len());
}
