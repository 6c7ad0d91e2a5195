//! The control-flow graph and CPython 3.12's passes over it (`Python/flowgraph.c`).

use crate::ops::*;
use crate::seq::{ExceptHandlerInfo, InstrSequence};
use crate::{instr_size, Location, NO_LOCATION};
use pyrite_code::Constant;
use pyrite_opcode::Opcode;

/// Index of a block in [`Cfg::blocks`].
pub type BlockId = u32;
/// No block (a null `basicblock *`).
pub const NO_BLOCK: BlockId = u32::MAX;

/// Most instructions a block may have to be copied into its predecessors (`MAX_COPY_SIZE`).
const MAX_COPY_SIZE: usize = 4;

#[derive(Clone, Copy, Debug)]
pub struct CfgInstr {
    pub opcode: Opcode,
    pub oparg: i32,
    pub loc: Location,
    /// The jump target, for an instruction with one.
    pub target: BlockId,
    /// The handler block exceptions raised here go to.
    pub except: BlockId,
}

impl CfgInstr {
    /// Make this an instruction without argument (`INSTR_SET_OP0`).
    #[inline]
    fn set_op0(&mut self, op: Opcode) {
        self.opcode = op;
        self.oparg = 0;
    }

    /// Make this an instruction with argument (`INSTR_SET_OP1`).
    #[inline]
    fn set_op1(&mut self, op: Opcode, oparg: i32) {
        self.opcode = op;
        self.oparg = oparg;
    }
}

#[derive(Clone, Debug)]
struct ExceptStack {
    handlers: Vec<BlockId>,
    depth: usize,
}

impl ExceptStack {
    fn new() -> Box<ExceptStack> {
        Box::new(ExceptStack {
            handlers: vec![NO_BLOCK],
            depth: 0,
        })
    }

    fn top(&self) -> BlockId {
        self.handlers[self.depth]
    }
}

#[derive(Clone, Debug)]
pub struct BasicBlock {
    pub instrs: Vec<CfgInstr>,
    /// The next block in code order (fallthrough successor when the block can fall through).
    pub next: BlockId,
    /// The label id bound to the block's start, or -1.
    pub label: i32,
    exceptstack: Option<Box<ExceptStack>>,
    unsafe_locals_mask: u64,
    pub predecessors: i32,
    pub startdepth: i32,
    /// Offset in code units, computed by jump resolution.
    pub offset: i32,
    pub preserve_lasti: bool,
    visited: bool,
    pub except_handler: bool,
    pub cold: bool,
    pub warm: bool,
}

impl BasicBlock {
    fn new() -> BasicBlock {
        BasicBlock {
            instrs: Vec::new(),
            next: NO_BLOCK,
            label: -1,
            exceptstack: None,
            unsafe_locals_mask: 0,
            predecessors: 0,
            startdepth: 0,
            offset: 0,
            preserve_lasti: false,
            visited: false,
            except_handler: false,
            cold: false,
            warm: false,
        }
    }

    #[inline]
    fn last(&self) -> Option<&CfgInstr> {
        self.instrs.last()
    }

    /// The block ends in a return, raise or unconditional jump (`BB_NO_FALLTHROUGH`).
    #[inline]
    pub fn no_fallthrough(&self) -> bool {
        match self.instrs.last() {
            Some(last) => is_scope_exit(last.opcode) || is_unconditional_jump(last.opcode),
            None => false,
        }
    }

    #[inline]
    pub fn has_fallthrough(&self) -> bool {
        !self.no_fallthrough()
    }

    #[inline]
    fn exits_scope(&self) -> bool {
        self.instrs.last().is_some_and(|i| is_scope_exit(i.opcode))
    }

    fn size(&self) -> i32 {
        self.instrs.iter().map(|i| instr_size(i.opcode, i.oparg)).sum()
    }
}

/// A cursor over the blocks in code order (see [`Cfg::walk`]); it does not borrow the graph.
pub struct Walk {
    cur: BlockId,
    start: BlockId,
}

impl Walk {
    #[inline]
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self, g: &Cfg) -> Option<BlockId> {
        self.cur = if self.cur == NO_BLOCK {
            std::mem::replace(&mut self.start, NO_BLOCK)
        } else {
            g.blocks[self.cur as usize].next
        };
        (self.cur != NO_BLOCK).then_some(self.cur)
    }
}

/// A compile-time error of the flow-graph passes (CPython raises SystemError for these).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CfgError(pub String);

/// The control-flow graph of one code unit (`cfg_builder`).
#[derive(Clone, Debug)]
pub struct Cfg {
    pub blocks: Vec<BasicBlock>,
    pub entry: BlockId,
    cur: BlockId,
    current_label: i32,
}

impl Default for Cfg {
    fn default() -> Self {
        Self::new()
    }
}

impl Cfg {
    pub fn new() -> Cfg {
        Cfg {
            blocks: vec![BasicBlock::new()],
            entry: 0,
            cur: 0,
            current_label: -1,
        }
    }

    #[inline]
    fn b(&self, id: BlockId) -> &BasicBlock {
        &self.blocks[id as usize]
    }

    #[inline]
    fn bm(&mut self, id: BlockId) -> &mut BasicBlock {
        &mut self.blocks[id as usize]
    }

    fn new_block(&mut self) -> BlockId {
        self.blocks.push(BasicBlock::new());
        (self.blocks.len() - 1) as BlockId
    }

    /// A walk over the blocks in code order that follows each block's `next` as it is when the
    /// walk leaves the block (as CPython's `for (b = entry; b; b = b->b_next)` loops do).
    pub fn walk(&self) -> Walk {
        Walk {
            cur: NO_BLOCK,
            start: self.entry,
        }
    }

    fn current_block_is_terminated(&mut self) -> bool {
        let cur = self.cur;
        if let Some(last) = self.b(cur).last() {
            if is_terminator(last.opcode) {
                return true;
            }
        }
        if self.current_label != -1 {
            if self.b(cur).last().is_some() || self.b(cur).label != -1 {
                return true;
            }
            let lbl = self.current_label;
            self.bm(cur).label = lbl;
            self.current_label = -1;
        }
        false
    }

    fn maybe_start_new_block(&mut self) {
        if self.current_block_is_terminated() {
            let b = self.new_block();
            self.bm(b).label = self.current_label;
            self.current_label = -1;
            let cur = self.cur;
            self.bm(cur).next = b;
            self.cur = b;
        }
    }

    /// Start a block at label `lbl` (`_PyCfgBuilder_UseLabel`).
    pub fn use_label(&mut self, lbl: i32) {
        self.current_label = lbl;
        self.maybe_start_new_block();
    }

