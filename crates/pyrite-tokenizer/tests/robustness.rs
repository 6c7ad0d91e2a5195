//! Arbitrary input never panics, hangs or overflows the stack: random bytes, mutations of
//! tricky snippets, and absurd nesting, through both tokenizer configurations.

use pyrite_tokenizer::lexer::{Lexer, LexerOptions};
use pyrite_tokenizer::{tokenize_main, TokenType};

/// xorshift64*: a tiny deterministic generator, so failures reproduce.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Runs both configurations to completion and checks basic invariants of the token stream.
fn exercise(bytes: &[u8]) {
    let out = tokenize_main("fuzz.py", bytes, true);
    assert!(out.exit_code == 0 || out.exit_code == 1);
    if out.exit_code == 0 {
        assert!(
            out.stdout.lines().last().unwrap().contains("ENDMARKER"),
            "no ENDMARKER for {bytes:?}"
        );
    } else {
        assert!(
            out.stdout.is_empty() && out.stderr.contains("error"),
            "bad failure output for {bytes:?}"
        );
    }
    // The parser's configuration (no extra tokens), on the input as UTF-8 text.
    let mut text = String::from_utf8_lossy(bytes).into_owned();
    let implicit = !text.is_empty() && !text.ends_with('\n');
    if implicit {
        text.push('\n');
    }
    let mut lexer = Lexer::new(text.as_bytes(), implicit, LexerOptions::default());
    let mut last_end = 0;
    for _ in 0..=text.len() * 4 + 16 {
        let t = lexer.next_token();
        if t.start != usize::MAX && t.end != usize::MAX {
            assert!(t.start <= t.end && t.end <= text.len());
            last_end = t.end;
        }
        if matches!(t.kind, TokenType::ENDMARKER | TokenType::ERRORTOKEN) {
            return;
        }
    }
    panic!("tokenizer did not finish on {bytes:?} (last end {last_end})");
}

const SNIPPETS: &[&[u8]] = &[
    b"f\"{a!r:>{w}}{{c}}\"",
    b"'''",
    b"\"\"\"",
    b"f'''{",
    b"}",
    b"{",
    b"(",
    b")",
    b"[",
    b"]",
    b"\\\n",
    b"\\",
    b"\r",
    b"\r\n",
    b"\n",
    b"\t",
    b"\x0c",
    b"    ",
    b"#",
    b"# coding: latin-1\n",
    b"\xef\xbb\xbf",
    b"0x",
    b"0b1_",
    b"1e+",
    b"1_",
    b"09",
    b"\xff",
    b"\xc3\xa9",
    b"\x00",
    b"rb'",
    b"f\"",
    b"fr'",
    b"\\N{",
    b":=",
    b"!=",
    b"...",
    b"async",
    b"await",
    b"if x:\n",
    b"\xe2\x82\xac",
    b"=",
    b"!",
    b":",
    b"f\"{x=}\"",
    b"lambda",
    b"'",
    b"\"",
];

#[test]
fn random_bytes_never_panic() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..3000 {
        let len = rng.below(64);
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        exercise(&bytes);
    }
}

#[test]
fn snippet_soup_never_panics() {
    let mut rng = Rng(42);
    for _ in 0..5000 {
        let mut bytes = Vec::new();
        for _ in 0..rng.below(12) {
            bytes.extend_from_slice(SNIPPETS[rng.below(SNIPPETS.len())]);
            if rng.below(3) == 0 {
                bytes.push(b"ax1 .\n\t"[rng.below(7)]);
            }
        }
        exercise(&bytes);
    }
}

#[test]
fn absurd_nesting_is_an_error_not_a_crash() {
    for depth in [199, 200, 201, 10_000, 100_000] {
        exercise("(".repeat(depth).as_bytes());
        exercise(format!("{}{}", "[".repeat(depth), "]".repeat(depth)).as_bytes());
    }
    let mut deep_indent = String::new();
    for i in 0..150 {
        deep_indent.push_str(&" ".repeat(i));
        deep_indent.push_str("if 1:\n");
    }
    exercise(deep_indent.as_bytes());
    for depth in [149, 150, 151, 2000] {
        let f = format!("{}{}", "f'{".repeat(depth), "}'".repeat(depth));
        exercise(f.as_bytes());
    }
    exercise(&vec![b'x'; 1 << 20]);
    exercise("'".repeat(100_001).as_bytes());
}
