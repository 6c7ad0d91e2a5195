//! The real `pyrite` binary against the real `python3.12 -m tokenize`, byte for byte.

use pyrite_oracle::Oracle;
use std::path::Path;
use std::process::Command;

fn compare(args: &[&str], dir: &Path) {
    let oracle = Oracle::find().unwrap_or_else(|e| panic!("{e}"));
    let mut py_args = vec!["-m", "tokenize"];
    py_args.extend_from_slice(args);
    let expected = oracle.command().args(&py_args).current_dir(dir).output().unwrap();
    let ours = Command::new(env!("CARGO_BIN_EXE_pyrite"))
        .arg("tokenize")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&ours.stdout),
        String::from_utf8_lossy(&expected.stdout),
        "stdout of {args:?}"
    );
    assert_eq!(
        String::from_utf8_lossy(&ours.stderr),
        String::from_utf8_lossy(&expected.stderr),
        "stderr of {args:?}"
    );
    assert_eq!(ours.status.code(), expected.status.code(), "exit status of {args:?}");
}

#[test]
fn pyrite_tokenize_matches_python_m_tokenize() {
    let dir = std::env::temp_dir().join(format!("pyrite-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let files: &[(&str, &[u8])] = &[
        ("plain.py", b"def f(x):\n    return x + 1\n"),
        ("fstring.py", b"name = 'w'\nprint(f\"hello {name!r:>10} {{x}}\")\n"),
        ("crlf.py", b"if x:\r\n    y = 1\r\n"),
        ("no_newline.py", b"x = 1"),
        ("unterminated.py", b"x = 'abc\n"),
        ("latin1.py", b"# -*- coding: latin-1 -*-\nx = '\xe9'\n"),
        ("warning.py", b"x = f\"\\{y}\"\n"),
    ];
    for (name, content) in files {
        std::fs::write(dir.join(name), content).unwrap();
        compare(&[name], &dir);
        compare(&["-e", name], &dir);
    }
    compare(&["-e", "does_not_exist.py"], &dir);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_bundled_example_tokenizes_like_cpython() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    compare(&["-e", "point.py"], &examples);
}
