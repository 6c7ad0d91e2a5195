//! Generates the AST node types and `ast.dump` from `grammar/Python.asdl`, the ASDL description
//! of CPython 3.12's abstract syntax (the job `Parser/asdl_c.py` does for CPython's C structs).
//!
//! Three files are written to `OUT_DIR`:
//! - `ast.rs`: one Rust type per ASDL type (the mapping is described in the crate's docs);
//! - `dump.rs`: the [`Dump`] implementations behind `ast.dump` (field order, optional fields,
//!   attributes, all taken from the ASDL);
//! - `to_python.rs`: for the tests only, the Python expression that rebuilds a node with the
//!   `ast` module's constructors, so the oracle can dump the same tree.
//!
//! The ASDL reader is a small recursive-descent parser of the language `Parser/asdl.py` reads:
//!
//! ```text
//! module      ::= "module" Id "{" definition* "}"
//! definition  ::= TypeId "=" (product | sum)
//! product     ::= fields ["attributes" fields]
//! sum         ::= constructor ("|" constructor)* ["attributes" fields]
//! constructor ::= ConstructorId [fields]
//! fields      ::= "(" field ("," field)* ")"
//! field       ::= TypeId ["?" | "*"] Id
//! ```
//!
//! with `--` comments to the end of the line. Type names start with a lower-case letter,
//! constructor names with an upper-case one.

use std::fmt::Write as _;

const ASDL_PATH: &str = "../../grammar/Python.asdl";

// ------------------------------------------------------------------------------------------
// The ASDL model

/// How many values a field holds: exactly one, `?` (zero or one), `*` (a sequence).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Quantifier {
    One,
    Optional,
    Sequence,
}

#[derive(Debug)]
struct Field {
    ty: String,
    q: Quantifier,
    name: String,
}

#[derive(Debug)]
struct Constructor {
    name: String,
    fields: Vec<Field>,
}

#[derive(Debug)]
enum TypeDef {
    Sum {
        constructors: Vec<Constructor>,
        attributes: Vec<Field>,
    },
    Product {
        fields: Vec<Field>,
        attributes: Vec<Field>,
    },
}

#[derive(Debug)]
struct Definition {
    name: String,
    def: TypeDef,
}

/// The types every ASDL module may use without defining them (`asdl.builtin_types`).
const BUILTIN_TYPES: &[&str] = &["identifier", "string", "int", "constant"];

/// The attributes a node's [`Loc`] holds, in the order the ASDL must list them.
const LOC_ATTRIBUTES: &[&str] = &["lineno", "col_offset", "end_lineno", "end_col_offset"];

/// Sequence fields whose items may be Python's `None` (a NULL in CPython's `asdl_seq`), which
/// the ASDL cannot express: `Dict.keys` (None for a `**mapping` item) and `arguments.kw_defaults`
/// (None for a keyword-only parameter without a default). Their items are `Option<&Expr>`.
const NULLABLE_ITEMS: &[(&str, &str)] = &[("Dict", "keys"), ("arguments", "kw_defaults")];

/// The local names of the generated code, which no field may have (fields are bound by name).
const RESERVED_LOCALS: &[&str] = &["dumper", "depth", "node_args", "nargs", "present", "out"];

// ------------------------------------------------------------------------------------------
// Reading the ASDL

#[derive(Debug, PartialEq)]
enum Tok {
    Id(String),
    Punct(char),
}

struct Lexed {
    tok: Tok,
    line: usize,
}

fn lex(src: &str) -> Result<Vec<Lexed>, String> {
    let mut out = Vec::new();
    for (n, line) in src.lines().enumerate() {
        let line_no = n + 1;
        let code = match line.find("--") {
            Some(i) => &line[..i],
            None => line,
        };
        let mut chars = code.char_indices().peekable();
        while let Some((start, c)) = chars.next() {
            if c.is_whitespace() {
                continue;
            }
            if c.is_ascii_alphabetic() || c == '_' {
                let mut end = start + c.len_utf8();
                while let Some(&(i, d)) = chars.peek() {
                    if d.is_ascii_alphanumeric() || d == '_' {
                        end = i + d.len_utf8();
                        chars.next();
                    } else {
                        break;
                    }
                }
                out.push(Lexed {
                    tok: Tok::Id(code[start..end].to_string()),
                    line: line_no,
                });
            } else if "{}()=|,?*".contains(c) {
                out.push(Lexed {
                    tok: Tok::Punct(c),
                    line: line_no,
                });
            } else {
                return Err(format!("line {line_no}: unexpected character {c:?}"));
            }
        }
    }
    Ok(out)
}

