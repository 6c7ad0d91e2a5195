//! PEP 634 structural pattern matching (`compiler_match` and `compiler_pattern_*`).
//!
//! Every pattern routine consumes the subject on top of the stack and jumps to a "fail_pop"
//! label on failure; `on_top` counts the items above the captured names that a failure must
//! pop as well.

use crate::consts::from_ast;
use crate::*;

pub(crate) struct PatternContext<'a> {
    stores: Vec<&'a str>,
    allow_irrefutable: bool,
    fail_pop: Vec<Label>,
    on_top: usize,
}

fn wildcard_check(p: &Pattern) -> bool {
    matches!(
        p.kind,
        PatternKind::MatchAs {
            pattern: None,
            name: None
        }
    )
}

fn wildcard_star_check(p: &Pattern) -> bool {
    matches!(p.kind, PatternKind::MatchStar { name: None })
}

impl<'a, 's> Compiler<'a, 's> {
    fn ensure_fail_pop(&mut self, pc: &mut PatternContext<'a>, n: usize) {
        let size = n + 1;
        while pc.fail_pop.len() < size {
            let l = self.new_label();
            pc.fail_pop.push(l);
        }
    }

    fn jump_to_fail_pop(&mut self, l: Location, pc: &mut PatternContext<'a>, op: Opcode) {
        let pops = pc.on_top + pc.stores.len();
        self.ensure_fail_pop(pc, pops);
        self.addop_j(l, op, pc.fail_pop[pops]);
    }

    fn emit_and_reset_fail_pop(&mut self, l: Location, pc: &mut PatternContext<'a>) {
        if pc.fail_pop.is_empty() {
            return;
        }
        let mut n = pc.fail_pop.len();
        while n > 1 {
            n -= 1;
            self.use_label(pc.fail_pop[n]);
            self.addop(l, Opcode::POP_TOP);
        }
        self.use_label(pc.fail_pop[0]);
        pc.fail_pop.clear();
    }

    fn pattern_helper_rotate(&mut self, l: Location, count: usize) {
        let mut count = count;
        while count > 1 {
            self.addop_i(l, Opcode::SWAP, count as i32);
            count -= 1;
        }
    }

    fn pattern_helper_store_name(&mut self, l: Location, n: Option<&'a str>, pc: &mut PatternContext<'a>) -> CResult {
        let Some(n) = n else {
            self.addop(l, Opcode::POP_TOP);
            return Ok(());
        };
        forbidden_name(self, l, n, ExprContext::Store)?;
        if pc.stores.contains(&n) {
            return Err(self.error(l, format!("multiple assignments to name '{n}' in pattern")));
        }
        let rotations = pc.on_top + pc.stores.len() + 1;
        self.pattern_helper_rotate(l, rotations);
        pc.stores.push(n);
        Ok(())
    }

    fn pattern_unpack_helper(&mut self, l: Location, elts: &'a [&'a Pattern<'a>]) -> CResult {
        let n = elts.len();
        let mut seen_star = false;
        for (i, elt) in elts.iter().enumerate() {
            if matches!(elt.kind, PatternKind::MatchStar { .. }) {
                if !seen_star {
                    if i >= (1 << 8) || (n - i - 1) >= (i32::MAX as usize >> 8) {
                        return Err(self.error(l, "too many expressions in star-unpacking sequence pattern"));
                    }
                    self.addop_i(l, Opcode::UNPACK_EX, (i + ((n - i - 1) << 8)) as i32);
                    seen_star = true;
                } else {
                    return Err(self.error(l, "multiple starred expressions in sequence pattern"));
                }
            }
        }
        if !seen_star {
            self.addop_i(l, Opcode::UNPACK_SEQUENCE, n as i32);
        }
        Ok(())
    }

    fn pattern_helper_sequence_unpack(
        &mut self,
        l: Location,
        patterns: &'a [&'a Pattern<'a>],
        pc: &mut PatternContext<'a>,
    ) -> CResult {
        self.pattern_unpack_helper(l, patterns)?;
        let size = patterns.len();
        pc.on_top += size;
        for p in patterns {
            pc.on_top -= 1;
            self.pattern_subpattern(p, pc)?;
        }
        Ok(())
    }

