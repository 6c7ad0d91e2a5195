//! Generates the parser from `grammar/python.gram` with pyrite-pegen.

fn main() {
    let gram = "../../grammar/python.gram";
    let tokens = "../../grammar/Tokens";
    println!("cargo:rerun-if-changed={gram}");
    println!("cargo:rerun-if-changed={tokens}");
    let g = std::fs::read_to_string(gram).expect("grammar/python.gram");
    let t = std::fs::read_to_string(tokens).expect("grammar/Tokens");
    let code = match pyrite_pegen::generate(&g, &t) {
        Ok(c) => c,
        Err(e) => panic!("{gram}: {e}"),
    };
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("parser.rs");
    std::fs::write(out, code).unwrap();
}
