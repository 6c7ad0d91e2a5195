//! Finding the oracle: the CPython 3.12.1 interpreter that pyrite is measured against.
//!
//! One search order everywhere (tests, tools, benchmarks): the `PYRITE_CPYTHON` environment
//! variable, then `$(pyenv prefix 3.12.1)/bin/python3.12`, then `python3.12` on `PATH`. Each
//! candidate must report version 3.12.1; if none does, the error names every candidate and why it
//! was rejected. Nothing is skipped silently when the oracle is missing.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// The exact version the oracle must have.
pub const ORACLE_VERSION: &str = "3.12.1";

/// A located, verified CPython 3.12.1.
#[derive(Debug, Clone)]
pub struct Oracle {
    python: PathBuf,
    stdlib: PathBuf,
}

/// Why no oracle could be found: each candidate tried, with the reason it was rejected.
#[derive(Debug, Clone)]
pub struct OracleError {
    pub tried: Vec<(String, String)>,
}

impl fmt::Display for OracleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "CPython {ORACLE_VERSION} (the oracle) was not found. Tried, in order:"
        )?;
        for (candidate, why) in &self.tried {
            writeln!(f, "  - {candidate}: {why}")?;
        }
        write!(
            f,
            "Set PYRITE_CPYTHON to a python3.12 executable of version {ORACLE_VERSION}, or install it with pyenv."
        )
    }
}

impl std::error::Error for OracleError {}

