//! Differential tests of the generated instruction tables against CPython 3.12.1: its `opcode`
//! and `dis` modules, and the C headers it installs (`opcode.h`, `internal/pycore_opcode.h`,
//! `internal/pycore_opcode_utils.h`). One oracle run prints everything as a compact table.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

use pyrite_opcode::{
    OpKind, Opcode, CMP_OPS, EXTENDED_ARG, HAVE_ARGUMENT, INTRINSIC_1_DESCS, INTRINSIC_2_DESCS, MAX_PSEUDO_OPCODE,
    MIN_INSTRUMENTED_OPCODE, MIN_PSEUDO_OPCODE, NB_OPS, SPECIALIZATIONS,
};
use pyrite_oracle::Oracle;

/// The opargs `dis.stack_effect` is asked about: every small value, and values around the
/// points where C `int` arithmetic wraps or goes negative.
fn opargs() -> Vec<i32> {
    let mut v: Vec<i32> = (0..=300).collect();
    v.extend([
        511,
        512,
        0xFFFF,
        0x1_0000,
        0x1_0005,
        1 << 20,
        (1 << 24) - 1,
        1 << 30,
        (1 << 30) + 1,
        i32::MAX - 1,
        i32::MAX,
        -1,
        -2,
        -3,
        -4,
        -255,
        -256,
        -257,
        -(1 << 16),
        -(1 << 30),
        -(1 << 30) - 1,
        i32::MIN + 1,
        i32::MIN,
    ]);
    v
}

const PROGRAM: &str = r##"
import dis, opcode, os, re, sys, sysconfig

OPARGS = [int(x) for x in sys.stdin.read().split()]
out = []
w = out.append
for name, num in opcode.opmap.items():
    w(f"opmap {name} {num}")
for name in opcode._specialized_instructions:
    w(f"spec {name} {dis._all_opmap[name]}")
for i, name in enumerate(opcode.opname):
    w(f"opname {i} {name}")
for i, name in enumerate(dis._all_opname):
    w(f"allopname {i} {name}")
for i, n in enumerate(opcode._inline_cache_entries):
    w(f"ice {i} {n}")
for lname in ["hasarg", "hasconst", "hasname", "hasjrel", "hasjabs", "haslocal", "hasfree",
              "hascompare", "hasexc"]:
    w(f"list {lname} " + " ".join(map(str, getattr(opcode, lname))))
for head, members in opcode._specializations.items():
    w(f"family {head} " + " ".join(members))
for head, fmt in opcode._cache_format.items():
    w(f"cachefmt {head} " + " ".join(f"{k}={v}" for k, v in fmt.items()))
w("cmp_op " + " ".join(opcode.cmp_op))
for name, sym in opcode._nb_ops:
    w(f"nb_op {name} {sym}")
w("intr1 " + " ".join(opcode._intrinsic_1_descs))
w("intr2 " + " ".join(opcode._intrinsic_2_descs))
for name, targets in opcode._pseudo_ops.items():
    w(f"pseudo {name} " + " ".join(targets))
for c in ["HAVE_ARGUMENT", "EXTENDED_ARG", "MIN_INSTRUMENTED_OPCODE", "MIN_PSEUDO_OPCODE",
          "MAX_PSEUDO_OPCODE"]:
    w(f"const {c} {getattr(opcode, c)}")
for op in range(opcode.MAX_PSEUDO_OPCODE + 1):
    w(f"deopt {op} {dis._deoptop(op)} {int(opcode.is_pseudo(op))}")

inc = sysconfig.get_path("include")
h = open(os.path.join(inc, "opcode.h")).read()
for m in re.finditer(r"^#define (\w+)\s+(\d+)\s*$", h, re.M):
    w(f"cdefine {m[1]} {m[2]}")
u = open(os.path.join(inc, "internal", "pycore_opcode_utils.h")).read()
for macro in ["IS_BLOCK_PUSH_OPCODE", "IS_UNCONDITIONAL_JUMP_OPCODE", "IS_SCOPE_EXIT_OPCODE",
              "IS_BACKWARDS_JUMP_OPCODE", "IS_ASSEMBLER_OPCODE"]:
    body = re.search(r"#define " + macro + r"\(opcode\)((?:.*\\\n)*.*)", u)[1]
    w(f"cmacro {macro} " + " ".join(re.findall(r"\(opcode\) == (\w+)", body)))
