//! The analysis pass (`symtable_analyze`, `analyze_block`, `analyze_name`, ...): each name's
//! scope, free and cell variables, comprehension inlining.

use crate::builder::Res;
use crate::errors::ranged;
use crate::{
    BlockType, ScopeId, SymbolTable, CELL, DEF_BOUND, DEF_COMP_CELL, DEF_FREE_CLASS, DEF_GLOBAL, DEF_NONLOCAL,
    DEF_PARAM, DEF_TYPE_PARAM, FREE, GLOBAL_EXPLICIT, GLOBAL_IMPLICIT, LOCAL, SCOPE_MASK, SCOPE_OFFSET,
};
use indexmap::IndexSet;
use pyrite_parser::errors::SyntaxErrorInfo;
use rustc_hash::{FxBuildHasher, FxHashSet};

type NameSet<'a> = FxHashSet<&'a str>;
/// The free-variable sets, whose iteration order decides where new free names go in a block's
/// symbols: insertion order (CPython's depends on string hashes).
type FreeSet<'a> = IndexSet<&'a str, FxBuildHasher>;

pub(crate) fn analyze(table: &mut SymbolTable<'_>, filename: &str) -> Res {
    let top = table.top;
    let mut a = Analyzer {
        scopes: &mut table.scopes,
        filename,
    };
    let mut free = FreeSet::default();
    let mut global = NameSet::default();
    let mut type_params = NameSet::default();
    a.analyze_block(top, None, &mut free, &mut global, &mut type_params, None)
}

struct Analyzer<'a, 't, 'f> {
    scopes: &'t mut Vec<crate::Scope<'a>>,
    filename: &'f str,
}

impl<'a> Analyzer<'a, '_, '_> {
    /// `error_at_directive`: the error `msg` at the declaration of `name` in block `id`.
    fn error_at_directive(&self, id: ScopeId, name: &str, msg: String) -> Box<SyntaxErrorInfo> {
        let scope = &self.scopes[id.index()];
        match scope.directives.iter().find(|d| d.name == name) {
            Some(d) => ranged(
                self.filename,
                msg,
                d.lineno,
                d.col_offset,
                d.end_lineno,
                d.end_col_offset,
            ),
            None => Box::new(SyntaxErrorInfo::without_location(
                pyrite_parser::errors::ErrorKind::ValueError,
                "BUG: internal directive bookkeeping broken",
            )),
        }
    }

    /// `analyze_name`: the scope of `name` in block `id`, updating the sets.
    #[allow(clippy::too_many_arguments)]
    fn analyze_name(
        &mut self,
        id: ScopeId,
        name: &'a str,
        flags: u32,
        bound: Option<&mut NameSet<'a>>,
        local: &mut NameSet<'a>,
        free: &mut FreeSet<'a>,
        global: &mut NameSet<'a>,
        type_params: &mut NameSet<'a>,
        class_entry: Option<ScopeId>,
    ) -> Res<u32> {
        if flags & DEF_GLOBAL != 0 {
            if flags & DEF_NONLOCAL != 0 {
                return Err(self.error_at_directive(id, name, format!("name '{name}' is nonlocal and global")));
            }
            global.insert(name);
            if let Some(b) = bound {
                b.remove(name);
            }
            return Ok(GLOBAL_EXPLICIT);
        }
        if flags & DEF_NONLOCAL != 0 {
            let Some(b) = bound else {
                return Err(self.error_at_directive(
                    id,
                    name,
                    "nonlocal declaration not allowed at module level".into(),
                ));
            };
            if !b.contains(name) {
                return Err(self.error_at_directive(id, name, format!("no binding for nonlocal '{name}' found")));
            }
            if type_params.contains(name) {
                return Err(self.error_at_directive(
                    id,
                    name,
                    format!("nonlocal binding not allowed for type parameter '{name}'"),
                ));
            }
            self.scopes[id.index()].free = true;
            free.insert(name);
            return Ok(FREE);
        }
        if flags & DEF_BOUND != 0 {
            local.insert(name);
            global.remove(name);
            if flags & DEF_TYPE_PARAM != 0 {
                type_params.insert(name);
            } else {
                type_params.remove(name);
            }
            return Ok(LOCAL);
        }
        // In a scope that can see the enclosing class's names, a name the class binds (or
        // declares global) is looked up in the class namespace and the globals only.
        if let Some(ce) = class_entry {
            let class_flags = self.scopes[ce.index()].flags(name);
            if class_flags & DEF_GLOBAL != 0 {
                return Ok(GLOBAL_EXPLICIT);
            } else if class_flags & DEF_BOUND != 0 && class_flags & DEF_NONLOCAL == 0 {
                return Ok(GLOBAL_IMPLICIT);
            }
        }
        if let Some(b) = bound {
            if b.contains(name) {
                self.scopes[id.index()].free = true;
                free.insert(name);
                return Ok(FREE);
            }
        }
        if global.contains(name) {
            return Ok(GLOBAL_IMPLICIT);
        }
        let scope = &mut self.scopes[id.index()];
        if scope.nested {
            scope.free = true;
        }
        Ok(GLOBAL_IMPLICIT)
    }

