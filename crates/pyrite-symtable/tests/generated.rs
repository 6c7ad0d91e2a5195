//! Generated inputs against the oracle: the code snippets of CPython's test suite
//! (`tools/oracle/symtable_snippets.py`), random programs (`tools/oracle/symtable_fuzz.py`), and
//! nesting around the recursion limit. Each writes its files to a temporary directory, which
//! the oracle dumps in one process.

mod common;

use common::{first_difference, on_big_stack, pyrite_dump};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A fresh temporary directory for one test.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pyrite-symtable-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Split the `=== PATH` sections of a dump script's output.
fn sections(out: &str) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = Vec::new();
    for line in out.split_inclusive('\n') {
        if let Some(path) = line.strip_prefix("=== ") {
            v.push((path.trim_end_matches('\n').to_string(), String::new()));
        } else {
            v.last_mut().expect("a section header first").1.push_str(line);
        }
    }
    v
}

/// Compare pyrite with each section; the number of files and the failures.
fn compare(expected: Vec<(String, String)>) -> (usize, Vec<String>) {
    on_big_stack(move || {
        let mut failures = Vec::new();
        for (path, want) in &expected {
            let source = std::fs::read(path).unwrap();
            let actual = pyrite_dump(&source, path);
            if &actual != want {
                let shown = String::from_utf8_lossy(&source);
                failures.push(format!("{path}:\n{shown}\n{}", first_difference(want, &actual)));
            }
        }
        (expected.len(), failures)
    })
}

fn report(what: &str, total: usize, failures: &[String]) {
    println!("{what}: {}/{total} identical", total - failures.len());
    for f in failures.iter().take(5) {
        eprintln!("{f}");
    }
    assert!(failures.is_empty(), "{what}: {} of {total} differ", failures.len());
}

fn run_oracle_script(script: &str, args: &[String]) -> String {
    let oracle = pyrite_oracle::Oracle::require();
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tools/oracle")
        .join(script);
    oracle
        .run_script(&script, args, &[])
        .unwrap_or_else(|e| panic!("the oracle failed: {e}"))
}

#[test]
fn test_suite_snippets_match_cpython() {
    let dir = temp_dir("snippets");
    let out = run_oracle_script("symtable_snippets.py", &[dir.display().to_string()]);
    let expected = sections(&out);
    assert!(expected.len() > 2000, "only {} snippets", expected.len());
    let (total, failures) = compare(expected);
    let _ = std::fs::remove_dir_all(&dir);
    report("symtable snippets", total, &failures);
}

#[test]
fn random_programs_match_cpython() {
    let dir = temp_dir("fuzz");
    let out = run_oracle_script(
        "symtable_fuzz.py",
        &[dir.display().to_string(), "4000".into(), "0".into()],
    );
    let expected = sections(&out);
    assert_eq!(expected.len(), 4000);
    let (total, failures) = compare(expected);
    let _ = std::fs::remove_dir_all(&dir);
    report("symtable random programs", total, &failures);
}

/// Nesting on both sides of the recursion limit: expressions (unary, binary, attribute, call,
/// subscript chains), inside statements, function bodies and type parameter bounds.
#[test]
fn recursion_limit_matches_cpython() {
    let dir = temp_dir("recursion");
    let mut files = Vec::new();
    let mut write = |name: String, src: String| {
        let path = dir.join(name);
        std::fs::write(&path, src).unwrap();
        files.push(path);
    };
    for n in [2990usize, 2993, 2994, 2995, 2996, 3100] {
        write(format!("unary{n}.py"), format!("{}x\n", "-".repeat(n)));
        write(format!("binary{n}.py"), format!("x{}\n", "+x".repeat(n)));
        write(format!("attr{n}.py"), format!("x{}\n", ".a".repeat(n)));
        write(format!("call{n}.py"), format!("f{}\n", "()".repeat(n)));
        write(format!("subscript{n}.py"), format!("x{}\n", "[0]".repeat(n)));
        write(
            format!("in_def{n}.py"),
            format!("def f():\n    return {}x\n", "-".repeat(n)),
        );
        write(
            format!("bound{n}.py"),
            format!("def f[T: {}x](): pass\n", "-".repeat(n)),
        );
        write(format!("lambda{n}.py"), format!("g = lambda: {}x\n", "~".repeat(n)));
        write(
            format!("after_error{n}.py"),
            format!("def f(a, a): pass\n{}x\n", "-".repeat(n)),
        );
        write(
            format!("before_error{n}.py"),
            format!("{}x\ndef f(a, a): pass\n", "-".repeat(n)),
        );
    }
    let oracle = pyrite_oracle::Oracle::require();
    let out = oracle
        .run_script(&common::script(), &[], &files)
        .unwrap_or_else(|e| panic!("the oracle failed: {e}"));
    let expected = sections(&out);
    let errors: HashMap<&str, usize> = expected.iter().fold(HashMap::new(), |mut m, (_, text)| {
        let kind = if text.contains("RecursionError") {
            "recursion"
        } else if text.starts_with("ERROR") {
            "other error"
        } else {
            "ok"
        };
        *m.entry(kind).or_default() += 1;
        m
    });
    assert!(errors.get("recursion").is_some_and(|&n| n > 10), "{errors:?}");
    assert!(errors.get("ok").is_some_and(|&n| n > 10), "{errors:?}");
    let (total, failures) = compare(expected);
    let _ = std::fs::remove_dir_all(&dir);
    report("symtable recursion limit", total, &failures);
}
