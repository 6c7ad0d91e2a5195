//! `cargo xtask`: the project's own commands (see the README).

use clap::{Parser, Subcommand};
use pyrite_oracle::Oracle;
use std::path::PathBuf;
use std::process::ExitCode;
use xtask::{describe, run_stage, stages, FileSet, Ratchet};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "pyrite's differential harness and benchmarks")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compare a stage's output with CPython 3.12.1's over the corpus (or the given files).
    Parity {
        /// The stage (`tokens`), or `all`.
        stage: String,
        /// Files to compare instead of the corpus and the stage's edge cases.
        files: Vec<PathBuf>,
        /// Raise the counts recorded in parity.toml where they are higher now.
        #[arg(long)]
        update: bool,
        /// Exit non-zero if a count is below the one recorded in parity.toml.
        #[arg(long)]
        check: bool,
        /// How many differing files to show.
        #[arg(long, default_value_t = 5)]
        show: usize,
    },
    /// The compiler's real client: CPython runs its own test modules from a copy of its
    /// standard library compiled by `pyrite compileall`, and from one it compiled itself; the
    /// results must agree, and CPython must not rewrite any of pyrite's .pyc files.
    StdlibTests {
        /// Where the two copies of the standard library go.
        #[arg(long, default_value = "target/stdlib-tests")]
        workdir: PathBuf,
        /// Test modules to run (default: about 60, see tools/client/stdlib_tests.py).
        tests: Vec<String>,
    },
    /// Benchmark a stage against CPython in the same run.
    Bench {
        /// The stage (`tokens`, `ast`, `code`).
        stage: String,
        /// Runs of pyrite (the best is reported).
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// Runs of CPython (the best is reported).
        #[arg(long, default_value_t = 1)]
        oracle_runs: usize,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let oracle = Oracle::require();
    match cli.command {
        Command::Parity {
            stage,
            files,
            update,
            check,
            show,
        } => {
            let mut ratchet = match Ratchet::load() {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::FAILURE;
                }
            };
            let mut ok = true;
            let mut changed = false;
            let selected: Vec<_> = stages()
                .into_iter()
                .filter(|s| stage == "all" || s.name() == stage)
                .collect();
            if selected.is_empty() {
                eprintln!("error: no stage named {stage:?}");
                return ExitCode::FAILURE;
            }
            for s in selected {
                let sets: Vec<(String, Vec<PathBuf>, bool)> = if files.is_empty() {
                    FileSet::ALL
                        .into_iter()
                        .map(|set| (set.key(s.name()), set.files(oracle, s.name()), true))
                        .filter(|(_, list, _)| !list.is_empty())
                        .collect()
                } else {
                    vec![(s.name().to_string(), files.clone(), false)]
                };
                for (key, list, ratcheted) in sets {
                    let report = match run_stage(s.as_ref(), key.clone(), oracle, &list) {
                        Ok(r) => r,
                        Err(e) => {
                            eprintln!("error: {e}");
                            return ExitCode::FAILURE;
                        }
                    };
                    for m in report.mismatches.iter().take(show) {
                        print!("{}", describe(m));
                    }
                    println!("{key}: {}/{} identical", report.same, report.total);
                    if ratcheted {
                        let recorded = ratchet.get(&key);
                        if report.same < recorded {
                            println!("{key}: below the ratchet ({recorded})");
                            ok &= !check;
                        } else if update && ratchet.raise(&key, report.same) {
                            println!("{key}: ratchet raised to {}", report.same);
                            changed = true;
                        }
                    }
                }
            }
            if changed {
                if let Err(e) = ratchet.save() {
                    eprintln!("error: {e}");
                    return ExitCode::FAILURE;
                }
            }
            if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Command::StdlibTests { workdir, tests } => {
            let root = xtask::repo_root();
            let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
            let built = std::process::Command::new(&cargo)
                .current_dir(&root)
                .args(["build", "--release", "-q", "-p", "pyrite"])
                .status();
            if !matches!(built, Ok(s) if s.success()) {
                eprintln!("error: cannot build pyrite");
                return ExitCode::FAILURE;
            }
            let workdir = if workdir.is_absolute() {
                workdir
            } else {
                root.join(workdir)
            };
            let status = oracle
                .command()
                .arg(root.join("tools/client/stdlib_tests.py"))
                .arg(root.join("target/release/pyrite"))
                .arg(&workdir)
                .args(&tests)
                .status();
            match status {
                Ok(s) if s.success() => ExitCode::SUCCESS,
                _ => ExitCode::FAILURE,
            }
        }
        Command::Bench {
            stage,
            runs,
            oracle_runs,
        } => {
            let result = match stage.as_str() {
                "tokens" => xtask::bench::bench_tokens(oracle, &oracle.corpus(), oracle_runs, runs),
                "ast" => xtask::bench::bench_cargo("pyrite-parser", oracle_runs, runs),
                "code" => xtask::bench::bench_cargo("pyrite-compiler", oracle_runs, runs),
                _ => {
                    eprintln!("error: no benchmark for {stage:?} (available: tokens, ast, code)");
                    return ExitCode::FAILURE;
                }
            };
            match result {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}
