//! The single-source grammar files agree with the oracle: `grammar/Tokens` with the `token`
//! module, `grammar/Python.asdl` with the `ast` module.

use pyrite_oracle::Oracle;
use pyrite_tokenizer::token::{EXACT_TOKEN_TYPES, N_TOKENS, TOKEN_NAMES};

fn oracle() -> &'static Oracle {
    Oracle::find().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn token_types_match_the_token_module() {
    let program = "import token\nprint(token.N_TOKENS)\nprint(' '.join(token.tok_name[i] for i in range(token.N_TOKENS)))\nfor s, t in sorted(token.EXACT_TOKEN_TYPES.items(), key=lambda kv: kv[1]):\n    print(t, s)\n";
    let out = oracle().run_python(program, "").unwrap_or_else(|e| panic!("{e}"));
    let mut lines = out.lines();
    assert_eq!(
        lines.next().unwrap().parse::<usize>().unwrap(),
        N_TOKENS,
        "token.N_TOKENS"
    );
    let names: Vec<&str> = lines.next().unwrap().split(' ').collect();
    assert_eq!(names, TOKEN_NAMES, "token.tok_name");
    let exact: Vec<(usize, &str)> = lines
        .map(|l| {
            let (t, s) = l.split_once(' ').unwrap();
            (t.parse().unwrap(), s)
        })
        .collect();
    let ours: Vec<(usize, &str)> = EXACT_TOKEN_TYPES.iter().map(|&(s, t)| (t as usize, s)).collect();
    assert_eq!(ours, exact, "token.EXACT_TOKEN_TYPES");
}

#[test]
fn the_asdl_matches_the_ast_module() {
    let script = xtask::repo_root().join("tools/gen/python_asdl.py");
    let out = oracle().command().arg(script).arg("--check").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}
