//! CPython 3.12.1's `dis` module for pyrite's code objects: [`dis_module`] is what
//! `python3.12 -m dis FILE` prints for the module's code object (`dis.dis(code)`: the code, then
//! every nested code object in the order of the constants, recursively), [`disassemble`] one
//! code object (`dis.disassemble(code)`), [`get_instructions`] the instructions as
//! `dis.get_instructions` gives them. The specification is 3.12.1's `Lib/dis.py` with its
//! defaults: no inline caches shown, no adaptive view, no current instruction.
//!
//! Differences from CPython's output, by necessity:
//! * object addresses (`<code object f at 0x7f...>`) are written `0x0`;
//! * a frozenset constant shows its items in the order CPython's set iterates them, computed
//!   from their hashes (see [`repr::frozenset_display_order`]); `str` and `bytes` hash as under
//!   `PYTHONHASHSEED=0`;
//! * names and strings are Rust strings: a lone surrogate in a name, file name or code name
//!   (never in a constant's repr, which escapes it) is written U+FFFD.

pub mod hash;
pub mod repr;
pub mod tables;

pub use tables::{find_line_starts, parse_exception_table, ExceptionEntry};

use pyrite_code::{CodeObject, Constant};
use pyrite_opcode::Opcode;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

/// `dis._OPNAME_WIDTH`, `dis._OPARG_WIDTH`.
const OPNAME_WIDTH: usize = 20;
const OPARG_WIDTH: usize = 5;

/// One instruction as `dis.get_instructions` describes it (without `argval` and positions).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instruction {
    /// The name (`<N>` for an unknown opcode).
    pub opname: String,
    pub opcode: u8,
    /// The oparg with its EXTENDED_ARG prefixes, as a C `int`; `None` for instructions without
    /// argument.
    pub arg: Option<i64>,
    /// What `dis` shows in parentheses after the oparg.
    pub argrepr: String,
    /// Byte offset.
    pub offset: usize,
    /// The line this instruction starts, if it starts one.
    pub starts_line: Option<i32>,
    pub is_jump_target: bool,
}

/// `_unpack_opargs`: (offset, opcode, oparg) of each instruction, inline caches skipped.
fn unpack_opargs(code: &[u8]) -> Vec<(usize, u8, Option<i64>)> {
    const INT_OVERFLOW: i64 = 1 << 31;
    let mut out = Vec::with_capacity(code.len() / 2);
    let mut extended_arg: i64 = 0;
    let mut caches = 0usize;
    for i in (0..code.len()).step_by(2) {
        if caches > 0 {
            caches -= 1;
            continue;
        }
        let op = code[i];
        let deop = Opcode::from_u8(op).map(Opcode::deopt);
        caches = deop.map_or(0, |d| d.cache_entries() as usize);
        let arg = match deop {
            Some(d) if d.has_arg() => {
                let arg = code.get(i + 1).copied().unwrap_or(0) as i64 | extended_arg;
                extended_arg = if d == Opcode::EXTENDED_ARG {
                    arg.wrapping_shl(8)
                } else {
                    0
                };
                if extended_arg >= INT_OVERFLOW {
                    extended_arg -= 2 * INT_OVERFLOW;
                }
                Some(arg)
            }
            _ => {
                extended_arg = 0;
                None
            }
        };
        out.push((i, op, arg));
    }
    out
}

/// `dis._is_backward_jump`.
fn is_backward_jump(op: Opcode) -> bool {
    op.name().contains("JUMP_BACKWARD")
}

/// The target of a jump instruction (`findlabels`), if `op` is one.
fn jump_target(offset: usize, op: Opcode, arg: i64) -> Option<i64> {
    if op.has_jrel() {
        let arg = if is_backward_jump(op) { -arg } else { arg };
        Some(offset as i64 + 2 + arg * 2 + 2 * op.cache_entries() as i64)
    } else if op.has_jabs() {
        Some(arg * 2)
    } else {
        None
    }
}

/// Python's `seq[i]` for a possibly negative index.
fn py_index<T>(seq: &[T], i: i64) -> Option<&T> {
    let i = if i < 0 { i + seq.len() as i64 } else { i };
    usize::try_from(i).ok().and_then(|i| seq.get(i))
}

