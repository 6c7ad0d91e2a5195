//! Differential test against CPython 3.12.1: `tools/oracle/astopt_cases.py` (run under the
//! oracle at test time) generates the cases and reports, for each, the instructions CPython
//! compiled for the expression under test (stack shuffles and jumps left out). Here pyrite
//! parses and optimizes the same source, and `common::Emitter` turns the optimized expression
//! into the instructions CPython's code generator emits for those node kinds. A fully folded
//! expression is one `LOAD_CONST` of the same type and value; a partly folded one shows which
//! subexpressions became constants and which stayed; source positions are compared too.
//! Docstrings, the `from __future__ import annotations` case, warnings and RecursionError are
//! compared directly.

mod common;

#[test]
fn folding_matches_cpython() {
    let oracle = pyrite_oracle::Oracle::require();
    let text = oracle
        .run_script(&common::script(), &[], &[])
        .unwrap_or_else(|e| panic!("the oracle script failed: {e}"));
    let cases = common::parse_output(&text);
    assert!(cases.len() > 5000, "only {} cases", cases.len());
    let failures = common::check_all(cases);
    for f in failures.iter().take(40) {
        eprintln!("{f}");
    }
    assert!(failures.is_empty(), "{} cases differ from CPython", failures.len());
}
