//! `cargo bench -p pyrite-compiler --bench corpus` (also run by `cargo xtask bench code`):
//! compile the whole corpus held in memory, source to code objects, with CPython
//! (`compile(source, path, 'exec', dont_inherit=True)`, cyclic GC off) and with pyrite
//! (`pyrite_compiler::compile`: parser, AST optimizer, symbol table, code generator, flow graph,
//! assembler), in the same run, and report the ratio. Each figure is the best of its runs.
//! Options: `--runs N` (pyrite, default 5), `--oracle-runs N` (CPython, default 1).

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
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tools/oracle/bench_compile.py");
    let text = oracle.run_script(&script, &[runs.to_string()], files)?;
    let num = |key: &str| -> Option<f64> {
        let at = text.find(&format!("\"{key}\": "))? + key.len() + 4;
        let rest = &text[at..];
        let end = rest.find([',', '}']).unwrap_or(rest.len());
        rest[..end].trim().parse().ok()
    };
    match (num("compile"), num("files")) {
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
    let files = oracle.corpus();
    let sources: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|p| {
            let bytes = std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p.to_string_lossy().into_owned(), bytes)
        })
        .collect();
    let bytes: usize = sources.iter().map(|(_, b)| b.len()).sum();
    println!(
        "corpus: {} files, {:.1} MB, in memory",
        sources.len(),
        bytes as f64 / 1e6
    );
    let (t_cpython, n_cpython) = match cpython(oracle, &files, oracle_runs) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    };
    // The compiler recurses as deep as the source nests; give it the stack the CLI gives it.
    let (t_pyrite, n_pyrite) = std::thread::Builder::new()
        .stack_size(1 << 30)
        .spawn(move || {
            best_of(runs, || {
                sources
                    .iter()
                    .filter(|(name, src)| pyrite_compiler::compile_in_this_thread(src, name, 0).code.is_ok())
                    .count()
            })
        })
        .expect("thread")
        .join()
        .expect("compile thread");
    println!("CPython compile(): {t_cpython:8.3} s  ({n_cpython} files)");
    println!("pyrite compile:    {t_pyrite:8.3} s  ({n_pyrite} files)");
    println!(
        "code: pyrite is {:.1}x faster than CPython's compile()",
        t_cpython / t_pyrite
    );
}