    /// Append an instruction (`_PyCfgBuilder_Addop`).
    pub fn addop(&mut self, opcode: Opcode, oparg: i32, loc: Location) {
        self.maybe_start_new_block();
        let cur = self.cur;
        self.bm(cur).instrs.push(CfgInstr {
            opcode,
            oparg,
            loc,
            target: NO_BLOCK,
            except: NO_BLOCK,
        });
    }

    /// Build the graph of an instruction sequence (`instr_sequence_to_cfg`). Of several labels
    /// bound to one instruction, the highest-numbered names its block.
    pub fn from_sequence(seq: &InstrSequence) -> Cfg {
        let mut g = Cfg::new();
        let n = seq.instrs.len();
        let mut offset2lbl = vec![-1i32; n];
        for (lbl, &offset) in seq.labelmap.iter().enumerate() {
            if offset >= 0 && (offset as usize) < n {
                offset2lbl[offset as usize] = lbl as i32;
            }
        }
        for (i, instr) in seq.instrs.iter().enumerate() {
            let lbl = offset2lbl[i];
            if lbl >= 0 {
                g.use_label(lbl);
            }
            let mut oparg = instr.oparg;
            if has_target(instr.opcode) {
                let offset = seq.labelmap[oparg as usize];
                oparg = offset2lbl[offset as usize];
            }
            g.addop(instr.opcode, oparg, instr.loc);
        }
        g
    }

    /// Insert an instruction at `pos` of `block` (`_PyBasicblock_InsertInstruction`).
    pub fn insert_instruction(&mut self, block: BlockId, pos: usize, instr: CfgInstr) {
        self.bm(block).instrs.insert(pos, instr);
    }

    pub fn new_instr(opcode: Opcode, oparg: i32, loc: Location) -> CfgInstr {
        CfgInstr {
            opcode,
            oparg,
            loc,
            target: NO_BLOCK,
            except: NO_BLOCK,
        }
    }

    fn max_label(&self) -> i32 {
        let mut lbl = -1;
        let mut b = self.entry;
        while b != NO_BLOCK {
            lbl = lbl.max(self.b(b).label);
            b = self.b(b).next;
        }
        lbl
    }

    fn reset_visited(&mut self) {
        let mut b = self.entry;
        while b != NO_BLOCK {
            self.bm(b).visited = false;
            b = self.b(b).next;
        }
    }

    /// Make every jump point at its target block (`translate_jump_labels_to_targets`).
    fn translate_jump_labels_to_targets(&mut self) -> Result<(), CfgError> {
        let max_label = self.max_label();
        let mut label2block = vec![NO_BLOCK; (max_label + 1).max(0) as usize];
        let mut walk = self.walk();
        while let Some(b) = walk.next(self) {
            let l = self.b(b).label;
            if l >= 0 {
                label2block[l as usize] = b;
            }
        }
        let mut walk = self.walk();
        while let Some(b) = walk.next(self) {
            for instr in self.bm(b).instrs.iter_mut() {
                if has_target(instr.opcode) {
                    let lbl = instr.oparg;
                    let target = if lbl >= 0 && lbl <= max_label {
                        label2block[lbl as usize]
                    } else {
                        NO_BLOCK
                    };
                    if target == NO_BLOCK {
                        return Err(CfgError(format!("jump to unknown label {lbl}")));
                    }
                    instr.target = target;
                }
            }
        }
        Ok(())
    }

    fn mark_except_handlers(&mut self) {
        let mut walk = self.walk();
        while let Some(b) = walk.next(self) {
            for i in 0..self.b(b).instrs.len() {
                let instr = self.b(b).instrs[i];
                if is_block_push(instr.opcode) {
                    self.bm(instr.target).except_handler = true;
                }
            }
        }
    }

    /// Give each instruction its exception handler; set YIELD_VALUE's oparg to the depth of
    /// the handler stack (`label_exception_targets`).
    fn label_exception_targets(&mut self) {
        self.reset_visited();
        let mut todo: Vec<BlockId> = Vec::new();
        let entry = self.entry;
        todo.push(entry);
        self.bm(entry).visited = true;
        self.bm(entry).exceptstack = Some(ExceptStack::new());
        while let Some(b) = todo.pop() {
            let mut es = self.bm(b).exceptstack.take();
            let mut handler = es.as_ref().map_or(NO_BLOCK, |s| s.top());
            let n = self.b(b).instrs.len();
            for i in 0..n {
                let instr = self.b(b).instrs[i];
                if is_block_push(instr.opcode) {
                    let target = instr.target;
                    if !self.b(target).visited {
                        let copy = es.clone();
                        self.bm(target).exceptstack = copy;
                        todo.push(target);
                        self.bm(target).visited = true;
                    }
                    if matches!(instr.opcode, Opcode::SETUP_WITH | Opcode::SETUP_CLEANUP) {
                        self.bm(target).preserve_lasti = true;
                    }
                    if let Some(s) = es.as_mut() {
                        s.depth += 1;
                        if s.handlers.len() <= s.depth {
                            s.handlers.resize(s.depth + 1, NO_BLOCK);
                        }
                        s.handlers[s.depth] = target;
                    }
                    handler = target;
                } else if instr.opcode == Opcode::POP_BLOCK {
                    if let Some(s) = es.as_mut() {
                        s.depth = s.depth.saturating_sub(1);
                        handler = s.handlers[s.depth];
                    }
                } else if is_jump(instr.opcode) {
                    self.bm(b).instrs[i].except = handler;
                    let target = instr.target;
                    if !self.b(target).visited {
                        if self.b(b).has_fallthrough() {
                            self.bm(target).exceptstack = es.clone();
                        } else {
                            self.bm(target).exceptstack = es.take();
                        }
                        todo.push(target);
                        self.bm(target).visited = true;
                    }
                } else {
                    if instr.opcode == Opcode::YIELD_VALUE {
                        if let Some(s) = es.as_ref() {
                            self.bm(b).instrs[i].oparg = s.depth as i32;
                        }
                    }
                    self.bm(b).instrs[i].except = handler;
                }
            }
            let next = self.b(b).next;
            if self.b(b).has_fallthrough() && next != NO_BLOCK && !self.b(next).visited {
                self.bm(next).exceptstack = es;
                todo.push(next);
                self.bm(next).visited = true;
            }
        }
    }

    /// Count each block's predecessors, from the entry (`mark_reachable`).
    fn mark_reachable(&mut self) {
        self.reset_visited();
        let mut stack: Vec<BlockId> = Vec::new();
        let entry = self.entry;
        self.bm(entry).predecessors = 1;
        stack.push(entry);
        while let Some(b) = stack.pop() {
            self.bm(b).visited = true;
            let next = self.b(b).next;
            if next != NO_BLOCK && self.b(b).has_fallthrough() {
                if !self.b(next).visited {
                    stack.push(next);
                }
                self.bm(next).predecessors += 1;
            }
            for i in 0..self.b(b).instrs.len() {
                let instr = self.b(b).instrs[i];
                if is_jump(instr.opcode) || is_block_push(instr.opcode) {
                    let target = instr.target;
                    if !self.b(target).visited {
                        stack.push(target);
                    }
                    self.bm(target).predecessors += 1;
                }
            }
        }
    }

