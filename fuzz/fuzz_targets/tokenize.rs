//! Fuzz the tokenizer in both configurations: the `tokenize` module's (extra tokens, with
//! encoding detection) and the parser's. Arbitrary bytes must never panic, hang or overflow.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pyrite_tokenizer::lexer::{Lexer, LexerOptions};
use pyrite_tokenizer::TokenType;

fuzz_target!(|data: &[u8]| {
    let out = pyrite_tokenizer::tokenize_main("fuzz.py", data, true);
    assert!(out.exit_code == 0 || out.exit_code == 1);

    let mut text = String::from_utf8_lossy(data).into_owned();
    let implicit = !text.is_empty() && !text.ends_with('\n');
    if implicit {
        text.push('\n');
    }
    let mut lexer = Lexer::new(text.as_bytes(), implicit, LexerOptions::default());
    for _ in 0..=text.len() * 4 + 16 {
        let t = lexer.next_token();
        if matches!(t.kind, TokenType::ENDMARKER | TokenType::ERRORTOKEN) {
            return;
        }
    }
    panic!("the tokenizer did not terminate");
});