/// Python's `//` by a positive divisor.
fn floor_div(a: i64, b: i64) -> i64 {
    a.div_euclid(b)
}

/// `dis.MAKE_FUNCTION_FLAGS`, `FORMAT_VALUE_CONVERTERS`' names.
const MAKE_FUNCTION_FLAGS: [&str; 4] = ["defaults", "kwdefaults", "annotations", "closure"];
const FORMAT_VALUE_CONVERTERS: [&str; 4] = ["", "str", "repr", "ascii"];

/// The argrepr of an instruction (`_get_instructions_bytes`).
fn argrepr(code: &CodeObject, offset: usize, deop: Opcode, arg: i64) -> String {
    let name = |i: i64| {
        py_index(&code.names, i)
            .map(|n| repr::lossy(n).into_owned())
            .unwrap_or_default()
    };
    if deop.has_const() {
        let mut s = String::new();
        if let Some(c) = py_index(&code.consts, arg) {
            repr::write_constant_repr(c, &mut s);
        }
        s
    } else if deop.has_name() {
        match deop {
            Opcode::LOAD_GLOBAL => {
                let n = name(floor_div(arg, 2));
                if arg & 1 != 0 && !n.is_empty() {
                    format!("NULL + {n}")
                } else {
                    n
                }
            }
            Opcode::LOAD_ATTR | Opcode::LOAD_SUPER_ATTR => {
                let n = name(floor_div(arg, if deop == Opcode::LOAD_ATTR { 2 } else { 4 }));
                if arg & 1 != 0 && !n.is_empty() {
                    format!("NULL|self + {n}")
                } else {
                    n
                }
            }
            _ => name(arg),
        }
    } else if let Some(target) = jump_target(offset, deop, arg) {
        format!("to {target}")
    } else if deop.has_local() || deop.has_free() {
        py_index(&code.localsplusnames, arg)
            .map(|n| repr::lossy(n).into_owned())
            .unwrap_or_default()
    } else if deop.has_compare() {
        py_index(&pyrite_opcode::CMP_OPS, arg >> 4)
            .copied()
            .unwrap_or_default()
            .to_string()
    } else {
        match deop {
            Opcode::FORMAT_VALUE => {
                let mut s = FORMAT_VALUE_CONVERTERS[(arg & 3) as usize].to_string();
                if arg & 4 != 0 {
                    if !s.is_empty() {
                        s.push_str(", ");
                    }
                    s.push_str("with format");
                }
                s
            }
            Opcode::MAKE_FUNCTION => {
                let flags: Vec<&str> = MAKE_FUNCTION_FLAGS
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| arg & (1 << i) != 0)
                    .map(|(_, s)| *s)
                    .collect();
                flags.join(", ")
            }
            Opcode::BINARY_OP => py_index(&pyrite_opcode::NB_OPS, arg)
                .map(|(_, s)| *s)
                .unwrap_or_default()
                .to_string(),
            Opcode::CALL_INTRINSIC_1 => py_index(&pyrite_opcode::INTRINSIC_1_DESCS, arg)
                .copied()
                .unwrap_or_default()
                .to_string(),
            Opcode::CALL_INTRINSIC_2 => py_index(&pyrite_opcode::INTRINSIC_2_DESCS, arg)
                .copied()
                .unwrap_or_default()
                .to_string(),
            _ => String::new(),
        }
    }
}

/// `dis.get_instructions(code)` (what `dis` shows of each instruction; inline caches skipped).
pub fn get_instructions(code: &CodeObject) -> Vec<Instruction> {
    let line_starts: HashMap<u32, i32> = find_line_starts(&code.linetable, code.firstlineno)
        .into_iter()
        .collect();
    instructions(code, &line_starts, &parse_exception_table(&code.exceptiontable))
}

