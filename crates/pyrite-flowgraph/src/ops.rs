//! The opcode classes the flow-graph passes test (`Include/internal/pycore_opcode_utils.h`),
//! as thin views of the instruction definitions in `grammar/bytecodes.def`.

use pyrite_opcode::Opcode;

/// A jump instruction (`IS_JUMP_OPCODE`): the real jumps and the JUMP / JUMP_NO_INTERRUPT
/// pseudo-instructions; not the SETUP_* block pushes.
#[inline]
pub fn is_jump(op: Opcode) -> bool {
    op.has_jump() && !op.is_block_push()
}

/// SETUP_FINALLY, SETUP_CLEANUP, SETUP_WITH (`IS_BLOCK_PUSH_OPCODE`).
#[inline]
pub fn is_block_push(op: Opcode) -> bool {
    op.is_block_push()
}

/// Its oparg names a label (`HAS_TARGET`).
#[inline]
pub fn has_target(op: Opcode) -> bool {
    is_jump(op) || is_block_push(op)
}

/// Must end its basic block (`IS_TERMINATOR_OPCODE`).
#[inline]
pub fn is_terminator(op: Opcode) -> bool {
    is_jump(op) || is_scope_exit(op)
}

/// RETURN_VALUE, RETURN_CONST, RAISE_VARARGS, RERAISE (`IS_SCOPE_EXIT_OPCODE`).
#[inline]
pub fn is_scope_exit(op: Opcode) -> bool {
    op.is_scope_exit()
}

/// JUMP, JUMP_NO_INTERRUPT, JUMP_FORWARD, JUMP_BACKWARD, JUMP_BACKWARD_NO_INTERRUPT.
#[inline]
pub fn is_unconditional_jump(op: Opcode) -> bool {
    op.is_unconditional_jump()
}

/// JUMP_BACKWARD, JUMP_BACKWARD_NO_INTERRUPT.
#[inline]
pub fn is_backwards_jump(op: Opcode) -> bool {
    op.is_backward_jump()
}

/// Only the assembler emits these (`IS_ASSEMBLER_OPCODE`).
#[inline]
pub fn is_assembler_opcode(op: Opcode) -> bool {
    matches!(
        op,
        Opcode::JUMP_FORWARD | Opcode::JUMP_BACKWARD | Opcode::JUMP_BACKWARD_NO_INTERRUPT
    )
}

/// The stack effect as the compiler computes it (`PyCompile_OpcodeStackEffectWithJump`).
#[inline]
pub fn stack_effect(op: Opcode, oparg: i32, jump: bool) -> Option<i32> {
    op.stack_effect(oparg, Some(jump))
}
