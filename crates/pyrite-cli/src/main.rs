//! `pyrite`: the command line, in the style of CPython's `python -m tokenize / dis / compileall`.
//! Each subcommand prints exactly what its CPython 3.12 counterpart prints.

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
