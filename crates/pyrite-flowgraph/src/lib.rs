//! The middle of the compiler, between the code generator and the assembler, as CPython 3.12
//! has it in `Python/flowgraph.c` (and the instruction sequence of `Python/compile.c`):
//!
//! - [`InstrSequence`]: what the code generator emits — a flat list of instructions whose jump
//!   opargs are [`Label`]s, with each label bound to the instruction that follows it;
//! - [`Cfg`]: the control-flow graph of basic blocks built from a sequence, and the passes that
//!   change CPython's output: jump-target resolution, exception-handler labelling, constant-tuple
//!   folding, dead-code elimination, jump threading, `RETURN_CONST` / `POP_JUMP_IF_NONE`
//!   combining, SWAP-timization, redundant NOP / pair / jump removal, small exit-block inlining,
//!   `LOAD_FAST_CHECK` insertion, cold-block reordering, line-number propagation, unused-constant
//!   removal, stack-depth computation, pseudo-instruction conversion and jump-offset resolution.
//!
//! Blocks live in one vector and refer to each other by [`BlockId`]; the block order is the
//! `next` chain from the entry block, as CPython's `b_next` list.

mod cfg;
mod ops;
mod seq;

pub use cfg::{BasicBlock, BlockId, Cfg, CfgInstr, NO_BLOCK};
pub use ops::*;
pub use seq::{ExceptHandlerInfo, InstrSequence, Label, SeqInstr};

/// A source range of an instruction: 1-based lines, 0-based UTF-8 byte columns; -1 for
/// "none" (CPython's `_PyCompilerSrcLocation`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Location {
    pub lineno: i32,
    pub end_lineno: i32,
    pub col_offset: i32,
    pub end_col_offset: i32,
}

impl Location {
    pub const fn new(lineno: i32, end_lineno: i32, col_offset: i32, end_col_offset: i32) -> Self {
        Location {
            lineno,
            end_lineno,
            col_offset,
            end_col_offset,
        }
    }
}

/// An instruction without location: artificial, it takes its line from its neighbours.
pub const NO_LOCATION: Location = Location::new(-1, -1, -1, -1);

/// `CO_MAXBLOCKS`: the deepest static nesting of blocks (loops, `try`, `with`) in one scope.
pub const CO_MAXBLOCKS: usize = 20;

/// The instruction's size in code units: EXTENDED_ARG prefixes, itself, inline caches
/// (`_PyCompile_InstrSize`).
#[inline]
pub fn instr_size(opcode: pyrite_opcode::Opcode, oparg: i32) -> i32 {
    let extended = (oparg > 0xFF_FFFF) as i32 + (oparg > 0xFFFF) as i32 + (oparg > 0xFF) as i32;
    extended + 1 + opcode.cache_entries() as i32
}
