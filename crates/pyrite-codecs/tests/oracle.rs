//! Differential tests against the oracle's `codecs`.

use pyrite_codecs::{lookup, Errors, LookupError};
use pyrite_oracle::Oracle;

fn oracle() -> &'static Oracle {
    Oracle::find().unwrap_or_else(|e| panic!("{e}"))
}

fn run_python(program: &str, input: &str) -> String {
    oracle().run_python(program, input).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn tables_are_up_to_date() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tools/gen/codec_tables.py");
    let out = oracle().command().args([script, "--check"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

const NAMES: &[&str] = &[
    "utf-8",
    "UTF8",
    "utf_8",
    "U8",
    "utf",
    "cp65001",
    "utf-8-sig",
    "utf_8_sig",
    "latin-1",
    "Latin1",
    "latin 1",
    "iso-8859-1",
    "ISO_8859-1",
    "iso8859_15",
    "iso-8859-15",
    "iso8859.15",
    "koi8-r",
    "KOI8_R",
    "koi8-u",
    "cp1252",
    "windows-1252",
    "mac-roman",
    "macroman",
    "cp437",
    "ascii",
    "us-ascii",
    "646",
    "cp037",
    "gzip",
    "uft-8",
    "zlib",
    "rot13",
    "mbcs",
    "shift_jis",
    "x-mac-japanese",
    "utf-16",
    "utf-32-le",
    "big5",
    "ébc",
    "",
    "-",
    "...",
    "utf..8",
    "latin-1-unix",
    "iso-latin-1",
    "hz",
    "idna",
    "unicode_escape",
    "undefined",
    "hex",
    "base64",
    "tis-620",
    "cp1251",
    "hp-roman8",
    "ptcp154",
    "kz1048",
    "mac-cyrillic",
    "iso8859-16",
    "latin10",
    "l10",
];

#[test]
fn lookup_agrees_with_codecs_lookup() {
    let program = "import sys, codecs\nfor name in sys.stdin.read().split('\\n'):\n    try:\n        print('found', codecs.lookup(name).name)\n    except LookupError:\n        print('unknown')\n";
    let expected = run_python(program, &NAMES.join("\n"));
    for (name, exp) in NAMES.iter().zip(expected.lines()) {
        let ours = match lookup(name) {
            Ok(c) => format!("found {}", c.name()),
            Err(LookupError::Unsupported(n)) => format!("found {n}"),
            Err(LookupError::Unknown) => "unknown".to_string(),
        };
        assert_eq!(ours, exp, "lookup({name:?})");
    }
}

/// xorshift64*
fn rng(state: &mut u64) -> u64 {
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    state.wrapping_mul(0x2545_F491_4F6C_DD1D)
}

#[test]
fn decoding_agrees_with_the_oracle() {
    let codecs = [
        "utf-8",
        "utf-8-sig",
        "ascii",
        "latin-1",
        "koi8-r",
        "cp1252",
        "iso8859-15",
        "cp037",
        "cp437",
        "mac-roman",
        "cp932",
        "shift_jis",
        "gbk",
        "big5",
        "cp949",
    ];
    let mut seed = 0x1234_5678_9ABC_DEF1u64;
    let mut inputs: Vec<Vec<u8>> = vec![
        b"".to_vec(),
        b"\xef\xbb\xbfabc".to_vec(),
        b"\xe2\x82".to_vec(),
        b"\xe2\x82x".to_vec(),
        b"\xed\xa0\x80".to_vec(),
        b"\xf4\x90\x80\x80".to_vec(),
        b"\xc0\xaf".to_vec(),
        b"\xf0\x9f\x98".to_vec(),
        b"a\x80b\xffc".to_vec(),
        "é€💩".as_bytes().to_vec(),
        b"\x94N\x81".to_vec(),
        b"\x81\x20\xa1\xa1".to_vec(),
    ];
    for _ in 0..300 {
        let len = (rng(&mut seed) % 12) as usize;
        // Bias towards UTF-8 lead and continuation bytes.
        let v: Vec<u8> = (0..len)
            .map(|_| match rng(&mut seed) % 4 {
                0 => 0x80 + (rng(&mut seed) % 0x40) as u8,
                1 => 0xC0 + (rng(&mut seed) % 0x40) as u8,
                2 => b'a' + (rng(&mut seed) % 26) as u8,
                _ => rng(&mut seed) as u8,
            })
            .collect();
        inputs.push(v);
    }
    let mut input = String::new();
    for codec in codecs {
        for bytes in &inputs {
            input.push_str(&format!(
                "{codec} {}\n",
                bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
            ));
        }
    }
    let program = "import sys\nfor line in sys.stdin:\n    codec, _, hexdata = line.rstrip('\\n').partition(' ')\n    data = bytes.fromhex(hexdata)\n    try:\n        strict = 'ok ' + ascii(data.decode(codec))\n    except UnicodeDecodeError as e:\n        strict = 'err ' + str(e)\n    print(strict)\n    print(ascii(data.decode(codec, 'replace')))\n";
    let expected = run_python(program, &input);
    let mut lines = expected.lines();
    for codec in codecs {
        let c = lookup(codec).unwrap();
        for bytes in &inputs {
            let mut s = String::new();
            let strict = match c.decode(bytes, Errors::Strict, &mut s) {
                Ok(()) => format!("ok {}", ascii(&s)),
                Err(e) => format!("err {e}"),
            };
            assert_eq!(strict, lines.next().unwrap(), "{codec} strict {bytes:x?}");
            let mut r = String::new();
            c.decode(bytes, Errors::Replace, &mut r).unwrap();
            assert_eq!(ascii(&r), lines.next().unwrap(), "{codec} replace {bytes:x?}");
        }
    }
}

/// Python's `ascii()` of a str, to compare decoded text without encoding concerns.
fn ascii(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::new();
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (' '..='~').contains(&c) => out.push(c),
            c if (c as u32) < 0x100 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push(quote);
    out
}
