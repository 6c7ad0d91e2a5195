//! The compiler pipeline as `compile(source, filename, 'exec')` runs it in CPython 3.12
//! (`_PyAST_Compile`): parse (pyrite-parser) → future features and AST optimization
//! (pyrite-symtable's `future_features`, pyrite-astopt) → symbol table (pyrite-symtable) →
//! code generation, flow graph and assembly (pyrite-codegen, pyrite-flowgraph,
//! pyrite-assembler) → a [`CodeObject`].

use bumpalo::Bump;
use pyrite_code::{CodeObject, Constant};
use pyrite_parser::errors::SyntaxErrorInfo;
use std::fmt::Write as _;

pub use pyrite_codegen::Warning;

/// Why a source did not compile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CompileFailure {
    /// A SyntaxError (or IndentationError, TabError, ValueError for NULs, ...) as CPython raises it.
    Syntax(SyntaxErrorInfo),
    /// Another exception CPython raises while compiling (RecursionError, ...): its class name
    /// and message.
    Exception(&'static str, String),
    /// A compiler limitation or bug (CPython would raise SystemError).
    Internal(String),
}

impl CompileFailure {
    /// What `traceback.format_exception_only` shows for the failure.
    pub fn format_exception_only(&self, filename: &str) -> String {
        match self {
            CompileFailure::Syntax(e) => e.format_exception_only(filename),
            CompileFailure::Exception(class, msg) => format!("{class}: {msg}\n"),
            CompileFailure::Internal(msg) => format!("SystemError: {msg}\n"),
        }
    }
}

/// The result of compiling a source.
pub struct Compiled {
    pub code: Result<CodeObject, CompileFailure>,
    pub warnings: Vec<Warning>,
}

/// A code generator's SyntaxError with its `text` read back from the file, as CPython's
/// `compiler_error` does (`PyErr_ProgramTextObject`; none if the file cannot be read). The
/// future and symbol-table stages fill in their own.
fn with_text(mut e: SyntaxErrorInfo, filename: &str) -> SyntaxErrorInfo {
    if e.text.is_none() {
        e.text = pyrite_symtable::program_text(filename, e.lineno);
    }
    e
}

/// The stack the compiler runs on: deep enough for the most deeply nested source the parser,
/// AST optimizer and symbol table accept (they raise CPython's errors beyond that).
pub const STACK_SIZE: usize = 1 << 30;

/// Compile `source` (a file's bytes) as `compile(source, filename, 'exec', dont_inherit=True,
/// optimize=optimize)` does, on a thread with [`STACK_SIZE`] of stack.
pub fn compile(source: &[u8], filename: &str, optimize: i32) -> Compiled {
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size(STACK_SIZE)
            .spawn_scoped(s, || compile_in_this_thread(source, filename, optimize))
            .expect("spawn the compiler's thread")
            .join()
            .expect("the compiler panicked")
    })
}

/// [`compile`] on the current thread, which must have a stack of [`STACK_SIZE`] (as the threads
/// of `pyrite compileall` and of the benchmarks do).
pub fn compile_in_this_thread(source: &[u8], filename: &str, optimize: i32) -> Compiled {
    compile_inner(source, filename, optimize, None)
}

/// The module unit's instructions as the code generator emits them, before the flow-graph
/// passes (the format of `tools/debug/codegen_dump.py`): a debugging aid.
pub fn codegen_listing(source: &[u8], filename: &str) -> Result<String, CompileFailure> {
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size(STACK_SIZE)
            .spawn_scoped(s, || {
                let mut listing = String::new();
                compile_inner(source, filename, 0, Some(&mut listing)).code?;
                Ok(listing)
            })
            .expect("spawn the compiler's thread")
            .join()
            .expect("the compiler panicked")
    })
}

fn compile_inner(source: &[u8], filename: &str, optimize: i32, listing: Option<&mut String>) -> Compiled {
    let arena = Bump::new();
    let filename_a: &str = arena.alloc_str(filename);
    let parsed = pyrite_parser::parse_module(&arena, source, filename_a);
    let module = match parsed.module {
        Ok(m) => m,
        Err(e) => {
            return Compiled {
                code: Err(CompileFailure::Syntax(e)),
                warnings: Vec::new(),
            }
        }
    };
    let future = match pyrite_symtable::future_features(module, filename) {
        Ok(f) => f,
        Err(e) => {
            return Compiled {
                code: Err(CompileFailure::Syntax(e)),
                warnings: Vec::new(),
            }
        }
    };
    let optimize = if optimize < 0 { 0 } else { optimize };
    let module = match pyrite_astopt::optimize(&arena, module, optimize, future.flags) {
        Ok(m) => m,
        Err(pyrite_astopt::OptimizeError::Recursion) => {
            return Compiled {
                code: Err(CompileFailure::Exception(
                    "RecursionError",
                    "maximum recursion depth exceeded during compilation".into(),
                )),
                warnings: Vec::new(),
            }
        }
    };
    let st = match pyrite_symtable::build(module, filename, &future) {
        Ok(st) => st,
        Err(e) if pyrite_symtable::is_recursion_error(&e) => {
            return Compiled {
                code: Err(CompileFailure::Exception("RecursionError", e.msg)),
                warnings: Vec::new(),
            }
        }
        Err(e) => {
            return Compiled {
                code: Err(CompileFailure::Syntax(e)),
                warnings: Vec::new(),
            }
        }
    };
    let mut c = pyrite_codegen::Compiler::new(&arena, &st, future, 0, optimize, filename);
    if listing.is_some() {
        c.codegen_listing = Some(String::new());
    }
    let code = c.compile_module(module);
    if let (Some(out), Some(l)) = (listing, c.codegen_listing.take()) {
        *out = l;
    }
    let code = code.map_err(|e| match e {
        pyrite_codegen::CompileError::Syntax(e) => CompileFailure::Syntax(with_text(e, filename)),
        pyrite_codegen::CompileError::System(msg) => CompileFailure::Internal(msg),
    });
    Compiled {
        code,
        warnings: std::mem::take(&mut c.warnings),
    }
}