    fn eliminate_empty_basic_blocks(&mut self) {
        let mut b = self.entry;
        while b != NO_BLOCK {
            let mut next = self.b(b).next;
            while next != NO_BLOCK && self.b(next).instrs.is_empty() {
                next = self.b(next).next;
            }
            self.bm(b).next = next;
            b = next;
        }
        while self.entry != NO_BLOCK && self.b(self.entry).instrs.is_empty() {
            self.entry = self.b(self.entry).next;
        }
        let mut next_lbl = self.max_label() + 1;
        let mut walk = self.walk();
        while let Some(b) = walk.next(self) {
            for i in 0..self.b(b).instrs.len() {
                let instr = self.b(b).instrs[i];
                if has_target(instr.opcode) {
                    let mut target = instr.target;
                    while self.b(target).instrs.is_empty() {
                        target = self.b(target).next;
                    }
                    if instr.target != target {
                        if self.b(target).label == -1 {
                            self.bm(target).label = next_lbl;
                            next_lbl += 1;
                        }
                        let lbl = self.b(target).label;
                        let ins = &mut self.bm(b).instrs[i];
                        ins.target = target;
                        ins.oparg = lbl;
                    }
                }
            }
        }
    }

    /// Remove the NOPs that carry no line information of their own (`remove_redundant_nops`).
    fn remove_redundant_nops(&mut self, bb: BlockId) -> usize {
        let n = self.b(bb).instrs.len();
        let mut dest = 0;
        let mut prev_lineno = -1;
        for src in 0..n {
            let lineno = self.b(bb).instrs[src].loc.lineno;
            if self.b(bb).instrs[src].opcode == Opcode::NOP {
                if lineno < 0 {
                    continue;
                }
                if prev_lineno == lineno {
                    continue;
                }
                if src < n - 1 {
                    let next_lineno = self.b(bb).instrs[src + 1].loc.lineno;
                    if next_lineno == lineno {
                        continue;
                    }
                    if next_lineno < 0 {
                        let loc = self.b(bb).instrs[src].loc;
                        self.bm(bb).instrs[src + 1].loc = loc;
                        continue;
                    }
                } else {
                    let mut next = self.b(bb).next;
                    while next != NO_BLOCK && self.b(next).instrs.is_empty() {
                        next = self.b(next).next;
                    }
                    if next != NO_BLOCK {
                        let mut next_loc = NO_LOCATION;
                        for instr in &self.b(next).instrs {
                            if instr.opcode == Opcode::NOP && instr.loc.lineno == NO_LOCATION.lineno {
                                continue;
                            }
                            next_loc = instr.loc;
                            break;
                        }
                        if lineno == next_loc.lineno {
                            continue;
                        }
                    }
                }
            }
            if dest != src {
                let instr = self.b(bb).instrs[src];
                self.bm(bb).instrs[dest] = instr;
            }
            dest += 1;
            prev_lineno = lineno;
        }
        self.bm(bb).instrs.truncate(dest);
        n - dest
    }

    fn remove_redundant_nops_and_pairs(&mut self) {
        let mut done = false;
        while !done {
            done = true;
            let mut instr: Option<(BlockId, usize)> = None;
            let mut b = self.entry;
            while b != NO_BLOCK {
                self.remove_redundant_nops(b);
                if self.b(b).label != -1 {
                    instr = None;
                }
                for i in 0..self.b(b).instrs.len() {
                    let prev = instr;
                    instr = Some((b, i));
                    let (prev_opcode, prev_oparg) = match prev {
                        Some((pb, pi)) => {
                            let p = &self.b(pb).instrs[pi];
                            (Some(p.opcode), p.oparg)
                        }
                        None => (None, 0),
                    };
                    let opcode = self.b(b).instrs[i].opcode;
                    let mut is_redundant_pair = false;
                    if opcode == Opcode::POP_TOP
                        && (prev_opcode == Some(Opcode::LOAD_CONST)
                            || (prev_opcode == Some(Opcode::COPY) && prev_oparg == 1))
                    {
                        is_redundant_pair = true;
                    }
                    if is_redundant_pair {
                        let (pb, pi) = prev.expect("a pair has a first instruction");
                        self.bm(pb).instrs[pi].set_op0(Opcode::NOP);
                        self.bm(b).instrs[i].set_op0(Opcode::NOP);
                        done = false;
                    }
                }
                let last_is_jump = instr.is_some_and(|(ib, ii)| is_jump(self.b(ib).instrs[ii].opcode));
                if last_is_jump || !self.b(b).has_fallthrough() {
                    instr = None;
                }
                b = self.b(b).next;
            }
        }
    }

    fn remove_redundant_jumps(&mut self) -> Result<(), CfgError> {
        let mut b = self.entry;
        while b != NO_BLOCK {
            let next = self.b(b).next;
            if let Some(last) = self.b(b).last().copied() {
                if is_unconditional_jump(last.opcode) {
                    if last.target == NO_BLOCK {
                        return Err(CfgError("jump with NULL target".into()));
                    }
                    if last.target == next {
                        self.bm(b).instrs.last_mut().unwrap().set_op0(Opcode::NOP);
                    }
                }
            }
            b = next;
        }
        Ok(())
    }

    /// Replace a jump to a small exit block by a copy of that block (`inline_small_exit_blocks`).
    fn inline_small_exit_blocks(&mut self, bb: BlockId) -> bool {
        let Some(last) = self.b(bb).last().copied() else {
            return false;
        };
        if !is_unconditional_jump(last.opcode) {
            return false;
        }
        let target = last.target;
        if self.b(target).exits_scope() && self.b(target).instrs.len() <= MAX_COPY_SIZE {
            self.bm(bb).instrs.last_mut().unwrap().set_op0(Opcode::NOP);
            let copied = self.b(target).instrs.clone();
            self.bm(bb).instrs.extend_from_slice(&copied);
            return true;
        }
        false
    }

    /// Point the jump at `bb[i]` past the jump its target starts with, if both are on the
    /// same line (`jump_thread`).
    fn jump_thread(&mut self, bb: BlockId, i: usize, target: CfgInstr, opcode: Opcode) -> bool {
        let inst = self.b(bb).instrs[i];
        if (inst.loc.lineno == target.loc.lineno || target.loc.lineno == -1) && inst.target != target.target {
            let ins = &mut self.bm(bb).instrs[i];
            ins.target = target.target;
            ins.opcode = opcode;
            return true;
        }
        false
    }

