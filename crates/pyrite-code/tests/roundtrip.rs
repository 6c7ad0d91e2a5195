//! Round trips against the oracle: CPython marshals code objects and constants, pyrite reads
//! them and writes them again, and CPython reads pyrite's bytes back and compares what it gets
//! with the original, field by field (`tools/oracle/code_compare.py`).

mod common;

use common::*;
use pyrite_code::marshal::{dumps_code, dumps_constant, loads, loads_code};
use pyrite_code::{kinds, Constant};
use pyrite_oracle::Oracle;
use std::path::PathBuf;

/// The oracle side: compile each path read from stdin and write `marshal.dumps` of its code
/// object to OUT/N.marshal; print `ok<TAB>N<TAB>path` or `skip<TAB>path` (CPython rejects it).
const COMPILE_ALL: &str = r#"
import marshal, sys, warnings
warnings.simplefilter("ignore")
out = sys.argv[1]
for i, line in enumerate(sys.stdin.read().splitlines()):
    try:
        with open(line, "rb") as f:
            code = compile(f.read(), line, "exec", dont_inherit=True)
    except Exception:
        print(f"skip\t{line}")
        continue
    with open(f"{out}/{i}.marshal", "wb") as f:
        f.write(marshal.dumps(code))
    print(f"ok\t{i}\t{line}")
"#;

/// Every `step`-th file of the corpus (`PYRITE_CODE_CORPUS_STEP`, default 1: all of it).
fn corpus_sample() -> Vec<PathBuf> {
    let step: usize = std::env::var("PYRITE_CODE_CORPUS_STEP")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    Oracle::require().corpus().into_iter().step_by(step.max(1)).collect()
}

#[test]
fn corpus_code_objects_round_trip_through_pyrite() {
    let dir = scratch_dir("corpus");
    let files = corpus_sample();
    let list: String = files.iter().map(|f| format!("{}\n", f.display())).collect();
    let oracle = Oracle::require();
    let listing = oracle
        .command()
        .arg("-c")
        .arg(COMPILE_ALL)
        .arg(&dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(list.as_bytes())?;
            child.wait_with_output()
        })
        .expect("run the oracle");
    assert!(listing.status.success());
    let listing = String::from_utf8(listing.stdout).unwrap();

    let mut pairs = Vec::new();
    let mut sources = Vec::new();
    let mut interning_differences = Vec::new();
    for line in listing.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        if fields[0] != "ok" {
            continue;
        }
        let n = fields[1];
        let theirs = dir.join(format!("{n}.marshal"));
        let data = std::fs::read(&theirs).unwrap();
        let code = loads_code(&data).unwrap_or_else(|e| panic!("{}: {e}", fields[2]));
        let ours = dumps_code(&code);
        // pyrite reads its own output back to the same code object.
        let again = loads_code(&ours).unwrap_or_else(|e| panic!("{}: re-reading: {e}", fields[2]));
        assert!(
            again == code,
            "{}: pyrite's round trip changed the code object",
            fields[2]
        );
        // The same strings are interned as in CPython's output.
        let (theirs_strings, ours_strings) = (strings_with_interning(&data), strings_with_interning(&ours));
        assert_eq!(theirs_strings.len(), ours_strings.len(), "{}", fields[2]);
        for (t, o) in theirs_strings.iter().zip(&ours_strings) {
            assert_eq!(t.0, o.0, "{}: strings out of step", fields[2]);
            if t.1 != o.1 {
                interning_differences.push(format!(
                    "{}: {:?} cpython interned={} pyrite interned={}",
                    fields[2],
                    String::from_utf8_lossy(&t.0),
                    t.1,
                    o.1
                ));
            }
        }
        let mine = dir.join(format!("{n}.pyrite"));
        std::fs::write(&mine, &ours).unwrap();
        sources.push((PathBuf::from(fields[2]), mine.clone()));
        pairs.push((theirs, mine));
    }
    assert!(
        pairs.len() * 10 >= files.len() * 9,
        "only {} of {} files compiled",
        pairs.len(),
        files.len()
    );
    assert!(
        interning_differences.is_empty(),
        "{} strings are interned differently, e.g.\n{}",
        interning_differences.len(),
        interning_differences
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );

    let failures = compare_marshal_pairs(&dir, &pairs);
    assert!(
        failures.is_empty(),
        "{} of {} files differ after the round trip:\n{}",
        failures.len(),
        pairs.len(),
        failures.iter().take(20).cloned().collect::<Vec<_>>().join("\n")
    );

    // The source mode of code_compare.py (compiling the source again) agrees, on a sample.
    let sample: Vec<_> = sources.into_iter().step_by(40).collect();
    let failures = compare_source_pairs(&dir, &sample);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Python expressions of constants (evaluated with `struct` imported).
