//! The API the code generator relies on: finding blocks by key, the `ste_*` flags the dump does
//! not show, arena-allocated mangled names. (The flags were checked against CPython by the
//! code generator's parity tests; these tests pin them down here.)

use bumpalo::Bump;
use pyrite_ast::{ExprKind, Mod, Stmt, StmtKind};
use pyrite_symtable::*;

fn body<'a>(m: &'a Mod<'a>) -> &'a [&'a Stmt<'a>] {
    match m {
        Mod::Module { body, .. } => body,
        _ => unreachable!(),
    }
}

fn with_table(src: &str, f: impl FnOnce(&Mod<'_>, &SymbolTable<'_>)) {
    let arena = Bump::new();
    let m = pyrite_parser::parse_module(&arena, src.as_bytes(), "<api>")
        .module
        .expect("parses");
    let future = future_features(m, "<api>").unwrap();
    let table = build(m, "<api>", &future).unwrap();
    f(m, &table);
}

#[test]
fn blocks_are_found_by_their_keys() {
    let src = "def f[T: int](x, *a, **k):\n    yield [y for y in x]\n    return lambda: (z for z in x)\n\
               class C[U]:\n    def m(self): return super()\ntype A[V] = V\n";
    with_table(src, |m, t| {
        let top = t.scope(t.lookup(key_of_mod(m)).unwrap());
        assert_eq!((top.kind, top.name), (BlockType::Module, "top"));
        assert_eq!(t.top(), t.lookup(key_of_mod(m)).unwrap());
        let stmts = body(m);
        let StmtKind::FunctionDef {
            type_params,
            body: fbody,
            ..
        } = stmts[0].kind
        else {
            panic!()
        };
        let tp = t.scope(t.lookup(key_of_type_params(type_params)).unwrap());
        assert_eq!((tp.kind, tp.name), (BlockType::TypeParams, "f"));
        assert_eq!(tp.varnames, [".defaults"]);
        let bound = t.scope(t.lookup(key_of_type_param(type_params[0])).unwrap());
        assert_eq!(bound.kind, BlockType::TypeVarBound);
        let f = t.scope(t.lookup(key_of_stmt(stmts[0])).unwrap());
        assert_eq!(
            (f.kind, f.nested, f.generator, f.returns_value),
            (BlockType::Function, true, true, true)
        );
        assert_eq!((f.varargs, f.varkeywords), (true, true));
        assert_eq!(f.varnames, ["x", "a", "k"]);
        let StmtKind::Expr { value: yield_expr } = fbody[0].kind else {
            panic!()
        };
        let ExprKind::Yield { value: Some(listcomp) } = yield_expr.kind else {
            panic!()
        };
        let comp = t.scope(t.lookup(key_of_expr(listcomp)).unwrap());
        assert_eq!(comp.comprehension, Some(ComprehensionType::List));
        assert!(comp.comp_inlined);
        assert_eq!(f.get_scope("y"), SymbolScope::Local);
        let StmtKind::Return { value: Some(lambda) } = fbody[1].kind else {
            panic!()
        };
        let lam = t.scope(t.lookup(key_of_expr(lambda)).unwrap());
        assert_eq!(lam.name, "lambda");
        let ExprKind::Lambda { body: genexp, .. } = lambda.kind else {
            panic!()
        };
        let gen = t.scope(t.lookup(key_of_expr(genexp)).unwrap());
        assert!(gen.generator && !gen.comp_inlined);
        assert_eq!(gen.varnames, [".0"]);
        assert_eq!(f.get_scope("x"), SymbolScope::Cell);

        let StmtKind::ClassDef {
            type_params,
            body: cbody,
            ..
        } = stmts[1].kind
        else {
            panic!()
        };
        let ctp = t.scope(t.lookup(key_of_type_params(type_params)).unwrap());
        assert_eq!(ctp.get_scope(".type_params"), SymbolScope::Cell);
        let c = t.scope(t.lookup(key_of_stmt(stmts[1])).unwrap());
        assert!(c.needs_class_closure && !c.needs_classdict);
        let meth = t.scope(t.lookup(key_of_stmt(cbody[0])).unwrap());
        assert_eq!(meth.get_scope("__class__"), SymbolScope::Free);
        assert_eq!(meth.flags("super") & USE, USE);

        let StmtKind::TypeAlias { type_params, .. } = stmts[2].kind else {
            panic!()
        };
        let atp = t.scope(t.lookup(key_of_type_params(type_params)).unwrap());
        assert_eq!(atp.kind, BlockType::TypeParams);
        let alias = t.scope(t.lookup(key_of_stmt(stmts[2])).unwrap());
        assert_eq!((alias.kind, alias.name), (BlockType::TypeAlias, "A"));
        assert_eq!(alias.get_scope("V"), SymbolScope::Free);
    });
}