p = open(os.path.join(inc, "internal", "pycore_opcode.h")).read()
words = [int(x.strip().rstrip("U")) for x in
         re.search(r"_PyOpcode_Jump\[9\] = \{([^}]*)\}", p)[1].split(",") if x.strip()]
w("cjump " + " ".join(str(i) for i in range(32 * len(words)) if words[i // 32] >> (i % 32) & 1))
for m in re.finditer(r"\[(\w+)\] = (\d+)", re.search(r"_PyOpcode_Caches\[256\] = \{([^}]*)\}", p)[1]):
    w(f"ccache {m[1]} {m[2]}")
for m in re.finditer(r"\[(\w+)\] = (\w+)", re.search(r"_PyOpcode_Deopt\[256\] = \{([^}]*)\}", p)[1]):
    w(f"cdeopt {m[1]} {m[2]}")

def se(op, *arg, jump):
    try:
        return str(dis.stack_effect(op, *arg, jump=jump))
    except ValueError as e:
        s = str(e)
        return "R" if "requires oparg" in s else "P" if "does not permit" in s else "X"

for op in range(opcode.MAX_PSEUDO_OPCODE + 1):
    for jname, jump in (("N", None), ("T", True), ("F", False)):
        w(f"se {op} {jname} {se(op, jump=jump)} " + " ".join(se(op, a, jump=jump) for a in OPARGS))
print("\n".join(out))
"##;

/// The oracle's output, split into lines of words.
fn dump() -> &'static Vec<Vec<String>> {
    static DUMP: OnceLock<Vec<Vec<String>>> = OnceLock::new();
    DUMP.get_or_init(|| {
        let input: Vec<String> = opargs().iter().map(i32::to_string).collect();
        let text = Oracle::require()
            .run_python(PROGRAM, &input.join(" "))
            .unwrap_or_else(|e| panic!("the oracle failed: {e}"));
        text.lines()
            .map(|l| l.split_whitespace().map(str::to_string).collect())
            .collect()
    })
}

/// The lines starting with `key`, without it.
fn section(key: &str) -> Vec<&'static [String]> {
    let lines: Vec<&'static [String]> = dump().iter().filter(|l| l[0] == key).map(|l| &l[1..]).collect();
    assert!(!lines.is_empty(), "the oracle printed no `{key}` lines");
    lines
}

fn num(s: &str) -> u16 {
    s.parse().unwrap_or_else(|_| panic!("not a number: {s}"))
}

fn op_named(name: &str) -> Opcode {
    Opcode::from_name(name).unwrap_or_else(|| panic!("{name} is not defined"))
}

fn names(ops: impl IntoIterator<Item = Opcode>) -> Vec<&'static str> {
    ops.into_iter().map(Opcode::name).collect()
}

#[test]
fn names_and_numbers() {
    // opcode.opmap (real, instrumented and pseudo) and the specialized instructions, both ways.
    let mut expected: BTreeMap<u16, String> = BTreeMap::new();
    for l in section("opmap").into_iter().chain(section("spec")) {
        assert!(
            expected.insert(num(&l[1]), l[0].clone()).is_none(),
            "number {} twice",
            l[1]
        );
    }
    let ours: BTreeMap<u16, String> = Opcode::ALL
        .iter()
        .map(|op| (op.number(), op.name().to_string()))
        .collect();
    assert_eq!(ours, expected);
    for l in section("opmap") {
        let op = op_named(&l[0]);
        assert_eq!(op.number(), num(&l[1]));
        assert!(!op.is_specialized(), "{op} is in opcode.opmap");
    }
    for l in section("spec") {
        let op = op_named(&l[0]);
        assert_eq!(op.number(), num(&l[1]));
        assert!(op.is_specialized(), "{op}");
    }
    // The order of opcode._specialized_instructions is that of the families.
    let spec_order: Vec<&str> = section("spec").iter().map(|l| l[0].as_str()).collect();
    let family_order: Vec<&str> = SPECIALIZATIONS
        .iter()
        .flat_map(|(_, m)| names(m.iter().copied()))
        .collect();
    assert_eq!(family_order, spec_order);
    assert_eq!(spec_order.len(), 64);

    // opname (opcode.opname, and dis._all_opname with the specialized names) for every number.
    for l in section("allopname") {
        let n = num(&l[0]);
        let ours = Opcode::from_u16(n).map_or(format!("<{n}>"), |op| op.name().to_string());
        assert_eq!(ours, l[1], "dis._all_opname[{n}]");
        assert_eq!(
            Opcode::from_u16(n).map(|op| op.number()),
            Opcode::from_u16(n).map(|_| n)
        );
    }
    for l in section("opname") {
        let n = num(&l[0]);
        let ours = Opcode::from_u16(n).filter(|op| !op.is_specialized());
        assert_eq!(
            ours.map_or(format!("<{n}>"), |op| op.name().to_string()),
            l[1],
            "opcode.opname[{n}]"
        );
    }
    let count = section("allopname").len() as u16;
    assert!(Opcode::ALL.iter().all(|op| op.number() < count));
    for n in count..=1024 {
        assert_eq!(Opcode::from_u16(n), None);
    }
    for n in 0..=255u8 {
        assert_eq!(Opcode::from_u8(n), Opcode::from_u16(n as u16));
    }

    // The C header's numbers (opcode.h) agree, the specialized ones included.
    let cdefines: HashMap<&str, u16> = section("cdefine").iter().map(|l| (l[0].as_str(), num(&l[1]))).collect();
    for op in Opcode::ALL {
        assert_eq!(cdefines.get(op.name()), Some(&op.number()), "opcode.h's {op}");
    }
    let skip = [
        "HAVE_ARGUMENT",
        "MIN_INSTRUMENTED_OPCODE",
        "MIN_PSEUDO_OPCODE",
        "MAX_PSEUDO_OPCODE",
        "ENABLE_SPECIALIZATION",
    ];
    for (name, n) in &cdefines {
        if !name.starts_with("NB_") && !skip.contains(name) {
            assert_eq!(
                Opcode::from_name(name).map(Opcode::number),
                Some(*n),
                "opcode.h's {name}"
            );
        }
    }
}