    /// Replace LOAD_CONST c1 .. LOAD_CONST cn, BUILD_TUPLE n by LOAD_CONST (c1, .., cn)
    /// (`fold_tuple_on_constants`); `start` is the index of the first LOAD_CONST.
    fn fold_tuple_on_constants(&mut self, bb: BlockId, start: usize, n: usize, consts: &mut Vec<Constant>) {
        let instrs = &self.b(bb).instrs;
        if instrs[start..start + n].iter().any(|i| !i.opcode.has_const()) {
            return;
        }
        let items: Vec<Constant> = instrs[start..start + n]
            .iter()
            .map(|i| consts[i.oparg as usize].clone())
            .collect();
        let newconst = Constant::Tuple(items.into_boxed_slice());
        let index = match consts.iter().position(|c| pyrite_code::constant_key_eq(c, &newconst)) {
            Some(i) => i,
            None => {
                consts.push(newconst);
                consts.len() - 1
            }
        };
        let instrs = &mut self.bm(bb).instrs;
        for instr in &mut instrs[start..start + n] {
            instr.set_op0(Opcode::NOP);
        }
        instrs[start + n].set_op1(Opcode::LOAD_CONST, index as i32);
    }

    fn optimize_basic_block(&mut self, bb: BlockId, consts: &mut Vec<Constant>) {
        let nop = Cfg::new_instr(Opcode::NOP, 0, NO_LOCATION);
        let mut target = nop;
        let mut opcode = Opcode::CACHE;
        let mut have_opcode = false;
        let mut oparg = 0;
        let mut i: isize = 0;
        while (i as usize) < self.b(bb).instrs.len() {
            let iu = i as usize;
            let inst = self.b(bb).instrs[iu];
            let is_copy_of_load_const =
                have_opcode && opcode == Opcode::LOAD_CONST && inst.opcode == Opcode::COPY && inst.oparg == 1;
            if !is_copy_of_load_const {
                opcode = inst.opcode;
                have_opcode = true;
                oparg = inst.oparg;
                if has_target(opcode) {
                    target = self.b(inst.target).instrs[0];
                } else {
                    target = nop;
                }
            }
            let len = self.b(bb).instrs.len();
            let nextop = if iu + 1 < len {
                Some(self.b(bb).instrs[iu + 1].opcode)
            } else {
                None
            };
            match opcode {
                Opcode::LOAD_CONST => match nextop {
                    Some(Opcode::POP_JUMP_IF_FALSE) | Some(Opcode::POP_JUMP_IF_TRUE) => {
                        let is_true = constant_is_true(&consts[oparg as usize]);
                        self.bm(bb).instrs[iu].set_op0(Opcode::NOP);
                        let jump_if_true = nextop == Some(Opcode::POP_JUMP_IF_TRUE);
                        if is_true == jump_if_true {
                            self.bm(bb).instrs[iu + 1].opcode = Opcode::JUMP;
                        } else {
                            self.bm(bb).instrs[iu + 1].set_op0(Opcode::NOP);
                        }
                    }
                    Some(Opcode::IS_OP) => {
                        let jump_op = if iu + 2 < len {
                            Some(self.b(bb).instrs[iu + 2].opcode)
                        } else {
                            None
                        };
                        if matches!(consts[oparg as usize], Constant::None)
                            && matches!(
                                jump_op,
                                Some(Opcode::POP_JUMP_IF_FALSE) | Some(Opcode::POP_JUMP_IF_TRUE)
                            )
                        {
                            let nextarg = (self.b(bb).instrs[iu + 1].oparg & 0xFF) != 0;
                            self.bm(bb).instrs[iu].set_op0(Opcode::NOP);
                            self.bm(bb).instrs[iu + 1].set_op0(Opcode::NOP);
                            let if_false = jump_op == Some(Opcode::POP_JUMP_IF_FALSE);
                            self.bm(bb).instrs[iu + 2].opcode = if nextarg ^ if_false {
                                Opcode::POP_JUMP_IF_NOT_NONE
                            } else {
                                Opcode::POP_JUMP_IF_NONE
                            };
                        }
                    }
                    Some(Opcode::RETURN_VALUE) => {
                        self.bm(bb).instrs[iu].set_op0(Opcode::NOP);
                        i += 1;
                        self.bm(bb).instrs[iu + 1].set_op1(Opcode::RETURN_CONST, oparg);
                    }
                    _ => {}
                },
                Opcode::BUILD_TUPLE => {
                    if nextop == Some(Opcode::UNPACK_SEQUENCE) && oparg == self.b(bb).instrs[iu + 1].oparg {
                        match oparg {
                            1 => {
                                self.bm(bb).instrs[iu].set_op0(Opcode::NOP);
                                self.bm(bb).instrs[iu + 1].set_op0(Opcode::NOP);
                                i += 1;
                                continue;
                            }
                            2 | 3 => {
                                self.bm(bb).instrs[iu].set_op0(Opcode::NOP);
                                self.bm(bb).instrs[iu + 1].opcode = Opcode::SWAP;
                                i += 1;
                                continue;
                            }
                            _ => {}
                        }
                    }
                    if iu >= oparg as usize {
                        self.fold_tuple_on_constants(bb, iu - oparg as usize, oparg as usize, consts);
                    }
                }
                // Jump threading: a jump to an unconditional jump goes to its target.
                Opcode::POP_JUMP_IF_NOT_NONE | Opcode::POP_JUMP_IF_NONE if target.opcode == Opcode::JUMP => {
                    let op = inst.opcode;
                    i -= self.jump_thread(bb, iu, target, op) as isize;
                }
                Opcode::POP_JUMP_IF_FALSE | Opcode::POP_JUMP_IF_TRUE | Opcode::JUMP
                    if target.opcode == Opcode::JUMP =>
                {
                    i -= self.jump_thread(bb, iu, target, opcode) as isize;
                }
                Opcode::SWAP => {
                    if oparg == 1 {
                        self.bm(bb).instrs[iu].set_op0(Opcode::NOP);
                    } else {
                        let mut ix = iu;
                        swaptimize(&mut self.bm(bb).instrs, &mut ix);
                        apply_static_swaps(&mut self.bm(bb).instrs, ix as isize);
                        i = ix as isize;
                    }
                }
                Opcode::PUSH_NULL
                    if nextop == Some(Opcode::LOAD_GLOBAL) && (self.b(bb).instrs[iu + 1].oparg & 1) == 0 =>
                {
                    self.bm(bb).instrs[iu].set_op0(Opcode::NOP);
                    self.bm(bb).instrs[iu + 1].oparg |= 1;
                }
                _ => {}
            }
            i += 1;
        }
    }