struct Reader {
    toks: Vec<Lexed>,
    pos: usize,
}

impl Reader {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|t| &t.tok)
    }

    fn error(&self, what: &str) -> String {
        match self.toks.get(self.pos) {
            Some(t) => format!("line {}: expected {what}, found {:?}", t.line, t.tok),
            None => format!("at the end: expected {what}"),
        }
    }

    fn at_punct(&self, c: char) -> bool {
        self.peek() == Some(&Tok::Punct(c))
    }

    fn at_keyword(&self, kw: &str) -> bool {
        matches!(self.peek(), Some(Tok::Id(s)) if s == kw)
    }

    fn punct(&mut self, c: char) -> Result<(), String> {
        if self.at_punct(c) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(&format!("{c:?}")))
        }
    }

    fn id(&mut self, what: &str) -> Result<String, String> {
        match self.peek() {
            Some(Tok::Id(s)) => {
                let s = s.clone();
                self.pos += 1;
                Ok(s)
            }
            _ => Err(self.error(what)),
        }
    }

    fn type_id(&mut self) -> Result<String, String> {
        let save = self.pos;
        let s = self.id("a type name")?;
        if !s.starts_with(|c: char| c.is_ascii_lowercase()) {
            self.pos = save;
            return Err(self.error("a type name (lower-case initial)"));
        }
        Ok(s)
    }

    fn module(&mut self) -> Result<Vec<Definition>, String> {
        if !self.at_keyword("module") {
            return Err(self.error("`module`"));
        }
        self.pos += 1;
        self.id("the module's name")?;
        self.punct('{')?;
        let mut defs = Vec::new();
        while !self.at_punct('}') {
            defs.push(self.definition()?);
        }
        self.punct('}')?;
        if self.pos != self.toks.len() {
            return Err(self.error("the end of the file"));
        }
        Ok(defs)
    }

    fn definition(&mut self) -> Result<Definition, String> {
        let name = self.type_id()?;
        self.punct('=')?;
        let def = if self.at_punct('(') {
            let fields = self.fields()?;
            let attributes = self.attributes()?;
            TypeDef::Product { fields, attributes }
        } else {
            let mut constructors = vec![self.constructor()?];
            while self.at_punct('|') {
                self.pos += 1;
                constructors.push(self.constructor()?);
            }
            let attributes = self.attributes()?;
            TypeDef::Sum {
                constructors,
                attributes,
            }
        };
        Ok(Definition { name, def })
    }

    fn constructor(&mut self) -> Result<Constructor, String> {
        let save = self.pos;
        let name = self.id("a constructor name")?;
        if !name.starts_with(|c: char| c.is_ascii_uppercase()) {
            self.pos = save;
            return Err(self.error("a constructor name (upper-case initial)"));
        }
        let fields = if self.at_punct('(') { self.fields()? } else { Vec::new() };
        Ok(Constructor { name, fields })
    }

    fn attributes(&mut self) -> Result<Vec<Field>, String> {
        if self.at_keyword("attributes") {
            self.pos += 1;
            self.fields()
        } else {
            Ok(Vec::new())
        }
    }

    fn fields(&mut self) -> Result<Vec<Field>, String> {
        self.punct('(')?;
        let mut fields = Vec::new();
        loop {
            let ty = self.type_id()?;
            let q = if self.at_punct('?') {
                self.pos += 1;
                Quantifier::Optional
            } else if self.at_punct('*') {
                self.pos += 1;
                Quantifier::Sequence
            } else {
                Quantifier::One
            };
            let name = self.id("a field name")?;
            fields.push(Field { ty, q, name });
            if self.at_punct(')') {
                self.pos += 1;
                return Ok(fields);
            }
            self.punct(',')?;
        }
    }
}

