//! `cargo bench -p pyrite-parser --bench corpus` (also run by `cargo xtask bench ast`): parse the
//! whole corpus held in memory with CPython's parser, with `ruff_python_parser` and with pyrite,
//! in the same run, and report the ratios.
//!
//! CPython's figure is `compile(source, path, "exec", ast.PyCF_ONLY_AST)` per file with the
//! cyclic GC off (its AST-only parse as Python exposes it: tokenizer, PEG parser, AST objects);
//! ruff's is `parse_module(&str)`; pyrite's is `parse_module` (source preparation, tokenizer,
//! parser, arena AST). All three see the same files: the corpus files that are UTF-8 (ruff takes
//! `&str`). Each figure is the best of its runs. Options: `--runs N` (pyrite and ruff, default 5),
//! `--oracle-runs N` (CPython, default 1).

use pyrite_oracle::Oracle;
use std::path::PathBuf;
use std::time::Instant;

fn best_of(runs: usize, mut f: impl FnMut() -> usize) -> (f64, usize) {
    let mut best = f64::INFINITY;
    let mut count = 0;
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        count = std::hint::black_box(f());
        best = best.min(t.elapsed().as_secs_f64());
    }
    (best, count)
}

fn cpython(oracle: &Oracle, files: &[PathBuf], runs: usize) -> Result<(f64, u64), String> {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tools/oracle/bench_parse.py");
    let text = oracle.run_script(&script, &[runs.to_string()], files)?;
    // {"parse": seconds, "files": n}
    let num = |key: &str| -> Option<f64> {
        let at = text.find(&format!("\"{key}\": "))? + key.len() + 4;
        let rest = &text[at..];
        let end = rest.find([',', '}']).unwrap_or(rest.len());
        rest[..end].trim().parse().ok()
    };
    match (num("parse"), num("files")) {
        (Some(t), Some(n)) => Ok((t, n as u64)),
        _ => Err(format!("unexpected output from the oracle: {text}")),
    }
}

fn main() {
    let mut runs = 5;
    let mut oracle_runs = 1;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut num = || args.next().and_then(|n| n.parse().ok());
        match a.as_str() {
            "--runs" => runs = num().expect("--runs N"),
            "--oracle-runs" => oracle_runs = num().expect("--oracle-runs N"),
            _ => {} // cargo bench passes --bench
        }
    }
    let oracle = Oracle::require();
    let mut files = Vec::new();
    let mut sources = Vec::new();
    for path in oracle.corpus() {
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if let Ok(text) = String::from_utf8(bytes) {
            sources.push((path.display().to_string(), text));
            files.push(path);
        }
    }
    let mb = sources.iter().map(|s| s.1.len()).sum::<usize>() as f64 / 1e6;
    println!(
        "corpus: {} UTF-8 files of the oracle's standard library, {mb:.1} MB, in memory",
        files.len()
    );
    let (t_cpython, n_cpython) = cpython(oracle, &files, oracle_runs).unwrap_or_else(|e| panic!("{e}"));
    // Both Rust parsers recurse on nested input: give them a large stack.
    let (ruff, ours) = std::thread::Builder::new()
        .stack_size(1 << 30)
        .spawn(move || {
            let ruff = best_of(runs, || {
                sources
                    .iter()
                    .filter(|(_, src)| ruff_python_parser::parse_module(src).is_ok())
                    .count()
            });
            let ours = best_of(runs, || {
                let mut arena = bumpalo::Bump::new();
                let mut n = 0;
                for (name, src) in &sources {
                    arena.reset();
                    n += pyrite_parser::parse_module(&arena, src.as_bytes(), name).module.is_ok() as usize;
                }
                n
            });
            (ruff, ours)
        })
        .expect("thread")
        .join()
        .expect("a parser panicked");
    println!("CPython 3.12 compile(PyCF_ONLY_AST): {t_cpython:7.3} s  ({n_cpython} files parsed)");
    println!(
        "ruff_python_parser 0.0.10:           {:7.3} s  ({} files parsed)",
        ruff.0, ruff.1
    );
    println!(
        "pyrite parse_module:                 {:7.3} s  ({} files parsed)",
        ours.0, ours.1
    );
    println!("ast: pyrite is {:.2}x faster than CPython's parser", t_cpython / ours.0);
    println!("ast: pyrite is {:.2}x as fast as ruff_python_parser", ruff.0 / ours.0);
}