    fn optimize_cfg(&mut self, consts: &mut Vec<Constant>) -> Result<(), CfgError> {
        self.check_cfg()?;
        self.eliminate_empty_basic_blocks();
        let mut walk = self.walk();
        while let Some(b) = walk.next(self) {
            self.inline_small_exit_blocks(b);
        }
        let mut walk = self.walk();
        while let Some(b) = walk.next(self) {
            self.optimize_basic_block(b, consts);
        }
        self.remove_redundant_nops_and_pairs();
        let mut walk = self.walk();
        while let Some(b) = walk.next(self) {
            self.inline_small_exit_blocks(b);
        }
        self.mark_reachable();
        let mut walk = self.walk();
        while let Some(b) = walk.next(self) {
            if self.b(b).predecessors == 0 {
                self.bm(b).instrs.clear();
            }
        }
        let mut walk = self.walk();
        while let Some(b) = walk.next(self) {
            self.remove_redundant_nops(b);
        }
        self.eliminate_empty_basic_blocks();
        self.remove_redundant_jumps()
    }

    fn check_cfg(&self) -> Result<(), CfgError> {
        let mut walk = self.walk();
        while let Some(b) = walk.next(self) {
            let instrs = &self.b(b).instrs;
            for (i, instr) in instrs.iter().enumerate() {
                if is_terminator(instr.opcode) && i != instrs.len() - 1 {
                    return Err(CfgError("malformed control flow graph.".into()));
                }
            }
        }
        Ok(())
    }

    /// Renumber LOAD_CONST opargs after dropping constants nothing loads; the first constant
    /// (maybe a docstring) always stays (`remove_unused_consts`).
    fn remove_unused_consts(&mut self, consts: &mut Vec<Constant>) {
        let nconsts = consts.len();
        if nconsts == 0 {
            return;
        }
        let mut used = vec![false; nconsts];
        used[0] = true;
        let mut walk = self.walk();
        while let Some(b) = walk.next(self) {
            for instr in &self.b(b).instrs {
                if instr.opcode.has_const() {
                    used[instr.oparg as usize] = true;
                }
            }
        }
        if used.iter().all(|&u| u) {
            return;
        }
        let mut reverse = vec![-1i32; nconsts];
        let mut kept = Vec::with_capacity(nconsts);
        for (i, c) in std::mem::take(consts).into_iter().enumerate() {
            if used[i] {
                reverse[i] = kept.len() as i32;
                kept.push(c);
            }
        }
        *consts = kept;
        let mut walk = self.walk();
        while let Some(b) = walk.next(self) {
            for instr in self.bm(b).instrs.iter_mut() {
                if instr.opcode.has_const() {
                    instr.oparg = reverse[instr.oparg as usize];
                }
            }
        }
    }

    fn maybe_push(&mut self, b: BlockId, unsafe_mask: u64, stack: &mut Vec<BlockId>) {
        let both = self.b(b).unsafe_locals_mask | unsafe_mask;
        if self.b(b).unsafe_locals_mask != both {
            self.bm(b).unsafe_locals_mask = both;
            if !self.b(b).visited {
                stack.push(b);
                self.bm(b).visited = true;
            }
        }
    }

    fn scan_block_for_locals(&mut self, b: BlockId, stack: &mut Vec<BlockId>) {
        let mut unsafe_mask = self.b(b).unsafe_locals_mask;
        for i in 0..self.b(b).instrs.len() {
            let instr = self.b(b).instrs[i];
            if instr.except != NO_BLOCK {
                self.maybe_push(instr.except, unsafe_mask, stack);
            }
            if instr.oparg >= 64 || instr.oparg < 0 {
                continue;
            }
            let bit = 1u64 << instr.oparg;
            match instr.opcode {
                Opcode::DELETE_FAST | Opcode::LOAD_FAST_AND_CLEAR | Opcode::STORE_FAST_MAYBE_NULL => {
                    unsafe_mask |= bit;
                }
                Opcode::STORE_FAST | Opcode::LOAD_FAST_CHECK => unsafe_mask &= !bit,
                Opcode::LOAD_FAST => {
                    if unsafe_mask & bit != 0 {
                        self.bm(b).instrs[i].opcode = Opcode::LOAD_FAST_CHECK;
                    }
                    unsafe_mask &= !bit;
                }
                _ => {}
            }
        }
        let next = self.b(b).next;
        if next != NO_BLOCK && self.b(b).has_fallthrough() {
            self.maybe_push(next, unsafe_mask, stack);
        }
        if let Some(last) = self.b(b).last().copied() {
            if is_jump(last.opcode) {
                self.maybe_push(last.target, unsafe_mask, stack);
            }
        }
    }

    fn fast_scan_many_locals(&mut self, nlocals: usize) {
        let mut states = vec![0usize; nlocals - 64];
        let mut blocknum = 0usize;
        let mut walk = self.walk();
        while let Some(b) = walk.next(self) {
            blocknum += 1;
            for instr in self.bm(b).instrs.iter_mut() {
                let arg = instr.oparg;
                if arg < 64 {
                    continue;
                }
                let slot = arg as usize - 64;
                if slot >= states.len() {
                    continue;
                }
                match instr.opcode {
                    Opcode::DELETE_FAST | Opcode::LOAD_FAST_AND_CLEAR | Opcode::STORE_FAST_MAYBE_NULL => {
                        states[slot] = blocknum - 1;
                    }
                    Opcode::STORE_FAST => states[slot] = blocknum,
                    Opcode::LOAD_FAST => {
                        if states[slot] != blocknum {
                            instr.opcode = Opcode::LOAD_FAST_CHECK;
                        }
                        states[slot] = blocknum;
                    }
                    _ => {}
                }
            }
        }
    }

    /// Turn LOAD_FAST into LOAD_FAST_CHECK where the local may be unbound
    /// (`add_checks_for_loads_of_uninitialized_variables`).
    fn add_checks_for_loads_of_uninitialized_variables(&mut self, nlocals: usize, nparams: usize) {
        if nlocals == 0 {
            return;
        }
        let mut nlocals = nlocals;
        if nlocals > 64 {
            self.fast_scan_many_locals(nlocals);
            nlocals = 64;
        }
        self.reset_visited();
        let mut stack = Vec::new();
        let mut start_mask = 0u64;
        for i in nparams..nlocals {
            start_mask |= 1u64 << i;
        }
        let entry = self.entry;
        self.maybe_push(entry, start_mask, &mut stack);
        let mut walk = self.walk();
        while let Some(b) = walk.next(self) {
            self.scan_block_for_locals(b, &mut stack);
        }
        while let Some(b) = stack.pop() {
            self.bm(b).visited = false;
            self.scan_block_for_locals(b, &mut stack);
        }
    }

