//! Shared helpers of the oracle tests.

#![allow(dead_code)]

use pyrite_oracle::Oracle;
use std::path::{Path, PathBuf};
use std::process::Stdio;

/// `tools/oracle/code_compare.py`.
pub fn code_compare_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tools/oracle/code_compare.py")
}

/// A fresh scratch directory for one test.
pub fn scratch_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("pyrite-code-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Run `python3.12 -c program args...` under the oracle; its stdout (panics on failure, with
/// its stderr).
pub fn run_oracle(program: &str, args: &[&str]) -> String {
    let oracle = Oracle::require();
    let out = oracle
        .command()
        .arg("-c")
        .arg(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run the oracle");
    assert!(
        out.status.success(),
        "the oracle failed ({}):\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// Compare pairs of marshal files (CPython's, pyrite's) with `code_compare.py --marshal-pairs`
/// in one oracle process; the lines that are not `identical`.
pub fn compare_marshal_pairs(dir: &Path, pairs: &[(PathBuf, PathBuf)]) -> Vec<String> {
    run_compare(dir, "--marshal-pairs", pairs)
}

/// Compare (source, pyrite marshal) pairs with `code_compare.py --batch`.
pub fn compare_source_pairs(dir: &Path, pairs: &[(PathBuf, PathBuf)]) -> Vec<String> {
    run_compare(dir, "--batch", pairs)
}

fn run_compare(dir: &Path, mode: &str, pairs: &[(PathBuf, PathBuf)]) -> Vec<String> {
    let list = dir.join(format!("pairs{mode}.txt"));
    let text: String = pairs
        .iter()
        .map(|(a, b)| format!("{}\t{}\n", a.display(), b.display()))
        .collect();
    std::fs::write(&list, text).unwrap();
    let oracle = Oracle::require();
    let out = oracle
        .command()
        .arg(code_compare_script())
        .arg(mode)
        .arg(&list)
        .stdin(Stdio::null())
        .output()
        .expect("run code_compare.py");
    let stdout = String::from_utf8(out.stdout).expect("utf-8 output");
    assert!(
        out.status.success() || out.status.code() == Some(1),
        "code_compare.py failed ({}):\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), pairs.len(), "one result line per pair:\n{stdout}");
    lines
        .into_iter()
        .filter(|l| !l.ends_with("\tidentical"))
        .map(str::to_owned)
        .collect()
}

/// Every string of marshal data written by CPython or pyrite, in the order of the object tree
/// (references resolved), with whether it is interned (`TYPE_*_INTERNED`): the two sequences of
/// equal objects line up.
pub fn strings_with_interning(data: &[u8]) -> Vec<(Vec<u8>, bool)> {
    struct Walk<'d> {
        data: &'d [u8],
        pos: usize,
        /// For each reference index: the strings of the object, in order.
        refs: Vec<Vec<(Vec<u8>, bool)>>,
        out: Vec<(Vec<u8>, bool)>,
    }
    impl Walk<'_> {
        fn byte(&mut self) -> u8 {
            self.pos += 1;
            self.data[self.pos - 1]
        }
        fn long(&mut self) -> i32 {
            self.pos += 4;
            i32::from_le_bytes(self.data[self.pos - 4..self.pos].try_into().unwrap())
        }
        fn object(&mut self) {
            let code = self.byte();
            let (flag, ty) = (code & 0x80 != 0, code & 0x7f);
            if ty == b'r' {
                let n = self.long() as usize;
                let strings = self.refs[n].clone();
                self.out.extend(strings);
                return;
            }
            let start = self.out.len();
            let idx = flag.then(|| {
                self.refs.push(Vec::new());
                self.refs.len() - 1
            });
            match ty {
                b'N' | b'T' | b'F' | b'.' => {}
                b'i' => self.pos += 4,
                b'g' => self.pos += 8,
                b'y' => self.pos += 16,
                b'l' => {
                    let n = self.long().unsigned_abs() as usize;
                    self.pos += 2 * n;
                }
                b's' => {
                    let n = self.long() as usize;
                    self.pos += n;
                }
                b'z' | b'Z' | b'a' | b'A' | b'u' | b't' => {
                    let n = if matches!(ty, b'z' | b'Z') {
                        self.byte() as usize
                    } else {
                        self.long() as usize
                    };
                    let s = self.data[self.pos..self.pos + n].to_vec();
                    self.pos += n;
                    self.out.push((s, matches!(ty, b'Z' | b'A' | b't')));
                }
                b')' | b'(' | b'>' => {
                    let n = if ty == b')' {
                        self.byte() as usize
                    } else {
                        self.long() as usize
                    };
                    for _ in 0..n {
                        self.object();
                    }
                }
                b'c' => {
                    self.pos += 20;
                    for _ in 0..8 {
                        self.object();
                    }
                    self.pos += 4;
                    self.object();
                    self.object();
                }
                _ => panic!("type code {ty:#x} at {}", self.pos - 1),
            }
            if let Some(i) = idx {
                self.refs[i] = self.out[start..].to_vec();
            }
        }
    }
    let mut w = Walk {
        data,
        pos: 0,
        refs: Vec::new(),
        out: Vec::new(),
    };
    w.object();
    w.out
}
