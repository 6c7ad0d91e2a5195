//! `pyrite`: the command line, in the style of CPython's `python -m tokenize / dis / compileall`.
//! Each subcommand prints exactly what its CPython 3.12 counterpart prints.

mod compileall;

use clap::{Parser, Subcommand};
use std::io::Write;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "pyrite",
    version,
    about = "A Rust reimplementation of CPython 3.12's compiler pipeline"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print a file's tokens as `python3.12 -m tokenize` does.
    Tokenize {
        /// Display token names using the exact type.
        #[arg(short, long)]
        exact: bool,
        /// The file to tokenize.
        file: String,
    },
    /// Print a file's AST as `ast.dump(ast.parse(source, FILE), include_attributes=True)`.
    Ast {
        /// Indent nested nodes by N spaces, as `ast.dump(..., indent=N)`.
        #[arg(long)]
        indent: Option<usize>,
        /// The file to parse.
        file: String,
    },
    /// Compile a file to a .pyc (timestamp-based, as `py_compile` writes it); without `-o`, to
    /// `__pycache__/NAME.cpython-312.pyc` next to the file.
    Compile {
        /// Where to write the .pyc.
        #[arg(short, long)]
        output: Option<String>,
        /// Print every field of the code objects instead of writing a .pyc.
        #[arg(long)]
        dump: bool,
        /// Print the module's instructions as the code generator emits them (before the
        /// flow-graph passes), as `tools/debug/codegen_dump.py` prints CPython's.
        #[arg(long)]
        codegen: bool,
        /// The optimization level, as `compile(..., optimize=N)`.
        #[arg(short = 'O', long, default_value_t = 0)]
        optimize: i32,
        /// The file to compile.
        file: String,
    },
    /// Disassemble a file's code objects as `python3.12 -m dis FILE` does (object addresses
    /// written 0x0).
    Dis {
        /// The file to compile and disassemble.
        file: String,
    },
    /// Compile the `.py` files of directories to `__pycache__` as `python3.12 -m compileall`
    /// does.
    Compileall {
        /// Recompile even the files whose .pyc is up to date.
        #[arg(short, long)]
        force: bool,
        /// Less output: -q prints only errors, -qq nothing.
        #[arg(short, action = clap::ArgAction::Count)]
        quiet: u8,
        /// Compile on N threads (0: one per core).
        #[arg(short = 'j', long = "workers", default_value_t = 1)]
        workers: usize,
        /// Directories and files.
        #[arg(required = true)]
        paths: Vec<String>,
    },
}

/// Python's `str(OSError)` for a file that could not be opened: `[Errno N] message: 'name'`.
fn os_error_text(err: &std::io::Error, filename: &str) -> String {
    let errno = err.raw_os_error().unwrap_or(0);
    // The message without Rust's " (os error N)" suffix, as strerror gives it.
    let msg = err.to_string();
    let msg = msg.split(" (os error").next().unwrap_or(&msg).to_string();
    format!("[Errno {errno}] {msg}: {}", pyrite_unicode::repr(filename))
}