    fn mark_warm(&mut self) {
        self.reset_visited();
        let mut stack = vec![self.entry];
        let entry = self.entry;
        self.bm(entry).visited = true;
        while let Some(b) = stack.pop() {
            self.bm(b).warm = true;
            let next = self.b(b).next;
            if next != NO_BLOCK && self.b(b).has_fallthrough() && !self.b(next).visited {
                stack.push(next);
                self.bm(next).visited = true;
            }
            for i in 0..self.b(b).instrs.len() {
                let instr = self.b(b).instrs[i];
                if is_jump(instr.opcode) && !self.b(instr.target).visited {
                    stack.push(instr.target);
                    self.bm(instr.target).visited = true;
                }
            }
        }
    }

    fn mark_cold(&mut self) {
        self.mark_warm();
        self.reset_visited();
        let mut stack = Vec::new();
        let mut walk = self.walk();
        while let Some(b) = walk.next(self) {
            if self.b(b).except_handler {
                stack.push(b);
                self.bm(b).visited = true;
            }
        }
        while let Some(b) = stack.pop() {
            self.bm(b).cold = true;
            let next = self.b(b).next;
            if next != NO_BLOCK && self.b(b).has_fallthrough() && !self.b(next).warm && !self.b(next).visited {
                stack.push(next);
                self.bm(next).visited = true;
            }
            for i in 0..self.b(b).instrs.len() {
                let instr = self.b(b).instrs[i];
                if is_jump(instr.opcode) {
                    let target = instr.target;
                    if !self.b(target).warm && !self.b(target).visited {
                        stack.push(target);
                        self.bm(target).visited = true;
                    }
                }
            }
        }
    }

    /// Move the blocks only exception handlers reach to the end (`push_cold_blocks_to_end`).
    fn push_cold_blocks_to_end(&mut self) -> Result<(), CfgError> {
        let entry = self.entry;
        if self.b(entry).next == NO_BLOCK {
            return Ok(());
        }
        self.mark_cold();
        let mut next_lbl = self.max_label() + 1;
        let mut b = entry;
        while b != NO_BLOCK {
            let next = self.b(b).next;
            if self.b(b).cold && self.b(b).has_fallthrough() && next != NO_BLOCK && self.b(next).warm {
                let explicit_jump = self.new_block();
                if self.b(next).label == -1 {
                    self.bm(next).label = next_lbl;
                    next_lbl += 1;
                }
                let lbl = self.b(next).label;
                self.bm(explicit_jump).instrs.push(CfgInstr {
                    opcode: Opcode::JUMP,
                    oparg: lbl,
                    loc: NO_LOCATION,
                    target: next,
                    except: NO_BLOCK,
                });
                self.bm(explicit_jump).cold = true;
                self.bm(explicit_jump).next = next;
                self.bm(b).next = explicit_jump;
            }
            b = self.b(b).next;
        }

        let mut cold_blocks = NO_BLOCK;
        let mut cold_blocks_tail = NO_BLOCK;
        let mut b = entry;
        while self.b(b).next != NO_BLOCK {
            while self.b(b).next != NO_BLOCK && !self.b(self.b(b).next).cold {
                b = self.b(b).next;
            }
            if self.b(b).next == NO_BLOCK {
                break;
            }
            let start = self.b(b).next;
            let mut b_end = start;
            while self.b(b_end).next != NO_BLOCK && self.b(self.b(b_end).next).cold {
                b_end = self.b(b_end).next;
            }
            if cold_blocks == NO_BLOCK {
                cold_blocks = start;
            } else {
                self.bm(cold_blocks_tail).next = start;
            }
            cold_blocks_tail = b_end;
            let after = self.b(b_end).next;
            self.bm(b).next = after;
            self.bm(b_end).next = NO_BLOCK;
        }
        self.bm(b).next = cold_blocks;
        if cold_blocks != NO_BLOCK {
            self.remove_redundant_jumps()?;
        }
        Ok(())
    }

    fn is_exit_without_lineno(&self, b: BlockId) -> bool {
        let blk = self.b(b);
        blk.exits_scope() && blk.instrs.iter().all(|i| i.loc.lineno < 0)
    }

    fn duplicate_exits_without_lineno(&mut self) {
        let mut next_lbl = self.max_label() + 1;
        let mut b = self.entry;
        while b != NO_BLOCK {
            let last = *self.b(b).last().expect("no empty blocks here");
            if is_jump(last.opcode) {
                let target = last.target;
                if self.is_exit_without_lineno(target) && self.b(target).predecessors > 1 {
                    let new_target = self.new_block();
                    let copied = self.b(target).instrs.clone();
                    self.bm(new_target).instrs = copied;
                    self.bm(new_target).instrs[0].loc = last.loc;
                    self.bm(b).instrs.last_mut().unwrap().target = new_target;
                    self.bm(target).predecessors -= 1;
                    self.bm(new_target).predecessors = 1;
                    self.bm(new_target).next = self.b(target).next;
                    self.bm(new_target).label = next_lbl;
                    next_lbl += 1;
                    self.bm(target).next = new_target;
                }
            }
            b = self.b(b).next;
        }
        let mut b = self.entry;
        while b != NO_BLOCK {
            let next = self.b(b).next;
            if self.b(b).has_fallthrough()
                && next != NO_BLOCK
                && !self.b(b).instrs.is_empty()
                && self.is_exit_without_lineno(next)
            {
                let loc = self.b(b).last().unwrap().loc;
                self.bm(next).instrs[0].loc = loc;
            }
            b = next;
        }
    }

    fn propagate_line_numbers(&mut self) {
        let mut b = self.entry;
        while b != NO_BLOCK {
            let next = self.b(b).next;
            let Some(last) = self.b(b).last().copied() else {
                b = next;
                continue;
            };
            let mut prev_location = NO_LOCATION;
            for instr in self.bm(b).instrs.iter_mut() {
                if instr.loc.lineno < 0 {
                    instr.loc = prev_location;
                } else {
                    prev_location = instr.loc;
                }
            }
            if self.b(b).has_fallthrough()
                && next != NO_BLOCK
                && self.b(next).predecessors == 1
                && self.b(next).instrs[0].loc.lineno < 0
            {
                self.bm(next).instrs[0].loc = prev_location;
            }
            if is_jump(last.opcode) {
                let target = last.target;
                if self.b(target).predecessors == 1 && self.b(target).instrs[0].loc.lineno < 0 {
                    self.bm(target).instrs[0].loc = prev_location;
                }
            }
            b = next;
        }
    }