    /// `is_free_in_any_child`.
    fn is_free_in_any_child(&self, entry: ScopeId, name: &str) -> bool {
        self.scopes[entry.index()]
            .children
            .iter()
            .any(|&c| (self.scopes[c.index()].flags(name) >> SCOPE_OFFSET) & SCOPE_MASK == FREE)
    }

    /// `inline_comprehension`: merge the symbols of the comprehension `comp` into block `id`.
    fn inline_comprehension(
        &mut self,
        id: ScopeId,
        comp: ScopeId,
        scopes: &mut Vec<u32>,
        comp_free: &mut FreeSet<'a>,
        inlined_cells: &mut NameSet<'a>,
    ) {
        let n = self.scopes[comp.index()].symbols.len();
        for i in 0..n {
            let (k, comp_flags) = {
                let (&k, &v) = self.scopes[comp.index()].symbols.get_index(i).expect("in range");
                (k, v)
            };
            // The comprehension's `.0` parameter stays behind.
            if comp_flags & DEF_PARAM != 0 {
                continue;
            }
            let scope = (comp_flags >> SCOPE_OFFSET) & SCOPE_MASK;
            let only_flags = comp_flags & ((1 << SCOPE_OFFSET) - 1);
            if scope == CELL || only_flags & DEF_COMP_CELL != 0 {
                inlined_cells.insert(k);
            }
            let ste = &self.scopes[id.index()];
            match ste.symbols.get(k) {
                None => {
                    self.scopes[id.index()].symbols.insert(k, only_flags);
                    scopes.push(scope);
                }
                Some(&existing) => {
                    // A free variable of the comprehension that the block binds is simply a
                    // local now, unless a child of the comprehension needs it free or the
                    // block is a class.
                    if existing & DEF_BOUND != 0 && ste.kind != BlockType::Class && !self.is_free_in_any_child(comp, k)
                    {
                        comp_free.shift_remove(k);
                    }
                }
            }
        }
    }

