//! What the bytecode cannot show: the shape of the optimized tree itself (sharing, `kind`,
//! locations, the nodes `%`-formatting creates, the modes other than `exec`). Expected values
//! follow `Python/ast_opt.c` (3.12): `make_const` keeps the node's location and clears
//! `kind`; the `not` inversion copies the comparison node; `optimize_format` creates its
//! literals without a location and gives each FormattedValue its argument's location.

use bumpalo::Bump;
use pyrite_ast::{Constant, Expr, ExprKind, Int, Loc, Mod, Stmt, StmtKind, TypeParamKind};
use pyrite_astopt::{optimize, OptimizeError, CO_FUTURE_ANNOTATIONS, NO_LOCATION};

fn parse<'a>(arena: &'a Bump, src: &str) -> &'a Mod<'a> {
    pyrite_parser::parse_module(arena, src.as_bytes(), "t.py")
        .module
        .unwrap_or_else(|e| panic!("{}", e.msg))
}

fn body<'a>(m: &'a Mod<'a>) -> &'a [&'a Stmt<'a>] {
    match m {
        Mod::Module { body, .. } => body,
        _ => unreachable!(),
    }
}

fn assigned<'a>(s: &'a Stmt<'a>) -> &'a Expr<'a> {
    match s.kind {
        StmtKind::Assign { value, .. } => value,
        _ => panic!("not an assignment"),
    }
}

fn loc(lineno: u32, col: u32, end_lineno: u32, end_col: u32) -> Loc {
    Loc {
        lineno,
        col_offset: col,
        end_lineno,
        end_col_offset: end_col,
    }
}

#[test]
fn unchanged_trees_are_shared() {
    let arena = Bump::new();
    let m = parse(&arena, "x = a + b\ndef f(y=[1, 2]):\n    return y\n");
    assert!(std::ptr::eq(optimize(&arena, m, 0, 0).unwrap(), m));
    let m = parse(&arena, "x = a + b\ny = 1 + 2\nz = c\n");
    let o = optimize(&arena, m, 0, 0).unwrap();
    assert!(!std::ptr::eq(o, m));
    let (old, new) = (body(m), body(o));
    assert!(std::ptr::eq(old[0], new[0]) && std::ptr::eq(old[2], new[2]));
    assert!(!std::ptr::eq(old[1], new[1]));
}

#[test]
fn folded_constants_keep_the_location_and_lose_the_kind() {
    let arena = Bump::new();
    let m = parse(&arena, "x = u'ab'[0]\ny = u'ab'\nz = (1 +\n  2)\n");
    let o = body(optimize(&arena, m, 0, 0).unwrap());
    let e = assigned(o[0]);
    assert_eq!(e.loc, loc(1, 4, 1, 12));
    assert!(matches!(e.kind, ExprKind::Constant { kind: None, value: Constant::Str(s) } if s.as_str() == Some("a")));
    assert!(matches!(
        assigned(o[1]).kind,
        ExprKind::Constant { kind: Some("u"), .. }
    ));
    let e = assigned(o[2]);
    assert_eq!(e.loc, loc(3, 5, 4, 3));
    assert!(matches!(
        e.kind,
        ExprKind::Constant {
            value: Constant::Int(Int::Small(3)),
            kind: None
        }
    ));
}

#[test]
fn not_over_a_comparison_becomes_the_inverted_comparison() {
    let arena = Bump::new();
    let m = parse(&arena, "x = not (a is b)\ny = not a == b\n");
    let o = body(optimize(&arena, m, 0, 0).unwrap());
    let e = assigned(o[0]);
    assert_eq!(e.loc, loc(1, 9, 1, 15));
    assert!(matches!(
        e.kind,
        ExprKind::Compare {
            ops: [pyrite_ast::CmpOp::IsNot],
            ..
        }
    ));
    assert!(matches!(assigned(o[1]).kind, ExprKind::UnaryOp { .. }));
}

#[test]
fn percent_formatting_becomes_a_joined_str() {
    let arena = Bump::new();
    let m = parse(&arena, "x = 'a%5sb%%' % (y,)\n");
    let e = assigned(body(optimize(&arena, m, 0, 0).unwrap())[0]);
    assert_eq!(e.loc, loc(1, 4, 1, 20));
    let ExprKind::JoinedStr { values } = e.kind else {
        panic!("{e:?}")
    };
    assert_eq!(values.len(), 3);
    assert_eq!(values[0].loc, NO_LOCATION);
    assert!(
        matches!(values[0].kind, ExprKind::Constant { value: Constant::Str(s), kind: None } if s.as_str() == Some("a"))
    );
    let ExprKind::FormattedValue {
        value,
        conversion,
        format_spec: Some(spec),
    } = values[1].kind
    else {
        panic!()
    };
    assert_eq!(conversion, 's' as i32);
    assert_eq!(values[1].loc, value.loc);
    assert_eq!(value.loc, loc(1, 17, 1, 18));
    assert!(matches!(spec.kind, ExprKind::Constant { value: Constant::Str(s), .. } if s.as_str() == Some(">5")));
    assert_eq!(spec.loc, NO_LOCATION);
    assert!(matches!(values[2].kind, ExprKind::Constant { value: Constant::Str(s), .. } if s.as_str() == Some("b%")));
}