fn py_repr_str(s: &pyrite_code::PyStr) -> String {
    pyrite_unicode::wtf8::repr_code_points(s.as_wtf8().code_points())
}

fn py_repr_tuple_of_str(items: &[pyrite_code::PyStr]) -> String {
    let mut s = String::from("(");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        s.push_str(&py_repr_str(item));
    }
    if items.len() == 1 {
        s.push(',');
    }
    s.push(')');
    s
}

fn const_repr(c: &Constant) -> String {
    let mut out = String::new();
    match c {
        Constant::None => out.push_str("NoneType None"),
        Constant::True => out.push_str("bool True"),
        Constant::False => out.push_str("bool False"),
        Constant::Ellipsis => out.push_str("ellipsis Ellipsis"),
        Constant::Int(v) => {
            let _ = write!(out, "int {v}");
        }
        Constant::Float(f) => {
            out.push_str("float ");
            pyrite_ast::constant::write_float_repr(*f, &mut out);
        }
        Constant::Complex { real, imag } => {
            out.push_str("complex ");
            pyrite_ast::constant::write_complex_repr(*real, *imag, &mut out);
        }
        Constant::Str(s) => {
            out.push_str("str ");
            out.push_str(&py_repr_str(s));
        }
        Constant::Bytes(b) => {
            out.push_str("bytes ");
            pyrite_ast::constant::write_bytes_repr(b, &mut out);
        }
        Constant::Tuple(items) => {
            out.push_str("tuple(");
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&const_repr(x));
            }
            out.push(')');
        }
        Constant::FrozenSet(items) => {
            let mut reprs: Vec<String> = items.iter().map(const_repr).collect();
            reprs.sort();
            out.push_str("frozenset(");
            out.push_str(&reprs.join(", "));
            out.push(')');
        }
        Constant::Code(co) => {
            out.push_str("code ");
            out.push_str(co.qualname.as_str().unwrap_or(""));
        }
    }
    out
}

fn hex(b: &[u8]) -> String {
    let mut s = String::with_capacity(b.len() * 2);
    for x in b {
        let _ = write!(s, "{x:02x}");
    }
    s
}

/// A dump of every field of a code object, nested code objects included, in the format of
/// `tools/oracle/code_driver.py` (the `code` parity stage compares the two).
pub fn dump_code(co: &CodeObject) -> String {
    let mut out = String::new();
    dump_code_into(co, &mut out, "");
    out
}

fn dump_code_into(co: &CodeObject, out: &mut String, indent: &str) {
    use pyrite_code::kinds::*;
    let names_of = |kind: u8| -> Vec<pyrite_code::PyStr> {
        co.localsplusnames
            .iter()
            .zip(co.localspluskinds.iter())
            .filter(|(_, &k)| k & kind != 0)
            .map(|(n, _)| n.clone())
            .collect()
    };
    let nlocals = co.localspluskinds.iter().filter(|&&k| k & CO_FAST_LOCAL != 0).count();
    let _ = writeln!(out, "{indent}code {}", py_repr_str(&co.qualname));
    let _ = writeln!(
        out,
        "{indent}  name {} filename {} firstlineno {}",
        py_repr_str(&co.name),
        py_repr_str(&co.filename),
        co.firstlineno
    );
    let _ = writeln!(
        out,
        "{indent}  argcount {} posonlyargcount {} kwonlyargcount {}",
        co.argcount, co.posonlyargcount, co.kwonlyargcount
    );
    let _ = writeln!(
        out,
        "{indent}  stacksize {} flags {:#x} nlocals {}",
        co.stacksize, co.flags, nlocals
    );
    let _ = writeln!(out, "{indent}  code {}", hex(&co.code));
    let _ = writeln!(out, "{indent}  names {}", py_repr_tuple_of_str(&co.names));
    let _ = writeln!(
        out,
        "{indent}  varnames {}",
        py_repr_tuple_of_str(&names_of(CO_FAST_LOCAL))
    );
    let _ = writeln!(
        out,
        "{indent}  cellvars {}",
        py_repr_tuple_of_str(&names_of(CO_FAST_CELL))
    );
    let _ = writeln!(
        out,
        "{indent}  freevars {}",
        py_repr_tuple_of_str(&names_of(CO_FAST_FREE))
    );
    let _ = writeln!(
        out,
        "{indent}  localsplusnames {}",
        py_repr_tuple_of_str(&co.localsplusnames)
    );
    let _ = writeln!(out, "{indent}  linetable {}", hex(&co.linetable));
    let _ = writeln!(out, "{indent}  exceptiontable {}", hex(&co.exceptiontable));
    let _ = writeln!(out, "{indent}  consts {}", co.consts.len());
    for (i, c) in co.consts.iter().enumerate() {
        let _ = writeln!(out, "{indent}    {i}: {}", const_repr(c));
    }
    let nested = format!("{indent}    ");
    for c in co.consts.iter() {
        if let Constant::Code(inner) = c {
            dump_code_into(inner, out, &nested);
        }
    }
}
