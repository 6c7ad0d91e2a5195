//! `optimize_format`: `'...' % (a, b)` with only `%s`, `%r` and `%a` units (flags, a width and
//! a precision of at most two digits each) becomes an f-string, `f'...{a!s}...{b!r:>5}'`.

use pyrite_ast::{Constant, Expr, ExprKind, Loc};
use pyrite_unicode::Wtf8;

/// The location CPython gives nodes it creates without one (`-1` in each field).
pub const NO_LOCATION: Loc = Loc {
    lineno: u32::MAX,
    col_offset: u32::MAX,
    end_lineno: u32::MAX,
    end_col_offset: u32::MAX,
};

const F_LJUST: u32 = 1;

/// The parts of a `%` unit that matter here.
struct Unit {
    spec: u32,
    ljust: bool,
    width: Option<u32>,
    prec: Option<u32>,
}

/// Parse the unit after a `%` (`simple_format_arg_parse`): flags, up to two width digits, an
/// optional `.` and up to two precision digits, then the conversion character. `None` if the
/// format ends first or a number has three digits or more.
fn parse_unit(cps: &[u32], pos: &mut usize) -> Option<Unit> {
    let mut p = *pos;
    let mut next = || -> Option<u32> {
        let c = *cps.get(p)?;
        p += 1;
        Some(c)
    };
    let mut flags = 0;
    let mut ch;
    loop {
        ch = next()?;
        match char::from_u32(ch) {
            Some('-') => flags |= F_LJUST,
            Some('+' | ' ' | '#' | '0') => {}
            _ => break,
        }
    }
    let is_digit = |c: u32| (b'0' as u32..=b'9' as u32).contains(&c);
    let mut width = None;
    if is_digit(ch) {
        let mut w = 0;
        let mut digits = 0;
        while is_digit(ch) {
            w = w * 10 + (ch - b'0' as u32);
            ch = next()?;
            digits += 1;
            if digits >= 3 {
                return None;
            }
        }
        width = Some(w);
    }
    let mut prec = None;
    if ch == b'.' as u32 {
        ch = next()?;
        let mut pr = 0;
        if is_digit(ch) {
            let mut digits = 0;
            while is_digit(ch) {
                pr = pr * 10 + (ch - b'0' as u32);
                ch = next()?;
                digits += 1;
                if digits >= 3 {
                    return None;
                }
            }
        }
        prec = Some(pr);
    }
    *pos = p;
    Some(Unit {
        spec: ch,
        ljust: flags & F_LJUST != 0,
        width,
        prec,
    })
}

fn str_const<'a>(arena: &'a bumpalo::Bump, cps: &[u32]) -> &'a Expr<'a> {
    let mut buf = Vec::with_capacity(cps.len());
    for &c in cps {
        pyrite_unicode::wtf8::push_code_point(&mut buf, c);
    }
    let s = Wtf8::from_bytes_unchecked(arena.alloc_slice_copy(&buf));
    arena.alloc(Expr {
        kind: ExprKind::Constant {
            value: Constant::Str(s),
            kind: None,
        },
        loc: NO_LOCATION,
    })
}

/// The JoinedStr that replaces `fmt % (elts...)`, or `None` if the format is not simple
/// enough or the number of units and items differ. `elts` holds no `Starred`.
pub fn optimize_format<'a>(arena: &'a bumpalo::Bump, fmt: &Wtf8, elts: &'a [&'a Expr<'a>]) -> Option<ExprKind<'a>> {
    let cps: Vec<u32> = fmt.code_points().collect();
    let pct = b'%' as u32;
    let mut values: Vec<&'a Expr<'a>> = Vec::with_capacity(elts.len() * 2 + 1);
    let mut pos = 0;
    let mut cnt = 0;
    loop {
        // A literal run, with `%%` read as `%`.
        let mut lit = Vec::new();
        while pos < cps.len() {
            if cps[pos] != pct {
                lit.push(cps[pos]);
                pos += 1;
            } else if pos + 1 < cps.len() && cps[pos + 1] == pct {
                lit.push(pct);
                pos += 2;
            } else {
                break;
            }
        }
        if !lit.is_empty() {
            values.push(str_const(arena, &lit));
        }
        if pos >= cps.len() {
            break;
        }
        if cnt >= elts.len() {
            return None; // more units than items
        }
        pos += 1; // the '%'
        let unit = parse_unit(&cps, &mut pos)?;
        let arg = elts[cnt];
        cnt += 1;
        if !matches!(char::from_u32(unit.spec), Some('s' | 'r' | 'a')) {
            return None;
        }
        let mut spec = String::new();
        if !unit.ljust && unit.width.is_some_and(|w| w > 0) {
            spec.push('>');
        }
        if let Some(w) = unit.width {
            spec.push_str(&w.to_string());
        }
        if let Some(p) = unit.prec {
            spec.push('.');
            spec.push_str(&p.to_string());
        }
        let format_spec = if spec.is_empty() {
            None
        } else {
            let cps: Vec<u32> = spec.chars().map(|c| c as u32).collect();
            Some(str_const(arena, &cps))
        };
        values.push(arena.alloc(Expr {
            kind: ExprKind::FormattedValue {
                value: arg,
                conversion: unit.spec as i32,
                format_spec,
            },
            loc: arg.loc,
        }));
    }
    if cnt < elts.len() {
        return None; // more items than units
    }
    Some(ExprKind::JoinedStr {
        values: arena.alloc_slice_copy(&values),
    })
}