const VALUES: &[&str] = &[
    "None",
    "True",
    "False",
    "...",
    "0",
    "1",
    "-1",
    "255",
    "256",
    "-5",
    "2**15-1",
    "2**15",
    "-2**15",
    "2**30-1",
    "2**30",
    "-2**30",
    "2**31-1",
    "2**31",
    "-2**31",
    "-2**31-1",
    "2**32",
    "-2**32",
    "2**45+7",
    "2**60",
    "-2**63",
    "2**63-1",
    "2**64",
    "-(2**64)",
    "2**100+12345",
    "-(2**1000)-1",
    "10**50",
    "-(10**300)",
    "0.0",
    "-0.0",
    "1.5",
    "-2.5e-300",
    "float('inf')",
    "float('-inf')",
    "float('nan')",
    "-float('nan')",
    "struct.unpack('<d', b'\\x01\\x00\\x00\\x00\\x00\\x00\\xf8\\x7f')[0]",
    "5e-324",
    "1.7976931348623157e308",
    "0.1",
    "1j",
    "-1j",
    "complex(0.0, -0.0)",
    "complex(-0.0, 0.0)",
    "complex(-0.0, -0.0)",
    "complex(float('nan'), float('inf'))",
    "1.5+2.5j",
    "b''",
    "b'\\x00\\xff'",
    "bytes(range(256))",
    "b'x' * 70000",
    "''",
    "'a'",
    "'abc'",
    "'a b'",
    "'_x9'",
    "'\\xe9'",
    "'\\u20ac\\U0001d11e'",
    "'\\ud800'",
    "'a\\udcff b'",
    "'\\udbff\\udfff'",
    "'\\ud83d\\ude00x'",
    "'x' * 255",
    "'x' * 256",
    "'\\xe9' * 300",
    "'\\x00'",
    "'\\x7f\\x80'",
    "'\\U0010ffff'",
    "()",
    "(1,)",
    "((),)",
    "(1, (2, (3, ())), 'a')",
    "tuple(range(300))",
    "(1, 1, 1)",
    "('abc', 'abc', 'a b', 'a b')",
    "(-0.0, 0.0, -0.0)",
    "(1, True, 1.0, 1j)",
    "(2**100, 2**100)",
    "(b'', '', ())",
    "((1, 2), (1, 2))",
    "frozenset()",
    "frozenset({1, 2, 3})",
    "frozenset({'a', 'b', (1, 2)})",
    "frozenset({frozenset({1}), frozenset()})",
    "frozenset(range(100))",
    "frozenset({-0.0, 2**70, 'x', b'x', None, ...})",
    "(frozenset(), frozenset())",
];

/// The oracle side: for each expression (one a line on stdin) and each marshal version, write
/// `marshal.dumps(value, version)` to OUT/c{N}_v{V}.marshal.
const DUMP_VALUES: &str = r#"
import marshal, struct, sys
out = sys.argv[1]
for i, expr in enumerate(sys.stdin.read().splitlines()):
    value = eval(expr)
    for v in range(5):
        with open(f"{out}/c{i}_v{v}.marshal", "wb") as f:
            f.write(marshal.dumps(value, v))
    # The value as a constant of a code object, and a function's.
    src = f"x = {expr}\ndef f(a, *, b=({expr},)):\n    return ({expr}, a, b)\n"
    code = compile(src, f"<const {i}>", "exec", dont_inherit=True)
    for v in (3, 4):
        with open(f"{out}/k{i}_v{v}.marshal", "wb") as f:
            f.write(marshal.dumps(code, v))
"#;

