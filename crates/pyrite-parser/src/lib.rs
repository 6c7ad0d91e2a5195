//! The parser (placeholder: being written).

pub mod literals;

/// What `pyrite ast FILE` writes and its exit status.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct AstOutput {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
}

/// `pyrite ast FILE`: `ast.dump(ast.parse(source, filename), include_attributes=True, indent=indent)`
/// and a newline on stdout, or `traceback.format_exception_only` of the SyntaxError on stderr
/// with exit status 1.
pub fn ast_main(filename: &str, source: &[u8], indent: Option<usize>) -> AstOutput {
    let _ = (filename, source, indent);
    AstOutput { stdout: String::new(), stderr: "pyrite: the parser is not written yet\n".into(), exit_code: 2 }
}
