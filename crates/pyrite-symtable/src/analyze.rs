//! The analysis pass (`symtable_analyze`, `analyze_block`, `analyze_name`, ...): each name's
//! scope, free and cell variables, comprehension inlining.
//!
//! CPython gives each child block its own copies of the `bound`, `global` and `type_params`
//! sets, which `analyze_name` then updates for the names of the child, and the child passes the
//! updated sets to its own children. Each name is analyzed once per block and its analysis only
//! reads and updates the sets at that name, so the reads can use the sets as received; here a
//! block receives them read-only, and builds the sets its children see once, only if it has
//! children.

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

const SCOPE_BITS: u32 = SCOPE_MASK << SCOPE_OFFSET;

pub(crate) fn analyze(table: &mut SymbolTable<'_>, filename: &str) -> Res {
    let top = table.top;
    let mut a = Analyzer {
        scopes: &mut table.scopes,
        filename,
    };
    let mut free = FreeSet::default();
    let empty = NameSet::default();
    a.analyze_block(top, None, &mut free, &empty, &empty, None)
}

struct Analyzer<'a, 't, 'f> {
    scopes: &'t mut Vec<crate::Scope<'a>>,
    filename: &'f str,
}

/// What a block's names add to the sets its children see.
#[derive(Default)]
struct Changes<'a> {
    /// Names analyzed as local (`local`).
    local: Vec<&'a str>,
    /// Local names that are type parameters.
    local_type_params: Vec<&'a str>,
    /// Names declared global.
    global: Vec<&'a str>,
}

impl<'a> Analyzer<'a, '_, '_> {
    /// `error_at_directive`: the error `msg` at the declaration of `name` in block `id`.
    #[cold]
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

