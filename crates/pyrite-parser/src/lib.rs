//! pyrite's parser: CPython 3.12's PEG parser, generated from `grammar/python.gram` by
//! `pyrite-pegen` (see `build.rs`), with the action helpers, literal handling and error
//! machinery of CPython's `Parser/pegen.c`, `action_helpers.c`, `string_parser.c` and
//! `pegen_errors.c`.

pub mod errors;
pub mod parser;
pub mod source;
pub mod strings;

#[allow(
    clippy::all,
    unused_parens,
    unused_braces,
    non_snake_case,
    dead_code,
    unreachable_code
)]
pub mod generated {
    include!(concat!(env!("OUT_DIR"), "/parser.rs"));
}

pub use strings::{ConversionSpec, FormatSpec};

use bumpalo::Bump;
use errors::{ErrorKind, SyntaxErrorInfo};
use parser::{ParseFlags, Parser};
use pyrite_ast::Mod;
use pyrite_tokenizer::lexer::{Done, Lexer, LexerOptions};
use pyrite_tokenizer::token::TokenType;

/// What `pyrite ast FILE` writes and its exit status.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct AstOutput {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
}

/// The result of parsing: the module, or the error CPython raises.
pub struct Parsed<'a> {
    pub module: Result<&'a Mod<'a>, SyntaxErrorInfo>,
    /// Warnings raised while parsing: (category, message, line).
    pub warnings: Vec<(&'static str, String, i64)>,
}

/// Parse `source` (the bytes of a file) as `compile(source, filename, 'exec', PyCF_ONLY_AST)`
/// does, in `arena`.
pub fn parse_module<'a>(arena: &'a Bump, source: &[u8], filename: &'a str) -> Parsed<'a> {
    let prepared = match source::prepare(arena, source) {
        Ok(p) => p,
        Err(e) => {
            return Parsed {
                module: Err(e),
                warnings: Vec::new(),
            }
        }
    };
    let text: &'a [u8] = prepared.text;
    let mut lexer = Lexer::new(text, false, LexerOptions::default());
    lexer.string_input = true;
    let mut p = Parser::new(arena, text, lexer, filename, ParseFlags::default());
    p.has_encoding = prepared.has_encoding;
    let res = generated::r_file(&mut p);
    let module = match res {
        Some(m) if !p.error => Ok(m),
        _ => Err(error_pass(&mut p)),
    };
    Parsed {
        module,
        warnings: std::mem::take(&mut p.warnings),
    }
}

/// The second pass and the choice of the reported error (`_PyPegen_run_parser`,
/// `_Pypegen_set_syntax_error`).
fn error_pass(p: &mut Parser<'_>) -> SyntaxErrorInfo {
    if let Some(e) = &p.exception {
        if !matches!(
            e.kind,
            ErrorKind::SyntaxError | ErrorKind::IndentationError | ErrorKind::TabError
        ) {
            return e.clone();
        }
    }
    let last_token = p.tokens.last().copied();
    p.memo.clear();
    p.mark = 0;
    p.call_invalid_rules = true;
    p.second_pass = true;
    p.level = 0;
    let _ = generated::r_file(p);
    set_syntax_error(p, last_token);
    p.exception
        .clone()
        .unwrap_or_else(|| SyntaxErrorInfo::without_location(ErrorKind::SyntaxError, "invalid syntax"))
}

fn set_syntax_error(p: &mut Parser<'_>, last_token: Option<&parser::Token>) {
    if p.exception.is_some() {
        let tok_ok = p.lexer.done == Done::Ok;
        if tok_ok {
            tokenize_full_source_to_check_for_errors(p);
        }
        return;
    }
    let Some(last) = last_token else {
        p.raise_syntax_error::<()>("error at start before reading any input");
        return;
    };
    if last.kind == TokenType::ERRORTOKEN as u16 && p.lexer.done == Done::Eof {
        if p.lexer.level > 0 {
            p.raise_unclosed_parentheses_error();
        } else {
            p.raise_syntax_error::<()>("unexpected EOF while parsing");
        }
        return;
    }
    if last.kind == TokenType::INDENT as u16 || last.kind == TokenType::DEDENT as u16 {
        let msg = if last.kind == TokenType::INDENT as u16 {
            "unexpected indent"
        } else {
            "unexpected unindent"
        };
        p.raise_indentation_error::<()>(msg);
        return;
    }
    let t = *last;
    p.raise_at::<()>(t, "invalid syntax");
    tokenize_full_source_to_check_for_errors(p);
}

/// `_PyPegen_tokenize_full_source_to_check_for_errors`: tokenizer errors after the failure
/// point (an unclosed bracket on an earlier line, an invalid token) win over a generic error.
fn tokenize_full_source_to_check_for_errors(p: &mut Parser<'_>) {
    let saved = p.exception.take();
    let current = p.known_err_token.map(|i| p.tokens[i]).or(p.tokens.last().copied());
    let current_err_line = current.map_or(0, |t| t.lineno);
    loop {
        let t = p.lexer.next_token();
        match t.kind {
            TokenType::ERRORTOKEN => {
                if let Some(e) = p.lexer.error.clone() {
                    let text = String::from_utf8_lossy(&p.text[e.text_start..e.text_end]).into_owned();
                    p.exception = Some(SyntaxErrorInfo {
                        kind: ErrorKind::SyntaxError,
                        msg: e.msg,
                        lineno: e.lineno as i64,
                        offset: e.offset,
                        end_lineno: e.end_lineno as i64,
                        end_offset: e.end_offset,
                        text: Some(text),
                        has_filename: true,
                    });
                    break;
                }
                if let Some((_, line, _)) = p.lexer.innermost_bracket() {
                    if current_err_line > line as i64 {
                        p.raise_unclosed_parentheses_error();
                    }
                }
                break;
            }
            TokenType::ENDMARKER => break,
            _ => continue,
        }
    }
    if p.exception.is_none() || p.lexer.mode_depth() > 0 {
        p.exception = saved;
    }
}

/// `pyrite ast FILE`: `ast.dump(ast.parse(source, filename), include_attributes=True, indent=indent)`
/// and a newline on stdout, or `traceback.format_exception_only` of the SyntaxError on stderr
/// with exit status 1.
pub fn ast_main(filename: &str, source: &[u8], indent: Option<usize>) -> AstOutput {
    let filename = filename.to_string();
    let source = source.to_vec();
    // Deeply nested input recurses deeply; give the parser a stack it cannot exhaust before
    // its own nesting limit stops it.
    let handle = std::thread::Builder::new()
        .stack_size(1 << 30)
        .spawn(move || {
            let arena = Bump::new();
            let fname: &str = arena.alloc_str(&filename);
            let parsed = parse_module(&arena, &source, fname);
            match parsed.module {
                Ok(m) => {
                    let mut stdout = pyrite_ast::dump_mod(m, true, indent);
                    stdout.push('\n');
                    AstOutput {
                        stdout,
                        stderr: String::new(),
                        exit_code: 0,
                    }
                }
                Err(e) => AstOutput {
                    stdout: String::new(),
                    stderr: e.format_exception_only(fname),
                    exit_code: 1,
                },
            }
        })
        .expect("spawn parser thread");
    handle.join().unwrap_or_else(|_| AstOutput {
        stdout: String::new(),
        stderr: "pyrite: internal error in the parser\n".into(),
        exit_code: 70,
    })
}
