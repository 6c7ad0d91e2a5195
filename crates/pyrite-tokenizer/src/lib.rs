//! pyrite's tokenizer: CPython 3.12's C tokenizer semantics in Rust.
//!
//! (stub: the real implementation is being written; API below is stable)

/// What `python3.12 -m tokenize [-e] FILE` would print: stdout, stderr and exit status.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TokenizeOutput {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
}

/// Emulates `python3.12 -m tokenize [-e] FILENAME` on the given file contents.
/// `filename` is the path exactly as it would be given on the command line (it appears in error messages).
pub fn tokenize_main(filename: &str, source: &[u8], exact: bool) -> TokenizeOutput {
    let _ = (filename, source, exact);
    TokenizeOutput { stdout: String::new(), stderr: "not implemented\n".into(), exit_code: 1 }
}
