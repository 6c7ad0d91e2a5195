//! Parse the given files (or every `.py` file under the given directories) in memory, `--runs N`
//! times, and print the time of each run: a harness for profilers (`perf record`, callgrind).

use pyrite_tokenizer::lexer::{Lexer, LexerOptions};
use pyrite_tokenizer::token::TokenType;
use std::path::PathBuf;
use std::time::Instant;

fn collect(path: PathBuf, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(&path)
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        entries.sort();
        for e in entries {
            if !e.ends_with("site-packages") {
                collect(e, out);
            }
        }
    } else if path.extension().is_some_and(|x| x == "py") {
        out.push(path);
    }
}

fn main() {
    let mut runs = 1;
    let mut lex_only = false;
    let mut paths = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--lex-only" {
            lex_only = true;
        } else if a == "--runs" {
            runs = args.next().and_then(|n| n.parse().ok()).expect("--runs N");
        } else {
            collect(PathBuf::from(a), &mut paths);
        }
    }
    let sources: Vec<(String, Vec<u8>)> = paths
        .iter()
        .map(|p| (p.display().to_string(), std::fs::read(p).expect("readable file")))
        .collect();
    let work = move || {
        let mut arena = bumpalo::Bump::new();
        for _ in 0..runs {
            let t = Instant::now();
            let mut ok = 0;
            for (name, src) in &sources {
                arena.reset();
                if lex_only {
                    // The tokenizer alone, as the parser drives it: the floor under the parser.
                    let Ok(prepared) = pyrite_parser::source::prepare(&arena, src) else {
                        continue;
                    };
                    let mut lexer = Lexer::new(prepared.text, false, LexerOptions::default());
                    loop {
                        let t = lexer.next_token();
                        if t.kind == TokenType::ENDMARKER || t.kind == TokenType::ERRORTOKEN {
                            break;
                        }
                        ok += 1;
                    }
                    continue;
                }
                ok += pyrite_parser::parse_module(&arena, src, name).module.is_ok() as usize;
            }
            println!("{ok}/{} parsed in {:.3} s", sources.len(), t.elapsed().as_secs_f64());
        }
    };
    std::thread::Builder::new()
        .stack_size(1 << 30)
        .spawn(work)
        .expect("thread")
        .join()
        .expect("parser thread");
}
