//! Time pyrite's marshal reader and writer on a directory of marshal files:
//! `cargo run --release -p pyrite-code --example bench_marshal -- DIR`.
use std::time::Instant;

fn main() {
    let dir = std::env::args().nth(1).expect("a directory of .marshal files");
    let mut blobs = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "marshal") {
            blobs.push(std::fs::read(path).unwrap());
        }
    }
    let total: usize = blobs.iter().map(Vec::len).sum();
    let t = Instant::now();
    let codes: Vec<_> = blobs
        .iter()
        .map(|b| pyrite_code::marshal::loads_code(b).unwrap())
        .collect();
    let read = t.elapsed();
    let t = Instant::now();
    let out: usize = codes.iter().map(|c| pyrite_code::marshal::dumps_code(c).len()).sum();
    let write = t.elapsed();
    println!(
        "{} files, {total} bytes: loads {read:?}, dumps {write:?} ({out} bytes written)",
        blobs.len()
    );
}