    /// `analyze_name`: the scope of `name` in block `id`. The sets are those the block
    /// received; what the name changes in them is recorded in `changes` (when `track`), and
    /// free names are added to `free`.
    #[allow(clippy::too_many_arguments)]
    fn analyze_name(
        &mut self,
        id: ScopeId,
        name: &'a str,
        flags: u32,
        bound: Option<&NameSet<'a>>,
        free: &mut FreeSet<'a>,
        global: &NameSet<'a>,
        type_params: &NameSet<'a>,
        class_entry: Option<ScopeId>,
        changes: Option<&mut Changes<'a>>,
    ) -> Res<u32> {
        if flags & DEF_GLOBAL != 0 {
            if flags & DEF_NONLOCAL != 0 {
                return Err(self.error_at_directive(id, name, format!("name '{name}' is nonlocal and global")));
            }
            if let Some(c) = changes {
                c.global.push(name);
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
            if let Some(c) = changes {
                c.local.push(name);
                if flags & DEF_TYPE_PARAM != 0 {
                    c.local_type_params.push(name);
                }
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

    /// `inline_comprehension`: merge the symbols of the comprehension `comp` into block `id`
    /// (whose symbols already carry their scopes).
    fn inline_comprehension(
        &mut self,
        id: ScopeId,
        comp: ScopeId,
        comp_free: &mut FreeSet<'a>,
        inlined_cells: &mut NameSet<'a>,
    ) {
        let n = self.scopes[comp.index()].symbols.len();
        for i in 0..n {
            let (&k, &comp_flags) = self.scopes[comp.index()].symbols.get_index(i).expect("in range");
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
                    self.scopes[id.index()]
                        .symbols
                        .insert(k, only_flags | (scope << SCOPE_OFFSET));
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

    /// `analyze_block` (and `analyze_child_block` for the children): `bound` (None for the
    /// module), `global` and `type_params` are the sets the block receives; its free names are
    /// added to `free`.
    fn analyze_block(
        &mut self,
        id: ScopeId,
        bound: Option<&NameSet<'a>>,
        free: &mut FreeSet<'a>,
        global: &NameSet<'a>,
        type_params: &NameSet<'a>,
        class_entry: Option<ScopeId>,
    ) -> Res {
        let idx = id.index();
        let kind = self.scopes[idx].kind;
        let has_children = !self.scopes[idx].children.is_empty();
        let mut changes = Changes::default();

        // Each symbol's scope goes into its flags right away (CPython keeps them aside until
        // `update_symbols`); no reader of the raw flags looks at those bits.
        for i in 0..self.scopes[idx].symbols.len() {
            let (&name, &flags) = self.scopes[idx].symbols.get_index(i).expect("in range");
            let scope = self.analyze_name(
                id,
                name,
                flags,
                bound,
                free,
                global,
                type_params,
                class_entry,
                has_children.then_some(&mut changes),
            )?;
            *self.scopes[idx].symbols.get_index_mut(i).expect("in range").1 |= scope << SCOPE_OFFSET;
        }

        let mut newfree = FreeSet::default();
        let mut inlined_cells = NameSet::default();
        if has_children {
            // The sets the children see (CPython's `newbound`, `newglobal`, and `type_params`
            // as updated).
            let mut newbound = NameSet::default();
            let mut newglobal = NameSet::default();
            if kind == BlockType::Class {
                // A class's names are not visible in nested blocks.
                newglobal.clone_from(global);
                if let Some(b) = bound {
                    newbound.clone_from(b);
                }
                newbound.insert("__class__");
                newbound.insert("__classdict__");
            } else {
                if kind.is_function_like() {
                    newbound.extend(changes.local.iter().copied());
                }
                if let Some(b) = bound {
                    newbound.extend(b.iter().copied().filter(|n| !changes.global.contains(n)));
                }
                newglobal.extend(global.iter().copied().filter(|n| !changes.local.contains(n)));
                newglobal.extend(changes.global.iter().copied());
            }
            let child_type_params;
            let type_params = if changes.local.is_empty() {
                type_params
            } else {
                let mut tp = type_params.clone();
                for n in &changes.local {
                    tp.remove(n);
                }
                tp.extend(changes.local_type_params.iter().copied());
                child_type_params = tp;
                &child_type_params
            };

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
                let mut child_free = FreeSet::default();
                self.analyze_block(
                    c,
                    Some(&newbound),
                    &mut child_free,
                    &newglobal,
                    type_params,
                    new_class_entry,
                )?;
                if inline_comp {
                    self.inline_comprehension(id, c, &mut child_free, &mut inlined_cells);
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
        }

        let scope = &mut self.scopes[idx];
        if kind.is_function_like() {
            // `analyze_cells`: locals that nested blocks use are cells.
            if !newfree.is_empty() || !inlined_cells.is_empty() {
                for (name, flags) in scope.symbols.iter_mut() {
                    if *flags & SCOPE_BITS == LOCAL << SCOPE_OFFSET
                        && (newfree.contains(name) || inlined_cells.contains(name))
                    {
                        *flags = (*flags & !SCOPE_BITS) | (CELL << SCOPE_OFFSET);
                        newfree.shift_remove(name);
                    }
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

        // `update_symbols` (the scopes are already in).
        if !inlined_cells.is_empty() {
            for (name, flags) in scope.symbols.iter_mut() {
                if inlined_cells.contains(name) {
                    *flags |= DEF_COMP_CELL;
                }
            }
        }
        if !newfree.is_empty() {
            let classflag = kind == BlockType::Class || scope.can_see_class_scope;
            for &name in newfree.iter() {
                if let Some(flags) = scope.symbols.get_mut(name) {
                    // A free variable of a method that the class also has.
                    if classflag {
                        *flags |= DEF_FREE_CLASS;
                    }
                    continue;
                }
                // A name declared global here is in the symbols: `bound` as received will do.
                if let Some(b) = bound {
                    if !b.contains(name) {
                        continue; // a global
                    }
                }
                scope.symbols.insert(name, FREE << SCOPE_OFFSET);
            }
            free.extend(newfree);
        }
        Ok(())
    }
}