/// What a candidate interpreter reports about itself.
fn probe(python: &Path) -> Result<PathBuf, String> {
    let out = Command::new(python)
        .args([
            "-I",
            "-c",
            "import sys, sysconfig; print('%d.%d.%d' % sys.version_info[:3]); print(sysconfig.get_paths()['stdlib'])",
        ])
        .output()
        .map_err(|e| format!("could not run it ({e})"))?;
    if !out.status.success() {
        return Err(format!("it exited with {}", out.status));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut lines = text.lines();
    let version = lines.next().unwrap_or("").trim();
    if version != ORACLE_VERSION {
        return Err(format!("it is version {version}, not {ORACLE_VERSION}"));
    }
    let stdlib = lines.next().unwrap_or("").trim();
    if stdlib.is_empty() {
        return Err("it did not report its stdlib directory".into());
    }
    Ok(PathBuf::from(stdlib))
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

fn pyenv_prefix() -> Result<PathBuf, String> {
    let out = Command::new("pyenv")
        .args(["prefix", ORACLE_VERSION])
        .output()
        .map_err(|e| format!("could not run `pyenv prefix {ORACLE_VERSION}` ({e})"))?;
    if !out.status.success() {
        return Err(format!(
            "`pyenv prefix {ORACLE_VERSION}` failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
}

impl Oracle {
    /// Locate and verify the oracle (cached for the life of the process).
    pub fn find() -> Result<&'static Oracle, OracleError> {
        static FOUND: OnceLock<Result<Oracle, OracleError>> = OnceLock::new();
        FOUND.get_or_init(Oracle::search).as_ref().map_err(Clone::clone)
    }

    /// [`Oracle::find`], or exit the process with the error's explanation.
    pub fn require() -> &'static Oracle {
        match Oracle::find() {
            Ok(o) => o,
            Err(e) => {
                eprintln!("error: {e}");
                std::process::exit(2);
            }
        }
    }

    fn search() -> Result<Oracle, OracleError> {
        let mut candidates: Vec<(String, Result<PathBuf, String>)> = Vec::new();
        match std::env::var_os("PYRITE_CPYTHON") {
            Some(p) => candidates.push((
                format!("PYRITE_CPYTHON={}", Path::new(&p).display()),
                Ok(PathBuf::from(p)),
            )),
            None => candidates.push(("PYRITE_CPYTHON".into(), Err("not set".into()))),
        }
        let label = format!("$(pyenv prefix {ORACLE_VERSION})/bin/python3.12");
        candidates.push((
            label,
            pyenv_prefix().map(|prefix| prefix.join("bin").join("python3.12")),
        ));
        let on_path = find_on_path("python3.12").ok_or_else(|| "not found".to_string());
        candidates.push(("python3.12 on PATH".into(), on_path));

        let mut tried = Vec::new();
        for (label, candidate) in candidates {
            let python = match candidate {
                Ok(p) => p,
                Err(why) => {
                    tried.push((label, why));
                    continue;
                }
            };
            match probe(&python) {
                Ok(stdlib) => return Ok(Oracle { python, stdlib }),
                Err(why) => tried.push((format!("{label} ({})", python.display()), why)),
            }
        }
        Err(OracleError { tried })
    }

    /// The interpreter's path.
    pub fn python(&self) -> &Path {
        &self.python
    }

    /// Its standard library directory (`lib/python3.12`).
    pub fn stdlib_dir(&self) -> &Path {
        &self.stdlib
    }

    /// A command running the oracle with a deterministic environment.
    pub fn command(&self) -> Command {
        let mut cmd = Command::new(&self.python);
        cmd.env("PYTHONIOENCODING", "utf-8")
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .env("PYTHONHASHSEED", "0")
            .env_remove("PYTHONWARNINGS")
            .env_remove("PYTHONSTARTUP")
            .env_remove("PYTHONPATH");
        cmd
    }

    /// Run `python -c program` under the oracle with `input` on stdin; its stdout, or an error
    /// if it fails. Stdin is fed from another thread, so large outputs cannot deadlock.
    pub fn run_python(&self, program: &str, input: &str) -> Result<String, String> {
        let mut child = self
            .command()
            .args(["-c", program])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run the oracle: {e}"))?;
        let mut stdin = child.stdin.take().expect("piped stdin");
        let input = input.to_owned();
        let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
        let out = child.wait_with_output().map_err(|e| e.to_string())?;
        let _ = writer.join();
        if !out.status.success() {
            return Err(format!("the oracle exited with {}", out.status));
        }
        String::from_utf8(out.stdout).map_err(|e| e.to_string())
    }

    /// Run the script `script` under the oracle with `args`, the `paths` one per line on its
    /// stdin; its stdout, or an error if it fails. (The shape of the benchmark drivers.)
    pub fn run_script(&self, script: &Path, args: &[String], paths: &[PathBuf]) -> Result<String, String> {
        let mut child = self
            .command()
            .arg(script)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run the oracle: {e}"))?;
        let mut stdin = child.stdin.take().expect("piped stdin");
        let list: String = paths.iter().map(|f| format!("{}\n", f.display())).collect();
        let writer = std::thread::spawn(move || stdin.write_all(list.as_bytes()));
        let out = child.wait_with_output().map_err(|e| e.to_string())?;
        let _ = writer.join();
        if !out.status.success() {
            return Err(format!("{} exited with {}", script.display(), out.status));
        }
        String::from_utf8(out.stdout).map_err(|e| e.to_string())
    }

    /// The corpus: every `.py` file under the stdlib directory, `site-packages` excluded, sorted.
    pub fn corpus(&self) -> Vec<PathBuf> {
        let mut files = Vec::new();
        collect_py_files(&self.stdlib, &mut files);
        files.sort();
        files
    }
}

/// Every `.py` file below `dir` (recursively), skipping any `site-packages` directory.
pub fn collect_py_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(ft) = entry.file_type() else { continue };
        if ft.is_dir() {
            if path.file_name().is_some_and(|n| n == "site-packages") {
                continue;
            }
            collect_py_files(&path, out);
        } else if ft.is_file() && path.extension().is_some_and(|e| e == "py") {
            out.push(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oracle_is_found_and_is_3_12_1() {
        let oracle = Oracle::find().unwrap_or_else(|e| panic!("{e}"));
        let out = oracle
            .command()
            .args(["-c", "import sys; print(sys.version.split()[0])"])
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), ORACLE_VERSION);
        assert!(oracle.stdlib_dir().join("tokenize.py").is_file());
    }

    #[test]
    fn the_corpus_is_the_stdlib_without_site_packages() {
        let corpus = Oracle::find().unwrap_or_else(|e| panic!("{e}")).corpus();
        assert!(corpus.len() > 1500, "only {} files", corpus.len());
        assert!(corpus.iter().all(|p| p.extension().unwrap() == "py"));
        assert!(!corpus
            .iter()
            .any(|p| p.components().any(|c| c.as_os_str() == "site-packages")));
        assert!(corpus.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn a_wrong_interpreter_is_rejected_with_its_version() {
        let why = probe(Path::new("/definitely/not/a/python")).unwrap_err();
        assert!(why.contains("could not run"), "{why}");
    }

    #[test]
    fn the_error_names_every_candidate() {
        let e = OracleError {
            tried: vec![("a".into(), "not set".into()), ("b".into(), "version 3.11.7".into())],
        };
        let text = e.to_string();
        assert!(text.contains("a: not set") && text.contains("b: version 3.11.7") && text.contains("PYRITE_CPYTHON"));
    }
}
