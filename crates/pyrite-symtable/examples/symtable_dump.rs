//! Print the symbol table dump of each file given (the format of `tools/oracle/symtable_dump.py`).
//!
//! `cargo run -p pyrite-symtable --example symtable_dump -- FILE...`

use bumpalo::Bump;

fn main() {
    for path in std::env::args().skip(1) {
        let source = std::fs::read(&path).expect("readable file");
        let arena = Bump::new();
        let fname = arena.alloc_str(&path);
        println!("=== {path}");
        let module = match pyrite_parser::parse_module(&arena, &source, fname).module {
            Ok(m) => m,
            Err(e) => {
                print!("ERROR\n{}", e.format_exception_only(&path));
                continue;
            }
        };
        let result = pyrite_symtable::future_features(module, &path)
            .and_then(|future| pyrite_symtable::build(module, &path, &future));
        match result {
            Ok(table) => print!("{}", pyrite_symtable::dump(&table)),
            Err(e) if pyrite_symtable::is_recursion_error(&e) => print!("ERROR\nRecursionError: {}\n", e.msg),
            Err(e) => print!("ERROR\n{}", e.format_exception_only(&path)),
        }
    }
}
