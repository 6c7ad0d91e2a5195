//! `pyrite compileall`: what `python3.12 -m compileall [-f] [-q] [-j N] PATH...` does — find
//! the `.py` files of directories (recursively, `__pycache__` skipped, names sorted), compile
//! each whose `__pycache__/NAME.cpython-312.pyc` is missing or stale (or all, with `-f`), write
//! the `.pyc` as `py_compile` does, and print CPython's messages ("Listing ...", "Compiling
//! ...", "*** Error compiling ..."). With `-j N` the files are compiled on N threads (0: one
//! per core). On a terminal, a progress bar and a summary line go to stderr.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

pub struct Options {
    pub force: bool,
    pub quiet: u8,
    pub workers: usize,
    pub paths: Vec<String>,
}

/// `repr()` of a path as compileall prints it.
fn repr(p: &Path) -> String {
    pyrite_unicode::repr(&p.to_string_lossy())
}

/// `_walk_dir`: the files of `dir`, recursively, "Listing" lines printed as the walk goes.
fn walk_dir(dir: &Path, quiet: u8, out: &mut Vec<PathBuf>, log: &mut String) {
    if quiet == 0 {
        log.push_str(&format!("Listing {}...\n", repr(dir)));
    }
    let mut names: Vec<String> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => {
            log.push_str(&format!("Can't list {}\n", repr(dir)));
            return;
        }
    };
    names.sort();
    for name in names {
        if name == "__pycache__" {
            continue;
        }
        let full = dir.join(&name);
        let is_dir = full.is_dir();
        let is_link = std::fs::symlink_metadata(&full)
            .map(|m| m.file_type().is_symlink())
            .unwrap_or(false);
        if !is_dir {
            out.push(full);
        } else if !is_link {
            walk_dir(&full, quiet, out, log);
        }
    }
}

enum Outcome {
    /// Up to date: nothing printed.
    Fresh,
    Compiled,
    Failed(String),
    /// Not a `.py` file.
    Skipped,
}

/// `compile_file` for one path.
fn compile_file(path: &Path, force: bool) -> Outcome {
    if path.extension().and_then(|e| e.to_str()) != Some("py") {
        return Outcome::Skipped;
    }
    let cfile = pyrite_code::pyc::cache_from_source(path, "");
    if !force {
        if let (Ok(expect), Ok(existing)) = (pyrite_code::pyc::timestamp_for_source(path), std::fs::read(&cfile)) {
            if existing.len() >= 16 && existing[..16] == expect.header()[..] {
                return Outcome::Fresh;
            }
        }
    }
    let source = match std::fs::read(path) {
        Ok(s) => s,
        Err(e) => return Outcome::Failed(format!("{e}\n")),
    };
    let name = path.to_string_lossy();
    let compiled = pyrite_compiler::compile_in_this_thread(&source, &name, 0);
    match compiled.code {
        Ok(code) => match pyrite_code::pyc::write_pyc_for_source(&code, path, Some(&cfile)) {
            Ok(_) => Outcome::Compiled,
            Err(e) => Outcome::Failed(format!("{e}\n")),
        },
        Err(e) => Outcome::Failed(e.format_exception_only(&name)),
    }
}

/// Run compileall; returns the exit status (0: every file compiled).
pub fn run(opts: Options) -> u8 {
    let start = Instant::now();
    let mut log = String::new();
    let mut files = Vec::new();
    for p in &opts.paths {
        let path = PathBuf::from(p);
        if path.is_dir() {
            walk_dir(&path, opts.quiet, &mut files, &mut log);
        } else {
            files.push(path);
        }
    }
    let stdout = std::io::stdout();
    {
        let mut o = stdout.lock();
        let _ = o.write_all(log.as_bytes());
    }
    let workers = if opts.workers == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        opts.workers
    };
    let bar = if std::io::stderr().is_terminal() {
        let b = indicatif::ProgressBar::new(files.len() as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {wide_msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(b)
    } else {
        None
    };
    let next = AtomicUsize::new(0);
    let (compiled, failed) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let out_lock = Mutex::new(());
    let work = || loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some(path) = files.get(i) else { break };
        let outcome = compile_file(path, opts.force);
        let mut text = String::new();
        match &outcome {
            Outcome::Fresh | Outcome::Skipped => {}
            Outcome::Compiled => {
                compiled.fetch_add(1, Ordering::Relaxed);
                if opts.quiet == 0 {
                    text.push_str(&format!("Compiling {}...\n", repr(path)));
                }
            }
            Outcome::Failed(msg) => {
                failed.fetch_add(1, Ordering::Relaxed);
                if opts.quiet == 0 {
                    text.push_str(&format!("Compiling {}...\n*** {msg}\n", repr(path)));
                } else if opts.quiet == 1 {
                    text.push_str(&format!("*** Error compiling {}...\n{msg}\n", repr(path)));
                }
            }
        }
        let _guard = out_lock.lock();
        if !text.is_empty() {
            let mut o = std::io::stdout().lock();
            let _ = o.write_all(text.as_bytes());
        }
        if let Some(b) = &bar {
            b.inc(1);
        }
    };
    std::thread::scope(|s| {
        for _ in 0..workers {
            std::thread::Builder::new()
                .stack_size(pyrite_compiler::STACK_SIZE)
                .spawn_scoped(s, work)
                .expect("spawn a compileall worker");
        }
    });
    if let Some(b) = bar {
        b.finish_and_clear();
        eprintln!(
            "compiled {} of {} files ({} errors) in {:.2} s",
            compiled.load(Ordering::Relaxed),
            files.len(),
            failed.load(Ordering::Relaxed),
            start.elapsed().as_secs_f64()
        );
    }
    (failed.load(Ordering::Relaxed) > 0) as u8
}