#[test]
fn hand_picked_constants_round_trip_through_pyrite() {
    let dir = scratch_dir("constants");
    let input: String = VALUES.iter().map(|v| format!("{v}\n")).collect();
    let out = Oracle::require()
        .command()
        .arg("-c")
        .arg(DUMP_VALUES)
        .arg(&dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(input.as_bytes())?;
            child.wait_with_output()
        })
        .expect("run the oracle");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let mut pairs = Vec::new();
    for (i, expr) in VALUES.iter().enumerate() {
        let mut files: Vec<String> = (0..5).map(|v| format!("c{i}_v{v}")).collect();
        files.extend((3..5).map(|v| format!("k{i}_v{v}")));
        for name in files {
            let theirs = dir.join(format!("{name}.marshal"));
            let data = std::fs::read(&theirs).unwrap();
            let value = loads(&data).unwrap_or_else(|e| panic!("{expr} ({name}): {e}"));
            let ours = match &value {
                Constant::Code(code) => dumps_code(code),
                other => dumps_constant(other),
            };
            assert!(
                loads(&ours).unwrap() == value,
                "{expr} ({name}): pyrite's round trip changed it"
            );
            let mine = dir.join(format!("{name}.pyrite"));
            std::fs::write(&mine, ours).unwrap();
            pairs.push((theirs, mine));
        }
    }
    let failures = compare_marshal_pairs(&dir, &pairs);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn code_compare_reports_differences() {
    let dir = scratch_dir("compare");
    let source = dir.join("m.py");
    std::fs::write(&source, "def f(x):\n    return 1\ny = [i for i in f]\n").unwrap();
    let program = r#"
import marshal, sys
src, out = sys.argv[1], sys.argv[2]
code = compile(open(src, "rb").read(), src, "exec", dont_inherit=True)
open(out, "wb").write(marshal.dumps(code))
"#;
    let theirs = dir.join("m.marshal");
    run_oracle(program, &[source.to_str().unwrap(), theirs.to_str().unwrap()]);
    let code = loads_code(&std::fs::read(&theirs).unwrap()).unwrap();

    // Identical as written by pyrite.
    let mine = dir.join("same.pyrite");
    std::fs::write(&mine, dumps_code(&code)).unwrap();
    // With True instead of 1 in f's constants: a difference of type only.
    let mut changed = code.clone();
    let mut consts = changed.consts.to_vec();
    let Some(Constant::Code(f)) = consts.iter().find(|c| matches!(c, Constant::Code(_))).cloned() else {
        panic!("no function in {consts:?}")
    };
    let mut f = (*f).clone();
    let one = f
        .consts
        .iter()
        .position(|c| *c == Constant::Int(1.into()))
        .expect("the constant 1");
    let mut fconsts = f.consts.to_vec();
    fconsts[one] = Constant::True;
    f.consts = fconsts.into();
    let at = consts.iter().position(|c| matches!(c, Constant::Code(_))).unwrap();
    consts[at] = Constant::Code(f.into());
    changed.consts = consts.into();
    let different = dir.join("different.pyrite");
    std::fs::write(&different, dumps_code(&changed)).unwrap();

    // With the comprehension's hidden local (of the module) made visible: a difference only in
    // co_localspluskinds, which Python does not expose.
    let mut changed = code.clone();
    let hidden = changed
        .localspluskinds
        .iter()
        .position(|&k| k & kinds::CO_FAST_HIDDEN != 0)
        .expect("a hidden local");
    let mut module_kinds = changed.localspluskinds.to_vec();
    module_kinds[hidden] &= !kinds::CO_FAST_HIDDEN;
    changed.localspluskinds = module_kinds.into();
    let kinds_differ = dir.join("kinds.pyrite");
    std::fs::write(&kinds_differ, dumps_code(&changed)).unwrap();

    let failures = compare_source_pairs(
        &dir,
        &[
            (source.clone(), mine),
            (source.clone(), different),
            (source.clone(), kinds_differ),
        ],
    );
    assert_eq!(failures.len(), 2, "{failures:?}");
    assert!(
        failures[0].contains(&format!(
            "\tdifferent\t<module>.co_consts[{at}]<f>.co_consts[{one}]: cpython=1 (int) pyrite=True (bool)"
        )),
        "{}",
        failures[0]
    );
    assert!(
        failures[1].contains("\tdifferent\t<module>.co_localspluskinds: cpython=b'0' pyrite=b' '"),
        "{}",
        failures[1]
    );
    let _ = std::fs::remove_dir_all(&dir);
}