fn instructions(code: &CodeObject, line_starts: &HashMap<u32, i32>, exceptions: &[ExceptionEntry]) -> Vec<Instruction> {
    let units = unpack_opargs(&code.code);
    let mut labels: HashSet<i64> = HashSet::new();
    for &(offset, op, arg) in &units {
        if let (Some(op), Some(arg)) = (Opcode::from_u8(op), arg) {
            if let Some(target) = jump_target(offset, op.deopt(), arg) {
                labels.insert(target);
            }
        }
    }
    for e in exceptions {
        if e.start < e.end {
            labels.insert(e.target as i64);
        }
    }
    units
        .into_iter()
        .map(|(offset, op, arg)| {
            let opcode = Opcode::from_u8(op);
            let opname = opcode.map_or_else(|| format!("<{op}>"), |o| o.name().to_string());
            let argrepr = match (opcode, arg) {
                (Some(o), Some(arg)) => argrepr(code, offset, o.deopt(), arg),
                _ => String::new(),
            };
            Instruction {
                opname,
                opcode: op,
                arg,
                argrepr,
                offset,
                starts_line: line_starts.get(&(offset as u32)).copied(),
                is_jump_target: labels.contains(&(offset as i64)),
            }
        })
        .collect()
}

/// Append what `dis.disassemble(code)` prints for one code object (nested code objects are
/// not disassembled): the instructions, then the exception table if there is one.
pub fn write_disassembly(code: &CodeObject, out: &mut String) {
    let line_starts: HashMap<u32, i32> = find_line_starts(&code.linetable, code.firstlineno)
        .into_iter()
        .collect();
    let exceptions = parse_exception_table(&code.exceptiontable);
    let lineno_width = match line_starts.values().max() {
        None => 0,
        Some(&max) if max >= 1000 => max.to_string().len(),
        Some(_) => 3,
    };
    let maxoffset = code.code.len() as i64 - 2;
    let offset_width = if maxoffset >= 10000 {
        maxoffset.to_string().len()
    } else {
        4
    };
    for instr in instructions(code, &line_starts, &exceptions) {
        let start = out.len();
        if lineno_width > 0 {
            if let Some(line) = instr.starts_line {
                if instr.offset > 0 {
                    out.push('\n');
                }
                let _ = write!(out, "{line:>lineno_width$} ");
            } else {
                let _ = write!(out, "{:lineno_width$} ", "");
            }
        }
        out.push_str("    ");
        out.push_str(if instr.is_jump_target { ">>" } else { "  " });
        let _ = write!(out, " {:>offset_width$} {:<OPNAME_WIDTH$}", instr.offset, instr.opname);
        if let Some(arg) = instr.arg {
            let _ = write!(out, " {arg:>OPARG_WIDTH$}");
            if !instr.argrepr.is_empty() {
                let _ = write!(out, " ({})", instr.argrepr);
            }
        }
        let trimmed = out[start..].trim_end().len();
        out.truncate(start + trimmed);
        out.push('\n');
    }
    if !exceptions.is_empty() {
        out.push_str("ExceptionTable:\n");
        for e in &exceptions {
            let _ = writeln!(
                out,
                "  {} to {} -> {} [{}]{}",
                e.start,
                e.end as i64 - 2,
                e.target,
                e.depth,
                if e.lasti { " lasti" } else { "" }
            );
        }
    }
}

/// What `dis.disassemble(code)` prints for one code object.
pub fn disassemble(code: &CodeObject) -> String {
    let mut out = String::new();
    write_disassembly(code, &mut out);
    out
}

/// What `python3.12 -m dis FILE` prints for the module's code object: its disassembly, then
/// for each code object among its constants (depth first, in the order of the constants) a
/// blank line, `Disassembly of <code object ...>:` and its disassembly.
pub fn dis_module(code: &CodeObject) -> String {
    let mut out = String::new();
    write_disassembly(code, &mut out);
    // An explicit stack: (code object, index of the next constant to look at).
    let mut stack: Vec<(&CodeObject, usize)> = vec![(code, 0)];
    while let Some((co, next)) = stack.last_mut() {
        let Some(c) = co.consts.get(*next) else {
            stack.pop();
            continue;
        };
        *next += 1;
        if let Constant::Code(nested) = c {
            out.push_str("\nDisassembly of ");
            repr::write_code_repr(nested, &mut out);
            out.push_str(":\n");
            write_disassembly(nested, &mut out);
            stack.push((nested, 0));
        }
    }
    out
}