#[test]
fn future_annotations_are_left_alone_but_bounds_are_not() {
    let arena = Bump::new();
    let src = "def f(a: 1+2, *b: -1, **c: ~0) -> 2*3: pass\nx: 1+1 = 2+2\ndef g[T: 1+2](): pass\n";
    let m = parse(&arena, src);
    let o = body(optimize(&arena, m, 0, CO_FUTURE_ANNOTATIONS).unwrap());
    assert!(std::ptr::eq(o[0], body(m)[0]));
    let StmtKind::AnnAssign { annotation, value, .. } = o[1].kind else {
        panic!()
    };
    assert!(matches!(annotation.kind, ExprKind::BinOp { .. }));
    assert!(matches!(value.unwrap().kind, ExprKind::Constant { .. }));
    let StmtKind::FunctionDef { type_params, .. } = o[2].kind else {
        panic!()
    };
    let TypeParamKind::TypeVar { bound: Some(b), .. } = type_params[0].kind else {
        panic!()
    };
    assert!(matches!(b.kind, ExprKind::Constant { .. }));
    // Without the flag, everything is folded.
    let o = body(optimize(&arena, m, 0, 0).unwrap());
    let StmtKind::FunctionDef { args, returns, .. } = o[0].kind else {
        panic!()
    };
    assert!(matches!(returns.unwrap().kind, ExprKind::Constant { .. }));
    assert!(matches!(
        args.args[0].annotation.unwrap().kind,
        ExprKind::Constant { .. }
    ));
    assert!(matches!(
        args.vararg.unwrap().annotation.unwrap().kind,
        ExprKind::Constant { .. }
    ));
    assert!(matches!(
        args.kwarg.unwrap().annotation.unwrap().kind,
        ExprKind::Constant { .. }
    ));
}

#[test]
fn a_folded_first_string_is_wrapped_and_not_a_docstring() {
    let arena = Bump::new();
    let m = parse(&arena, "('a' + 'b')\n");
    let o = body(optimize(&arena, m, 0, 0).unwrap());
    let StmtKind::Expr { value } = o[0].kind else { panic!() };
    assert_eq!(value.loc, o[0].loc);
    let ExprKind::JoinedStr { values: [inner] } = value.kind else {
        panic!("{value:?}")
    };
    assert!(matches!(
        inner.kind,
        ExprKind::Constant {
            value: Constant::Str(_),
            ..
        }
    ));
    // Not in an `if` body: only module, class and function bodies have docstrings.
    let m = parse(&arena, "if x:\n    'a' + 'b'\n");
    let o = body(optimize(&arena, m, 0, 0).unwrap());
    let StmtKind::If { body: b, .. } = o[0].kind else {
        panic!()
    };
    let StmtKind::Expr { value } = b[0].kind else { panic!() };
    assert!(matches!(value.kind, ExprKind::Constant { .. }));
}

#[test]
fn sets_keep_the_first_of_equal_items() {
    let arena = Bump::new();
    let m = parse(&arena, "x = a in {1.0, 1, True, 2, (1,), (1.0,)}\n");
    let e = assigned(body(optimize(&arena, m, 0, 0).unwrap())[0]);
    let ExprKind::Compare { comparators: [c], .. } = e.kind else {
        panic!()
    };
    let ExprKind::Constant {
        value: Constant::FrozenSet(items),
        ..
    } = c.kind
    else {
        panic!()
    };
    assert_eq!(Constant::Tuple(items).repr(), "(1.0, 2, (1,))");
}

#[test]
fn debug_follows_the_optimization_level() {
    let arena = Bump::new();
    let m = parse(&arena, "x = __debug__\n");
    for (level, want) in [
        (-1, Constant::True),
        (0, Constant::True),
        (1, Constant::False),
        (2, Constant::False),
    ] {
        let e = assigned(body(optimize(&arena, m, level, 0).unwrap())[0]);
        assert!(
            matches!(e.kind, ExprKind::Constant { value, .. } if value == want),
            "{level}"
        );
    }
}

#[test]
fn other_modes_are_folded_too() {
    let arena = Bump::new();
    let m = parse(&arena, "1 + 2\n");
    let StmtKind::Expr { value } = body(m)[0].kind else {
        panic!()
    };
    let expression: &Mod<'_> = arena.alloc(Mod::Expression { body: value });
    let Mod::Expression { body: e } = optimize(&arena, expression, 0, 0).unwrap() else {
        panic!()
    };
    assert!(matches!(e.kind, ExprKind::Constant { .. }));
    let interactive: &Mod<'_> = arena.alloc(Mod::Interactive { body: body(m) });
    let Mod::Interactive { body: b } = optimize(&arena, interactive, 0, 0).unwrap() else {
        panic!()
    };
    // An interactive statement is never a docstring: no JoinedStr wrapping either way.
    assert!(matches!(
        b[0].kind,
        StmtKind::Expr {
            value: Expr {
                kind: ExprKind::Constant { .. },
                ..
            }
        }
    ));
}

#[test]
fn too_deep_a_tree_is_a_recursion_error() {
    let src = format!("x = {}1\n", "1+".repeat(pyrite_astopt::RECURSION_LIMIT as usize + 10));
    let r = std::thread::Builder::new()
        .stack_size(1 << 30)
        .spawn(move || {
            let arena = Bump::new();
            let m = parse(&arena, &src);
            optimize(&arena, m, 0, 0).map(|_| ())
        })
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(r, Err(OptimizeError::Recursion));
    assert_eq!(
        OptimizeError::Recursion.to_string(),
        "RecursionError: maximum recursion depth exceeded during compilation"
    );
}