    fn pattern_helper_sequence_subscr(
        &mut self,
        l: Location,
        patterns: &'a [&'a Pattern<'a>],
        star: usize,
        pc: &mut PatternContext<'a>,
    ) -> CResult {
        pc.on_top += 1;
        let size = patterns.len();
        for (i, p) in patterns.iter().enumerate() {
            if wildcard_check(p) || i == star {
                continue;
            }
            self.addop_i(l, Opcode::COPY, 1);
            if i < star {
                self.load_const(l, Constant::Int((i as i64).into()));
            } else {
                self.addop(l, Opcode::GET_LEN);
                self.load_const(l, Constant::Int(((size - i) as i64).into()));
                self.addop_binary(l, Operator::Sub, false);
            }
            self.addop(l, Opcode::BINARY_SUBSCR);
            self.pattern_subpattern(p, pc)?;
        }
        pc.on_top -= 1;
        self.addop(l, Opcode::POP_TOP);
        Ok(())
    }

    fn pattern_subpattern(&mut self, p: &'a Pattern<'a>, pc: &mut PatternContext<'a>) -> CResult {
        let allow = pc.allow_irrefutable;
        pc.allow_irrefutable = true;
        self.pattern(p, pc)?;
        pc.allow_irrefutable = allow;
        Ok(())
    }

    fn pattern(&mut self, p: &'a Pattern<'a>, pc: &mut PatternContext<'a>) -> CResult {
        let l = loc(p.loc);
        match p.kind {
            PatternKind::MatchValue { value } => {
                if !matches!(value.kind, ExprKind::Constant { .. } | ExprKind::Attribute { .. }) {
                    return Err(self.error(l, "patterns may only match literals and attribute lookups"));
                }
                self.visit_expr(value)?;
                self.addop_i(l, Opcode::COMPARE_OP, (2 << 4) | 8);
                self.jump_to_fail_pop(l, pc, Opcode::POP_JUMP_IF_FALSE);
            }
            PatternKind::MatchSingleton { value } => {
                self.load_const(l, from_ast(&value));
                self.addop_i(l, Opcode::IS_OP, 0);
                self.jump_to_fail_pop(l, pc, Opcode::POP_JUMP_IF_FALSE);
            }
            PatternKind::MatchSequence { patterns } => return self.pattern_sequence(p, patterns, pc),
            PatternKind::MatchMapping { keys, patterns, rest } => {
                return self.pattern_mapping(p, keys, patterns, rest, pc)
            }
            PatternKind::MatchClass {
                cls,
                patterns,
                kwd_attrs,
                kwd_patterns,
            } => return self.pattern_class(p, cls, patterns, kwd_attrs, kwd_patterns, pc),
            PatternKind::MatchStar { name } => return self.pattern_helper_store_name(l, name, pc),
            PatternKind::MatchAs { pattern, name } => {
                let Some(pattern) = pattern else {
                    if !pc.allow_irrefutable {
                        if let Some(name) = name {
                            return Err(
                                self.error(l, format!("name capture '{name}' makes remaining patterns unreachable"))
                            );
                        }
                        return Err(self.error(l, "wildcard makes remaining patterns unreachable"));
                    }
                    return self.pattern_helper_store_name(l, name, pc);
                };
                pc.on_top += 1;
                self.addop_i(l, Opcode::COPY, 1);
                self.pattern(pattern, pc)?;
                pc.on_top -= 1;
                self.pattern_helper_store_name(l, name, pc)?;
            }
            PatternKind::MatchOr { patterns } => return self.pattern_or(p, patterns, pc),
        }
        Ok(())
    }

