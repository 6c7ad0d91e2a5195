//! Tokenizing the oracle's whole standard library, held in memory (`cargo bench -p
//! pyrite-tokenizer`). For the ratio against CPython measured in the same run, use
//! `cargo xtask bench tokens`.

use pyrite_tokenizer::lexer::{Lexer, LexerOptions};
use pyrite_tokenizer::source::{decode_for_tokenize, detect_encoding, DecodedSource};
use pyrite_tokenizer::tokenize::TokenizeIter;
use pyrite_tokenizer::TokenType;
use std::sync::OnceLock;

fn main() {
    divan::main();
}

fn corpus() -> &'static [DecodedSource] {
    static CORPUS: OnceLock<Vec<DecodedSource>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let oracle = pyrite_oracle::Oracle::require();
        oracle
            .corpus()
            .iter()
            .filter_map(|p| {
                let bytes = std::fs::read(p).ok()?;
                let det = detect_encoding(&bytes, None).ok()?;
                let body = if det.bom { &bytes[3..] } else { &bytes[..] };
                Some(decode_for_tokenize(body, &det.codec))
            })
            .collect()
    })
}

/// The raw token stream the parser reads (byte positions).
#[divan::bench(sample_count = 10)]
fn lexer_raw_stream() -> usize {
    let mut n = 0;
    for src in corpus() {
        let mut lexer = Lexer::new(src.text.as_bytes(), src.implicit_newline, LexerOptions::default());
        loop {
            let t = lexer.next_token();
            n += 1;
            if matches!(t.kind, TokenType::ENDMARKER | TokenType::ERRORTOKEN) {
                break;
            }
        }
    }
    n
}

/// Tokens as the `tokenize` module reports them (character columns, strings).
#[divan::bench(sample_count = 10)]
fn tokenize_module_view() -> usize {
    let options = LexerOptions {
        extra_tokens: true,
        type_comments: false,
    };
    corpus()
        .iter()
        .map(|src| {
            TokenizeIter::new(&src.text, src.implicit_newline, options)
                .take_while(Result::is_ok)
                .count()
        })
        .sum()
}
