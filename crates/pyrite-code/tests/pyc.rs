//! `.pyc` files written by pyrite are imported and run by the oracle; `.pyc` files written by
//! `py_compile` are read by pyrite.

mod common;

use common::*;
use pyrite_code::marshal::loads_code;
use pyrite_code::pyc::{self, Invalidation, MAGIC_NUMBER};
use pyrite_code::CodeObject;
use std::path::Path;

/// CPython's code object for `source`, compiled as the file `path`.
fn cpython_code(source: &str, path: &Path) -> CodeObject {
    let program = r#"
import marshal, sys
source, path = sys.argv[1], sys.argv[2]
code = compile(source, path, "exec", dont_inherit=True)
sys.stdout.write(marshal.dumps(code).hex())
"#;
    let hex = run_oracle(program, &[source, path.to_str().unwrap()]);
    let bytes: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    loads_code(&bytes).unwrap()
}

#[test]
fn cpython_imports_a_pyc_written_by_pyrite() {
    let dir = scratch_dir("pyc-import");
    let source = dir.join("pyritemod.py");
    // The source and the code in the .pyc print different things (in sources of the same
    // size), so the output shows which one ran.
    std::fs::write(&source, "print('from src')\nVALUE = 1\n").unwrap();
    let code = cpython_code("print('from pyc')\nVALUE = 2\n", &source);
    let cfile = pyc::write_pyc_for_source(&code, &source, None).unwrap();
    assert_eq!(cfile, dir.join("__pycache__").join("pyritemod.cpython-312.pyc"));

    let program = r#"
import sys
sys.path.insert(0, sys.argv[1])
import pyritemod
print(pyritemod.VALUE, pyritemod.__cached__.endswith("pyritemod.cpython-312.pyc"))
"#;
    let out = run_oracle(program, &[dir.to_str().unwrap()]);
    assert_eq!(out, "from pyc\n2 True\n");

    // py_compile writes the same header for the same source.
    let theirs = dir.join("theirs.pyc");
    let program = "import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)";
    run_oracle(program, &[source.to_str().unwrap(), theirs.to_str().unwrap()]);
    let theirs = std::fs::read(&theirs).unwrap();
    let ours = std::fs::read(&cfile).unwrap();
    assert_eq!(&theirs[..16], &ours[..16], "the headers differ");
    assert_eq!(&ours[..4], &MAGIC_NUMBER);
    assert_eq!(&ours[4..8], &[0, 0, 0, 0]);

    // pyrite reads py_compile's .pyc, and finds it up to date for the source.
    let (header, their_code) = pyc::read_pyc(&theirs, "pyritemod", "theirs.pyc").unwrap();
    let meta = std::fs::metadata(&source).unwrap();
    pyc::validate_timestamp(
        &header,
        pyc::source_mtime(&meta).unwrap(),
        Some(meta.len()),
        "pyritemod",
    )
    .unwrap();
    assert_eq!(header, pyc::timestamp_for_source(&source).unwrap());
    assert_eq!(their_code, cpython_code("print('from src')\nVALUE = 1\n", &source));

    // Once the source's modification time changes, CPython finds pyrite's .pyc stale and
    // compiles the source instead.
    let file = std::fs::File::options().write(true).open(&source).unwrap();
    let mtime = std::fs::metadata(&source).unwrap().modified().unwrap();
    file.set_modified(mtime + std::time::Duration::from_secs(10)).unwrap();
    drop(file);
    let out = run_oracle(
        "import sys; sys.path.insert(0, sys.argv[1]); import pyritemod; print(pyritemod.VALUE)",
        &[dir.to_str().unwrap()],
    );
    assert_eq!(out, "from src\n1\n");
    let (header, _) = pyc::read_pyc(&ours, "pyritemod", cfile.to_str().unwrap()).unwrap();
    let meta = std::fs::metadata(&source).unwrap();
    assert!(pyc::validate_timestamp(
        &header,
        pyc::source_mtime(&meta).unwrap(),
        Some(meta.len()),
        "pyritemod"
    )
    .is_err());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn cpython_runs_a_sourceless_pyc_written_by_pyrite() {
    let dir = scratch_dir("pyc-run");
    let program_source = "import sys\n\
        def f(n, *, k=-0.0):\n    return [i * k for i in range(n)], {'\\ud800': 2**70}\n\
        class C:\n    def m(self):\n        return __class__.__name__\n\
        print(f(3), C().m(), frozenset({1, 'a'}) == frozenset({'a', 1}), sys.argv[1:])\n";
    let path = dir.join("prog.py");
    let code = cpython_code(program_source, &path);
    let pyc_path = dir.join("prog.pyc");
    std::fs::write(&pyc_path, pyc::code_to_timestamp_pyc(&code, 0, 0)).unwrap();
    let oracle = pyrite_oracle::Oracle::require();
    let out = oracle.command().arg(&pyc_path).arg("x").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "([-0.0, -0.0, -0.0], {'\\ud800': 1180591620717411303424}) C True ['x']\n"
    );

    // A hash-based header is written and read back too (CPython runs an unchecked one).
    let hashed = Invalidation::Hash {
        source_hash: [1, 2, 3, 4, 5, 6, 7, 8],
        check_source: false,
    };
    let data = pyc::code_to_pyc(&code, hashed);
    std::fs::write(&pyc_path, &data).unwrap();
    let out = oracle.command().arg(&pyc_path).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (header, back) = pyc::read_pyc(&data, "prog", "prog.pyc").unwrap();
    assert_eq!(header, hashed);
    assert_eq!(back, code);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_pycs_are_rejected_with_importlibs_messages() {
    let code = cpython_code("x = 1\n", Path::new("m.py"));
    let good = pyc::code_to_timestamp_pyc(&code, 1_700_000_000, 6);
    assert!(pyc::read_pyc(&good, "m", "m.pyc").is_ok());
    let mut bad_magic = good.clone();
    bad_magic[0] = b'x';
    assert_eq!(
        pyc::read_pyc(&bad_magic, "m", "m.pyc").unwrap_err().to_string(),
        "ImportError: bad magic number in 'm': b'x\\r\\r\\n'"
    );
    for n in 0..good.len() {
        // Every truncation is an error, never a panic.
        assert!(pyc::read_pyc(&good[..n], "m", "m.pyc").is_err(), "{n}");
    }
    let mut not_code = good[..16].to_vec();
    not_code.push(b'N');
    assert_eq!(
        pyc::read_pyc(&not_code, "m", "m.pyc").unwrap_err().to_string(),
        "ImportError: Non-code object in 'm.pyc'"
    );
}