fn parse_asdl(src: &str) -> Result<Vec<Definition>, String> {
    let defs = Reader {
        toks: lex(src)?,
        pos: 0,
    }
    .module()?;
    // Every field's type must be built in or defined, and names must be unique.
    let mut names: Vec<&str> = Vec::new();
    for d in &defs {
        if names.contains(&d.name.as_str()) || BUILTIN_TYPES.contains(&d.name.as_str()) {
            return Err(format!("type `{}` is defined twice", d.name));
        }
        names.push(&d.name);
    }
    let check = |owner: &str, fs: &[Field]| -> Result<(), String> {
        for f in fs {
            if RESERVED_LOCALS.contains(&rust_name(&f.name).as_str()) {
                return Err(format!("{owner}.{}: the generated code uses this name", f.name));
            }
            if !BUILTIN_TYPES.contains(&f.ty.as_str()) && !defs.iter().any(|d| d.name == f.ty) {
                return Err(format!("{owner}.{}: undefined type `{}`", f.name, f.ty));
            }
        }
        Ok(())
    };
    for d in &defs {
        match &d.def {
            TypeDef::Sum {
                constructors,
                attributes,
            } => {
                for c in constructors {
                    check(&c.name, &c.fields)?;
                }
                check(&d.name, attributes)?;
            }
            TypeDef::Product { fields, attributes } => {
                check(&d.name, fields)?;
                check(&d.name, attributes)?;
            }
        }
    }
    Ok(defs)
}

// ------------------------------------------------------------------------------------------
// Names and types

/// The Rust name of an ASDL type: CamelCase, with the words of CPython's run-together names
/// split (`boolop` → `BoolOp`, `excepthandler` → `ExceptHandler`).
fn camel(name: &str) -> String {
    let split = match name {
        "boolop" => "bool_op",
        "unaryop" => "unary_op",
        "cmpop" => "cmp_op",
        "excepthandler" => "except_handler",
        "withitem" => "with_item",
        other => other,
    };
    split
        .split('_')
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + cs.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

const RUST_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true",
    "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// A field's Rust name: the ASDL name, with `_` appended to Rust keywords (`type` → `type_`).
fn rust_name(field: &str) -> String {
    if RUST_KEYWORDS.contains(&field) {
        format!("{field}_")
    } else {
        field.to_string()
    }
}

/// What kind of value an ASDL type is, for the generated code.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `identifier`, `string`, `int`, `constant`.
    Builtin,
    /// A sum whose constructors all lack fields (`expr_context`, `operator`, ...): a plain enum.
    Simple,
    /// Any other sum or product: an arena-allocated node.
    Node,
}

struct Model {
    defs: Vec<Definition>,
}

impl Model {
    fn kind(&self, ty: &str) -> Kind {
        if BUILTIN_TYPES.contains(&ty) {
            return Kind::Builtin;
        }
        let d = self.defs.iter().find(|d| d.name == ty).expect("checked by parse_asdl");
        if is_simple_sum(&d.def) {
            Kind::Simple
        } else {
            Kind::Node
        }
    }

    /// The Rust type of one value of ASDL type `ty`.
    fn base_type(&self, ty: &str) -> String {
        match ty {
            "identifier" | "string" => "&'a str".to_string(),
            "int" => "i32".to_string(),
            "constant" => "Constant<'a>".to_string(),
            _ => match self.kind(ty) {
                Kind::Simple => camel(ty),
                _ => format!("&'a {}<'a>", camel(ty)),
            },
        }
    }

    /// The Rust type of field `f` of constructor or product `owner`.
    fn field_type(&self, owner: &str, f: &Field) -> String {
        let base = self.base_type(&f.ty);
        match f.q {
            Quantifier::One => base,
            Quantifier::Optional => format!("Option<{base}>"),
            Quantifier::Sequence if nullable_items(owner, f) => format!("&'a [Option<{base}>]"),
            Quantifier::Sequence => format!("&'a [{base}]"),
        }
    }

    /// Does a value of field `f` always print as a "simple" value in `ast.dump` (a scalar)?
    fn always_simple(&self, f: &Field) -> bool {
        f.q != Quantifier::Sequence && self.kind(&f.ty) != Kind::Node
    }
}

fn nullable_items(owner: &str, f: &Field) -> bool {
    NULLABLE_ITEMS.contains(&(owner, f.name.as_str()))
}

fn is_simple_sum(def: &TypeDef) -> bool {
    matches!(def, TypeDef::Sum { constructors, attributes }
        if attributes.is_empty() && constructors.iter().all(|c| c.fields.is_empty()))
}

/// `type? name` as the ASDL writes it.
fn asdl_field(f: &Field) -> String {
    let q = match f.q {
        Quantifier::One => "",
        Quantifier::Optional => "?",
        Quantifier::Sequence => "*",
    };
    format!("{}{q} {}", f.ty, f.name)
}

