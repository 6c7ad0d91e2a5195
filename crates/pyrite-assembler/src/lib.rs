//! The assembler (CPython 3.12's `Python/assemble.c`): turns the final instruction sequence of
//! a code unit into a [`CodeObject`] — the bytecode (EXTENDED_ARG prefixes and zeroed inline
//! CACHE entries included), the exception table (varint-encoded ranges), the location table
//! (PEP 626/657 formats: short, one-line, no-column, long, none) and the `co_*` fields.

use pyrite_code::{kinds, CodeObject, Constant, PyStr};
use pyrite_flowgraph::{instr_size, ExceptHandlerInfo, InstrSequence, Location, NO_LOCATION};
use pyrite_opcode::Opcode;

/// What the code generator knows of a code unit besides its instructions
/// (`_PyCompile_CodeUnitMetadata`). The name tables are in index order.
#[derive(Clone, Debug)]
pub struct CodeUnitMetadata {
    pub name: PyStr,
    pub qualname: Option<PyStr>,
    pub names: Vec<PyStr>,
    pub varnames: Vec<PyStr>,
    /// Cell variables; `cellvars[i]` has index `i`.
    pub cellvars: Vec<PyStr>,
    /// Free variables; `freevars[i]` has index `cellvars.len() + i`.
    pub freevars: Vec<PyStr>,
    /// Names that were (even if only temporarily) fast locals of an inlined comprehension in a
    /// non-function scope (`u_fasthidden`'s keys).
    pub fasthidden: Vec<PyStr>,
    pub argcount: u32,
    pub posonlyargcount: u32,
    pub kwonlyargcount: u32,
    pub firstlineno: i32,
}

/// Location-table entry codes (`_PyCodeLocationInfoKind`).
const PY_CODE_LOCATION_INFO_SHORT0: u8 = 0;
const PY_CODE_LOCATION_INFO_ONE_LINE0: u8 = 10;
const PY_CODE_LOCATION_INFO_NO_COLUMNS: u8 = 13;
const PY_CODE_LOCATION_INFO_LONG: u8 = 14;
const PY_CODE_LOCATION_INFO_NONE: u8 = 15;

struct LineTable {
    out: Vec<u8>,
    lineno: i32,
}

fn write_varint(out: &mut Vec<u8>, mut val: u32) {
    while val >= 64 {
        out.push(64 | (val & 63) as u8);
        val >>= 6;
    }
    out.push(val as u8);
}

fn write_signed_varint(out: &mut Vec<u8>, val: i32) {
    let uval = if val < 0 {
        ((0u32.wrapping_sub(val as u32)) << 1) | 1
    } else {
        (val as u32) << 1
    };
    write_varint(out, uval);
}

impl LineTable {
    fn first_byte(&mut self, code: u8, length: i32) {
        self.out.push(0x80 | (code << 3) | (length - 1) as u8);
    }

    fn entry(&mut self, loc: Location, isize: i32) {
        if loc.lineno < 0 {
            self.first_byte(PY_CODE_LOCATION_INFO_NONE, isize);
            return;
        }
        let line_delta = loc.lineno - self.lineno;
        let column = loc.col_offset;
        let end_column = loc.end_col_offset;
        if column < 0 || end_column < 0 {
            if loc.end_lineno == loc.lineno || loc.end_lineno == -1 {
                self.first_byte(PY_CODE_LOCATION_INFO_NO_COLUMNS, isize);
                write_signed_varint(&mut self.out, line_delta);
                self.lineno = loc.lineno;
                return;
            }
        } else if loc.end_lineno == loc.lineno {
            if line_delta == 0 && column < 80 && end_column - column < 16 && end_column >= column {
                let column_low_bits = column & 7;
                let column_group = column >> 3;
                self.first_byte(PY_CODE_LOCATION_INFO_SHORT0 + column_group as u8, isize);
                self.out.push(((column_low_bits << 4) | (end_column - column)) as u8);
                return;
            }
            if (0..3).contains(&line_delta) && column < 128 && end_column < 128 {
                self.first_byte(PY_CODE_LOCATION_INFO_ONE_LINE0 + line_delta as u8, isize);
                self.out.push(column as u8);
                self.out.push(end_column as u8);
                self.lineno = loc.lineno;
                return;
            }
        }
        self.first_byte(PY_CODE_LOCATION_INFO_LONG, isize);
        write_signed_varint(&mut self.out, loc.lineno - self.lineno);
        write_varint(&mut self.out, (loc.end_lineno - loc.lineno) as u32);
        write_varint(&mut self.out, (loc.col_offset + 1) as u32);
        write_varint(&mut self.out, (loc.end_col_offset + 1) as u32);
        self.lineno = loc.lineno;
    }

    fn emit(&mut self, loc: Location, mut isize: i32) {
        if isize == 0 {
            return;
        }
        while isize > 8 {
            self.entry(loc, 8);
            isize -= 8;
        }
        self.entry(loc, isize);
    }
}

/// The location table of `instrs` (`assemble_location_info`).
pub fn location_table(instrs: &InstrSequence, firstlineno: i32) -> Vec<u8> {
    let mut t = LineTable {
        out: Vec::with_capacity(instrs.len() * 2),
        lineno: firstlineno,
    };
    let mut loc = NO_LOCATION;
    let mut size = 0;
    for instr in &instrs.instrs {
        if loc != instr.loc {
            t.emit(loc, size);
            loc = instr.loc;
            size = 0;
        }
        size += instr_size(instr.opcode, instr.oparg);
    }
    t.emit(loc, size);
    t.out
}