    /// `analyze_block` (with `analyze_child_block` for the children).
    #[allow(clippy::too_many_arguments)]
    fn analyze_block(
        &mut self,
        id: ScopeId,
        mut bound: Option<&mut NameSet<'a>>,
        free: &mut FreeSet<'a>,
        global: &mut NameSet<'a>,
        type_params: &mut NameSet<'a>,
        class_entry: Option<ScopeId>,
    ) -> Res {
        let idx = id.index();
        let kind = self.scopes[idx].kind;
        let n = self.scopes[idx].symbols.len();
        let mut local = NameSet::default();
        // `scopes`: the scope of each symbol, by position in the block's symbols.
        let mut scopes: Vec<u32> = Vec::with_capacity(n);
        let mut newglobal = NameSet::default();
        let mut newfree = FreeSet::default();
        let mut newbound = NameSet::default();
        let mut inlined_cells = NameSet::default();

        // A class's names are not visible in nested blocks: what they see is fixed first.
        if kind == BlockType::Class {
            newglobal.clone_from(global);
            if let Some(b) = bound.as_deref() {
                newbound.clone_from(b);
            }
        }

        for i in 0..n {
            let (&name, &flags) = self.scopes[idx].symbols.get_index(i).expect("in range");
            let scope = self.analyze_name(
                id,
                name,
                flags,
                bound.as_deref_mut(),
                &mut local,
                free,
                global,
                type_params,
                class_entry,
            )?;
            scopes.push(scope);
        }

        if kind != BlockType::Class {
            if kind.is_function_like() {
                newbound.extend(local.iter().copied());
            }
            if let Some(b) = bound.as_deref() {
                newbound.extend(b.iter().copied());
            }
            newglobal.extend(global.iter().copied());
        } else {
            newbound.insert("__class__");
            newbound.insert("__classdict__");
        }

        let mut any_inlined = false;
        for ci in 0..self.scopes[idx].children.len() {
            let c = self.scopes[idx].children[ci];
            let child = &self.scopes[c.index()];
            let new_class_entry = if child.can_see_class_scope {
                if kind == BlockType::Class {
                    Some(id)
                } else {
                    class_entry
                }
            } else {
                None
            };
            // PEP 709: every comprehension but a generator expression is inlined.
            let inline_comp = child.comprehension.is_some() && !child.generator;

            let mut child_bound = newbound.clone();
            let mut child_global = newglobal.clone();
            let mut child_type_params = type_params.clone();
            let mut child_free = FreeSet::default();
            self.analyze_block(
                c,
                Some(&mut child_bound),
                &mut child_free,
                &mut child_global,
                &mut child_type_params,
                new_class_entry,
            )?;
            if inline_comp {
                self.inline_comprehension(id, c, &mut scopes, &mut child_free, &mut inlined_cells);
                self.scopes[c.index()].comp_inlined = true;
                any_inlined = true;
            }
            newfree.extend(child_free);
            let child = &self.scopes[c.index()];
            if child.free || child.child_free {
                self.scopes[idx].child_free = true;
            }
        }

        // The children of inlined comprehensions take their place.
        if any_inlined {
            let old = std::mem::take(&mut self.scopes[idx].children);
            let mut children = Vec::with_capacity(old.len());
            for c in old {
                let child = &self.scopes[c.index()];
                if child.comp_inlined {
                    children.extend_from_slice(&child.children);
                } else {
                    children.push(c);
                }
            }
            self.scopes[idx].children = children;
        }

        let scope = &mut self.scopes[idx];
        if kind.is_function_like() {
            // `analyze_cells`: locals that nested blocks use are cells.
            for (i, name) in scope.symbols.keys().enumerate() {
                if scopes[i] == LOCAL && (newfree.contains(name) || inlined_cells.contains(name)) {
                    scopes[i] = CELL;
                    newfree.shift_remove(name);
                }
            }
        } else if kind == BlockType::Class {
            // `drop_class_free`.
            if newfree.shift_remove("__class__") {
                scope.needs_class_closure = true;
            }
            if newfree.shift_remove("__classdict__") {
                scope.needs_classdict = true;
            }
        }

        // `update_symbols`.
        let classflag = kind == BlockType::Class || scope.can_see_class_scope;
        for (i, (name, flags)) in scope.symbols.iter_mut().enumerate() {
            if inlined_cells.contains(name) {
                *flags |= DEF_COMP_CELL;
            }
            *flags |= scopes[i] << SCOPE_OFFSET;
        }
        for &name in newfree.iter() {
            if let Some(flags) = scope.symbols.get_mut(name) {
                // A free variable of a method that the class also has.
                if classflag {
                    *flags |= DEF_FREE_CLASS;
                }
                continue;
            }
            if let Some(b) = bound.as_deref() {
                if !b.contains(name) {
                    continue; // a global
                }
            }
            scope.symbols.insert(name, FREE << SCOPE_OFFSET);
        }

        free.extend(newfree);
        Ok(())
    }
}
