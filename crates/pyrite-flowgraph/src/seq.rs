//! The instruction sequence: the code generator's output and the assembler's input
//! (`_PyCompile_InstructionSequence`).

use crate::Location;
use pyrite_opcode::Opcode;

/// A jump target. Labels are numbered from 1 in creation order; a label is bound ("used") to
/// the position of the next instruction emitted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Label(pub i32);

impl Label {
    /// No label (CPython's `NO_LABEL`).
    pub const NONE: Label = Label(-1);

    pub fn is_label(self) -> bool {
        self.0 != -1
    }
}

/// Where an instruction's exceptions go, filled in after the CFG passes for the assembler's
/// exception table (`_PyCompile_ExceptHandlerInfo`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExceptHandlerInfo {
    /// The handler's offset in code units, or -1 for none.
    pub offset: i32,
    pub startdepth: i32,
    pub preserve_lasti: bool,
}

impl ExceptHandlerInfo {
    pub const NONE: ExceptHandlerInfo = ExceptHandlerInfo {
        offset: -1,
        startdepth: 0,
        preserve_lasti: false,
    };
}

#[derive(Clone, Copy, Debug)]
pub struct SeqInstr {
    pub opcode: Opcode,
    /// The argument; for an instruction with a target, the target's label id (before
    /// assembly) or the jump distance (after jump resolution).
    pub oparg: i32,
    pub loc: Location,
    pub except: ExceptHandlerInfo,
}

/// A flat instruction list with a label map.
#[derive(Clone, Debug, Default)]
pub struct InstrSequence {
    pub instrs: Vec<SeqInstr>,
    /// `labelmap[label]` = index of the instruction the label is bound to, or -1.
    pub labelmap: Vec<i32>,
    next_free_label: i32,
}

impl InstrSequence {
    pub fn new() -> Self {
        InstrSequence::default()
    }

    /// A fresh label (`instr_sequence_new_label`).
    pub fn new_label(&mut self) -> Label {
        self.next_free_label += 1;
        Label(self.next_free_label)
    }

    /// Bind `lbl` to the next instruction to be emitted (`instr_sequence_use_label`).
    pub fn use_label(&mut self, lbl: Label) {
        let l = lbl.0 as usize;
        if l >= self.labelmap.len() {
            self.labelmap.resize(l + 1, -1);
        }
        self.labelmap[l] = self.instrs.len() as i32;
    }

    /// Append an instruction (`instr_sequence_addop`).
    #[inline]
    pub fn addop(&mut self, opcode: Opcode, oparg: i32, loc: Location) {
        self.instrs.push(SeqInstr {
            opcode,
            oparg,
            loc,
            except: ExceptHandlerInfo::NONE,
        });
    }

    /// Insert an instruction at `pos`, moving the labels bound at or after it
    /// (`instr_sequence_insert_instruction`).
    pub fn insert(&mut self, pos: usize, opcode: Opcode, oparg: i32, loc: Location) {
        self.instrs.insert(
            pos,
            SeqInstr {
                opcode,
                oparg,
                loc,
                except: ExceptHandlerInfo::NONE,
            },
        );
        for target in self.labelmap.iter_mut() {
            if *target >= pos as i32 {
                *target += 1;
            }
        }
    }

    pub fn len(&self) -> usize {
        self.instrs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.instrs.is_empty()
    }
}
