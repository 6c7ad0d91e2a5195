//! Compile files in memory and time each run: the harness for profilers
//! (`perf record -g`, `valgrind --tool=callgrind`).
//! Usage: `cargo run --release -p pyrite-compiler --example compile_files -- DIR_OR_FILES [--runs N]`

use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let mut runs = 1;
    let mut paths = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--runs" {
            runs = args.next().and_then(|n| n.parse().ok()).expect("--runs N");
        } else {
            paths.push(PathBuf::from(a));
        }
    }
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            pyrite_oracle::collect_py_files(&p, &mut files);
        } else {
            files.push(p);
        }
    }
    files.sort();
    let sources: Vec<(String, Vec<u8>)> = files
        .iter()
        .filter_map(|p| Some((p.to_string_lossy().into_owned(), std::fs::read(p).ok()?)))
        .collect();
    std::thread::Builder::new()
        .stack_size(1 << 30)
        .spawn(move || {
            for _ in 0..runs {
                let t = Instant::now();
                let ok = sources
                    .iter()
                    .filter(|(name, src)| pyrite_compiler::compile_in_this_thread(src, name, 0).code.is_ok())
                    .count();
                println!("{ok}/{} compiled in {:.3} s", sources.len(), t.elapsed().as_secs_f64());
            }
        })
        .unwrap()
        .join()
        .unwrap();
}
