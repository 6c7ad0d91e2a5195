//! Statements (`compiler_visit_stmt` and the functions it calls), frame blocks and unwinding,
//! function, class and type-alias definitions.

use crate::consts::{from_ast, str_const};
use crate::*;

impl<'a, 's> Compiler<'a, 's> {
    pub(crate) fn visit_stmt(&mut self, s: &'a Stmt<'a>) -> CResult {
        let l = loc(s.loc);
        match s.kind {
            StmtKind::FunctionDef { .. } => self.function(s, false),
            StmtKind::AsyncFunctionDef { .. } => self.function(s, true),
            StmtKind::ClassDef { .. } => self.class(s),
            StmtKind::TypeAlias { .. } => self.typealias(s),
            StmtKind::Return { value } => self.return_(s, value),
            StmtKind::Delete { targets } => targets.iter().try_for_each(|t| self.visit_expr(t)),
            StmtKind::Assign { targets, value, .. } => {
                self.visit_expr(value)?;
                let n = targets.len();
                for (i, t) in targets.iter().enumerate() {
                    if i < n - 1 {
                        self.addop_i(l, Opcode::COPY, 1);
                    }
                    self.visit_expr(t)?;
                }
                Ok(())
            }
            StmtKind::AugAssign { target, op, value } => self.augassign(s, target, op, value),
            StmtKind::AnnAssign {
                target,
                annotation,
                value,
                simple,
            } => self.annassign(s, target, annotation, value, simple),
            StmtKind::For {
                target,
                iter,
                body,
                orelse,
                ..
            } => self.for_(s, target, iter, body, orelse),
            StmtKind::While { test, body, orelse } => self.while_(s, test, body, orelse),
            StmtKind::If { test, body, orelse } => self.if_(s, test, body, orelse),
            StmtKind::Match { subject, cases } => self.match_(subject, cases),
            StmtKind::Raise { exc, cause } => {
                let mut n = 0;
                if let Some(exc) = exc {
                    self.visit_expr(exc)?;
                    n += 1;
                    if let Some(cause) = cause {
                        self.visit_expr(cause)?;
                        n += 1;
                    }
                }
                self.addop_i(l, Opcode::RAISE_VARARGS, n);
                Ok(())
            }
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finalbody,
            } => {
                if !finalbody.is_empty() {
                    self.try_finally(s, body, handlers, orelse, finalbody, false)
                } else {
                    self.try_except(s, body, handlers, orelse)
                }
            }
            StmtKind::TryStar {
                body,
                handlers,
                orelse,
                finalbody,
            } => {
                if !finalbody.is_empty() {
                    self.try_finally(s, body, handlers, orelse, finalbody, true)
                } else {
                    self.try_star_except(s, body, handlers, orelse)
                }
            }
            StmtKind::Assert { test, msg } => self.assert_(s, test, msg),
            StmtKind::Import { names } => self.import(s, names),
            StmtKind::ImportFrom { module, names, level } => self.import_from(s, module, names, level),
            StmtKind::Global { .. } | StmtKind::Nonlocal { .. } => Ok(()),
            StmtKind::Expr { value } => self.stmt_expr(l, value),
            StmtKind::Pass => {
                self.addop(l, Opcode::NOP);
                Ok(())
            }
            StmtKind::Break => self.break_(l),
            StmtKind::Continue => self.continue_(l),
            StmtKind::With { items, body, .. } => self.with(s, items, body, 0),
            StmtKind::AsyncWith { items, body, .. } => self.async_with(s, items, body, 0),
            StmtKind::AsyncFor {
                target,
                iter,
                body,
                orelse,
                ..
            } => self.async_for(s, target, iter, body, orelse),
        }
    }

    fn stmt_expr(&mut self, l: Location, value: &'a Expr<'a>) -> CResult {
        if self.interactive && self.nestlevel <= 1 {
            self.visit_expr(value)?;
            self.addop_i(l, Opcode::CALL_INTRINSIC_1, intrinsic::PRINT);
            self.addop(NO_LOCATION, Opcode::POP_TOP);
            return Ok(());
        }
        if let ExprKind::Constant { .. } = value.kind {
            self.addop(l, Opcode::NOP);
            return Ok(());
        }
        self.visit_expr(value)?;
        self.addop(NO_LOCATION, Opcode::POP_TOP);
        Ok(())
    }

    // ----- frame blocks -----

    pub(crate) fn push_fblock(
        &mut self,
        l: Location,
        ty: FBlockType,
        block: Label,
        exit: Label,
        datum: FBlockDatum<'a>,
    ) -> CResult {
        if self.ur().fblocks.len() >= pyrite_flowgraph::CO_MAXBLOCKS {
            return Err(self.error(l, "too many statically nested blocks"));
        }
        self.u().fblocks.push(FBlock { ty, block, exit, datum });
        Ok(())
    }

    pub(crate) fn pop_fblock(&mut self) {
        self.u().fblocks.pop();
    }

    fn call_exit_with_nones(&mut self, l: Location) {
        self.load_none(l);
        self.load_none(l);
        self.load_none(l);
        self.addop_i(l, Opcode::CALL, 2);
    }

    /// `compiler_add_yield_from`.
    pub(crate) fn add_yield_from(&mut self, l: Location, await_: bool) {
        let send = self.new_label();
        let fail = self.new_label();
        let exit = self.new_label();
        self.use_label(send);
        self.addop_j(l, Opcode::SEND, exit);
        self.addop_j(l, Opcode::SETUP_FINALLY, fail);
        self.addop_i(l, Opcode::YIELD_VALUE, 0);
        self.addop(NO_LOCATION, Opcode::POP_BLOCK);
        self.addop_i(l, Opcode::RESUME, if await_ { 3 } else { 2 });
        self.addop_j(l, Opcode::JUMP_NO_INTERRUPT, send);
        self.use_label(fail);
        self.addop(l, Opcode::CLEANUP_THROW);
        self.use_label(exit);
        self.addop(l, Opcode::END_SEND);
    }

    pub(crate) fn pop_except_and_reraise(&mut self, l: Location) {
        self.addop_i(l, Opcode::COPY, 3);
        self.addop(l, Opcode::POP_EXCEPT);
        self.addop_i(l, Opcode::RERAISE, 1);
    }

    /// `compiler_unwind_fblock`.
    fn unwind_fblock(&mut self, ploc: &mut Location, info: FBlock<'a>, preserve_tos: bool) -> CResult {
        let l = *ploc;
        match info.ty {
            FBlockType::WhileLoop
            | FBlockType::ExceptionHandler
            | FBlockType::ExceptionGroupHandler
            | FBlockType::AsyncComprehensionGenerator => {}
            FBlockType::ForLoop => {
                if preserve_tos {
                    self.addop_i(l, Opcode::SWAP, 2);
                }
                self.addop(l, Opcode::POP_TOP);
            }
            FBlockType::TryExcept => self.addop(l, Opcode::POP_BLOCK),
            FBlockType::FinallyTry => {
                self.addop(l, Opcode::POP_BLOCK);
                if preserve_tos {
                    self.push_fblock(l, FBlockType::PopValue, Label::NONE, Label::NONE, FBlockDatum::None)?;
                }
                if let FBlockDatum::Body(body) = info.datum {
                    for s in body {
                        self.visit_stmt(s)?;
                    }
                }
                if preserve_tos {
                    self.pop_fblock();
                }
                *ploc = NO_LOCATION;
            }
            FBlockType::FinallyEnd => {
                if preserve_tos {
                    self.addop_i(l, Opcode::SWAP, 2);
                }
                self.addop(l, Opcode::POP_TOP);
                if preserve_tos {
                    self.addop_i(l, Opcode::SWAP, 2);
                }
                self.addop(l, Opcode::POP_BLOCK);
                self.addop(l, Opcode::POP_EXCEPT);
            }
            FBlockType::With | FBlockType::AsyncWith => {
                if let FBlockDatum::Stmt(s) = info.datum {
                    *ploc = loc(s.loc);
                }
                let l = *ploc;
                self.addop(l, Opcode::POP_BLOCK);
                if preserve_tos {
                    self.addop_i(l, Opcode::SWAP, 2);
                }
                self.call_exit_with_nones(l);
                if info.ty == FBlockType::AsyncWith {
                    self.addop_i(l, Opcode::GET_AWAITABLE, 2);
                    self.load_none(l);
                    self.add_yield_from(l, true);
                }
                self.addop(l, Opcode::POP_TOP);
                *ploc = NO_LOCATION;
            }
            FBlockType::HandlerCleanup => {
                let name = if let FBlockDatum::Name(n) = info.datum {
                    Some(n)
                } else {
                    None
                };
                if name.is_some() {
                    self.addop(l, Opcode::POP_BLOCK);
                }
                if preserve_tos {
                    self.addop_i(l, Opcode::SWAP, 2);
                }
                self.addop(l, Opcode::POP_BLOCK);
                self.addop(l, Opcode::POP_EXCEPT);
                if let Some(name) = name {
                    self.load_none(l);
                    self.nameop(l, name, ExprContext::Store)?;
                    self.nameop(l, name, ExprContext::Del)?;
                }
            }
            FBlockType::PopValue => {
                if preserve_tos {
                    self.addop_i(l, Opcode::SWAP, 2);
                }
                self.addop(l, Opcode::POP_TOP);
            }
        }
        Ok(())
    }

    /// `compiler_unwind_fblock_stack`: unwind to the innermost loop (if `want_loop`) or all of
    /// the frame blocks; returns the loop.
    fn unwind_fblock_stack(
        &mut self,
        ploc: &mut Location,
        preserve_tos: bool,
        want_loop: bool,
    ) -> CResult<Option<FBlock<'a>>> {
        let Some(&top) = self.ur().fblocks.last() else {
            return Ok(None);
        };
        if top.ty == FBlockType::ExceptionGroupHandler {
            return Err(self.error(
                *ploc,
                "'break', 'continue' and 'return' cannot appear in an except* block",
            ));
        }
        if want_loop && matches!(top.ty, FBlockType::WhileLoop | FBlockType::ForLoop) {
            return Ok(Some(top));
        }
        self.u().fblocks.pop();
        self.unwind_fblock(ploc, top, preserve_tos)?;
        let r = self.unwind_fblock_stack(ploc, preserve_tos, want_loop)?;
        self.u().fblocks.push(top);
        Ok(r)
    }

    fn return_(&mut self, s: &'a Stmt<'a>, value: Option<&'a Expr<'a>>) -> CResult {
        let mut l = loc(s.loc);
        let preserve_tos = value.is_some_and(|v| !matches!(v.kind, ExprKind::Constant { .. }));
        if !self.is_function_like() {
            return Err(self.error(l, "'return' outside function"));
        }
        if value.is_some() && self.ur().coroutine && self.ste().generator {
            return Err(self.error(l, "'return' with value in async generator"));
        }
        if preserve_tos {
            self.visit_expr(value.unwrap())?;
        } else if let Some(v) = value {
            l = loc(v.loc);
            self.addop(l, Opcode::NOP);
        }
        if value.is_none() || value.unwrap().loc.lineno != s.loc.lineno {
            l = loc(s.loc);
            self.addop(l, Opcode::NOP);
        }
        self.unwind_fblock_stack(&mut l, preserve_tos, false)?;
        match value {
            None => self.load_none(l),
            Some(v) if !preserve_tos => {
                if let ExprKind::Constant { value: c, .. } = v.kind {
                    self.load_const(l, from_ast(&c));
                }
            }
            _ => {}
        }
        self.addop(l, Opcode::RETURN_VALUE);
        Ok(())
    }

    fn break_(&mut self, l: Location) -> CResult {
        let origin = l;
        let mut l = l;
        self.addop(l, Opcode::NOP);
        let lp = self.unwind_fblock_stack(&mut l, false, true)?;
        let Some(lp) = lp else {
            return Err(self.error(origin, "'break' outside loop"));
        };
        self.unwind_fblock(&mut l, lp, false)?;
        self.addop_j(l, Opcode::JUMP, lp.exit);
        Ok(())
    }

    fn continue_(&mut self, l: Location) -> CResult {
        let origin = l;
        let mut l = l;
        self.addop(l, Opcode::NOP);
        let lp = self.unwind_fblock_stack(&mut l, false, true)?;
        let Some(lp) = lp else {
            return Err(self.error(origin, "'continue' not properly in loop"));
        };
        self.addop_j(l, Opcode::JUMP, lp.block);
        Ok(())
    }

    // ----- control flow -----

    fn if_(
        &mut self,
        s: &'a Stmt<'a>,
        test: &'a Expr<'a>,
        body: &'a [&'a Stmt<'a>],
        orelse: &'a [&'a Stmt<'a>],
    ) -> CResult {
        let end = self.new_label();
        let next = if !orelse.is_empty() { self.new_label() } else { end };
        self.jump_if(loc(s.loc), test, next, false)?;
        for st in body {
            self.visit_stmt(st)?;
        }
        if !orelse.is_empty() {
            self.addop_j(NO_LOCATION, Opcode::JUMP, end);
            self.use_label(next);
            for st in orelse {
                self.visit_stmt(st)?;
            }
        }
        self.use_label(end);
        Ok(())
    }

    fn for_(
        &mut self,
        s: &'a Stmt<'a>,
        target: &'a Expr<'a>,
        iter: &'a Expr<'a>,
        body: &'a [&'a Stmt<'a>],
        orelse: &'a [&'a Stmt<'a>],
    ) -> CResult {
        let l = loc(s.loc);
        let start = self.new_label();
        let body_l = self.new_label();
        let cleanup = self.new_label();
        let end = self.new_label();
        self.push_fblock(l, FBlockType::ForLoop, start, end, FBlockDatum::None)?;
        self.visit_expr(iter)?;
        self.addop(l, Opcode::GET_ITER);
        self.use_label(start);
        self.addop_j(l, Opcode::FOR_ITER, cleanup);
        self.use_label(body_l);
        self.visit_expr(target)?;
        for st in body {
            self.visit_stmt(st)?;
        }
        self.addop_j(NO_LOCATION, Opcode::JUMP, start);
        self.use_label(cleanup);
        self.addop(NO_LOCATION, Opcode::END_FOR);
        self.pop_fblock();
        for st in orelse {
            self.visit_stmt(st)?;
        }
        self.use_label(end);
        Ok(())
    }

    pub(crate) fn is_top_level_await(&self) -> bool {
        false
    }

    fn async_for(
        &mut self,
        s: &'a Stmt<'a>,
        target: &'a Expr<'a>,
        iter: &'a Expr<'a>,
        body: &'a [&'a Stmt<'a>],
        orelse: &'a [&'a Stmt<'a>],
    ) -> CResult {
        let l = loc(s.loc);
        if self.is_top_level_await() {
            self.u().coroutine = true;
        } else if self.ur().scope_type != ScopeType::AsyncFunction {
            return Err(self.error(l, "'async for' outside async function"));
        }
        let start = self.new_label();
        let except = self.new_label();
        let end = self.new_label();
        self.visit_expr(iter)?;
        self.addop(l, Opcode::GET_AITER);
        self.use_label(start);
        self.push_fblock(l, FBlockType::ForLoop, start, end, FBlockDatum::None)?;
        self.addop_j(l, Opcode::SETUP_FINALLY, except);
        self.addop(l, Opcode::GET_ANEXT);
        self.load_none(l);
        self.add_yield_from(l, true);
        self.addop(l, Opcode::POP_BLOCK);
        self.visit_expr(target)?;
        for st in body {
            self.visit_stmt(st)?;
        }
        self.addop_j(NO_LOCATION, Opcode::JUMP, start);
        self.pop_fblock();
        self.use_label(except);
        let l = loc(iter.loc);
        self.addop(l, Opcode::END_ASYNC_FOR);
        for st in orelse {
            self.visit_stmt(st)?;
        }
        self.use_label(end);
        Ok(())
    }

    fn while_(
        &mut self,
        s: &'a Stmt<'a>,
        test: &'a Expr<'a>,
        body: &'a [&'a Stmt<'a>],
        orelse: &'a [&'a Stmt<'a>],
    ) -> CResult {
        let l = loc(s.loc);
        let lp = self.new_label();
        let body_l = self.new_label();
        let end = self.new_label();
        let anchor = self.new_label();
        self.use_label(lp);
        self.push_fblock(l, FBlockType::WhileLoop, lp, end, FBlockDatum::None)?;
        self.jump_if(l, test, anchor, false)?;
        self.use_label(body_l);
        for st in body {
            self.visit_stmt(st)?;
        }
        self.jump_if(l, test, body_l, true)?;
        self.pop_fblock();
        self.use_label(anchor);
        for st in orelse {
            self.visit_stmt(st)?;
        }
        self.use_label(end);
        Ok(())
    }

    // ----- try -----

    #[allow(clippy::too_many_arguments)]
    fn try_finally(
        &mut self,
        s: &'a Stmt<'a>,
        body: &'a [&'a Stmt<'a>],
        handlers: &'a [&'a ExceptHandler<'a>],
        orelse: &'a [&'a Stmt<'a>],
        finalbody: &'a [&'a Stmt<'a>],
        star: bool,
    ) -> CResult {
        let l = loc(s.loc);
        let body_l = self.new_label();
        let end = self.new_label();
        let exit = self.new_label();
        let cleanup = self.new_label();
        self.addop_j(l, Opcode::SETUP_FINALLY, end);
        self.use_label(body_l);
        self.push_fblock(l, FBlockType::FinallyTry, body_l, end, FBlockDatum::Body(finalbody))?;
        if !handlers.is_empty() {
            if star {
                self.try_star_except(s, body, handlers, orelse)?;
            } else {
                self.try_except(s, body, handlers, orelse)?;
            }
        } else {
            for st in body {
                self.visit_stmt(st)?;
            }
        }
        self.addop(NO_LOCATION, Opcode::POP_BLOCK);
        self.pop_fblock();
        for st in finalbody {
            self.visit_stmt(st)?;
        }
        self.addop_j(NO_LOCATION, Opcode::JUMP, exit);
        self.use_label(end);
        let l = NO_LOCATION;
        self.addop_j(l, Opcode::SETUP_CLEANUP, cleanup);
        self.addop(l, Opcode::PUSH_EXC_INFO);
        self.push_fblock(l, FBlockType::FinallyEnd, end, Label::NONE, FBlockDatum::None)?;
        for st in finalbody {
            self.visit_stmt(st)?;
        }
        self.pop_fblock();
        self.addop_i(l, Opcode::RERAISE, 0);
        self.use_label(cleanup);
        self.pop_except_and_reraise(l);
        self.use_label(exit);
        Ok(())
    }

    fn try_except(
        &mut self,
        s: &'a Stmt<'a>,
        body: &'a [&'a Stmt<'a>],
        handlers: &'a [&'a ExceptHandler<'a>],
        orelse: &'a [&'a Stmt<'a>],
    ) -> CResult {
        let l = loc(s.loc);
        let body_l = self.new_label();
        let mut except = self.new_label();
        let end = self.new_label();
        let cleanup = self.new_label();
        self.addop_j(l, Opcode::SETUP_FINALLY, except);
        self.use_label(body_l);
        self.push_fblock(l, FBlockType::TryExcept, body_l, Label::NONE, FBlockDatum::None)?;
        for st in body {
            self.visit_stmt(st)?;
        }
        self.pop_fblock();
        self.addop(NO_LOCATION, Opcode::POP_BLOCK);
        for st in orelse {
            self.visit_stmt(st)?;
        }
        self.addop_j(NO_LOCATION, Opcode::JUMP, end);
        let n = handlers.len();
        self.use_label(except);
        self.addop_j(NO_LOCATION, Opcode::SETUP_CLEANUP, cleanup);
        self.addop(NO_LOCATION, Opcode::PUSH_EXC_INFO);
        self.push_fblock(
            l,
            FBlockType::ExceptionHandler,
            Label::NONE,
            Label::NONE,
            FBlockDatum::None,
        )?;
        for (i, handler) in handlers.iter().enumerate() {
            let ExceptHandlerKind::ExceptHandler { type_, name, body } = handler.kind;
            let hl = loc(handler.loc);
            if type_.is_none() && i < n - 1 {
                return Err(self.error(hl, "default 'except:' must be last"));
            }
            let next_except = self.new_label();
            except = next_except;
            if let Some(t) = type_ {
                self.visit_expr(t)?;
                self.addop(hl, Opcode::CHECK_EXC_MATCH);
                self.addop_j(hl, Opcode::POP_JUMP_IF_FALSE, except);
            }
            if let Some(name) = name {
                let cleanup_end = self.new_label();
                let cleanup_body = self.new_label();
                self.nameop(hl, name, ExprContext::Store)?;
                self.addop_j(hl, Opcode::SETUP_CLEANUP, cleanup_end);
                self.use_label(cleanup_body);
                self.push_fblock(
                    hl,
                    FBlockType::HandlerCleanup,
                    cleanup_body,
                    Label::NONE,
                    FBlockDatum::Name(name),
                )?;
                for st in body {
                    self.visit_stmt(st)?;
                }
                self.pop_fblock();
                self.addop(NO_LOCATION, Opcode::POP_BLOCK);
                self.addop(NO_LOCATION, Opcode::POP_BLOCK);
                self.addop(NO_LOCATION, Opcode::POP_EXCEPT);
                self.load_none(NO_LOCATION);
                self.nameop(NO_LOCATION, name, ExprContext::Store)?;
                self.nameop(NO_LOCATION, name, ExprContext::Del)?;
                self.addop_j(NO_LOCATION, Opcode::JUMP, end);
                self.use_label(cleanup_end);
                self.load_none(NO_LOCATION);
                self.nameop(NO_LOCATION, name, ExprContext::Store)?;
                self.nameop(NO_LOCATION, name, ExprContext::Del)?;
                self.addop_i(NO_LOCATION, Opcode::RERAISE, 1);
            } else {
                let cleanup_body = self.new_label();
                self.addop(hl, Opcode::POP_TOP);
                self.use_label(cleanup_body);
                self.push_fblock(
                    hl,
                    FBlockType::HandlerCleanup,
                    cleanup_body,
                    Label::NONE,
                    FBlockDatum::None,
                )?;
                for st in body {
                    self.visit_stmt(st)?;
                }
                self.pop_fblock();
                self.addop(NO_LOCATION, Opcode::POP_BLOCK);
                self.addop(NO_LOCATION, Opcode::POP_EXCEPT);
                self.addop_j(NO_LOCATION, Opcode::JUMP, end);
            }
            self.use_label(except);
        }
        self.pop_fblock();
        self.addop_i(NO_LOCATION, Opcode::RERAISE, 0);
        self.use_label(cleanup);
        self.pop_except_and_reraise(NO_LOCATION);
        self.use_label(end);
        Ok(())
    }

    fn try_star_except(
        &mut self,
        s: &'a Stmt<'a>,
        body: &'a [&'a Stmt<'a>],
        handlers: &'a [&'a ExceptHandler<'a>],
        orelse: &'a [&'a Stmt<'a>],
    ) -> CResult {
        let l = loc(s.loc);
        let body_l = self.new_label();
        let mut except = self.new_label();
        let orelse_l = self.new_label();
        let end = self.new_label();
        let cleanup = self.new_label();
        let reraise_star = self.new_label();
        self.addop_j(l, Opcode::SETUP_FINALLY, except);
        self.use_label(body_l);
        self.push_fblock(l, FBlockType::TryExcept, body_l, Label::NONE, FBlockDatum::None)?;
        for st in body {
            self.visit_stmt(st)?;
        }
        self.pop_fblock();
        self.addop(NO_LOCATION, Opcode::POP_BLOCK);
        self.addop_j(NO_LOCATION, Opcode::JUMP, orelse_l);
        let n = handlers.len();
        self.use_label(except);
        self.addop_j(NO_LOCATION, Opcode::SETUP_CLEANUP, cleanup);
        self.addop(NO_LOCATION, Opcode::PUSH_EXC_INFO);
        self.push_fblock(
            l,
            FBlockType::ExceptionGroupHandler,
            Label::NONE,
            Label::NONE,
            FBlockDatum::Marker,
        )?;
        for (i, handler) in handlers.iter().enumerate() {
            let ExceptHandlerKind::ExceptHandler { type_, name, body } = handler.kind;
            let hl = loc(handler.loc);
            let next_except = self.new_label();
            except = next_except;
            let except_with_error = self.new_label();
            let no_match = self.new_label();
            if i == 0 {
                self.addop_i(hl, Opcode::BUILD_LIST, 0);
                self.addop_i(hl, Opcode::COPY, 2);
            }
            if let Some(t) = type_ {
                self.visit_expr(t)?;
                self.addop(hl, Opcode::CHECK_EG_MATCH);
                self.addop_i(hl, Opcode::COPY, 1);
                self.addop_j(hl, Opcode::POP_JUMP_IF_NONE, no_match);
            }
            let cleanup_end = self.new_label();
            let cleanup_body = self.new_label();
            if let Some(name) = name {
                self.nameop(hl, name, ExprContext::Store)?;
            } else {
                self.addop(hl, Opcode::POP_TOP);
            }
            self.addop_j(hl, Opcode::SETUP_CLEANUP, cleanup_end);
            self.use_label(cleanup_body);
            let datum = match name {
                Some(n) => FBlockDatum::Name(n),
                None => FBlockDatum::None,
            };
            self.push_fblock(hl, FBlockType::HandlerCleanup, cleanup_body, Label::NONE, datum)?;
            for st in body {
                self.visit_stmt(st)?;
            }
            self.pop_fblock();
            self.addop(NO_LOCATION, Opcode::POP_BLOCK);
            if let Some(name) = name {
                self.load_none(NO_LOCATION);
                self.nameop(NO_LOCATION, name, ExprContext::Store)?;
                self.nameop(NO_LOCATION, name, ExprContext::Del)?;
            }
            self.addop_j(NO_LOCATION, Opcode::JUMP, except);
            self.use_label(cleanup_end);
            if let Some(name) = name {
                self.load_none(NO_LOCATION);
                self.nameop(NO_LOCATION, name, ExprContext::Store)?;
                self.nameop(NO_LOCATION, name, ExprContext::Del)?;
            }
            self.addop_i(NO_LOCATION, Opcode::LIST_APPEND, 3);
            self.addop(NO_LOCATION, Opcode::POP_TOP);
            self.addop_j(NO_LOCATION, Opcode::JUMP, except_with_error);
            self.use_label(except);
            self.addop(NO_LOCATION, Opcode::NOP);
            self.addop_j(NO_LOCATION, Opcode::JUMP, except_with_error);
            self.use_label(no_match);
            self.addop(hl, Opcode::POP_TOP);
            self.use_label(except_with_error);
            if i == n - 1 {
                self.addop_i(NO_LOCATION, Opcode::LIST_APPEND, 1);
                self.addop_j(NO_LOCATION, Opcode::JUMP, reraise_star);
            }
        }
        self.pop_fblock();
        let reraise = self.new_label();
        self.use_label(reraise_star);
        self.addop_i(NO_LOCATION, Opcode::CALL_INTRINSIC_2, intrinsic::PREP_RERAISE_STAR);
        self.addop_i(NO_LOCATION, Opcode::COPY, 1);
        self.addop_j(NO_LOCATION, Opcode::POP_JUMP_IF_NOT_NONE, reraise);
        self.addop(NO_LOCATION, Opcode::POP_TOP);
        self.addop(NO_LOCATION, Opcode::POP_BLOCK);
        self.addop(NO_LOCATION, Opcode::POP_EXCEPT);
        self.addop_j(NO_LOCATION, Opcode::JUMP, end);
        self.use_label(reraise);
        self.addop(NO_LOCATION, Opcode::POP_BLOCK);
        self.addop_i(NO_LOCATION, Opcode::SWAP, 2);
        self.addop(NO_LOCATION, Opcode::POP_EXCEPT);
        self.addop_i(NO_LOCATION, Opcode::RERAISE, 0);
        self.use_label(cleanup);
        self.pop_except_and_reraise(NO_LOCATION);
        self.use_label(orelse_l);
        for st in orelse {
            self.visit_stmt(st)?;
        }
        self.use_label(end);
        Ok(())
    }

    // ----- with -----

    fn with_except_finish(&mut self, cleanup: Label) {
        let suppress = self.new_label();
        self.addop_j(NO_LOCATION, Opcode::POP_JUMP_IF_TRUE, suppress);
        self.addop_i(NO_LOCATION, Opcode::RERAISE, 2);
        self.use_label(suppress);
        self.addop(NO_LOCATION, Opcode::POP_TOP);
        self.addop(NO_LOCATION, Opcode::POP_BLOCK);
        self.addop(NO_LOCATION, Opcode::POP_EXCEPT);
        self.addop(NO_LOCATION, Opcode::POP_TOP);
        self.addop(NO_LOCATION, Opcode::POP_TOP);
        let exit = self.new_label();
        self.addop_j(NO_LOCATION, Opcode::JUMP, exit);
        self.use_label(cleanup);
        self.pop_except_and_reraise(NO_LOCATION);
        self.use_label(exit);
    }

    fn with(
        &mut self,
        s: &'a Stmt<'a>,
        items: &'a [&'a WithItem<'a>],
        body: &'a [&'a Stmt<'a>],
        pos: usize,
    ) -> CResult {
        let item = items[pos];
        let block = self.new_label();
        let final_ = self.new_label();
        let exit = self.new_label();
        let cleanup = self.new_label();
        self.visit_expr(item.context_expr)?;
        let l = loc(s.loc);
        self.addop(l, Opcode::BEFORE_WITH);
        self.addop_j(l, Opcode::SETUP_WITH, final_);
        self.use_label(block);
        self.push_fblock(l, FBlockType::With, block, final_, FBlockDatum::Stmt(s))?;
        if let Some(v) = item.optional_vars {
            self.visit_expr(v)?;
        } else {
            self.addop(l, Opcode::POP_TOP);
        }
        if pos + 1 == items.len() {
            for st in body {
                self.visit_stmt(st)?;
            }
        } else {
            self.with(s, items, body, pos + 1)?;
        }
        self.addop(NO_LOCATION, Opcode::POP_BLOCK);
        self.pop_fblock();
        let l = loc(s.loc);
        self.call_exit_with_nones(l);
        self.addop(l, Opcode::POP_TOP);
        self.addop_j(l, Opcode::JUMP, exit);
        self.use_label(final_);
        self.addop_j(l, Opcode::SETUP_CLEANUP, cleanup);
        self.addop(l, Opcode::PUSH_EXC_INFO);
        self.addop(l, Opcode::WITH_EXCEPT_START);
        self.with_except_finish(cleanup);
        self.use_label(exit);
        Ok(())
    }

    fn async_with(
        &mut self,
        s: &'a Stmt<'a>,
        items: &'a [&'a WithItem<'a>],
        body: &'a [&'a Stmt<'a>],
        pos: usize,
    ) -> CResult {
        let l = loc(s.loc);
        let item = items[pos];
        if self.is_top_level_await() {
            self.u().coroutine = true;
        } else if self.ur().scope_type != ScopeType::AsyncFunction {
            return Err(self.error(l, "'async with' outside async function"));
        }
        let block = self.new_label();
        let final_ = self.new_label();
        let exit = self.new_label();
        let cleanup = self.new_label();
        self.visit_expr(item.context_expr)?;
        self.addop(l, Opcode::BEFORE_ASYNC_WITH);
        self.addop_i(l, Opcode::GET_AWAITABLE, 1);
        self.load_none(l);
        self.add_yield_from(l, true);
        self.addop_j(l, Opcode::SETUP_WITH, final_);
        self.use_label(block);
        self.push_fblock(l, FBlockType::AsyncWith, block, final_, FBlockDatum::Stmt(s))?;
        if let Some(v) = item.optional_vars {
            self.visit_expr(v)?;
        } else {
            self.addop(l, Opcode::POP_TOP);
        }
        if pos + 1 == items.len() {
            for st in body {
                self.visit_stmt(st)?;
            }
        } else {
            self.async_with(s, items, body, pos + 1)?;
        }
        self.pop_fblock();
        self.addop(l, Opcode::POP_BLOCK);
        self.call_exit_with_nones(l);
        self.addop_i(l, Opcode::GET_AWAITABLE, 2);
        self.load_none(l);
        self.add_yield_from(l, true);
        self.addop(l, Opcode::POP_TOP);
        self.addop_j(l, Opcode::JUMP, exit);
        self.use_label(final_);
        self.addop_j(l, Opcode::SETUP_CLEANUP, cleanup);
        self.addop(l, Opcode::PUSH_EXC_INFO);
        self.addop(l, Opcode::WITH_EXCEPT_START);
        self.addop_i(l, Opcode::GET_AWAITABLE, 2);
        self.load_none(l);
        self.add_yield_from(l, true);
        self.with_except_finish(cleanup);
        self.use_label(exit);
        Ok(())
    }

    // ----- import, assert -----

    fn import_as(&mut self, l: Location, name: &'a str, asname: &'a str) -> CResult {
        if let Some(dot) = name.find('.') {
            let mut rest = &name[dot + 1..];
            loop {
                let (attr, more) = match rest.find('.') {
                    Some(d) => (&rest[..d], Some(&rest[d + 1..])),
                    None => (rest, None),
                };
                self.addop_name_raw(l, Opcode::IMPORT_FROM, attr);
                match more {
                    None => break,
                    Some(m) => {
                        self.addop_i(l, Opcode::SWAP, 2);
                        self.addop(l, Opcode::POP_TOP);
                        rest = m;
                    }
                }
            }
            self.nameop(l, asname, ExprContext::Store)?;
            self.addop(l, Opcode::POP_TOP);
            return Ok(());
        }
        self.nameop(l, asname, ExprContext::Store)
    }

    fn import(&mut self, s: &'a Stmt<'a>, names: &'a [&'a Alias<'a>]) -> CResult {
        let l = loc(s.loc);
        for alias in names {
            self.load_const(l, Constant::Int(0.into()));
            self.load_none(l);
            self.addop_name(l, Opcode::IMPORT_NAME, alias.name);
            if let Some(asname) = alias.asname {
                self.import_as(l, alias.name, asname)?;
            } else {
                let store = match alias.name.find('.') {
                    Some(d) => &alias.name[..d],
                    None => alias.name,
                };
                self.nameop(l, store, ExprContext::Store)?;
            }
        }
        Ok(())
    }

    fn import_from(
        &mut self,
        s: &'a Stmt<'a>,
        module: Option<&'a str>,
        names: &'a [&'a Alias<'a>],
        level: Option<i32>,
    ) -> CResult {
        let l = loc(s.loc);
        self.load_const(l, Constant::Int(level.unwrap_or(0).into()));
        let names_tuple: Box<[Constant]> = names.iter().map(|a| str_const(a.name)).collect();
        let future_loc = Location::new(
            self.future.lineno,
            self.future.end_lineno,
            self.future.col_offset,
            self.future.end_col_offset,
        );
        let after = (l.lineno > future_loc.end_lineno)
            || (l.lineno == future_loc.end_lineno && l.col_offset > future_loc.end_col_offset);
        if after && module == Some("__future__") {
            return Err(self.error(l, "from __future__ imports must occur at the beginning of the file"));
        }
        self.load_const(l, Constant::Tuple(names_tuple));
        self.addop_name(l, Opcode::IMPORT_NAME, module.unwrap_or(""));
        for (i, alias) in names.iter().enumerate() {
            if i == 0 && alias.name.starts_with('*') {
                self.addop_i(l, Opcode::CALL_INTRINSIC_1, intrinsic::IMPORT_STAR);
                self.addop(NO_LOCATION, Opcode::POP_TOP);
                return Ok(());
            }
            self.addop_name(l, Opcode::IMPORT_FROM, alias.name);
            let store = alias.asname.unwrap_or(alias.name);
            self.nameop(l, store, ExprContext::Store)?;
        }
        self.addop(l, Opcode::POP_TOP);
        Ok(())
    }

    fn assert_(&mut self, s: &'a Stmt<'a>, test: &'a Expr<'a>, msg: Option<&'a Expr<'a>>) -> CResult {
        let l = loc(s.loc);
        let always_true = match test.kind {
            ExprKind::Tuple { elts, .. } => !elts.is_empty(),
            ExprKind::Constant {
                value: pyrite_ast::Constant::Tuple(t),
                ..
            } => !t.is_empty(),
            _ => false,
        };
        if always_true {
            self.warn(l, "assertion is always true, perhaps remove parentheses?".into());
        }
        if self.optimize != 0 {
            return Ok(());
        }
        let end = self.new_label();
        self.jump_if(l, test, end, true)?;
        self.addop(l, Opcode::LOAD_ASSERTION_ERROR);
        if let Some(m) = msg {
            self.visit_expr(m)?;
            self.addop_i(l, Opcode::CALL, 0);
        }
        self.addop_i(l, Opcode::RAISE_VARARGS, 1);
        self.use_label(end);
        Ok(())
    }

    // ----- assignments -----

    fn augassign(&mut self, s: &'a Stmt<'a>, e: &'a Expr<'a>, op: Operator, value: &'a Expr<'a>) -> CResult {
        let mut l = loc(e.loc);
        match e.kind {
            ExprKind::Attribute { value: obj, attr, .. } => {
                self.visit_expr(obj)?;
                self.addop_i(l, Opcode::COPY, 1);
                l = update_start_location_to_match_attr(l, e, attr);
                self.addop_name(l, Opcode::LOAD_ATTR, attr);
            }
            ExprKind::Subscript { value: obj, slice, .. } => {
                self.visit_expr(obj)?;
                if is_two_element_slice(slice) {
                    self.slice(slice)?;
                    self.addop_i(l, Opcode::COPY, 3);
                    self.addop_i(l, Opcode::COPY, 3);
                    self.addop_i(l, Opcode::COPY, 3);
                    self.addop(l, Opcode::BINARY_SLICE);
                } else {
                    self.visit_expr(slice)?;
                    self.addop_i(l, Opcode::COPY, 2);
                    self.addop_i(l, Opcode::COPY, 2);
                    self.addop(l, Opcode::BINARY_SUBSCR);
                }
            }
            ExprKind::Name { id, .. } => self.nameop(l, id, ExprContext::Load)?,
            _ => {
                return Err(CompileError::System(format!(
                    "invalid node type ({}) for augmented assignment",
                    e.kind.name()
                )))
            }
        }
        let sl = loc(s.loc);
        self.visit_expr(value)?;
        self.addop_binary(sl, op, true);
        let mut l = loc(e.loc);
        match e.kind {
            ExprKind::Attribute { attr, .. } => {
                l = update_start_location_to_match_attr(l, e, attr);
                self.addop_i(l, Opcode::SWAP, 2);
                self.addop_name(l, Opcode::STORE_ATTR, attr);
            }
            ExprKind::Subscript { slice, .. } => {
                if is_two_element_slice(slice) {
                    self.addop_i(l, Opcode::SWAP, 4);
                    self.addop_i(l, Opcode::SWAP, 3);
                    self.addop_i(l, Opcode::SWAP, 2);
                    self.addop(l, Opcode::STORE_SLICE);
                } else {
                    self.addop_i(l, Opcode::SWAP, 3);
                    self.addop_i(l, Opcode::SWAP, 2);
                    self.addop(l, Opcode::STORE_SUBSCR);
                }
            }
            ExprKind::Name { id, .. } => return self.nameop(l, id, ExprContext::Store),
            _ => unreachable!(),
        }
        Ok(())
    }

    fn check_ann_expr(&mut self, e: &'a Expr<'a>) -> CResult {
        self.visit_expr(e)?;
        self.addop(loc(e.loc), Opcode::POP_TOP);
        Ok(())
    }

    fn check_ann_subscr(&mut self, e: &'a Expr<'a>) -> CResult {
        match e.kind {
            ExprKind::Slice { lower, upper, step } => {
                for x in [lower, upper, step].into_iter().flatten() {
                    self.check_ann_expr(x)?;
                }
                Ok(())
            }
            ExprKind::Tuple { elts, .. } => {
                for x in elts {
                    self.check_ann_subscr(x)?;
                }
                Ok(())
            }
            _ => self.check_ann_expr(e),
        }
    }

    fn annassign(
        &mut self,
        s: &'a Stmt<'a>,
        targ: &'a Expr<'a>,
        annotation: &'a Expr<'a>,
        value: Option<&'a Expr<'a>>,
        simple: i32,
    ) -> CResult {
        let l = loc(s.loc);
        if let Some(v) = value {
            self.visit_expr(v)?;
            self.visit_expr(targ)?;
        }
        let future_annotations = self.future.flags & co::CO_FUTURE_ANNOTATIONS != 0;
        match targ.kind {
            ExprKind::Name { id, .. } => {
                forbidden_name(self, l, id, ExprContext::Store)?;
                if simple != 0 && matches!(self.ur().scope_type, ScopeType::Module | ScopeType::Class) {
                    if future_annotations {
                        self.visit_annexpr(annotation)?;
                    } else {
                        self.visit_expr(annotation)?;
                    }
                    self.addop_name(l, Opcode::LOAD_NAME, "__annotations__");
                    let mangled = self.mangle(id);
                    self.load_const(l, str_const(mangled));
                    self.addop(l, Opcode::STORE_SUBSCR);
                }
            }
            ExprKind::Attribute { value: obj, attr, .. } => {
                forbidden_name(self, l, attr, ExprContext::Store)?;
                if value.is_none() {
                    self.check_ann_expr(obj)?;
                }
            }
            ExprKind::Subscript { value: obj, slice, .. } => {
                if value.is_none() {
                    self.check_ann_expr(obj)?;
                    self.check_ann_subscr(slice)?;
                }
            }
            _ => {
                return Err(CompileError::System(format!(
                    "invalid node type ({}) for annotated assignment",
                    targ.kind.name()
                )))
            }
        }
        if simple == 0 && !future_annotations && matches!(self.ur().scope_type, ScopeType::Module | ScopeType::Class) {
            self.check_ann_expr(annotation)?;
        }
        Ok(())
    }

    /// An annotation as a string, under `from __future__ import annotations`.
    pub(crate) fn visit_annexpr(&mut self, annotation: &'a Expr<'a>) -> CResult {
        let text = pyrite_ast::unparse::expr_as_unicode(annotation)
            .map_err(|e| CompileError::System(format!("cannot unparse annotation: {e}")))?;
        let text = pyrite_unicode::Wtf8::from_bytes_unchecked(&text);
        self.load_const(loc(annotation.loc), Constant::Str(PyStr::new(text)));
        Ok(())
    }

    // ----- definitions -----

    pub(crate) fn check_debug_args(&self, args: &'a Arguments<'a>) -> CResult {
        for a in args.posonlyargs.iter().chain(args.args.iter()) {
            forbidden_name(self, loc(a.loc), a.arg, ExprContext::Store)?;
        }
        if let Some(a) = args.vararg {
            forbidden_name(self, loc(a.loc), a.arg, ExprContext::Store)?;
        }
        for a in args.kwonlyargs.iter() {
            forbidden_name(self, loc(a.loc), a.arg, ExprContext::Store)?;
        }
        if let Some(a) = args.kwarg {
            forbidden_name(self, loc(a.loc), a.arg, ExprContext::Store)?;
        }
        Ok(())
    }

    fn decorators(&mut self, decos: &'a [&'a Expr<'a>]) -> CResult {
        for d in decos {
            self.visit_expr(d)?;
        }
        Ok(())
    }

    fn apply_decorators(&mut self, decos: &'a [&'a Expr<'a>]) {
        for d in decos.iter().rev() {
            self.addop_i(loc(d.loc), Opcode::CALL, 0);
        }
    }

    fn visit_kwonlydefaults(&mut self, l: Location, args: &'a Arguments<'a>) -> CResult<bool> {
        let mut keys: Vec<Constant> = Vec::new();
        for (i, arg) in args.kwonlyargs.iter().enumerate() {
            if let Some(Some(default)) = args.kw_defaults.get(i) {
                let mangled = self.mangle(arg.arg);
                keys.push(str_const(mangled));
                self.visit_expr(default)?;
            }
        }
        if keys.is_empty() {
            return Ok(false);
        }
        let n = keys.len() as i32;
        self.load_const(l, Constant::Tuple(keys.into_boxed_slice()));
        self.addop_i(l, Opcode::BUILD_CONST_KEY_MAP, n);
        Ok(true)
    }

    /// `compiler_default_arguments`: returns the MAKE_FUNCTION flags for defaults.
    pub(crate) fn default_arguments(&mut self, l: Location, args: &'a Arguments<'a>) -> CResult<i32> {
        let mut funcflags = 0;
        if !args.defaults.is_empty() {
            for d in args.defaults {
                self.visit_expr(d)?;
            }
            self.addop_i(l, Opcode::BUILD_TUPLE, args.defaults.len() as i32);
            funcflags |= 0x01;
        }
        if !args.kwonlyargs.is_empty() && self.visit_kwonlydefaults(l, args)? {
            funcflags |= 0x02;
        }
        Ok(funcflags)
    }

    fn visit_argannotation(
        &mut self,
        id: &'a str,
        annotation: Option<&'a Expr<'a>>,
        len: &mut i32,
        l: Location,
    ) -> CResult {
        let Some(annotation) = annotation else {
            return Ok(());
        };
        let mangled = self.mangle(id);
        self.load_const(l, str_const(mangled));
        if self.future.flags & co::CO_FUTURE_ANNOTATIONS != 0 {
            self.visit_annexpr(annotation)?;
        } else if let ExprKind::Starred { value, .. } = annotation.kind {
            self.visit_expr(value)?;
            self.addop_i(l, Opcode::UNPACK_SEQUENCE, 1);
        } else {
            self.visit_expr(annotation)?;
        }
        *len += 2;
        Ok(())
    }

    fn visit_annotations(
        &mut self,
        l: Location,
        args: &'a Arguments<'a>,
        returns: Option<&'a Expr<'a>>,
    ) -> CResult<bool> {
        let mut len = 0;
        for a in args.args {
            self.visit_argannotation(a.arg, a.annotation, &mut len, l)?;
        }
        for a in args.posonlyargs {
            self.visit_argannotation(a.arg, a.annotation, &mut len, l)?;
        }
        if let Some(a) = args.vararg {
            if a.annotation.is_some() {
                self.visit_argannotation(a.arg, a.annotation, &mut len, l)?;
            }
        }
        for a in args.kwonlyargs {
            self.visit_argannotation(a.arg, a.annotation, &mut len, l)?;
        }
        if let Some(a) = args.kwarg {
            if a.annotation.is_some() {
                self.visit_argannotation(a.arg, a.annotation, &mut len, l)?;
            }
        }
        self.visit_argannotation("return", returns, &mut len, l)?;
        if len > 0 {
            self.addop_i(l, Opcode::BUILD_TUPLE, len);
            return Ok(true);
        }
        Ok(false)
    }

    pub(crate) fn wrap_in_stopiteration_handler(&mut self) {
        let handler = self.new_label();
        self.u().seq.insert(0, Opcode::SETUP_CLEANUP, handler.0, NO_LOCATION);
        self.load_none(NO_LOCATION);
        self.addop(NO_LOCATION, Opcode::RETURN_VALUE);
        self.use_label(handler);
        self.addop_i(NO_LOCATION, Opcode::CALL_INTRINSIC_1, intrinsic::STOPITERATION_ERROR);
        self.addop_i(NO_LOCATION, Opcode::RERAISE, 1);
    }

    fn type_params(&mut self, type_params: &'a [&'a TypeParam<'a>]) -> CResult {
        if type_params.is_empty() {
            return Ok(());
        }
        for tp in type_params {
            let l = loc(tp.loc);
            match tp.kind {
                TypeParamKind::TypeVar { name, bound } => {
                    self.load_const(l, str_const(name));
                    if let Some(bound) = bound {
                        let key = *tp as *const TypeParam as usize;
                        self.enter_scope(name, ScopeType::TypeParams, key, bound.loc.lineno as i32)?;
                        let r = self.visit_expr(bound);
                        if let Err(e) = r {
                            self.exit_scope();
                            return Err(e);
                        }
                        self.addop(l, Opcode::RETURN_VALUE);
                        let co = self.optimize_and_assemble(true);
                        self.exit_scope();
                        self.make_closure(l, co?, 0)?;
                        let intr = if matches!(bound.kind, ExprKind::Tuple { .. }) {
                            intrinsic::TYPEVAR_WITH_CONSTRAINTS
                        } else {
                            intrinsic::TYPEVAR_WITH_BOUND
                        };
                        self.addop_i(l, Opcode::CALL_INTRINSIC_2, intr);
                    } else {
                        self.addop_i(l, Opcode::CALL_INTRINSIC_1, intrinsic::TYPEVAR);
                    }
                    self.addop_i(l, Opcode::COPY, 1);
                    self.nameop(l, name, ExprContext::Store)?;
                }
                TypeParamKind::TypeVarTuple { name } => {
                    self.load_const(l, str_const(name));
                    self.addop_i(l, Opcode::CALL_INTRINSIC_1, intrinsic::TYPEVARTUPLE);
                    self.addop_i(l, Opcode::COPY, 1);
                    self.nameop(l, name, ExprContext::Store)?;
                }
                TypeParamKind::ParamSpec { name } => {
                    self.load_const(l, str_const(name));
                    self.addop_i(l, Opcode::CALL_INTRINSIC_1, intrinsic::PARAMSPEC);
                    self.addop_i(l, Opcode::COPY, 1);
                    self.nameop(l, name, ExprContext::Store)?;
                }
            }
        }
        self.addop_i(loc(type_params[0].loc), Opcode::BUILD_TUPLE, type_params.len() as i32);
        Ok(())
    }

    fn function_body(&mut self, s: &'a Stmt<'a>, is_async: bool, funcflags: i32, firstlineno: i32) -> CResult {
        let (args, name, body) = match s.kind {
            StmtKind::FunctionDef { args, name, body, .. } | StmtKind::AsyncFunctionDef { args, name, body, .. } => {
                (args, name, body)
            }
            _ => unreachable!(),
        };
        let scope_type = if is_async {
            ScopeType::AsyncFunction
        } else {
            ScopeType::Function
        };
        self.enter_scope(name, scope_type, s as *const Stmt as usize, firstlineno)?;
        let r = (|| -> CResult {
            let docstring = if self.optimize < 2 { get_docstring(body) } else { None };
            match docstring {
                Some(d) => {
                    if let ExprKind::Constant { value, .. } = d.kind {
                        self.add_const(from_ast(&value));
                    }
                }
                None => {
                    self.add_const(Constant::None);
                }
            }
            let u = self.u();
            u.argcount = args.args.len() as u32;
            u.posonlyargcount = args.posonlyargs.len() as u32;
            u.kwonlyargcount = args.kwonlyargs.len() as u32;
            let start = if docstring.is_some() { 1 } else { 0 };
            for st in &body[start..] {
                self.visit_stmt(st)?;
            }
            if self.ur().coroutine || self.ste().generator {
                self.wrap_in_stopiteration_handler();
            }
            Ok(())
        })();
        if let Err(e) = r {
            self.exit_scope();
            return Err(e);
        }
        let co = self.optimize_and_assemble(true);
        self.exit_scope();
        let co = co?;
        self.make_closure(loc(s.loc), co, funcflags)
    }

    fn function(&mut self, s: &'a Stmt<'a>, is_async: bool) -> CResult {
        let (args, returns, decos, name, type_params) = match s.kind {
            StmtKind::FunctionDef {
                args,
                returns,
                decorator_list,
                name,
                type_params,
                ..
            }
            | StmtKind::AsyncFunctionDef {
                args,
                returns,
                decorator_list,
                name,
                type_params,
                ..
            } => (args, returns, decorator_list, name, type_params),
            _ => unreachable!(),
        };
        self.check_debug_args(args)?;
        self.decorators(decos)?;
        let mut firstlineno = s.loc.lineno as i32;
        if let Some(d) = decos.first() {
            firstlineno = d.loc.lineno as i32;
        }
        let l = loc(s.loc);
        let is_generic = !type_params.is_empty();
        if is_generic {
            self.addop(l, Opcode::PUSH_NULL);
        }
        let mut funcflags = self.default_arguments(l, args)?;
        let mut num_typeparam_args = 0;
        if is_generic {
            if funcflags & 0x01 != 0 {
                num_typeparam_args += 1;
            }
            if funcflags & 0x02 != 0 {
                num_typeparam_args += 1;
            }
            if num_typeparam_args == 2 {
                self.addop_i(l, Opcode::SWAP, 2);
            }
            let tp_name = self.alloc_str(&format!("<generic parameters of {name}>"));
            self.enter_scope(
                tp_name,
                ScopeType::TypeParams,
                type_params.as_ptr() as usize,
                firstlineno,
            )?;
            let r = (|| -> CResult {
                self.type_params(type_params)?;
                if funcflags & 0x03 != 0 {
                    self.addop_i(l, Opcode::LOAD_FAST, 0);
                }
                if funcflags & 0x03 == 0x03 {
                    self.addop_i(l, Opcode::LOAD_FAST, 1);
                }
                Ok(())
            })();
            if let Err(e) = r {
                self.exit_scope();
                return Err(e);
            }
        }
        let r = (|| -> CResult {
            if self.visit_annotations(l, args, returns)? {
                funcflags |= 0x04;
            }
            self.function_body(s, is_async, funcflags, firstlineno)
        })();
        if let Err(e) = r {
            if is_generic {
                self.exit_scope();
            }
            return Err(e);
        }
        if is_generic {
            self.addop_i(l, Opcode::SWAP, 2);
            self.addop_i(l, Opcode::CALL_INTRINSIC_2, intrinsic::SET_FUNCTION_TYPE_PARAMS);
            self.u().argcount = num_typeparam_args;
            let co = self.optimize_and_assemble(false);
            self.exit_scope();
            self.make_closure(l, co?, 0)?;
            if num_typeparam_args > 0 {
                self.addop_i(l, Opcode::SWAP, num_typeparam_args as i32 + 1);
            }
            self.addop_i(l, Opcode::CALL, num_typeparam_args as i32);
        }
        self.apply_decorators(decos);
        self.nameop(l, name, ExprContext::Store)
    }

    fn class_body(&mut self, s: &'a Stmt<'a>, firstlineno: i32) -> CResult {
        let StmtKind::ClassDef {
            name,
            body,
            type_params,
            ..
        } = s.kind
        else {
            unreachable!()
        };
        self.enter_scope(name, ScopeType::Class, s as *const Stmt as usize, firstlineno)?;
        let r = (|| -> CResult {
            let l = Location::new(firstlineno, firstlineno, 0, 0);
            self.u().private = Some(name);
            self.nameop(l, "__name__", ExprContext::Load)?;
            self.nameop(l, "__module__", ExprContext::Store)?;
            let q = self.ur().qualname.unwrap_or(name);
            self.load_const(l, str_const(q));
            self.nameop(l, "__qualname__", ExprContext::Store)?;
            if !type_params.is_empty() {
                self.nameop(l, ".type_params", ExprContext::Load)?;
                self.nameop(l, "__type_params__", ExprContext::Store)?;
            }
            if self.ste().needs_classdict {
                self.addop(l, Opcode::LOAD_LOCALS);
                let (i, _) = self.u().cellvars.insert_full("__classdict__");
                self.addop_i(l, Opcode::STORE_DEREF, i as i32);
            }
            self.body(l, body)?;
            if self.ste().needs_classdict {
                let i = self.ur().cellvars.get_index_of("__classdict__").unwrap_or(0);
                self.addop_i(NO_LOCATION, Opcode::LOAD_CLOSURE, i as i32);
                self.nameop(NO_LOCATION, "__classdictcell__", ExprContext::Store)?;
            }
            if self.ste().needs_class_closure {
                let i = self.ur().cellvars.get_index_of("__class__").unwrap_or(0);
                self.addop_i(NO_LOCATION, Opcode::LOAD_CLOSURE, i as i32);
                self.addop_i(NO_LOCATION, Opcode::COPY, 1);
                self.nameop(NO_LOCATION, "__classcell__", ExprContext::Store)?;
            } else {
                self.load_none(NO_LOCATION);
            }
            self.addop(NO_LOCATION, Opcode::RETURN_VALUE);
            Ok(())
        })();
        if let Err(e) = r {
            self.exit_scope();
            return Err(e);
        }
        let co = self.optimize_and_assemble(true);
        self.exit_scope();
        let co = co?;
        let l = loc(s.loc);
        self.addop(l, Opcode::PUSH_NULL);
        self.addop(l, Opcode::LOAD_BUILD_CLASS);
        self.make_closure(l, co, 0)?;
        self.load_const(l, str_const(name));
        Ok(())
    }

    fn class(&mut self, s: &'a Stmt<'a>) -> CResult {
        let StmtKind::ClassDef {
            name,
            bases,
            keywords,
            decorator_list: decos,
            type_params,
            ..
        } = s.kind
        else {
            unreachable!()
        };
        self.decorators(decos)?;
        let mut firstlineno = s.loc.lineno as i32;
        if let Some(d) = decos.first() {
            firstlineno = d.loc.lineno as i32;
        }
        let l = loc(s.loc);
        let is_generic = !type_params.is_empty();
        if is_generic {
            self.u().private = Some(name);
            self.addop(l, Opcode::PUSH_NULL);
            let tp_name = self.alloc_str(&format!("<generic parameters of {name}>"));
            self.enter_scope(
                tp_name,
                ScopeType::TypeParams,
                type_params.as_ptr() as usize,
                firstlineno,
            )?;
            let r = (|| -> CResult {
                self.type_params(type_params)?;
                self.nameop(l, ".type_params", ExprContext::Store)
            })();
            if let Err(e) = r {
                self.exit_scope();
                return Err(e);
            }
        }
        if let Err(e) = self.class_body(s, firstlineno) {
            if is_generic {
                self.exit_scope();
            }
            return Err(e);
        }
        if is_generic {
            let r = (|| -> CResult {
                self.nameop(l, ".type_params", ExprContext::Load)?;
                self.addop_i(l, Opcode::CALL_INTRINSIC_1, intrinsic::SUBSCRIPT_GENERIC);
                self.nameop(l, ".generic_base", ExprContext::Store)?;
                let mut new_bases: Vec<&'a Expr<'a>> = bases.to_vec();
                let name_node: &'a Expr<'a> = self.arena.alloc(Expr {
                    kind: ExprKind::Name {
                        id: ".generic_base",
                        ctx: ExprContext::Load,
                    },
                    loc: s.loc,
                });
                new_bases.push(name_node);
                let new_bases: &'a [&'a Expr<'a>] = self.arena.alloc_slice_copy(&new_bases);
                self.call_helper(l, 2, new_bases, keywords)
            })();
            if let Err(e) = r {
                self.exit_scope();
                return Err(e);
            }
            let co = self.optimize_and_assemble(false);
            self.exit_scope();
            self.make_closure(l, co?, 0)?;
            self.addop_i(l, Opcode::CALL, 0);
        } else {
            self.call_helper(l, 2, bases, keywords)?;
        }
        self.apply_decorators(decos);
        self.nameop(l, name, ExprContext::Store)
    }

    fn typealias_body(&mut self, s: &'a Stmt<'a>, name: &'a str, value: &'a Expr<'a>) -> CResult {
        let l = loc(s.loc);
        self.enter_scope(name, ScopeType::Function, s as *const Stmt as usize, l.lineno)?;
        self.add_const(Constant::None);
        if let Err(e) = self.visit_expr(value) {
            self.exit_scope();
            return Err(e);
        }
        self.addop(l, Opcode::RETURN_VALUE);
        let co = self.optimize_and_assemble(false);
        self.exit_scope();
        self.make_closure(l, co?, 0)?;
        self.addop_i(l, Opcode::BUILD_TUPLE, 3);
        self.addop_i(l, Opcode::CALL_INTRINSIC_1, intrinsic::TYPEALIAS);
        Ok(())
    }

    fn typealias(&mut self, s: &'a Stmt<'a>) -> CResult {
        let StmtKind::TypeAlias {
            name,
            type_params,
            value,
        } = s.kind
        else {
            unreachable!()
        };
        let l = loc(s.loc);
        let ExprKind::Name { id: name, .. } = name.kind else {
            return Err(CompileError::System("type alias name must be a Name".into()));
        };
        let is_generic = !type_params.is_empty();
        if is_generic {
            self.addop(l, Opcode::PUSH_NULL);
            let tp_name = self.alloc_str(&format!("<generic parameters of {name}>"));
            self.enter_scope(tp_name, ScopeType::TypeParams, type_params.as_ptr() as usize, l.lineno)?;
            self.load_const(l, str_const(name));
            if let Err(e) = self.type_params(type_params) {
                self.exit_scope();
                return Err(e);
            }
        } else {
            self.load_const(l, str_const(name));
            self.load_none(l);
        }
        if let Err(e) = self.typealias_body(s, name, value) {
            if is_generic {
                self.exit_scope();
            }
            return Err(e);
        }
        if is_generic {
            let co = self.optimize_and_assemble(false);
            self.exit_scope();
            self.make_closure(l, co?, 0)?;
            self.addop_i(l, Opcode::CALL, 0);
        }
        self.nameop(l, name, ExprContext::Store)
    }
}

/// `update_start_location_to_match_attr`: an attribute spanning lines is located at its name.
pub(crate) fn update_start_location_to_match_attr(l: Location, attr_expr: &Expr, attr: &str) -> Location {
    let mut l = l;
    let end_lineno = attr_expr.loc.end_lineno as i32;
    let end_col = attr_expr.loc.end_col_offset as i32;
    if l.lineno != end_lineno {
        l.lineno = end_lineno;
        let len = pyrite_unicode::Wtf8::from_str(attr).char_len() as i32;
        if len <= end_col {
            l.col_offset = end_col - len;
        } else {
            l.col_offset = -1;
            l.end_col_offset = -1;
        }
        l.end_lineno = l.lineno.max(l.end_lineno);
        if l.lineno == l.end_lineno {
            l.end_col_offset = l.col_offset.max(l.end_col_offset);
        }
    }
    l
}

pub(crate) fn is_two_element_slice(s: &Expr) -> bool {
    matches!(s.kind, ExprKind::Slice { step: None, .. })
}