#[test]
fn annotation_blocks_are_shadowed_and_never_children() {
    let src = "from __future__ import annotations\ndef f(a: int) -> str: pass\nx: (lambda: 1) = 2\n";
    with_table(src, |m, t| {
        let stmts = body(m);
        let f = t.scope(t.lookup(key_of_stmt(stmts[1])).unwrap());
        assert_eq!(f.kind, BlockType::Function);
        let StmtKind::FunctionDef { returns: Some(r), .. } = stmts[1].kind else {
            panic!()
        };
        assert_eq!(t.scope(t.lookup(key_of_expr(r)).unwrap()).kind, BlockType::Annotation);
        let StmtKind::AnnAssign { annotation, .. } = stmts[2].kind else {
            panic!()
        };
        // The lambda's block was filed under the annotation's key after the annotation block.
        assert_eq!(t.scope(t.lookup(key_of_expr(annotation)).unwrap()).name, "lambda");
        let annotations = t.scopes().iter().filter(|s| s.kind == BlockType::Annotation).count();
        assert_eq!(annotations, 3);
        let top = t.scope(t.top());
        assert!(top.children.iter().all(|&c| t.scope(c).kind != BlockType::Annotation));
        assert_eq!(future_features(m, "<api>").unwrap().flags, CO_FUTURE_ANNOTATIONS);
    });
}

#[test]
fn coroutines_and_future_location() {
    let src = "'''doc'''\nfrom __future__ import annotations, generator_stop\nfrom __future__ import barry_as_FLUFL\n\
               async def f(x):\n    return [y async for y in x]\ndef g(x):\n    return [await y for y in x]\n";
    let arena = Bump::new();
    let m = pyrite_parser::parse_module(&arena, src.as_bytes(), "<api>")
        .module
        .unwrap();
    let ff = future_features(m, "<api>").unwrap();
    assert_eq!(ff.flags, CO_FUTURE_ANNOTATIONS | CO_FUTURE_BARRY_AS_BDFL);
    assert_eq!(
        (ff.lineno, ff.col_offset, ff.end_lineno, ff.end_col_offset),
        (3, 0, 3, 37)
    );
    let t = build(m, "<api>", &ff).unwrap();
    let stmts = body(m);
    assert!(t.scope(t.lookup(key_of_stmt(stmts[3])).unwrap()).coroutine);
    // An inlined comprehension with `await` makes its function a coroutine (a compile error
    // later, not here).
    assert!(t.scope(t.lookup(key_of_stmt(stmts[4])).unwrap()).coroutine);
    assert_eq!(FutureFeatures::default().lineno, -1);
}

#[test]
fn build_in_allocates_mangled_names_in_the_arena() {
    let src = "class C:\n    __x = 1\n    def m(self, __p):\n        return __x + __p\n";
    let arena = Bump::new();
    let m = pyrite_parser::parse_module(&arena, src.as_bytes(), "<api>")
        .module
        .unwrap();
    let ff = future_features(m, "<api>").unwrap();
    let a = build_in(&arena, m, "<api>", &ff).unwrap();
    let b = build(m, "<api>", &ff).unwrap();
    assert_eq!(dump(&a), dump(&b));
    let c = a.scope(a.lookup(key_of_stmt(body(m)[0])).unwrap());
    assert_eq!(c.private, Some("C"));
    assert!(c.symbols.contains_key("_C__x"));
    let StmtKind::ClassDef { body: cbody, .. } = body(m)[0].kind else {
        panic!()
    };
    let meth = a.scope(a.lookup(key_of_stmt(cbody[1])).unwrap());
    assert_eq!(meth.varnames, ["self", "_C__p"]);
    assert_eq!(mangle(meth.private, "__x"), "_C__x");
}

#[test]
fn errors_carry_the_text_of_the_file() {
    let dir = std::env::temp_dir().join(format!("pyrite-symtable-api-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("dup.py");
    std::fs::write(&path, "x = 1\r\ndef f(a, a): pass\n").unwrap();
    let name = path.to_str().unwrap();
    let arena = Bump::new();
    let src = std::fs::read(&path).unwrap();
    let m = pyrite_parser::parse_module(&arena, &src, arena.alloc_str(name))
        .module
        .unwrap();
    let e = build(m, name, &FutureFeatures::default()).unwrap_err();
    assert_eq!(e.msg, "duplicate argument 'a' in function definition");
    assert_eq!((e.lineno, e.offset, e.end_lineno, e.end_offset), (2, 10, 2, 11));
    assert_eq!(e.text.as_deref(), Some("def f(a, a): pass\n"));
    assert_eq!(program_text(name, 1).as_deref(), Some("x = 1\n"));
    assert_eq!(program_text(name, 3), None);
    assert_eq!(program_text("<no such file>", 1), None);
    let _ = std::fs::remove_dir_all(&dir);
}