    fn guarantee_lineno_for_exits(&mut self, firstlineno: i32) {
        let mut lineno = firstlineno;
        let mut b = self.entry;
        while b != NO_BLOCK {
            if let Some(last) = self.b(b).last().copied() {
                if last.loc.lineno < 0 {
                    if last.opcode == Opcode::RETURN_VALUE {
                        for instr in self.bm(b).instrs.iter_mut() {
                            instr.loc.lineno = lineno;
                        }
                    }
                } else {
                    lineno = last.loc.lineno;
                }
            }
            b = self.b(b).next;
        }
    }

    fn resolve_line_numbers(&mut self, firstlineno: i32) {
        self.duplicate_exits_without_lineno();
        self.propagate_line_numbers();
        self.guarantee_lineno_for_exits(firstlineno);
    }

    /// All of the flow-graph optimizations CPython 3.12 runs on a code unit
    /// (`_PyCfg_OptimizeCodeUnit`).
    pub fn optimize_code_unit(
        &mut self,
        consts: &mut Vec<Constant>,
        nlocals: usize,
        nparams: usize,
        firstlineno: i32,
    ) -> Result<(), CfgError> {
        self.translate_jump_labels_to_targets()?;
        self.mark_except_handlers();
        self.label_exception_targets();
        self.optimize_cfg(consts)?;
        self.remove_unused_consts(consts);
        self.add_checks_for_loads_of_uninitialized_variables(nlocals, nparams);
        self.push_cold_blocks_to_end()?;
        self.resolve_line_numbers(firstlineno);
        Ok(())
    }

    /// The deepest the value stack gets (`_PyCfg_Stackdepth`); also sets each block's
    /// `startdepth`.
    pub fn stackdepth(&mut self, is_generator: bool) -> Result<i32, CfgError> {
        let mut walk = self.walk();
        while let Some(b) = walk.next(self) {
            self.bm(b).startdepth = i32::MIN;
        }
        let mut stack: Vec<BlockId> = Vec::new();
        let mut maxdepth = 0;
        let entry = self.entry;
        let push = |g: &mut Cfg, stack: &mut Vec<BlockId>, b: BlockId, depth: i32| {
            let blk = g.bm(b);
            if blk.startdepth < depth && blk.startdepth < 100 {
                blk.startdepth = depth;
                stack.push(b);
            }
        };
        push(self, &mut stack, entry, if is_generator { 1 } else { 0 });
        while let Some(b) = stack.pop() {
            let mut depth = self.b(b).startdepth;
            let mut next = self.b(b).next;
            for i in 0..self.b(b).instrs.len() {
                let instr = self.b(b).instrs[i];
                let effect = stack_effect(instr.opcode, instr.oparg, false).ok_or_else(|| {
                    CfgError(format!(
                        "compiler PyCompile_OpcodeStackEffectWithJump(opcode={}, arg={}) failed",
                        instr.opcode as u16, instr.oparg
                    ))
                })?;
                let new_depth = depth + effect;
                maxdepth = maxdepth.max(new_depth);
                if has_target(instr.opcode) {
                    let effect = stack_effect(instr.opcode, instr.oparg, true).unwrap_or(0);
                    let target_depth = depth + effect;
                    maxdepth = maxdepth.max(target_depth);
                    push(self, &mut stack, instr.target, target_depth);
                }
                depth = new_depth;
                if is_unconditional_jump(instr.opcode) || is_scope_exit(instr.opcode) {
                    next = NO_BLOCK;
                    break;
                }
            }
            if next != NO_BLOCK {
                push(self, &mut stack, next, depth);
            }
        }
        Ok(maxdepth)
    }

    /// Drop the pseudo-instructions that only served the passes (`_PyCfg_ConvertPseudoOps`).
    pub fn convert_pseudo_ops(&mut self) {
        let mut walk = self.walk();
        while let Some(b) = walk.next(self) {
            for instr in self.bm(b).instrs.iter_mut() {
                if is_block_push(instr.opcode) || instr.opcode == Opcode::POP_BLOCK {
                    instr.set_op0(Opcode::NOP);
                } else if instr.opcode == Opcode::STORE_FAST_MAYBE_NULL {
                    instr.opcode = Opcode::STORE_FAST;
                }
            }
        }
        let mut walk = self.walk();
        while let Some(b) = walk.next(self) {
            self.remove_redundant_nops(b);
        }
    }

    fn normalize_jumps(&mut self) {
        self.reset_visited();
        let mut b = self.entry;
        while b != NO_BLOCK {
            self.bm(b).visited = true;
            self.normalize_jumps_in_block(b);
            b = self.b(b).next;
        }
    }

    fn normalize_jumps_in_block(&mut self, b: BlockId) {
        let Some(last) = self.b(b).last().copied() else {
            return;
        };
        if !is_jump(last.opcode) {
            return;
        }
        let is_forward = !self.b(last.target).visited;
        match last.opcode {
            Opcode::JUMP => {
                self.bm(b).instrs.last_mut().unwrap().opcode = if is_forward {
                    Opcode::JUMP_FORWARD
                } else {
                    Opcode::JUMP_BACKWARD
                };
                return;
            }
            Opcode::JUMP_NO_INTERRUPT => {
                self.bm(b).instrs.last_mut().unwrap().opcode = if is_forward {
                    Opcode::JUMP_FORWARD
                } else {
                    Opcode::JUMP_BACKWARD_NO_INTERRUPT
                };
                return;
            }
            _ => {}
        }
        let reversed = match last.opcode {
            Opcode::POP_JUMP_IF_NOT_NONE => Some(Opcode::POP_JUMP_IF_NONE),
            Opcode::POP_JUMP_IF_NONE => Some(Opcode::POP_JUMP_IF_NOT_NONE),
            Opcode::POP_JUMP_IF_FALSE => Some(Opcode::POP_JUMP_IF_TRUE),
            Opcode::POP_JUMP_IF_TRUE => Some(Opcode::POP_JUMP_IF_FALSE),
            _ => None,
        };
        if is_forward {
            return;
        }
        let Some(reversed) = reversed else {
            return;
        };
        let target = last.target;
        let backwards_jump = self.new_block();
        let tlabel = self.b(target).label;
        self.bm(backwards_jump).instrs.push(CfgInstr {
            opcode: Opcode::JUMP,
            oparg: tlabel,
            loc: last.loc,
            target,
            except: NO_BLOCK,
        });
        let next = self.b(b).next;
        {
            let l = self.bm(b).instrs.last_mut().unwrap();
            l.opcode = reversed;
            l.target = next;
        }
        self.bm(backwards_jump).cold = self.b(b).cold;
        self.bm(backwards_jump).next = next;
        self.bm(b).next = backwards_jump;
    }