#[test]
fn constants() {
    let consts: HashMap<&str, u16> = section("const").iter().map(|l| (l[0].as_str(), num(&l[1]))).collect();
    assert_eq!(consts["HAVE_ARGUMENT"], HAVE_ARGUMENT);
    assert_eq!(consts["EXTENDED_ARG"], EXTENDED_ARG);
    assert_eq!(consts["MIN_INSTRUMENTED_OPCODE"], MIN_INSTRUMENTED_OPCODE);
    assert_eq!(consts["MIN_PSEUDO_OPCODE"], MIN_PSEUDO_OPCODE);
    assert_eq!(consts["MAX_PSEUDO_OPCODE"], MAX_PSEUDO_OPCODE);
    assert_eq!(Opcode::EXTENDED_ARG.number(), EXTENDED_ARG);
}

#[test]
fn kinds_and_deopt() {
    for l in section("deopt") {
        let n = num(&l[0]);
        let Some(op) = Opcode::from_u16(n) else { continue };
        assert_eq!(op.deopt().number(), num(&l[1]), "dis._deoptop({op})");
        assert_eq!(op.is_pseudo(), l[2] == "1", "opcode.is_pseudo({op})");
        assert_eq!(
            op.is_instrumented(),
            (MIN_INSTRUMENTED_OPCODE..256).contains(&n),
            "{op}"
        );
        assert_eq!(op.is_specialized(), op.deopt() != op, "{op}");
        let kinds = [op.is_pseudo(), op.is_specialized(), op.is_instrumented()];
        assert!(kinds.iter().filter(|&&k| k).count() <= 1, "{op}");
        assert_eq!(op.kind() == OpKind::Base, !kinds.iter().any(|&k| k), "{op}");
    }
    // _PyOpcode_Deopt of the C tables, for every real opcode.
    let cdeopt: HashMap<&str, &str> = section("cdeopt")
        .iter()
        .map(|l| (l[0].as_str(), l[1].as_str()))
        .collect();
    for op in Opcode::ALL.iter().filter(|op| !op.is_pseudo()) {
        assert_eq!(
            cdeopt.get(op.name()).copied(),
            Some(op.deopt().name()),
            "_PyOpcode_Deopt[{op}]"
        );
    }
    assert_eq!(cdeopt.len(), Opcode::ALL.iter().filter(|op| !op.is_pseudo()).count());
    for op in Opcode::ALL {
        match op.uninstrumented() {
            Some(base) => assert_eq!(format!("INSTRUMENTED_{base}"), op.name()),
            None => assert!(
                !op.is_instrumented() || matches!(op, Opcode::INSTRUMENTED_LINE | Opcode::INSTRUMENTED_INSTRUCTION),
                "{op}"
            ),
        }
    }
}

