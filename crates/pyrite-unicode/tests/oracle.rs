//! Differential tests against the oracle's own `str` methods.

use pyrite_oracle::Oracle;

fn oracle() -> &'static Oracle {
    Oracle::find().unwrap_or_else(|e| panic!("{e}"))
}

/// Run a Python program under the oracle, feeding `input` on stdin; return its stdout.
fn run_python(program: &str, input: &str) -> String {
    oracle().run_python(program, input).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn tables_are_up_to_date() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tools/gen/unicode_tables.py");
    let out = oracle().command().args([script, "--check"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn names_are_up_to_date() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tools/gen/unicode_names.py");
    let out = oracle().command().args([script, "--check"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// Every named character of the oracle's database is found by `names::lookup`.
#[test]
fn names_match_unicodedata() {
    let program = "import unicodedata\nfor cp in range(0x110000):\n    n = unicodedata.name(chr(cp), None)\n    if n: print(f'{n};{cp:X}')\n";
    let listing = run_python(program, "");
    let mut n = 0;
    for line in listing.lines() {
        let (name, hex) = line.split_once(';').unwrap();
        let cp = u32::from_str_radix(hex, 16).unwrap();
        assert_eq!(pyrite_unicode::names::lookup(name), Some(cp), "{name}");
        n += 1;
    }
    assert!(n > 100_000, "only {n} names");
}

/// Strings covering every code point (64 at a time), plus quoting and escaping corner cases.
fn repr_cases() -> Vec<String> {
    let mut cases: Vec<String> = ["", "'", "\"", "'\"", "\\", "a'b", "a\"b", "\t\n\r\x0b\x0c\x00\x7f\x1b"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut cp = 0u32;
    while cp < 0x110000 {
        let s: String = (cp..cp + 64).filter_map(char::from_u32).collect();
        if !s.is_empty() {
            cases.push(s);
        }
        cp += 64;
    }
    cases
}

#[test]
fn repr_matches_the_oracle_for_every_code_point() {
    let cases = repr_cases();
    // One case per line, as code point lists (newlines and such are among the cases).
    let input: String = cases
        .iter()
        .map(|s| s.chars().map(|c| (c as u32).to_string()).collect::<Vec<_>>().join(",") + "\n")
        .collect();
    let program = "import sys\nfor line in sys.stdin:\n    line = line.strip()\n    s = ''.join(chr(int(x)) for x in line.split(',')) if line else ''\n    sys.stdout.write(repr(s) + '\\n')\n";
    let expected = run_python(program, &input);
    let expected: Vec<&str> = expected.split('\n').collect();
    for (i, case) in cases.iter().enumerate() {
        assert_eq!(pyrite_unicode::repr(case), expected[i], "case {i}: {case:?}");
    }
}

#[test]
fn identifier_and_space_predicates_match_the_oracle() {
    // Every code point as an identifier start, an identifier continuation and a space.
    let program = "import sys\nout = []\nfor c in range(0x110000):\n    ch = chr(c)\n    out.append('%d%d%d%d' % (ch.isidentifier(), ('a' + ch).isidentifier(), ch.isspace(), ch.isprintable()))\nsys.stdout.write(''.join(out))\n";
    let flags = run_python(program, "");
    let flags = flags.as_bytes();
    for cp in 0..0x110000u32 {
        let Some(c) = char::from_u32(cp) else { continue };
        let f = &flags[cp as usize * 4..cp as usize * 4 + 4];
        assert_eq!(pyrite_unicode::is_identifier_start(c), f[0] == b'1', "{cp:#x} start");
        assert_eq!(
            pyrite_unicode::is_identifier_continue(c),
            f[1] == b'1',
            "{cp:#x} continue"
        );
        assert_eq!(pyrite_unicode::is_space(c), f[2] == b'1', "{cp:#x} space");
        assert_eq!(pyrite_unicode::is_printable(c), f[3] == b'1', "{cp:#x} printable");
    }
}