fn asdl_fields(fs: &[Field]) -> String {
    fs.iter().map(asdl_field).collect::<Vec<_>>().join(", ")
}

fn asdl_constructor(c: &Constructor) -> String {
    if c.fields.is_empty() {
        c.name.clone()
    } else {
        format!("{}({})", c.name, asdl_fields(&c.fields))
    }
}

fn check_loc_attributes(owner: &str, attributes: &[Field]) {
    let names: Vec<&str> = attributes.iter().map(|a| a.name.as_str()).collect();
    assert!(
        attributes.is_empty() || names == LOC_ATTRIBUTES,
        "{owner}: attributes {names:?} are not the four of `Loc` ({LOC_ATTRIBUTES:?})"
    );
    assert!(
        attributes.iter().all(|a| a.ty == "int" && a.q != Quantifier::Sequence),
        "{owner}: attributes must be `int` or `int?`"
    );
}

// ------------------------------------------------------------------------------------------
// ast.rs: the types

fn gen_types(m: &Model) -> String {
    let mut o = String::new();
    o.push_str("// @generated by crates/pyrite-ast/build.rs from grammar/Python.asdl; do not edit.\n");
    for d in &m.defs {
        let t = camel(&d.name);
        match &d.def {
            TypeDef::Sum { constructors, .. } if is_simple_sum(&d.def) => {
                let alts: Vec<&str> = constructors.iter().map(|c| c.name.as_str()).collect();
                writeln!(o, "\n/// `{} = {}`", d.name, alts.join(" | ")).unwrap();
                o.push_str("#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]\n");
                writeln!(o, "pub enum {t} {{").unwrap();
                for c in constructors {
                    writeln!(o, "    {},", c.name).unwrap();
                }
                o.push_str("}\n\n");
                writeln!(o, "impl {t} {{").unwrap();
                o.push_str("    /// The Python class name (`type(node).__name__`).\n");
                o.push_str("    pub fn name(self) -> &'static str {\n        match self {\n");
                for c in constructors {
                    writeln!(o, "            {t}::{0} => \"{0}\",", c.name).unwrap();
                }
                o.push_str("        }\n    }\n}\n");
            }
            TypeDef::Sum {
                constructors,
                attributes,
            } => {
                check_loc_attributes(&d.name, attributes);
                assert!(
                    constructors.iter().any(|c| !c.fields.is_empty()),
                    "{}: a sum with attributes but no fields is not supported",
                    d.name
                );
                let kind = if attributes.is_empty() {
                    t.clone()
                } else {
                    let k = format!("{t}Kind");
                    writeln!(
                        o,
                        "\n/// A `{}` node: which constructor, with its fields ([`{k}`]), and the node's \
                         location (the ASDL attributes `{}`).",
                        d.name,
                        asdl_fields(attributes)
                    )
                    .unwrap();
                    o.push_str("#[derive(Clone, Copy, Debug, PartialEq)]\n");
                    writeln!(
                        o,
                        "pub struct {t}<'a> {{\n    pub kind: {k}<'a>,\n    pub loc: Loc,\n}}"
                    )
                    .unwrap();
                    k
                };
                if attributes.is_empty() {
                    writeln!(o, "\n/// `{}`: one of its constructors, with its fields.", d.name).unwrap();
                } else {
                    writeln!(o, "\n/// The constructors of `{}`, with their fields.", d.name).unwrap();
                }
                o.push_str("#[derive(Clone, Copy, Debug, PartialEq)]\n");
                writeln!(o, "pub enum {kind}<'a> {{").unwrap();
                for c in constructors {
                    writeln!(o, "    /// `{}`", asdl_constructor(c)).unwrap();
                    if c.fields.is_empty() {
                        writeln!(o, "    {},", c.name).unwrap();
                        continue;
                    }
                    writeln!(o, "    {} {{", c.name).unwrap();
                    for f in &c.fields {
                        if nullable_items(&c.name, f) {
                            o.push_str("        /// Its items may be None (a NULL in CPython's sequence).\n");
                        }
                        writeln!(o, "        {}: {},", rust_name(&f.name), m.field_type(&c.name, f)).unwrap();
                    }
                    o.push_str("    },\n");
                }
                o.push_str("}\n\n");
                writeln!(o, "impl {kind}<'_> {{").unwrap();
                o.push_str("    /// The Python class name of the constructor (`type(node).__name__`).\n");
                o.push_str("    pub fn name(&self) -> &'static str {\n        match self {\n");
                for c in constructors {
                    let pat = if c.fields.is_empty() { "" } else { " { .. }" };
                    writeln!(o, "            {kind}::{}{pat} => \"{}\",", c.name, c.name).unwrap();
                }
                o.push_str("        }\n    }\n}\n");
            }
            TypeDef::Product { fields, attributes } => {
                check_loc_attributes(&d.name, attributes);
                let attrs = if attributes.is_empty() {
                    String::new()
                } else {
                    format!(" attributes ({})", asdl_fields(attributes))
                };
                writeln!(o, "\n/// `{} = ({}){attrs}`", d.name, asdl_fields(fields)).unwrap();
                o.push_str("#[derive(Clone, Copy, Debug, PartialEq)]\n");
                writeln!(o, "pub struct {t}<'a> {{").unwrap();
                for f in fields {
                    if nullable_items(&d.name, f) {
                        o.push_str("    /// Its items may be None (a NULL in CPython's sequence).\n");
                    }
                    writeln!(o, "    pub {}: {},", rust_name(&f.name), m.field_type(&d.name, f)).unwrap();
                }
                if !attributes.is_empty() {
                    o.push_str("    pub loc: Loc,\n");
                }
                o.push_str("}\n");
            }
        }
    }
    o
}