#[test]
fn inline_caches() {
    let ice: Vec<u8> = section("ice").iter().map(|l| num(&l[1]) as u8).collect();
    for op in Opcode::ALL {
        let n = op.number() as usize;
        if op.is_pseudo() {
            assert_eq!(op.cache_entries(), 0, "{op}");
        } else if op.is_specialized() {
            assert_eq!(op.cache_entries(), ice[op.deopt().number() as usize], "{op}");
            assert_eq!(ice[n], 0, "CPython lists no caches under a specialized number ({op})");
        } else {
            assert_eq!(op.cache_entries(), ice[n], "_inline_cache_entries[{op}]");
        }
        let total: u32 = op.cache_format().iter().map(|&(_, s)| s as u32).sum();
        assert_eq!(total, op.cache_entries() as u32, "{op}'s cache layout adds up");
        let declared: u32 = op.definition().caches.iter().map(|&(_, s)| s as u32).sum();
        if !op.is_instrumented() {
            assert_eq!(declared, op.cache_entries() as u32, "{op} declares its caches");
        }
    }
    for (n, &entries) in ice.iter().enumerate() {
        if Opcode::from_u16(n as u16).is_none() {
            assert_eq!(entries, 0, "undefined opcode {n} has caches");
        }
    }
    // _PyOpcode_Caches of the C tables.
    let ccache: HashMap<&str, u8> = section("ccache")
        .iter()
        .map(|l| (l[0].as_str(), num(&l[1]) as u8))
        .collect();
    for op in Opcode::ALL.iter().filter(|op| !op.is_pseudo() && !op.is_specialized()) {
        assert_eq!(
            ccache.get(op.name()).copied().unwrap_or(0),
            op.cache_entries(),
            "_PyOpcode_Caches[{op}]"
        );
    }
    // _cache_format, both ways.
    let mut expected: BTreeMap<&str, Vec<(String, u8)>> = BTreeMap::new();
    for l in section("cachefmt") {
        let fmt = l[1..]
            .iter()
            .map(|kv| {
                let (k, v) = kv.split_once('=').expect("name=size");
                (k.to_string(), num(v) as u8)
            })
            .collect();
        expected.insert(l[0].as_str(), fmt);
    }
    let ours: BTreeMap<&str, Vec<(String, u8)>> = Opcode::ALL
        .iter()
        .filter(|op| op.kind() == OpKind::Base && !op.cache_format().is_empty())
        .map(|op| {
            (
                op.name(),
                op.cache_format().iter().map(|&(k, v)| (k.to_string(), v)).collect(),
            )
        })
        .collect();
    assert_eq!(ours, expected);
    for op in Opcode::ALL.iter().filter(|op| op.is_specialized()) {
        assert_eq!(op.cache_format(), op.deopt().cache_format(), "{op}");
    }
}

type Pred = fn(Opcode) -> bool;

#[test]
fn opcode_lists() {
    let preds: [(&str, Pred); 9] = [
        ("hasarg", Opcode::has_arg),
        ("hasconst", Opcode::has_const),
        ("hasname", Opcode::has_name),
        ("hasjrel", Opcode::has_jrel),
        ("hasjabs", Opcode::has_jabs),
        ("haslocal", Opcode::has_local),
        ("hasfree", Opcode::has_free),
        ("hascompare", Opcode::has_compare),
        ("hasexc", Opcode::has_exc),
    ];
    let lists: HashMap<&str, &[String]> = section("list").iter().map(|l| (l[0].as_str(), &l[1..])).collect();
    for (lname, pred) in preds {
        let expected: BTreeSet<u16> = lists[lname].iter().map(|s| num(s)).collect();
        let ours: BTreeSet<u16> = Opcode::ALL
            .iter()
            .filter(|&&op| pred(op))
            .map(|op| op.number())
            .collect();
        assert_eq!(ours, expected, "opcode.{lname}");
    }
    // HAS_ARG of opcode.h, for the non-specialized opcodes: what dis.stack_effect requires.
    let se = stack_effect_rows();
    for op in Opcode::ALL.iter().filter(|op| !op.is_specialized()) {
        let requires = se[&(op.number(), 'N')].0 == "R";
        assert_eq!(op.has_arg(), requires, "{op}: dis.stack_effect requires an oparg");
    }
}

