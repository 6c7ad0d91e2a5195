//! Generates `$OUT_DIR/opcodes.rs` from `grammar/bytecodes.def`, the instruction definitions
//! (the job CPython's `Tools/cases_generator` does for `Python/bytecodes.c` and
//! `Tools/build/generate_opcode_h.py` for `Lib/opcode.py`).
//!
//! The file is read by `src/dsl.rs` (shared with the library); this script only writes Rust:
//! the constants, the `Opcode` enum, one `InstrDef` per opcode (flags, caches, family, stack
//! items, body text), the raw stack-effect functions, the specialization families and the small
//! tables (`CMP_OPS`, `NB_OPS`, intrinsics).

use std::fmt::Write as _;

#[allow(dead_code)]
#[path = "src/dsl.rs"]
mod dsl;

use dsl::{Effect, Model, OpKind, OpModel, StackItem, TableShape};

const DEF_PATH: &str = "../../grammar/bytecodes.def";

fn main() {
    println!("cargo:rerun-if-changed={DEF_PATH}");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/dsl.rs");
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR");
    let path = std::path::Path::new(&manifest).join(DEF_PATH);
    let src = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let model = match dsl::load(&src) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("error: grammar/bytecodes.def: {e}");
            std::process::exit(1);
        }
    };
    let code = generate(&model);
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("opcodes.rs");
    std::fs::write(&out, code).unwrap_or_else(|e| panic!("cannot write {}: {e}", out.display()));
}

fn name_of(model: &Model, number: u16) -> &str {
    &model.op(number).expect("checked").inst.name
}

fn op_path(model: &Model, number: u16) -> String {
    format!("Opcode::{}", name_of(model, number))
}

fn str_lit(s: &str) -> String {
    format!("{s:?}")
}

fn opt_str(s: Option<&str>) -> String {
    match s {
        Some(s) => format!("Some({})", str_lit(s)),
        None => "None".into(),
    }
}

fn items(list: &[StackItem]) -> String {
    let mut s = String::from("&[");
    for (i, it) in list.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        let _ = write!(
            s,
            "StackItem {{ name: {}, size: {}, condition: {} }}",
            str_lit(&it.name),
            opt_str(it.size.as_ref().map(|e| e.text.as_str())),
            opt_str(it.condition.as_ref().map(|e| e.text.as_str())),
        );
    }
    s.push(']');
    s
}

fn effect(e: Option<&Effect>) -> String {
    match e {
        Some(e) => format!(
            "Some(StackEffect {{ inputs: {}, outputs: {} }})",
            items(&e.inputs),
            items(&e.outputs)
        ),
        None => "None".into(),
    }
}

fn caches(list: &[(String, u8)]) -> String {
    let parts: Vec<String> = list.iter().map(|(n, s)| format!("({}, {s})", str_lit(n))).collect();
    format!("&[{}]", parts.join(", "))
}

fn ops_slice(model: &Model, list: &[u16]) -> String {
    let parts: Vec<String> = list.iter().map(|&n| op_path(model, n)).collect();
    format!("&[{}]", parts.join(", "))
}

fn kind(k: OpKind) -> &'static str {
    match k {
        OpKind::Base => "OpKind::Base",
        OpKind::Specialized => "OpKind::Specialized",
        OpKind::Instrumented => "OpKind::Instrumented",
        OpKind::Pseudo => "OpKind::Pseudo",
    }
}

fn flags_expr(bits: u32) -> String {
    let names: Vec<String> = dsl::flags::ALL
        .iter()
        .filter(|(_, b)| bits & b != 0)
        .map(|(n, _)| format!("flags::{n}"))
        .collect();
    if names.is_empty() {
        "0".into()
    } else {
        names.join(" | ")
    }
}

fn effect_text(e: &Effect) -> String {
    let item = |it: &StackItem| {
        let mut s = it.name.clone();
        if let Some(size) = &it.size {
            let _ = write!(s, "[{}]", size.text);
        }
        if let Some(c) = &it.condition {
            let _ = write!(s, " if {}", c.text);
        }
        s
    };
    let mut inputs: Vec<String> = e.caches.iter().map(|c| format!("{}/{}", c.name, c.size)).collect();
    inputs.extend(e.inputs.iter().map(item));
    let outputs: Vec<String> = e.outputs.iter().map(item).collect();
    let join = |v: &[String]| v.join(", ");
    match (inputs.is_empty(), outputs.is_empty()) {
        (true, true) => "(--)".into(),
        (true, false) => format!("(-- {})", join(&outputs)),
        (false, true) => format!("({} --)", join(&inputs)),
        (false, false) => format!("({} -- {})", join(&inputs), join(&outputs)),
    }
}

/// The match arm body computing the popped (or pushed) count.
fn count_arm(model: &Model, op: &OpModel, pushed: bool) -> Option<String> {
    let side = |e: &Effect| {
        let list = if pushed { &e.outputs } else { &e.inputs };
        Effect::sum_rust(list, &model.const_values)
    };
    let normal = side(op.inst.effect.as_ref()?);
    match op.inst.jump_effect.as_ref().map(side) {
        Some(jump) if jump != normal => Some(format!("if jump {{ {jump} }} else {{ {normal} }}")),
        _ => Some(normal),
    }
}