// ------------------------------------------------------------------------------------------
// dump.rs: ast.dump

/// The body of `dump` for one constructor (or product) whose fields are bound to their Rust
/// names; `loc` is the expression of its location, if the type has attributes.
fn gen_dump_body(m: &Model, o: &mut String, pad: &str, class: &str, fields: &[Field], loc: Option<&str>) {
    // How many `name=value` arguments `_format` prints: the required fields, the optional ones
    // that are present, and the attributes if asked for.
    let required = fields.iter().filter(|f| f.q != Quantifier::Optional).count();
    let mut counted = Vec::new();
    if required > 0 {
        counted.push(required.to_string());
    }
    for f in fields.iter().filter(|f| f.q == Quantifier::Optional) {
        counted.push(format!("usize::from({}.is_some())", rust_name(&f.name)));
    }
    if loc.is_some() {
        counted.push("dumper.attribute_count()".to_string());
    }
    // allsimple: are all printed values simple? (Omitted None values count as simple.)
    let simple: Vec<String> = fields
        .iter()
        .filter(|f| !m.always_simple(f))
        .map(|f| format!("{}.is_simple(dumper)", rust_name(&f.name)))
        .collect();
    // On one line without an indent; with one, when there are at most three arguments and all
    // are simple (tested lazily, as needed).
    let compact = if required > 3 {
        "dumper.one_line()".to_string()
    } else {
        let mut tests = Vec::new();
        if counted.len() > usize::from(required > 0) {
            // The count depends on which optional fields are present.
            writeln!(o, "{pad}let nargs = {};", counted.join(" + ")).unwrap();
            tests.push("nargs <= 3".to_string());
        }
        tests.extend(simple);
        if tests.is_empty() {
            "true".to_string()
        } else {
            format!("dumper.one_line() || ({})", tests.join(" && "))
        }
    };
    writeln!(o, "{pad}let compact = {compact};").unwrap();
    writeln!(o, "{pad}let mut node_args = dumper.open(\"{class}\", compact, depth);").unwrap();
    for f in fields {
        let r = rust_name(&f.name);
        if f.q == Quantifier::Optional {
            writeln!(o, "{pad}if let Some(present) = {r} {{").unwrap();
            writeln!(o, "{pad}    dumper.arg(&mut node_args, \"{}\");", f.name).unwrap();
            writeln!(o, "{pad}    present.dump(dumper, node_args.level);").unwrap();
            writeln!(o, "{pad}}}").unwrap();
        } else {
            writeln!(o, "{pad}dumper.arg(&mut node_args, \"{}\");", f.name).unwrap();
            writeln!(o, "{pad}{r}.dump(dumper, node_args.level);").unwrap();
        }
    }
    if let Some(loc) = loc {
        writeln!(o, "{pad}dumper.attributes(&mut node_args, {loc});").unwrap();
    }
    writeln!(o, "{pad}dumper.close();").unwrap();
}

