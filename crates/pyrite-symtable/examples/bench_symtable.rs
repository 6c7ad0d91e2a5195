//! Time the symbol table alone (future features and `build`, the table dropped included) over
//! files read in memory, each parsed just before (best of N runs): for profiling, and for
//! comparing with CPython's `_PySymtable_Build`.
//!
//! `cargo run --release -p pyrite-symtable --example bench_symtable -- [--runs N] FILE...`
//! (with no files: the oracle's corpus).

use bumpalo::Bump;
use std::time::Instant;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut runs = 5;
    if let Some(i) = args.iter().position(|a| a == "--runs") {
        runs = args[i + 1].parse().expect("a number of runs");
        args.drain(i..i + 2);
    }
    let files: Vec<String> = if args.is_empty() {
        pyrite_oracle::Oracle::require()
            .corpus()
            .into_iter()
            .map(|p| p.display().to_string())
            .collect()
    } else {
        args
    };
    let handle = std::thread::Builder::new()
        .stack_size(1 << 30)
        .spawn(move || {
            // Each file is parsed, then its symbol table built while the tree is still in the
            // cache, as in a compiler; only the symbol table is timed.
            let sources: Vec<(String, Vec<u8>)> = files
                .iter()
                .map(|f| (f.clone(), std::fs::read(f).expect("readable file")))
                .collect();
            let mut best = f64::INFINITY;
            let mut scopes = 0;
            let mut modules = 0;
            for _ in 0..runs {
                let mut total = 0.0;
                scopes = 0;
                modules = 0;
                for (name, source) in &sources {
                    let arena = Bump::new();
                    let Ok(m) = pyrite_parser::parse_module(&arena, source, name).module else {
                        continue;
                    };
                    modules += 1;
                    // PROFILE=N: build N more times first (a profile of the symbol table alone).
                    for _ in 0..std::env::var("PROFILE").ok().and_then(|v| v.parse().ok()).unwrap_or(0) {
                        let f = pyrite_symtable::future_features(m, name).unwrap_or_default();
                        let _ = pyrite_symtable::build(m, name, &f);
                    }
                    let start = Instant::now();
                    let Ok(future) = pyrite_symtable::future_features(m, name) else {
                        continue;
                    };
                    if let Ok(t) = pyrite_symtable::build(m, name, &future) {
                        scopes += t.scopes().len();
                    }
                    total += start.elapsed().as_secs_f64();
                }
                best = best.min(total);
            }
            println!("{modules} modules, {scopes} blocks: best of {runs} runs {best:.3} s");
        })
        .unwrap();
    handle.join().unwrap();
}