fn exception_table_item(out: &mut Vec<u8>, value: i32, mut msb: u8) {
    const CONTINUATION_BIT: u8 = 64;
    if value >= 1 << 24 {
        out.push((value >> 24) as u8 | CONTINUATION_BIT | msb);
        msb = 0;
    }
    if value >= 1 << 18 {
        out.push(((value >> 18) & 0x3f) as u8 | CONTINUATION_BIT | msb);
        msb = 0;
    }
    if value >= 1 << 12 {
        out.push(((value >> 12) & 0x3f) as u8 | CONTINUATION_BIT | msb);
        msb = 0;
    }
    if value >= 1 << 6 {
        out.push(((value >> 6) & 0x3f) as u8 | CONTINUATION_BIT | msb);
        msb = 0;
    }
    out.push((value & 0x3f) as u8 | msb);
}

fn exception_table_entry(out: &mut Vec<u8>, start: i32, end: i32, handler: &ExceptHandlerInfo) {
    let size = end - start;
    let mut depth = handler.startdepth - 1;
    if handler.preserve_lasti {
        depth -= 1;
    }
    let depth_lasti = (depth << 1) | handler.preserve_lasti as i32;
    exception_table_item(out, start, 1 << 7);
    exception_table_item(out, size, 0);
    exception_table_item(out, handler.offset, 0);
    exception_table_item(out, depth_lasti, 0);
}

/// The exception table of `instrs` (`assemble_exception_table`).
pub fn exception_table(instrs: &InstrSequence) -> Vec<u8> {
    let mut out = Vec::new();
    let mut ioffset = 0;
    let mut handler = ExceptHandlerInfo::NONE;
    let mut start = -1;
    for instr in &instrs.instrs {
        if instr.except.offset != handler.offset {
            if handler.offset >= 0 {
                exception_table_entry(&mut out, start, ioffset, &handler);
            }
            start = ioffset;
            handler = instr.except;
        }
        ioffset += instr_size(instr.opcode, instr.oparg);
    }
    if handler.offset >= 0 {
        exception_table_entry(&mut out, start, ioffset, &handler);
    }
    out
}

/// The bytecode of `instrs`: EXTENDED_ARG prefixes, the instruction, its zeroed caches.
pub fn bytecode(instrs: &InstrSequence) -> Vec<u8> {
    let mut code = Vec::with_capacity(instrs.len() * 4);
    for instr in &instrs.instrs {
        let oparg = instr.oparg as u32;
        let size = instr_size(instr.opcode, instr.oparg);
        let caches = instr.opcode.cache_entries() as i32;
        let prefixes = size - caches - 1;
        for shift in (1..=prefixes).rev() {
            code.push(Opcode::EXTENDED_ARG as u16 as u8);
            code.push((oparg >> (8 * shift)) as u8);
        }
        code.push(instr.opcode as u16 as u8);
        code.push(oparg as u8);
        for _ in 0..caches {
            code.push(0);
            code.push(0);
        }
    }
    code
}

/// `co_localsplusnames` and `co_localspluskinds` (`compute_localsplus_info`).
fn localsplus(umd: &CodeUnitMetadata, nlocalsplus: usize) -> (Vec<PyStr>, Vec<u8>) {
    let mut names = vec![PyStr::from(""); nlocalsplus];
    let mut kinds_ = vec![0u8; nlocalsplus];
    for (offset, k) in umd.varnames.iter().enumerate() {
        let mut kind = kinds::CO_FAST_LOCAL;
        if umd.fasthidden.contains(k) {
            kind |= kinds::CO_FAST_HIDDEN;
        }
        if umd.cellvars.contains(k) {
            kind |= kinds::CO_FAST_CELL;
        }
        names[offset] = k.clone();
        kinds_[offset] = kind;
    }
    let nlocals = umd.varnames.len();
    let mut numdropped = 0;
    for (i, k) in umd.cellvars.iter().enumerate() {
        if umd.varnames.contains(k) {
            numdropped += 1;
            continue;
        }
        let offset = i + nlocals - numdropped;
        names[offset] = k.clone();
        kinds_[offset] = kinds::CO_FAST_CELL;
    }
    let ncells = umd.cellvars.len();
    for (i, k) in umd.freevars.iter().enumerate() {
        let offset = ncells + i + nlocals - numdropped;
        names[offset] = k.clone();
        kinds_[offset] = kinds::CO_FAST_FREE;
    }
    (names, kinds_)
}

/// Assemble a code object (`_PyAssemble_MakeCodeObject`).
pub fn make_code_object(
    umd: &CodeUnitMetadata,
    consts: Vec<Constant>,
    maxdepth: i32,
    instrs: &InstrSequence,
    nlocalsplus: usize,
    code_flags: u32,
    filename: &PyStr,
) -> CodeObject {
    let code = bytecode(instrs);
    let linetable = location_table(instrs, umd.firstlineno);
    let exceptiontable = exception_table(instrs);
    let (localsplusnames, localspluskinds) = localsplus(umd, nlocalsplus);
    CodeObject {
        argcount: umd.posonlyargcount + umd.argcount,
        posonlyargcount: umd.posonlyargcount,
        kwonlyargcount: umd.kwonlyargcount,
        stacksize: maxdepth as u32,
        flags: code_flags,
        code: code.into_boxed_slice(),
        consts: consts.into_boxed_slice(),
        names: umd.names.clone().into_boxed_slice(),
        localsplusnames: localsplusnames.into_boxed_slice(),
        localspluskinds: localspluskinds.into_boxed_slice(),
        filename: filename.clone(),
        name: umd.name.clone(),
        qualname: umd.qualname.clone().unwrap_or_else(|| umd.name.clone()),
        firstlineno: umd.firstlineno,
        linetable: linetable.into_boxed_slice(),
        exceptiontable: exceptiontable.into_boxed_slice(),
    }
}
