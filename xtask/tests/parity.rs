//! The parity ratchet, run by `cargo test`: every stage over the whole corpus and over its own
//! edge cases, against the oracle. Fails if any count is below the one recorded in parity.toml,
//! or if the oracle cannot be found. (A plain `main`: its report is meant to be seen.)

use pyrite_oracle::Oracle;
use xtask::{describe, run_stage, stages, FileSet, Ratchet};

fn main() {
    let oracle = match Oracle::find() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("parity: cannot run without the oracle.\n{e}");
            std::process::exit(1);
        }
    };
    let ratchet = match Ratchet::load() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("parity: {e}");
            std::process::exit(1);
        }
    };
    let (mut passed, mut failed) = (0, 0);
    for stage in stages() {
        for set in FileSet::ALL {
            let key = set.key(stage.name());
            let files = set.files(oracle, stage.name());
            if files.is_empty() {
                continue;
            }
            let report = match run_stage(stage.as_ref(), key.clone(), oracle, &files) {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("{key}: the run failed: {e}");
                    failed += 1;
                    continue;
                }
            };
            let recorded = ratchet.get(&key);
            println!(
                "{key}: {}/{} identical (ratchet: {recorded})",
                report.same, report.total
            );
            if report.same < recorded {
                failed += 1;
                println!("{key}: FAILED, parity dropped below the ratchet. First differences:");
                for m in report.mismatches.iter().take(3) {
                    print!("{}", describe(m));
                }
            } else {
                passed += 1;
                if report.same > recorded {
                    println!(
                        "{key}: above the ratchet; record it with `cargo xtask parity {} --update`",
                        stage.name()
                    );
                }
            }
        }
    }
    println!("parity: {passed} passed, {failed} failed");
    if failed > 0 {
        std::process::exit(1);
    }
}