/// `is_simple` of a node: it prints no argument at all (every field optional and None, and no
/// attributes printed).
fn gen_no_args(fields: &[Field]) -> String {
    if fields.iter().any(|f| f.q != Quantifier::Optional) {
        return "false".to_string();
    }
    let parts: Vec<String> = fields
        .iter()
        .map(|f| format!("{}.is_none()", rust_name(&f.name)))
        .collect();
    if parts.is_empty() {
        "true".to_string()
    } else {
        parts.join(" && ")
    }
}

fn bindings(fields: &[Field]) -> String {
    if fields.is_empty() {
        String::new()
    } else {
        let names: Vec<String> = fields.iter().map(|f| rust_name(&f.name)).collect();
        format!(" {{ {} }}", names.join(", "))
    }
}

fn gen_dump(m: &Model) -> String {
    let mut o = String::new();
    o.push_str("// @generated by crates/pyrite-ast/build.rs from grammar/Python.asdl; do not edit.\n");
    for d in &m.defs {
        let t = camel(&d.name);
        match &d.def {
            TypeDef::Sum { constructors, .. } if is_simple_sum(&d.def) => {
                writeln!(o, "\nimpl Dump for {t} {{").unwrap();
                o.push_str("    fn is_simple(&self, _: &Dumper) -> bool {\n        true\n    }\n\n");
                o.push_str("    fn dump(&self, dumper: &mut Dumper, _: usize) {\n");
                o.push_str("        dumper.out.push_str(match self {\n");
                for c in constructors {
                    writeln!(o, "            {t}::{0} => \"{0}()\",", c.name).unwrap();
                }
                o.push_str("        });\n    }\n}\n");
            }
            TypeDef::Sum {
                constructors,
                attributes,
            } => {
                let has_loc = !attributes.is_empty();
                let kind = if has_loc { format!("{t}Kind") } else { t.clone() };
                let subject = if has_loc { "&self.kind" } else { "self" };
                writeln!(o, "\nimpl Dump for {t}<'_> {{").unwrap();
                o.push_str("    fn is_simple(&self, dumper: &Dumper) -> bool {\n");
                if has_loc {
                    o.push_str("        if dumper.include_attributes {\n            return false;\n        }\n");
                } else {
                    o.push_str("        let _ = dumper;\n");
                }
                writeln!(o, "        match {subject} {{").unwrap();
                for c in constructors {
                    let test = gen_no_args(&c.fields);
                    let pat = if test == "false" || test == "true" {
                        if c.fields.is_empty() {
                            String::new()
                        } else {
                            " { .. }".to_string()
                        }
                    } else {
                        bindings(&c.fields)
                    };
                    writeln!(o, "            {kind}::{}{pat} => {test},", c.name).unwrap();
                }
                o.push_str("        }\n    }\n\n");
                o.push_str("    fn dump(&self, dumper: &mut Dumper, depth: usize) {\n");
                writeln!(o, "        match {subject} {{").unwrap();
                for c in constructors {
                    writeln!(o, "            {kind}::{}{} => {{", c.name, bindings(&c.fields)).unwrap();
                    let loc = has_loc.then_some("&self.loc");
                    gen_dump_body(m, &mut o, "                ", &c.name, &c.fields, loc);
                    o.push_str("            }\n");
                }
                o.push_str("        }\n    }\n}\n");
            }
            TypeDef::Product { fields, attributes } => {
                let has_loc = !attributes.is_empty();
                let destructure = format!("let {t} {{ {}.. }} = self;", product_bindings(fields));
                writeln!(o, "\nimpl Dump for {t}<'_> {{").unwrap();
                o.push_str("    fn is_simple(&self, dumper: &Dumper) -> bool {\n");
                let test = gen_no_args(fields);
                if test == "false" || test == "true" {
                    writeln!(o, "        let _ = dumper;\n        {test}").unwrap();
                } else {
                    writeln!(o, "        {destructure}").unwrap();
                    let guard = if has_loc { "!dumper.include_attributes && " } else { "" };
                    writeln!(o, "        {guard}{test}").unwrap();
                }
                o.push_str("    }\n\n");
                o.push_str("    fn dump(&self, dumper: &mut Dumper, depth: usize) {\n");
                writeln!(o, "        {destructure}").unwrap();
                let loc = has_loc.then_some("&self.loc");
                gen_dump_body(m, &mut o, "        ", &d.name, fields, loc);
                o.push_str("    }\n}\n");
            }
        }
    }
    o
}

