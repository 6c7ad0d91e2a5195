//! Benchmarks that report pyrite's speed as a ratio to CPython's, both measured in the same run
//! on the same inputs held in memory.

use crate::repo_root;
use pyrite_oracle::Oracle;
use pyrite_tokenizer::lexer::LexerOptions;
use pyrite_tokenizer::source::{decode_for_tokenize, detect_encoding};
use pyrite_tokenizer::tokenize::TokenizeIter;
use std::path::PathBuf;
use std::time::Instant;

/// pyrite's equivalent of one pass of the `tokenize` module (or, without extra tokens, of the
/// raw C tokenizer) over every source: encoding detection, decoding, tokens with positions.
pub fn tokenize_all(sources: &[Vec<u8>], extra_tokens: bool) -> usize {
    let mut n = 0;
    for src in sources {
        let Ok(det) = detect_encoding(src, None) else { continue };
        let body = if det.bom { &src[3..] } else { &src[..] };
        let decoded = decode_for_tokenize(body, &det.codec);
        let options = LexerOptions {
            extra_tokens,
            type_comments: false,
        };
        for tok in TokenizeIter::new(&decoded.text, decoded.implicit_newline, options) {
            if tok.is_err() {
                break;
            }
            n += 1;
        }
        if extra_tokens {
            n += 1; // the ENCODING token
        }
    }
    n
}

fn best_of<F: FnMut() -> usize>(runs: usize, mut f: F) -> (f64, usize) {
    let mut best = f64::INFINITY;
    let mut count = 0;
    for _ in 0..runs {
        let t0 = Instant::now();
        count = std::hint::black_box(f());
        best = best.min(t0.elapsed().as_secs_f64());
    }
    (best, count)
}

/// `cargo xtask bench tokens`: the whole corpus, in memory.
pub fn bench_tokens(oracle: &Oracle, files: &[PathBuf], oracle_runs: usize, runs: usize) -> Result<(), String> {
    let sources: Vec<Vec<u8>> = files
        .iter()
        .map(|f| std::fs::read(f).map_err(|e| e.to_string()))
        .collect::<Result<_, _>>()?;
    let bytes: usize = sources.iter().map(Vec::len).sum();
    println!("corpus: {} files, {:.1} MB, in memory", files.len(), bytes as f64 / 1e6);

    let script = repo_root().join("tools/oracle/bench_tokenize.py");
    let out = oracle.run_script(&script, &[oracle_runs.to_string()], files)?;
    let v: serde_json::Value = serde_json::from_str(&out).map_err(|e| e.to_string())?;
    let t_module = v["tokenize_module"].as_f64().unwrap_or(f64::NAN);
    let t_c = v["c_tokenizer"].as_f64().unwrap_or(f64::NAN);

    let (t_ours, n_ours) = best_of(runs, || tokenize_all(&sources, true));
    let (t_raw, n_raw) = best_of(runs, || tokenize_all(&sources, false));
    println!(
        "CPython tokenize module:          {t_module:8.3} s  ({} tokens)",
        v["tokenize_module_tokens"].as_u64().unwrap_or(0)
    );
    println!("pyrite, tokenize module's view:   {t_ours:8.3} s  ({n_ours} tokens)");
    println!(
        "CPython C tokenizer (raw stream): {t_c:8.3} s  ({} tokens)",
        v["c_tokenizer_tokens"].as_u64().unwrap_or(0)
    );
    println!("pyrite, raw stream:               {t_raw:8.3} s  ({n_raw} tokens)");
    println!(
        "tokens: pyrite is {:.1}x faster than CPython's tokenize module",
        t_module / t_ours
    );
    println!(
        "tokens: pyrite's raw stream is {:.1}x faster than CPython's C tokenizer",
        t_c / t_raw
    );
    Ok(())
}

/// `cargo xtask bench ast` / `code`: the corpus benchmark of a crate (`cargo bench -p CRATE
/// --bench corpus`, built with the bench profile: whole-program LTO, as shipped) — the parser's
/// against CPython's and ruff's parsers (ruff stays a dev-dependency of that benchmark alone),
/// the compiler's against CPython's `compile()`.
pub fn bench_cargo(krate: &str, oracle_runs: usize, runs: usize) -> Result<(), String> {
    let status = std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(repo_root())
        .args(["bench", "-q", "-p", krate, "--bench", "corpus", "--"])
        .args(["--runs", &runs.to_string(), "--oracle-runs", &oracle_runs.to_string()])
        .status()
        .map_err(|e| e.to_string())?;
    if status.success() {
        Ok(())
    } else {
        Err("the corpus benchmark failed".into())
    }
}