    fn validate_kwd_attrs(&self, attrs: &'a [&'a str], patterns: &'a [&'a Pattern<'a>]) -> CResult {
        for (i, &attr) in attrs.iter().enumerate() {
            let l = loc(patterns[i].loc);
            forbidden_name(self, l, attr, ExprContext::Store)?;
            for (j, &other) in attrs.iter().enumerate().skip(i + 1) {
                if attr == other {
                    let l = loc(patterns[j].loc);
                    return Err(self.error(l, format!("attribute name repeated in class pattern: {attr}")));
                }
            }
        }
        Ok(())
    }

    fn pattern_class(
        &mut self,
        p: &'a Pattern<'a>,
        cls: &'a Expr<'a>,
        patterns: &'a [&'a Pattern<'a>],
        kwd_attrs: &'a [&'a str],
        kwd_patterns: &'a [&'a Pattern<'a>],
        pc: &mut PatternContext<'a>,
    ) -> CResult {
        let l = loc(p.loc);
        let nargs = patterns.len();
        let nattrs = kwd_attrs.len();
        if nattrs != kwd_patterns.len() {
            return Err(self.error(
                l,
                format!(
                    "kwd_attrs ({nattrs}) / kwd_patterns ({}) length mismatch in class pattern",
                    kwd_patterns.len()
                ),
            ));
        }
        if nattrs > 0 {
            self.validate_kwd_attrs(kwd_attrs, kwd_patterns)?;
        }
        self.visit_expr(cls)?;
        let names: Box<[Constant]> = kwd_attrs.iter().map(|a| crate::consts::str_const(a)).collect();
        self.load_const(l, Constant::Tuple(names));
        self.addop_i(l, Opcode::MATCH_CLASS, nargs as i32);
        self.addop_i(l, Opcode::COPY, 1);
        self.load_none(l);
        self.addop_i(l, Opcode::IS_OP, 1);
        pc.on_top += 1;
        self.jump_to_fail_pop(l, pc, Opcode::POP_JUMP_IF_FALSE);
        self.addop_i(l, Opcode::UNPACK_SEQUENCE, (nargs + nattrs) as i32);
        pc.on_top += nargs + nattrs;
        pc.on_top -= 1;
        for i in 0..nargs + nattrs {
            pc.on_top -= 1;
            let pattern = if i < nargs {
                patterns[i]
            } else {
                kwd_patterns[i - nargs]
            };
            if wildcard_check(pattern) {
                self.addop(l, Opcode::POP_TOP);
                continue;
            }
            self.pattern_subpattern(pattern, pc)?;
        }
        Ok(())
    }

    fn pattern_mapping(
        &mut self,
        p: &'a Pattern<'a>,
        keys: &'a [&'a Expr<'a>],
        patterns: &'a [&'a Pattern<'a>],
        star_target: Option<&'a str>,
        pc: &mut PatternContext<'a>,
    ) -> CResult {
        let l = loc(p.loc);
        let size = keys.len();
        if size != patterns.len() {
            return Err(self.error(
                l,
                format!(
                    "keys ({size}) / patterns ({}) length mismatch in mapping pattern",
                    patterns.len()
                ),
            ));
        }
        pc.on_top += 1;
        self.addop(l, Opcode::MATCH_MAPPING);
        self.jump_to_fail_pop(l, pc, Opcode::POP_JUMP_IF_FALSE);
        if size == 0 && star_target.is_none() {
            pc.on_top -= 1;
            self.addop(l, Opcode::POP_TOP);
            return Ok(());
        }
        if size > 0 {
            self.addop(l, Opcode::GET_LEN);
            self.load_const(l, Constant::Int((size as i64).into()));
            self.addop_i(l, Opcode::COMPARE_OP, (5 << 4) | 4 | 8);
            self.jump_to_fail_pop(l, pc, Opcode::POP_JUMP_IF_FALSE);
        }
        let mut seen: Vec<Constant> = Vec::new();
        for key in keys {
            match key.kind {
                ExprKind::Constant { value, .. } => {
                    let c = from_ast(&value);
                    if seen
                        .iter()
                        .any(|s| pyrite_code::constant_key_eq(s, &c) || pyrite_code::python_eq(s, &c))
                    {
                        let r = value.repr();
                        return Err(self.error(l, format!("mapping pattern checks duplicate key ({r})")));
                    }
                    seen.push(c);
                }
                ExprKind::Attribute { .. } => {}
                _ => {
                    return Err(self.error(l, "mapping pattern keys may only match literals and attribute lookups"));
                }
            }
            self.visit_expr(key)?;
        }
        self.addop_i(l, Opcode::BUILD_TUPLE, size as i32);
        self.addop(l, Opcode::MATCH_KEYS);
        pc.on_top += 2;
        self.addop_i(l, Opcode::COPY, 1);
        self.load_none(l);
        self.addop_i(l, Opcode::IS_OP, 1);
        self.jump_to_fail_pop(l, pc, Opcode::POP_JUMP_IF_FALSE);
        self.addop_i(l, Opcode::UNPACK_SEQUENCE, size as i32);
        pc.on_top += size;
        pc.on_top -= 1;
        for pat in patterns {
            pc.on_top -= 1;
            self.pattern_subpattern(pat, pc)?;
        }
        pc.on_top -= 2;
        if let Some(star) = star_target {
            self.addop_i(l, Opcode::BUILD_MAP, 0);
            self.addop_i(l, Opcode::SWAP, 3);
            self.addop_i(l, Opcode::DICT_UPDATE, 2);
            self.addop_i(l, Opcode::UNPACK_SEQUENCE, size as i32);
            let mut size = size;
            while size > 0 {
                self.addop_i(l, Opcode::COPY, 1 + size as i32);
                size -= 1;
                self.addop_i(l, Opcode::SWAP, 2);
                self.addop(l, Opcode::DELETE_SUBSCR);
            }
            self.pattern_helper_store_name(l, Some(star), pc)?;
        } else {
            self.addop(l, Opcode::POP_TOP);
            self.addop(l, Opcode::POP_TOP);
        }
        Ok(())
    }

    fn pattern_or(&mut self, p: &'a Pattern<'a>, alts: &'a [&'a Pattern<'a>], pc: &mut PatternContext<'a>) -> CResult {
        let l = loc(p.loc);
        let end = self.new_label();
        let old_stores = std::mem::take(&mut pc.stores);
        let old_allow = pc.allow_irrefutable;
        let old_fail_pop = std::mem::take(&mut pc.fail_pop);
        let old_on_top = pc.on_top;
        let mut control: Option<Vec<&'a str>> = None;
        let n = alts.len();
        for (i, alt) in alts.iter().enumerate() {
            pc.stores = Vec::new();
            pc.allow_irrefutable = i == n - 1 && old_allow;
            pc.fail_pop = Vec::new();
            pc.on_top = 0;
            self.addop_i(loc(alt.loc), Opcode::COPY, 1);
            self.pattern(alt, pc)?;
            let nstores = pc.stores.len();
            match &control {
                None => control = Some(pc.stores.clone()),
                Some(ctrl) if nstores != ctrl.len() => {
                    return Err(self.error(l, "alternative patterns bind different names"));
                }
                Some(ctrl) if nstores > 0 => {
                    let ctrl = ctrl.clone();
                    let mut icontrol = nstores;
                    while icontrol > 0 {
                        icontrol -= 1;
                        let name = ctrl[icontrol];
                        let Some(istores) = pc.stores.iter().position(|&s| s == name) else {
                            return Err(self.error(l, "alternative patterns bind different names"));
                        };
                        if icontrol != istores {
                            let rotations = istores + 1;
                            let rotated: Vec<&'a str> = pc.stores.drain(0..rotations).collect();
                            let at = icontrol - istores;
                            for (k, r) in rotated.into_iter().enumerate() {
                                pc.stores.insert(at + k, r);
                            }
                            for _ in 0..rotations {
                                self.pattern_helper_rotate(loc(alt.loc), icontrol + 1);
                            }
                        }
                    }
                }
                _ => {}
            }
            self.addop_j(loc(alt.loc), Opcode::JUMP, end);
            self.emit_and_reset_fail_pop(loc(alt.loc), pc);
        }
        pc.stores = old_stores;
        pc.allow_irrefutable = old_allow;
        pc.fail_pop = old_fail_pop;
        pc.on_top = old_on_top;
        self.addop(l, Opcode::POP_TOP);
        self.jump_to_fail_pop(l, pc, Opcode::JUMP);
        self.use_label(end);
        let control = control.unwrap_or_default();
        let nstores = control.len();
        let nrots = nstores + 1 + pc.on_top + pc.stores.len();
        for &name in control.iter() {
            self.pattern_helper_rotate(l, nrots);
            if pc.stores.contains(&name) {
                return Err(self.error(l, format!("multiple assignments to name '{name}' in pattern")));
            }
            pc.stores.push(name);
        }
        self.addop(l, Opcode::POP_TOP);
        Ok(())
    }

    fn pattern_sequence(
        &mut self,
        p: &'a Pattern<'a>,
        patterns: &'a [&'a Pattern<'a>],
        pc: &mut PatternContext<'a>,
    ) -> CResult {
        let l = loc(p.loc);
        let size = patterns.len();
        let mut star: isize = -1;
        let mut only_wildcard = true;
        let mut star_wildcard = false;
        for (i, pat) in patterns.iter().enumerate() {
            if matches!(pat.kind, PatternKind::MatchStar { .. }) {
                if star >= 0 {
                    return Err(self.error(l, "multiple starred names in sequence pattern"));
                }
                star_wildcard = wildcard_star_check(pat);
                only_wildcard &= star_wildcard;
                star = i as isize;
                continue;
            }
            only_wildcard &= wildcard_check(pat);
        }
        pc.on_top += 1;
        self.addop(l, Opcode::MATCH_SEQUENCE);
        self.jump_to_fail_pop(l, pc, Opcode::POP_JUMP_IF_FALSE);
        if star < 0 {
            self.addop(l, Opcode::GET_LEN);
            self.load_const(l, Constant::Int((size as i64).into()));
            self.addop_i(l, Opcode::COMPARE_OP, (2 << 4) | 8);
            self.jump_to_fail_pop(l, pc, Opcode::POP_JUMP_IF_FALSE);
        } else if size > 1 {
            self.addop(l, Opcode::GET_LEN);
            self.load_const(l, Constant::Int(((size - 1) as i64).into()));
            self.addop_i(l, Opcode::COMPARE_OP, (5 << 4) | 4 | 8);
            self.jump_to_fail_pop(l, pc, Opcode::POP_JUMP_IF_FALSE);
        }
        pc.on_top -= 1;
        if only_wildcard {
            self.addop(l, Opcode::POP_TOP);
        } else if star_wildcard {
            self.pattern_helper_sequence_subscr(l, patterns, star as usize, pc)?;
        } else {
            self.pattern_helper_sequence_unpack(l, patterns, pc)?;
        }
        Ok(())
    }

    pub(crate) fn match_(&mut self, subject: &'a Expr<'a>, cases: &'a [&'a MatchCase<'a>]) -> CResult {
        self.visit_expr(subject)?;
        let end = self.new_label();
        let ncases = cases.len();
        let last = cases[ncases - 1];
        let has_default = wildcard_check(last.pattern) && ncases > 1;
        let mut pc = PatternContext {
            stores: Vec::new(),
            allow_irrefutable: false,
            fail_pop: Vec::new(),
            on_top: 0,
        };
        let nonlast = ncases - has_default as usize;
        for (i, m) in cases.iter().take(nonlast).enumerate() {
            let pl = loc(m.pattern.loc);
            if i != nonlast - 1 {
                self.addop_i(pl, Opcode::COPY, 1);
            }
            pc.stores = Vec::new();
            pc.allow_irrefutable = m.guard.is_some() || i == ncases - 1;
            pc.fail_pop = Vec::new();
            pc.on_top = 0;
            self.pattern(m.pattern, &mut pc)?;
            let stores = std::mem::take(&mut pc.stores);
            for name in stores {
                self.nameop(pl, name, ExprContext::Store)?;
            }
            if let Some(guard) = m.guard {
                self.ensure_fail_pop(&mut pc, 0);
                let target = pc.fail_pop[0];
                self.jump_if(pl, guard, target, false)?;
            }
            if i != nonlast - 1 {
                self.addop(pl, Opcode::POP_TOP);
            }
            for s in m.body {
                self.visit_stmt(s)?;
            }
            self.addop_j(NO_LOCATION, Opcode::JUMP, end);
            self.emit_and_reset_fail_pop(pl, &mut pc);
        }
        if has_default {
            let m = cases[ncases - 1];
            let pl = loc(m.pattern.loc);
            if ncases == 1 {
                self.addop(pl, Opcode::POP_TOP);
            } else {
                self.addop(pl, Opcode::NOP);
            }
            if let Some(guard) = m.guard {
                self.jump_if(pl, guard, end, false)?;
            }
            for s in m.body {
                self.visit_stmt(s)?;
            }
        }
        self.use_label(end);
        Ok(())
    }
}