/// Write, treating a closed pipe as the end of the output rather than an error.
fn emit(stream: &mut dyn Write, bytes: &[u8]) {
    let _ = stream.write_all(bytes).and_then(|_| stream.flush());
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Ast { indent, file } => {
            let bytes = match std::fs::read(&file) {
                Ok(b) => b,
                Err(e) => {
                    emit(
                        &mut std::io::stderr().lock(),
                        format!("error: {}\n", os_error_text(&e, &file)).as_bytes(),
                    );
                    return ExitCode::from(1);
                }
            };
            let out = pyrite_parser::ast_main(&file, &bytes, indent);
            emit(&mut std::io::stdout().lock(), out.stdout.as_bytes());
            emit(&mut std::io::stderr().lock(), out.stderr.as_bytes());
            ExitCode::from(out.exit_code as u8)
        }
        Command::Compile {
            output,
            dump,
            codegen,
            optimize,
            file,
        } => {
            let bytes = match std::fs::read(&file) {
                Ok(b) => b,
                Err(e) => {
                    emit(
                        &mut std::io::stderr().lock(),
                        format!("error: {}\n", os_error_text(&e, &file)).as_bytes(),
                    );
                    return ExitCode::from(1);
                }
            };
            if codegen {
                return match pyrite_compiler::codegen_listing(&bytes, &file) {
                    Ok(l) => {
                        emit(&mut std::io::stdout().lock(), l.as_bytes());
                        ExitCode::SUCCESS
                    }
                    Err(e) => {
                        emit(&mut std::io::stderr().lock(), e.format_exception_only(&file).as_bytes());
                        ExitCode::from(1)
                    }
                };
            }
            let compiled = pyrite_compiler::compile(&bytes, &file, optimize);
            let code = match compiled.code {
                Ok(code) => code,
                Err(e) => {
                    emit(&mut std::io::stderr().lock(), e.format_exception_only(&file).as_bytes());
                    return ExitCode::from(1);
                }
            };
            if dump {
                emit(
                    &mut std::io::stdout().lock(),
                    pyrite_compiler::dump_code(&code).as_bytes(),
                );
                return ExitCode::SUCCESS;
            }
            let path = std::path::Path::new(&file);
            let meta = std::fs::metadata(path);
            let mtime = meta
                .as_ref()
                .ok()
                .and_then(|m| pyrite_code::pyc::source_mtime(m).ok())
                .unwrap_or(0);
            let pyc = pyrite_code::pyc::code_to_timestamp_pyc(&code, mtime, bytes.len() as u64);
            let out = output
                .map(std::path::PathBuf::from)
                .unwrap_or_else(|| pyrite_code::pyc::cache_from_source(path, ""));
            if let Some(parent) = out.parent() {
                if !parent.as_os_str().is_empty() {
                    let _ = std::fs::create_dir_all(parent);
                }
            }
            if let Err(e) = std::fs::write(&out, pyc) {
                let name = out.to_string_lossy();
                emit(
                    &mut std::io::stderr().lock(),
                    format!("error: {}\n", os_error_text(&e, &name)).as_bytes(),
                );
                return ExitCode::from(1);
            }
            ExitCode::SUCCESS
        }
        Command::Dis { file } => {
            let bytes = match std::fs::read(&file) {
                Ok(b) => b,
                Err(e) => {
                    emit(
                        &mut std::io::stderr().lock(),
                        format!("error: {}\n", os_error_text(&e, &file)).as_bytes(),
                    );
                    return ExitCode::from(1);
                }
            };
            match pyrite_compiler::compile(&bytes, &file, 0).code {
                Ok(code) => {
                    emit(&mut std::io::stdout().lock(), pyrite_dis::dis_module(&code).as_bytes());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    emit(&mut std::io::stderr().lock(), e.format_exception_only(&file).as_bytes());
                    ExitCode::from(1)
                }
            }
        }
        Command::Compileall {
            force,
            quiet,
            workers,
            paths,
        } => ExitCode::from(compileall::run(compileall::Options {
            force,
            quiet,
            workers,
            paths,
        })),
        Command::Tokenize { exact, file } => {
            let bytes = match std::fs::read(&file) {
                Ok(b) => b,
                Err(e) => {
                    emit(
                        &mut std::io::stderr().lock(),
                        format!("error: {}\n", os_error_text(&e, &file)).as_bytes(),
                    );
                    return ExitCode::from(1);
                }
            };
            let out = pyrite_tokenizer::tokenize_main(&file, &bytes, exact);
            emit(&mut std::io::stdout().lock(), out.stdout.as_bytes());
            emit(&mut std::io::stderr().lock(), out.stderr.as_bytes());
            ExitCode::from(out.exit_code as u8)
        }
    }
}