    fn resolve_jump_offsets(&mut self) {
        loop {
            let mut totsize = 0;
            let mut walk = self.walk();
            while let Some(b) = walk.next(self) {
                let size = self.b(b).size();
                self.bm(b).offset = totsize;
                totsize += size;
            }
            let mut extended_arg_recompile = false;
            let mut walk = self.walk();
            while let Some(b) = walk.next(self) {
                let mut bsize = self.b(b).offset;
                for i in 0..self.b(b).instrs.len() {
                    let instr = self.b(b).instrs[i];
                    let isize = instr_size(instr.opcode, instr.oparg);
                    bsize += isize;
                    if is_jump(instr.opcode) {
                        let target_offset = self.b(instr.target).offset;
                        let oparg = if target_offset < bsize {
                            bsize - target_offset
                        } else {
                            target_offset - bsize
                        };
                        self.bm(b).instrs[i].oparg = oparg;
                        if instr_size(instr.opcode, oparg) != isize {
                            extended_arg_recompile = true;
                        }
                    }
                }
            }
            if !extended_arg_recompile {
                break;
            }
        }
    }

    /// Pick jump directions and compute jump opargs (`_PyCfg_ResolveJumps`).
    pub fn resolve_jumps(&mut self) {
        self.normalize_jumps();
        self.resolve_jump_offsets();
    }

    /// The final instruction list with each instruction's handler (`cfg_to_instr_sequence`).
    pub fn to_instr_sequence(&self) -> InstrSequence {
        let mut seq = InstrSequence::new();
        let mut walk = self.walk();
        while let Some(b) = walk.next(self) {
            for instr in &self.b(b).instrs {
                seq.addop(instr.opcode, instr.oparg, instr.loc);
                if instr.except != NO_BLOCK {
                    let h = self.b(instr.except);
                    seq.instrs.last_mut().unwrap().except = ExceptHandlerInfo {
                        offset: h.offset,
                        startdepth: h.startdepth,
                        preserve_lasti: h.preserve_lasti,
                    };
                }
            }
        }
        seq
    }
}

/// `PyObject_IsTrue` of a constant.
pub fn constant_is_true(c: &Constant) -> bool {
    match c {
        Constant::None | Constant::False => false,
        Constant::True | Constant::Ellipsis | Constant::Code(_) => true,
        Constant::Int(v) => v.bits() != 0,
        Constant::Float(f) => *f != 0.0,
        Constant::Complex { real, imag } => *real != 0.0 || *imag != 0.0,
        Constant::Str(s) => !s.as_bytes().is_empty(),
        Constant::Bytes(b) => !b.is_empty(),
        Constant::Tuple(t) => !t.is_empty(),
        Constant::FrozenSet(t) => !t.is_empty(),
    }
}

const VISITED: i32 = -1;

/// Replace a run of SWAPs and NOPs by the fewest SWAPs with the same effect (`swaptimize`).
fn swaptimize(instrs: &mut [CfgInstr], ix: &mut usize) {
    let start = *ix;
    let mut depth = instrs[start].oparg;
    let mut len = 0usize;
    let mut more = false;
    let limit = instrs.len() - start;
    loop {
        len += 1;
        if len >= limit {
            break;
        }
        let op = instrs[start + len].opcode;
        if op == Opcode::SWAP {
            depth = depth.max(instrs[start + len].oparg);
            more = true;
        } else if op != Opcode::NOP {
            break;
        }
    }
    if !more {
        return;
    }
    let depth = depth as usize;
    let mut stack: Vec<i32> = (0..depth as i32).collect();
    for i in 0..len {
        if instrs[start + i].opcode == Opcode::SWAP {
            let oparg = instrs[start + i].oparg as usize;
            stack.swap(0, oparg - 1);
        }
    }
    let mut current = len as isize - 1;
    for i in 0..depth {
        if stack[i] == VISITED || stack[i] == i as i32 {
            continue;
        }
        let mut j = i;
        loop {
            if j != 0 {
                let ins = &mut instrs[start + current as usize];
                ins.opcode = Opcode::SWAP;
                ins.oparg = j as i32 + 1;
                current -= 1;
            }
            if stack[j] == VISITED {
                break;
            }
            let next_j = stack[j] as usize;
            stack[j] = VISITED;
            j = next_j;
        }
    }
    while current >= 0 {
        instrs[start + current as usize].set_op0(Opcode::NOP);
        current -= 1;
    }
    *ix = start + len - 1;
}

#[inline]
fn swappable(op: Opcode) -> bool {
    matches!(op, Opcode::STORE_FAST | Opcode::STORE_FAST_MAYBE_NULL | Opcode::POP_TOP)
}

#[inline]
fn stores_to(instr: &CfgInstr) -> i32 {
    if matches!(instr.opcode, Opcode::STORE_FAST | Opcode::STORE_FAST_MAYBE_NULL) {
        instr.oparg
    } else {
        -1
    }
}

fn next_swappable_instruction(instrs: &[CfgInstr], i: isize, lineno: i32) -> isize {
    let mut i = i;
    loop {
        i += 1;
        if i as usize >= instrs.len() {
            return -1;
        }
        let instr = &instrs[i as usize];
        if lineno >= 0 && instr.loc.lineno != lineno {
            return -1;
        }
        if instr.opcode == Opcode::NOP {
            continue;
        }
        if swappable(instr.opcode) {
            return i;
        }
        return -1;
    }
}

/// Apply SWAPs by reordering the swappable instructions after them (`apply_static_swaps`).
fn apply_static_swaps(instrs: &mut [CfgInstr], i: isize) {
    let mut i = i;
    while i >= 0 {
        let swap = instrs[i as usize];
        if swap.opcode != Opcode::SWAP {
            if swap.opcode == Opcode::NOP || swappable(swap.opcode) {
                i -= 1;
                continue;
            }
            return;
        }
        let j = next_swappable_instruction(instrs, i, -1);
        if j < 0 {
            return;
        }
        let mut k = j;
        let lineno = instrs[j as usize].loc.lineno;
        let mut count = swap.oparg - 1;
        while count > 0 {
            k = next_swappable_instruction(instrs, k, lineno);
            if k < 0 {
                return;
            }
            count -= 1;
        }
        let store_j = stores_to(&instrs[j as usize]);
        let store_k = stores_to(&instrs[k as usize]);
        if store_j >= 0 || store_k >= 0 {
            if store_j == store_k {
                return;
            }
            for idx in (j + 1)..k {
                let store_idx = stores_to(&instrs[idx as usize]);
                if store_idx >= 0 && (store_idx == store_j || store_idx == store_k) {
                    return;
                }
            }
        }
        instrs[i as usize].set_op0(Opcode::NOP);
        instrs.swap(j as usize, k as usize);
        i -= 1;
    }
}
