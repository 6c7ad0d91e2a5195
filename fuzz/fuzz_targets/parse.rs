//! Fuzz the parser: arbitrary bytes through `parse_module` (source preparation, tokenizer, both
//! passes, error reporting) and `ast.dump` of what parses. Nothing may panic, hang or overflow the
//! stack. The parser recurses as deep as CPython's limits allow, so each input runs on a thread
//! with the large stack `pyrite ast` gives it.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let data = data.to_vec();
    std::thread::Builder::new()
        .stack_size(1 << 30)
        .spawn(move || {
            let arena = bumpalo::Bump::new();
            let parsed = pyrite_parser::parse_module(&arena, &data, "fuzz.py");
            if let Ok(module) = parsed.module {
                std::hint::black_box(pyrite_ast::dump_mod(module, true, None));
            }
        })
        .expect("thread")
        .join()
        .expect("the parser panicked");
});
