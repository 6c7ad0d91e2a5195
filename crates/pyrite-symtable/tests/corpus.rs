//! The symbol table of every file of the standard library corpus, dumped, against
//! `_symtable.symtable()`'s (`tools/oracle/symtable_dump.py`, one oracle process). Files CPython
//! rejects are compared as errors.

mod common;

use common::{first_difference, on_big_stack, oracle_outputs, pyrite_dump};

#[test]
fn the_corpus_symbol_tables_match_cpython() {
    let oracle = pyrite_oracle::Oracle::require();
    let files = oracle.corpus();
    assert!(files.len() > 1500, "only {} files", files.len());
    let expected = oracle_outputs(&files, false);
    let (total, failures, errors) = on_big_stack(move || {
        let mut failures = Vec::new();
        let mut errors = 0;
        for path in &files {
            let name = path.to_str().expect("UTF-8 path");
            let source = std::fs::read(path).unwrap();
            let actual = pyrite_dump(&source, name);
            let want = expected
                .get(name)
                .unwrap_or_else(|| panic!("no oracle output for {name}"));
            if want.starts_with("ERROR\n") {
                errors += 1;
            }
            if &actual != want {
                failures.push(format!("{name}:\n{}", first_difference(want, &actual)));
            }
        }
        (files.len(), failures, errors)
    });
    println!(
        "symtable corpus: {}/{total} identical ({errors} rejected by CPython)",
        total - failures.len()
    );
    for f in failures.iter().take(10) {
        eprintln!("{f}");
    }
    assert!(failures.is_empty(), "{} of {total} files differ", failures.len());
}