fn generate(model: &Model) -> String {
    let mut s = String::new();
    s.push_str("// @generated by crates/pyrite-opcode/build.rs from grammar/bytecodes.def. Do not edit.\n\n");

    // Constants.
    for c in &model.consts {
        let _ = writeln!(
            s,
            "/// `const {}: {} = {};` of `grammar/bytecodes.def`.",
            c.name, c.ty, c.expr.text
        );
        let _ = writeln!(s, "pub const {}: {} = {};", c.name, c.ty, c.value);
    }
    let _ = writeln!(
        s,
        "/// The highest pseudo-instruction number (`opcode.MAX_PSEUDO_OPCODE`)."
    );
    let _ = writeln!(s, "pub const MAX_PSEUDO_OPCODE: u16 = {};", model.max_pseudo);
    let _ = writeln!(s, "/// The highest real opcode number (`MAX_REAL_OPCODE`).");
    let _ = writeln!(s, "pub const MAX_REAL_OPCODE: u16 = {};", model.max_real);
    if let Some(ext) = model.by_name("EXTENDED_ARG") {
        let _ = writeln!(s, "/// The number of EXTENDED_ARG (`opcode.EXTENDED_ARG`).");
        let _ = writeln!(s, "pub const EXTENDED_ARG: u16 = {};", ext.inst.number);
    }
    let _ = writeln!(
        s,
        "/// How many opcodes are defined (real, specialized, instrumented and pseudo)."
    );
    let _ = writeln!(s, "pub const NUM_OPCODES: usize = {};\n", model.ops.len());

    // The enum.
    s.push_str("/// Every opcode of CPython 3.12.1: real, specialized, instrumented and pseudo, with its number.\n");
    s.push_str("#[repr(u16)]\n#[allow(non_camel_case_types)]\n");
    s.push_str("#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]\npub enum Opcode {\n");
    for op in &model.ops {
        let what = match op.kind {
            OpKind::Base => String::new(),
            OpKind::Specialized => format!(" Specialization of {}.", name_of(model, op.deopt)),
            OpKind::Instrumented => " Instrumented.".into(),
            OpKind::Pseudo => " Pseudo-instruction.".into(),
        };
        let eff = match &op.inst.effect {
            Some(e) => format!("`{}`", effect_text(e)),
            None => "no stack effect".into(),
        };
        let _ = writeln!(s, "    /// {eff}.{what}");
        let _ = writeln!(s, "    {} = {},", op.inst.name, op.inst.number);
    }
    s.push_str("}\n\n");

    // ALL, from_u16, index.
    s.push_str("impl Opcode {\n");
    s.push_str("    /// Every opcode, by number.\n");
    let _ = writeln!(s, "    pub const ALL: [Opcode; NUM_OPCODES] = [");
    for op in &model.ops {
        let _ = writeln!(s, "        Opcode::{},", op.inst.name);
    }
    s.push_str("    ];\n\n");
    s.push_str("    /// The opcode with this number, if there is one.\n");
    s.push_str("    pub const fn from_u16(n: u16) -> Option<Opcode> {\n        match n {\n");
    for op in &model.ops {
        let _ = writeln!(s, "            {} => Some(Opcode::{}),", op.inst.number, op.inst.name);
    }
    s.push_str("            _ => None,\n        }\n    }\n\n");
    s.push_str("    /// Its position in [`Opcode::ALL`] (a table lookup by number: the hot path of every\n");
    s.push_str("    /// property).\n");
    s.push_str("    #[inline]\n    pub const fn index(self) -> usize {\n        INDEX_BY_NUMBER[self as usize] as usize\n    }\n}\n\n");
    let max = model.ops.iter().map(|op| op.inst.number as usize).max().unwrap_or(0);
    let mut table = vec![u16::MAX; max + 1];
    for (i, op) in model.ops.iter().enumerate() {
        table[op.inst.number as usize] = i as u16;
    }
    let _ = writeln!(s, "/// `Opcode::index` by opcode number (u16::MAX: no such opcode).");
    let _ = writeln!(s, "static INDEX_BY_NUMBER: [u16; {}] = [", max + 1);
    for chunk in table.chunks(16) {
        let line: Vec<String> = chunk.iter().map(|v| v.to_string()).collect();
        let _ = writeln!(s, "    {},", line.join(", "));
    }
    s.push_str("];\n\n");

    // The definitions.
    s.push_str("static DEFS: [InstrDef; NUM_OPCODES] = [\n");
    for op in &model.ops {
        let i = &op.inst;
        let own_caches: Vec<(String, u8)> = i
            .effect
            .as_ref()
            .map(|e| e.caches.iter().map(|c| (c.name.clone(), c.size)).collect())
            .unwrap_or_default();
        let uninstrumented = match op.uninstrumented {
            Some(n) => format!("Some({})", op_path(model, n)),
            None => "None".into(),
        };
        let _ = writeln!(s, "    InstrDef {{");
        let _ = writeln!(s, "        opcode: Opcode::{},", i.name);
        let _ = writeln!(s, "        name: {},", str_lit(&i.name));
        let _ = writeln!(s, "        kind: {},", kind(op.kind));
        let _ = writeln!(s, "        flags: {},", flags_expr(op.flags));
        let _ = writeln!(s, "        effect: {},", effect(i.effect.as_ref()));
        let _ = writeln!(s, "        jump_effect: {},", effect(i.jump_effect.as_ref()));
        let _ = writeln!(s, "        caches: {},", caches(&own_caches));
        let _ = writeln!(s, "        cache_format: {},", caches(&op.cache_format));
        let _ = writeln!(s, "        cache_entries: {},", op.cache_entries);
        let _ = writeln!(s, "        deopt: {},", op_path(model, op.deopt));
        let _ = writeln!(s, "        specializations: {},", ops_slice(model, &op.specializations));
        let _ = writeln!(s, "        pseudo_targets: {},", ops_slice(model, &op.targets));
        let _ = writeln!(s, "        uninstrumented: {uninstrumented},");
        let _ = writeln!(
            s,
            "        body: {},",
            opt_str(i.body.as_ref().map(|b| b.text.as_str()))
        );
        let _ = writeln!(s, "        line: {},", i.pos.line);
        let _ = writeln!(s, "    }},");
    }
    s.push_str("];\n\n");

    // Names, sorted for binary search.
    let mut names: Vec<&str> = model.ops.iter().map(|o| o.inst.name.as_str()).collect();
    names.sort_unstable();
    s.push_str("static BY_NAME: [(&str, Opcode); NUM_OPCODES] = [\n");
    for n in &names {
        let _ = writeln!(s, "    ({}, Opcode::{n}),", str_lit(n));
    }
    s.push_str("];\n\n");

    // Stack effects.
    for (fname, pushed) in [("num_popped_raw", false), ("num_pushed_raw", true)] {
        let what = if pushed { "pushes" } else { "pops" };
        let _ = writeln!(
            s,
            "/// How many values `op` {what} for `oparg` (jumping or not), as its definition's stack items\n\
             /// add up with C `int` arithmetic; `None` if it has no stack effect metadata."
        );
        let _ = writeln!(s, "#[allow(unused_variables)]");
        let _ = writeln!(s, "fn {fname}(op: Opcode, oparg: i32, jump: bool) -> Option<i32> {{");
        s.push_str("    Some(match op {\n");
        for op in &model.ops {
            if let Some(arm) = count_arm(model, op, pushed) {
                let _ = writeln!(s, "        Opcode::{} => {arm},", op.inst.name);
            }
        }
        s.push_str("        _ => return None,\n    })\n}\n\n");
    }

    // Families.
    s.push_str("/// The specialization families (`opcode._specializations`): base instruction and\n");
    s.push_str("/// specializations, in definition order.\n");
    let _ = writeln!(
        s,
        "pub static SPECIALIZATIONS: [(Opcode, &[Opcode]); {}] = [",
        model.families.len()
    );
    for (head, members) in &model.families {
        let _ = writeln!(s, "    ({}, {}),", op_path(model, *head), ops_slice(model, members));
    }
    s.push_str("];\n\n");

    // Tables.
    for t in &model.tables {
        let n = t.entries.len();
        let _ = writeln!(s, "/// `table {}` of `grammar/bytecodes.def`.", t.name);
        match t.shape() {
            TableShape::Strings => {
                let v: Vec<String> = t
                    .entries
                    .iter()
                    .map(|e| str_lit(e.string.as_deref().unwrap_or("")))
                    .collect();
                let _ = writeln!(s, "pub const {}: [&str; {n}] = [{}];", t.name, v.join(", "));
            }
            TableShape::Idents => {
                let v: Vec<String> = t
                    .entries
                    .iter()
                    .map(|e| str_lit(e.ident.as_deref().unwrap_or("")))
                    .collect();
                let _ = writeln!(s, "pub const {}: [&str; {n}] = [{}];", t.name, v.join(", "));
            }
            TableShape::Pairs => {
                let v: Vec<String> = t
                    .entries
                    .iter()
                    .map(|e| {
                        format!(
                            "({}, {})",
                            str_lit(e.ident.as_deref().unwrap_or("")),
                            str_lit(e.string.as_deref().unwrap_or(""))
                        )
                    })
                    .collect();
                let _ = writeln!(s, "pub const {}: [(&str, &str); {n}] = [{}];", t.name, v.join(", "));
            }
        }
        for (i, e) in t.entries.iter().enumerate() {
            if let Some(id) = &e.ident {
                let _ = writeln!(s, "/// Index {i} of [`{}`].", t.name);
                let _ = writeln!(s, "pub const {id}: i32 = {i};");
            }
        }
        s.push('\n');
    }
    s
}
