//! Future statements (`Python/future.c`): the features `from __future__ import` turns on.

use crate::errors::located;
use pyrite_ast::{Constant, ExprKind, Mod, Stmt, StmtKind};
use pyrite_parser::errors::SyntaxErrorInfo;

pub const CO_FUTURE_DIVISION: u32 = 0x20000;
pub const CO_FUTURE_ABSOLUTE_IMPORT: u32 = 0x40000;
pub const CO_FUTURE_WITH_STATEMENT: u32 = 0x80000;
pub const CO_FUTURE_PRINT_FUNCTION: u32 = 0x100000;
pub const CO_FUTURE_UNICODE_LITERALS: u32 = 0x200000;
pub const CO_FUTURE_BARRY_AS_BDFL: u32 = 0x400000;
pub const CO_FUTURE_GENERATOR_STOP: u32 = 0x800000;
pub const CO_FUTURE_ANNOTATIONS: u32 = 0x1000000;

/// `PyFutureFeatures`: the `CO_FUTURE_*` flags the module's future statements set (only
/// [`CO_FUTURE_BARRY_AS_BDFL`] and [`CO_FUTURE_ANNOTATIONS`] do anything in 3.12; the other
/// features are accepted and ignored), and the location of the last future statement
/// (`ff_location`; all -1 if there is none).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FutureFeatures {
    pub flags: u32,
    pub lineno: i32,
    pub col_offset: i32,
    pub end_lineno: i32,
    pub end_col_offset: i32,
}

impl Default for FutureFeatures {
    fn default() -> Self {
        FutureFeatures {
            flags: 0,
            lineno: -1,
            col_offset: -1,
            end_lineno: -1,
            end_col_offset: -1,
        }
    }
}

/// `_PyFuture_FromAST`: the future statements at the top of `module` (after the docstring, if
/// any; stopping at the first other statement) and their features, or the SyntaxError of an
/// unknown feature (`future feature X is not defined`, `not a chance` for `braces`).
/// `filename` is where error text is read back from.
pub fn future_features(module: &Mod<'_>, filename: &str) -> Result<FutureFeatures, SyntaxErrorInfo> {
    let mut ff = FutureFeatures::default();
    let body = match module {
        Mod::Module { body, .. } | Mod::Interactive { body } => *body,
        _ => return Ok(ff),
    };
    let start = usize::from(has_docstring(body));
    for s in &body[start..] {
        match s.kind {
            StmtKind::ImportFrom {
                module: Some("__future__"),
                names,
                ..
            } => {
                for alias in names {
                    ff.flags |= feature_flag(alias.name)
                        .map_err(|msg| *located(filename, msg, s.loc.lineno as i32, s.loc.col_offset as i32))?;
                }
                ff.lineno = s.loc.lineno as i32;
                ff.col_offset = s.loc.col_offset as i32;
                ff.end_lineno = s.loc.end_lineno as i32;
                ff.end_col_offset = s.loc.end_col_offset as i32;
            }
            _ => break,
        }
    }
    Ok(ff)
}

/// `_PyAST_GetDocString(body) != NULL`.
fn has_docstring(body: &[&Stmt<'_>]) -> bool {
    matches!(
        body.first().map(|s| &s.kind),
        Some(StmtKind::Expr { value }) if matches!(value.kind, ExprKind::Constant { value: Constant::Str(_), .. })
    )
}

/// The flag of one feature, or the error message.
fn feature_flag(feature: &str) -> Result<u32, String> {
    Ok(match feature {
        "nested_scopes" | "generators" | "division" | "absolute_import" | "with_statement" | "print_function"
        | "unicode_literals" | "generator_stop" => 0,
        "barry_as_FLUFL" => CO_FUTURE_BARRY_AS_BDFL,
        "annotations" => CO_FUTURE_ANNOTATIONS,
        "braces" => return Err("not a chance".into()),
        _ => {
            // "%.100s": at most 100 bytes of the name, decoded with errors="replace".
            let b = feature.as_bytes();
            let shown = String::from_utf8_lossy(&b[..b.len().min(100)]);
            return Err(format!("future feature {shown} is not defined"));
        }
    })
}