/// `a, b, ` for destructuring a product's fields (followed by `..` for its `loc`).
fn product_bindings(fields: &[Field]) -> String {
    fields.iter().map(|f| rust_name(&f.name) + ", ").collect()
}

// ------------------------------------------------------------------------------------------
// to_python.rs: the tests' bridge to the oracle

/// `ToPython` impls writing `ast.Class(field=..., ..., lineno=..., ...)`. Optional fields that
/// are None are written as `field=None`, as a tree built by hand in Python would have them.
/// The trait itself, and its impls for sequences, options, ints, strings and constants, are the
/// test's.
fn gen_to_python(m: &Model) -> String {
    let mut o = String::new();
    o.push_str("// @generated by crates/pyrite-ast/build.rs from grammar/Python.asdl; do not edit.\n");
    let body = |o: &mut String, pad: &str, class: &str, fields: &[Field], loc: Option<&str>| {
        writeln!(o, "{pad}out.push_str(\"ast.{class}(\");").unwrap();
        let mut first = true;
        for f in fields {
            let sep = if first { "" } else { ", " };
            first = false;
            writeln!(o, "{pad}out.push_str(\"{sep}{}=\");", f.name).unwrap();
            writeln!(o, "{pad}{}.to_python(out);", rust_name(&f.name)).unwrap();
        }
        if let Some(loc) = loc {
            let sep = if first { "" } else { ", " };
            writeln!(o, "{pad}write_loc(out, {loc}, {});", sep.is_empty()).unwrap();
        }
        writeln!(o, "{pad}out.push(')');").unwrap();
    };
    for d in &m.defs {
        let t = camel(&d.name);
        match &d.def {
            TypeDef::Sum { .. } if is_simple_sum(&d.def) => {
                writeln!(o, "\nimpl ToPython for {t} {{").unwrap();
                o.push_str("    fn to_python(&self, out: &mut String) {\n");
                o.push_str("        out.push_str(\"ast.\");\n        out.push_str(self.name());\n");
                o.push_str("        out.push_str(\"()\");\n    }\n}\n");
            }
            TypeDef::Sum {
                constructors,
                attributes,
            } => {
                let has_loc = !attributes.is_empty();
                let kind = if has_loc { format!("{t}Kind") } else { t.clone() };
                let subject = if has_loc { "&self.kind" } else { "self" };
                writeln!(o, "\nimpl ToPython for {t}<'_> {{").unwrap();
                o.push_str("    fn to_python(&self, out: &mut String) {\n");
                writeln!(o, "        match {subject} {{").unwrap();
                for c in constructors {
                    writeln!(o, "            {kind}::{}{} => {{", c.name, bindings(&c.fields)).unwrap();
                    body(
                        &mut o,
                        "                ",
                        &c.name,
                        &c.fields,
                        has_loc.then_some("&self.loc"),
                    );
                    o.push_str("            }\n");
                }
                o.push_str("        }\n    }\n}\n");
            }
            TypeDef::Product { fields, attributes } => {
                let has_loc = !attributes.is_empty();
                writeln!(o, "\nimpl ToPython for {t}<'_> {{").unwrap();
                o.push_str("    fn to_python(&self, out: &mut String) {\n");
                writeln!(o, "        let {t} {{ {}.. }} = self;", product_bindings(fields)).unwrap();
                body(&mut o, "        ", &d.name, fields, has_loc.then_some("&self.loc"));
                o.push_str("    }\n}\n");
            }
        }
    }
    o
}

fn main() {
    println!("cargo:rerun-if-changed={ASDL_PATH}");
    println!("cargo:rerun-if-changed=build.rs");
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR");
    let path = std::path::Path::new(&manifest_dir).join(ASDL_PATH);
    let src = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let defs = parse_asdl(&src).unwrap_or_else(|e| panic!("{ASDL_PATH}: {e}"));
    let model = Model { defs };
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    for (name, text) in [
        ("ast.rs", gen_types(&model)),
        ("dump.rs", gen_dump(&model)),
        ("to_python.rs", gen_to_python(&model)),
    ] {
        std::fs::write(out.join(name), text).unwrap_or_else(|e| panic!("cannot write {name}: {e}"));
    }
}
