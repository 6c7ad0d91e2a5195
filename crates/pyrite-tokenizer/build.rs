//! Generates the token-type enum and operator tables from `grammar/Tokens`,
//! the single source of truth for token types (as CPython generates token.h from Grammar/Tokens).

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let tokens_path = manifest.join("../../grammar/Tokens");
    println!("cargo:rerun-if-changed={}", tokens_path.display());
    let text = std::fs::read_to_string(&tokens_path).expect("read grammar/Tokens");

    let mut names: Vec<String> = Vec::new();
    let mut ops: Vec<(String, String)> = Vec::new(); // (name, string)
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.split_whitespace();
        let name = parts.next().unwrap().to_string();
        if let Some(s) = parts.next() {
            let s = s.trim_matches('\'').to_string();
            ops.push((name.clone(), s));
        }
        names.push(name);
    }

    let mut out = String::new();
    out.push_str("/// A token type, numbered as in CPython 3.12's `token` module.\n");
    out.push_str("#[allow(non_camel_case_types, clippy::upper_case_acronyms)]\n");
    out.push_str(
        "#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]\n#[repr(u8)]\npub enum TokenType {\n",
    );
    for (i, n) in names.iter().enumerate() {
        writeln!(out, "    {n} = {i},").unwrap();
    }
    out.push_str("}\n\n");
    writeln!(
        out,
        "/// Number of token types (`token.N_TOKENS`).\npub const N_TOKENS: usize = {};\n",
        names.len()
    )
    .unwrap();
    out.push_str("/// Token names, indexed by token type (`token.tok_name`).\npub const TOKEN_NAMES: &[&str] = &[\n");
    for n in &names {
        writeln!(out, "    \"{n}\",").unwrap();
    }
    out.push_str("];\n\n");
    out.push_str("/// Every token type in numeric order.\npub const ALL_TOKEN_TYPES: &[TokenType] = &[\n");
    for n in &names {
        writeln!(out, "    TokenType::{n},").unwrap();
    }
    out.push_str("];\n\n");

    // One-character operators.
    out.push_str("/// The token type of a one-character operator, or `OP` (CPython's `_PyToken_OneChar`).\n#[inline]\npub fn one_char(c1: u8) -> TokenType {\n    match c1 {\n");
    for (n, s) in ops.iter().filter(|(_, s)| s.len() == 1) {
        writeln!(out, "        b'{}' => TokenType::{n},", escape_byte(s.as_bytes()[0])).unwrap();
    }
    out.push_str("        _ => TokenType::OP,\n    }\n}\n\n");
    // Two-character operators ('<>' is the Barry-as-FLUFL spelling of '!=', recognised by the tokenizer).
    out.push_str("/// The token type of a two-character operator, or `OP` (CPython's `_PyToken_TwoChars`).\n#[inline]\npub fn two_chars(c1: u8, c2: u8) -> TokenType {\n    match (c1, c2) {\n");
    for (n, s) in ops.iter().filter(|(_, s)| s.len() == 2) {
        let b = s.as_bytes();
        writeln!(
            out,
            "        (b'{}', b'{}') => TokenType::{n},",
            escape_byte(b[0]),
            escape_byte(b[1])
        )
        .unwrap();
    }
    out.push_str("        (b'<', b'>') => TokenType::NOTEQUAL,\n        _ => TokenType::OP,\n    }\n}\n\n");
    out.push_str("/// The token type of a three-character operator, or `OP` (CPython's `_PyToken_ThreeChars`).\npub fn three_chars(c1: u8, c2: u8, c3: u8) -> TokenType {\n    match (c1, c2, c3) {\n");
    for (n, s) in ops.iter().filter(|(_, s)| s.len() == 3) {
        let b = s.as_bytes();
        writeln!(
            out,
            "        (b'{}', b'{}', b'{}') => TokenType::{n},",
            escape_byte(b[0]),
            escape_byte(b[1]),
            escape_byte(b[2])
        )
        .unwrap();
    }
    out.push_str("        _ => TokenType::OP,\n    }\n}\n\n");
    out.push_str("/// `token.EXACT_TOKEN_TYPES`: the exact type of an operator string.\npub fn exact_type_of(s: &[u8]) -> Option<TokenType> {\n    match s {\n");
    for (n, s) in &ops {
        writeln!(
            out,
            "        b\"{}\" => Some(TokenType::{n}),",
            s.replace('\\', "\\\\").replace('"', "\\\"")
        )
        .unwrap();
    }
    out.push_str("        _ => None,\n    }\n}\n\n");
    out.push_str("/// Every operator string with its exact type, in numeric order.\npub const EXACT_TOKEN_TYPES: &[(&str, TokenType)] = &[\n");
    for (n, s) in &ops {
        writeln!(
            out,
            "    (\"{}\", TokenType::{n}),",
            s.replace('\\', "\\\\").replace('"', "\\\"")
        )
        .unwrap();
    }
    out.push_str("];\n");

    let out_path = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("token_types.rs");
    std::fs::write(out_path, out).unwrap();
}

fn escape_byte(b: u8) -> String {
    match b {
        b'\'' => "\\'".into(),
        b'\\' => "\\\\".into(),
        _ => (b as char).to_string(),
    }
}