#[test]
fn compiler_classes() {
    let macros: HashMap<&str, BTreeSet<&str>> = section("cmacro")
        .iter()
        .map(|l| (l[0].as_str(), l[1..].iter().map(String::as_str).collect()))
        .collect();
    let set = |pred: fn(Opcode) -> bool| -> BTreeSet<&str> {
        Opcode::ALL.iter().filter(|&&op| pred(op)).map(|op| op.name()).collect()
    };
    assert_eq!(set(Opcode::is_block_push), macros["IS_BLOCK_PUSH_OPCODE"]);
    assert_eq!(
        set(Opcode::is_unconditional_jump),
        macros["IS_UNCONDITIONAL_JUMP_OPCODE"]
    );
    assert_eq!(set(Opcode::is_scope_exit), macros["IS_SCOPE_EXIT_OPCODE"]);
    assert_eq!(set(Opcode::is_backward_jump), macros["IS_BACKWARDS_JUMP_OPCODE"]);
    // IS_JUMP_OPCODE is the bit table _PyOpcode_Jump.
    let cjump: BTreeSet<u16> = section("cjump")[0].iter().map(|s| num(s)).collect();
    let jumps: BTreeSet<u16> = Opcode::ALL
        .iter()
        .filter(|op| op.is_jump())
        .map(|op| op.number())
        .collect();
    assert_eq!(jumps, cjump);
    let conditional: BTreeSet<&str> = [
        "POP_JUMP_IF_FALSE",
        "POP_JUMP_IF_TRUE",
        "POP_JUMP_IF_NONE",
        "POP_JUMP_IF_NOT_NONE",
    ]
    .into();
    assert_eq!(set(Opcode::is_conditional_jump), conditional);
    for op in Opcode::ALL {
        assert_eq!(op.has_jump(), op.is_jump() || op.is_block_push(), "{op}: HAS_TARGET");
        assert_eq!(
            op.is_terminator(),
            op.is_scope_exit() || op.is_unconditional_jump(),
            "{op}"
        );
        if op.is_unconditional_jump() || op.is_conditional_jump() || op.is_backward_jump() {
            assert!(op.is_jump(), "{op}");
        }
    }
}

#[test]
fn families() {
    let expected: Vec<(String, Vec<String>)> = section("family")
        .iter()
        .map(|l| (l[0].clone(), l[1..].to_vec()))
        .collect();
    let ours: Vec<(String, Vec<String>)> = SPECIALIZATIONS
        .iter()
        .map(|(head, m)| {
            (
                head.name().to_string(),
                m.iter().map(|op| op.name().to_string()).collect(),
            )
        })
        .collect();
    assert_eq!(ours, expected, "opcode._specializations");
    for (head, members) in SPECIALIZATIONS.iter() {
        assert_eq!(head.specializations(), *members);
        for m in *members {
            assert_eq!(m.deopt(), *head);
        }
    }
}

#[test]
fn pseudo_targets() {
    let expected: BTreeMap<String, Vec<String>> = section("pseudo")
        .iter()
        .map(|l| (l[0].clone(), l[1..].to_vec()))
        .collect();
    let ours: BTreeMap<String, Vec<String>> = Opcode::ALL
        .iter()
        .filter(|op| !op.pseudo_targets().is_empty())
        .map(|op| {
            (
                op.name().to_string(),
                names(op.pseudo_targets().iter().copied())
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
            )
        })
        .collect();
    assert_eq!(ours, expected, "opcode._pseudo_ops");
    assert!(Opcode::ALL
        .iter()
        .all(|op| op.is_pseudo() != op.pseudo_targets().is_empty()));
}

#[test]
fn small_tables() {
    let cmp: Vec<&str> = section("cmp_op")[0].iter().map(String::as_str).collect();
    assert_eq!(CMP_OPS.to_vec(), cmp);
    let nb: Vec<(&str, &str)> = section("nb_op")
        .iter()
        .map(|l| (l[0].as_str(), l[1].as_str()))
        .collect();
    assert_eq!(NB_OPS.to_vec(), nb);
    let cdefines: HashMap<&str, u16> = section("cdefine").iter().map(|l| (l[0].as_str(), num(&l[1]))).collect();
    for (i, (name, _)) in NB_OPS.iter().enumerate() {
        assert_eq!(cdefines[name], i as u16, "opcode.h's {name}");
    }
    let i1: Vec<&str> = section("intr1")[0].iter().map(String::as_str).collect();
    assert_eq!(INTRINSIC_1_DESCS.to_vec(), i1);
    let i2: Vec<&str> = section("intr2")[0].iter().map(String::as_str).collect();
    assert_eq!(INTRINSIC_2_DESCS.to_vec(), i2);
    assert_eq!(pyrite_opcode::NB_INPLACE_XOR, 25);
    assert_eq!(pyrite_opcode::INTRINSIC_TYPEALIAS, 11);
    assert_eq!(pyrite_opcode::INTRINSIC_SET_FUNCTION_TYPE_PARAMS, 4);
}

