//! pyrite-pegen: the PEG parser generator behind pyrite's parser (CPython's
//! `Tools/peg_generator` counterpart). It reads a grammar in pegen's meta-grammar with Rust
//! actions and writes a packrat parser: ordered choice, lookaheads, cut, forced tokens,
//! memoization of `(memo)` rules and left recursion by growing the seed, and the second,
//! error-reporting pass where alternatives that call `invalid_*` rules are tried.

pub mod analysis;
pub mod codegen;
pub mod grammar;

/// Generate the parser for `grammar_src` (with the token names of `tokens_src`).
pub fn generate(grammar_src: &str, tokens_src: &str) -> Result<String, String> {
    let g = grammar::parse_grammar(grammar_src).map_err(|e| e.to_string())?;
    let an = analysis::analyze(&g)?;
    let tokens = codegen::read_tokens(tokens_src);
    codegen::Generator::new(&g, an, &tokens)?.generate()
}
