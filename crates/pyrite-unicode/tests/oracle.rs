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