/// (number, jump N/T/F) → (the result without oparg, the results for each of `opargs()`).
type Rows = HashMap<(u16, char), (&'static str, Vec<&'static str>)>;

/// The oracle's `dis.stack_effect` results, by opcode number and jump.
fn stack_effect_rows() -> &'static Rows {
    static ROWS: OnceLock<Rows> = OnceLock::new();
    ROWS.get_or_init(|| {
        section("se")
            .into_iter()
            .map(|l| {
                let key = (num(&l[0]), l[1].chars().next().expect("N/T/F"));
                (key, (l[2].as_str(), l[3..].iter().map(String::as_str).collect()))
            })
            .collect()
    })
}

fn show(v: Option<i32>) -> String {
    v.map_or("X".to_string(), |v| v.to_string())
}

#[test]
fn stack_effects() {
    let rows = stack_effect_rows();
    let args = opargs();
    assert_eq!(rows.len(), 3 * (MAX_PSEUDO_OPCODE as usize + 1));
    let mut failures = Vec::new();
    let mut checked = 0usize;
    for (&(n, j), (no_arg, with_arg)) in rows {
        assert_eq!(with_arg.len(), args.len());
        let jump = match j {
            'N' => None,
            'T' => Some(true),
            _ => Some(false),
        };
        let Some(op) = Opcode::from_u16(n) else {
            // Not an opcode: CPython rejects it whatever the oparg.
            assert!(["X", "R", "P"].contains(no_arg), "{n}");
            assert!(with_arg.iter().all(|r| *r == "X" || *r == "P"), "{n}");
            continue;
        };
        // With an argument: compare each oparg. Without: CPython takes none and the effect must
        // not depend on the oparg we pass.
        let expect_for = |i: usize| -> &str {
            if op.has_arg() || (op.is_specialized() && *no_arg == "R") {
                with_arg[i]
            } else {
                no_arg
            }
        };
        if !op.has_arg() && !op.is_specialized() {
            assert!(with_arg.iter().all(|r| *r == "P"), "{op} permits no oparg in CPython");
        }
        for (i, &a) in args.iter().enumerate() {
            let expected = expect_for(i);
            let expected = if expected == "R" || expected == "P" {
                "X"
            } else {
                expected
            };
            let ours = op.stack_effect(a, jump);
            checked += 1;
            if show(ours) != expected {
                failures.push(format!(
                    "{op} oparg={a} jump={jump:?}: CPython {expected}, pyrite {}",
                    show(ours)
                ));
            }
            if let Some(effect) = ours {
                let jumping = jump == Some(true);
                let (popped, pushed) = (op.num_popped(a, jumping), op.num_pushed(a, jumping));
                if jump.is_some() {
                    assert_eq!(
                        pushed.zip(popped).map(|(q, p)| q - p),
                        Some(effect),
                        "{op} {a} {jump:?}"
                    );
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} stack effects differ:\n{}",
        failures.len(),
        failures[..failures.len().min(40)].join("\n")
    );
    assert_eq!(checked, Opcode::ALL.len() * 3 * args.len());
}

#[test]
fn definitions_are_kept() {
    let def = Opcode::LOAD_GLOBAL.definition();
    assert_eq!(
        def.caches,
        &[
            ("counter", 1),
            ("index", 1),
            ("module_keys_version", 1),
            ("builtin_keys_version", 1)
        ]
    );
    let effect = def.effect.expect("LOAD_GLOBAL has an effect");
    assert!(effect.inputs.is_empty());
    assert_eq!(effect.outputs[0].name, "null");
    assert_eq!(effect.outputs[0].condition, Some("(oparg & 1)"));
    assert_eq!(effect.outputs[1].name, "v");
    let build_map = Opcode::BUILD_MAP.definition().effect.expect("effect");
    assert_eq!(build_map.inputs[0].size, Some("oparg*2"));
    assert_eq!(Opcode::LOAD_GLOBAL_BUILTIN.definition().caches[2], ("mod_version", 1));
    assert_eq!(Opcode::NOP.definition().body, Some(" "));
    assert_eq!(Opcode::JUMP.definition().body, None);
    assert!(Opcode::INSTRUMENTED_LINE.definition().effect.is_none());
    assert!(Opcode::SETUP_WITH.definition().jump_effect.is_some());
    assert!(Opcode::ALL.iter().all(|op| op.definition().line > 0));
}
