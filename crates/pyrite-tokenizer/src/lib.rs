//! pyrite's tokenizer: CPython 3.12's C tokenizer semantics in Rust.
//!
//! - [`token`]: token types, generated from `grammar/Tokens`.
//! - [`source`]: encoding detection (PEP 263) and decoding of source bytes.
//! - [`lexer`]: the tokenizer state machine (CPython's `Parser/tokenizer.c`).
//! - [`tokenize`]: the `tokenize` module's view of it, and `python -m tokenize` output.

pub mod lexer;
pub mod source;
pub mod token;
pub mod tokenize;

pub use token::TokenType;
pub use tokenize::{tokenize_main, TokenizeOutput};
