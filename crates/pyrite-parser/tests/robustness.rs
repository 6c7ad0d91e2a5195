//! The parser on damaged input: seeded random mutations of the hand-made cases and of a sample of
//! the invalid-input corpus, plus the saved inputs in `tests/robustness/`, must each give a result
//! (a tree or an error), never a panic, a hang or a stack overflow. Whether the result is
//! CPython's is the parity harness's business; this test is about surviving anything.
//! (`fuzz/` has the coverage-guided version: `cargo fuzz run parse`.)

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// Per-input time limit: generous (debug builds, a loaded machine); the parser takes well under
/// a millisecond on these.
const LIMIT: Duration = Duration::from_secs(20);

/// SplitMix64: a fixed seed, so every run tests the same inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Bits of Python that tend to matter to a tokenizer and a PEG parser.
const PIECES: &[&[u8]] = &[
    b"(",
    b")",
    b"[",
    b"]",
    b"{",
    b"}",
    b":",
    b",",
    b";",
    b"=",
    b":=",
    b"'",
    b"\"",
    b"\"\"\"",
    b"'''",
    b"f\"{",
    b"f'{x!r:{y}}'",
    b"}",
    b"\\",
    b"\\\n",
    b"\t",
    b"\r",
    b"\r\n",
    b"\n",
    b"\x00",
    b"\xff",
    b"\xc3",
    b"\xe2\x82",
    b"# coding: latin-1\n",
    b"\xef\xbb\xbf",
    b"lambda",
    b"not ",
    b"await ",
    b"yield ",
    b"*",
    b"**",
    b"@",
    b"->",
    b"...",
    b"match x:\n case ",
    b"type X = ",
    b"def f[T](",
    b"class C:\n",
    b"if x:\n",
    b"\n    ",
    b"else:",
    b"async ",
    b"0x",
    b"1e",
    b"1_",
    b"0o8",
    b"\\N{",
    b"\\u12",
    b"b'\\x",
    b"rb'",
    b"u'",
    b"print ",
    b"import ",
    b"from . import (",
    b"global x\n",
    b"nonlocal ",
    b"del ",
    b"try:\n pass\n",
    b"except* ",
    b"with (",
    b"__debug__",
];

fn mutate(rng: &mut Rng, src: &[u8]) -> Vec<u8> {
    let mut v = src.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(v.len() + 1);
        match rng.below(8) {
            0 if !v.is_empty() => {
                let i = rng.below(v.len());
                v[i] ^= 1 << rng.below(8);
            }
            1 if !v.is_empty() => {
                let end = (at + 1 + rng.below(8)).min(v.len());
                v.drain(at.min(end)..end);
            }
            2 => v.truncate(at),
            3 => {
                // Deep repetition: nesting and operator chains past CPython's limits.
                let piece: &[u8] = [&b"("[..], b"[", b"{", b"-", b"not ", b"f'{", b"lambda:", b"*"][rng.below(8)];
                let n = [10, 150, 199, 201, 1000, 7000][rng.below(6)];
                let rep: Vec<u8> = piece.iter().copied().cycle().take(piece.len() * n).collect();
                v.splice(at..at, rep);
            }
            _ => {
                let piece = PIECES[rng.below(PIECES.len())];
                v.splice(at..at, piece.iter().copied());
            }
        }
    }
    v
}

fn cases(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for e in entries {
        if e.is_dir() {
            cases(&e, out);
        } else {
            out.push(e);
        }
    }
}

#[test]
fn damaged_input_never_panics_hangs_or_overflows() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut seeds = Vec::new();
    cases(&root.join("tests/cases"), &mut seeds);
    let mut errors = Vec::new();
    cases(&root.join("../../corpus/syntax-errors/parser"), &mut errors);
    seeds.extend(errors.into_iter().step_by(25));
    // Keep the deep-nesting limit cases out of the mutation pool (they are big); they are in the
    // parity cases already.
    seeds.retain(|p| !p.components().any(|c| c.as_os_str() == "limits"));
    assert!(seeds.len() > 100, "too few seed files: {}", seeds.len());

    let mut inputs: Vec<(String, Vec<u8>)> = Vec::new();
    let mut saved = Vec::new();
    cases(&root.join("tests/robustness"), &mut saved);
    for p in saved {
        inputs.push((p.display().to_string(), std::fs::read(&p).expect("readable")));
    }
    let mut rng = Rng(0x0005_EED0_F5EE);
    for (i, p) in seeds.iter().enumerate() {
        let src = std::fs::read(p).expect("readable");
        for k in 0..24 {
            inputs.push((format!("{} mutation {k}", p.display()), mutate(&mut rng, &src)));
        }
        if i % 10 == 0 {
            // Two cases spliced together.
            let other = std::fs::read(&seeds[rng.below(seeds.len())]).expect("readable");
            let cut = rng.below(src.len() + 1);
            let mut v = src[..cut].to_vec();
            v.extend_from_slice(&other[rng.below(other.len() + 1)..]);
            inputs.push((format!("{} spliced", p.display()), v));
        }
    }

    let total = inputs.len();
    let (tx, rx) = mpsc::channel::<(usize, Result<(), String>)>();
    let worker_inputs: Vec<Vec<u8>> = inputs.iter().map(|i| i.1.clone()).collect();
    std::thread::Builder::new()
        .stack_size(1 << 30)
        .spawn(move || {
            for (i, src) in worker_inputs.into_iter().enumerate() {
                let r = std::panic::catch_unwind(|| {
                    let arena = bumpalo::Bump::new();
                    let parsed = pyrite_parser::parse_module(&arena, &src, "robustness.py");
                    if let Ok(m) = parsed.module {
                        std::hint::black_box(pyrite_ast::dump_mod(m, true, None));
                    }
                })
                .map_err(|e| {
                    e.downcast_ref::<String>()
                        .cloned()
                        .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default()
                });
                if tx.send((i, r)).is_err() {
                    return;
                }
            }
        })
        .expect("thread");
    let mut done = 0;
    while done < total {
        match rx.recv_timeout(LIMIT) {
            Ok((i, Ok(()))) => {
                assert_eq!(i, done);
                done += 1;
            }
            Ok((i, Err(msg))) => panic!(
                "the parser panicked ({msg}) on {}: {:?}",
                inputs[i].0,
                String::from_utf8_lossy(&inputs[i].1)
            ),
            Err(_) => panic!(
                "the parser took over {LIMIT:?} (or died) on {}: {:?}",
                inputs[done].0,
                String::from_utf8_lossy(&inputs[done].1)
            ),
        }
    }
    println!("robustness: {total} damaged inputs parsed or rejected, none panicked or hung");
}
