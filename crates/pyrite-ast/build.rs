//! Generates the AST types and `ast.dump` from `grammar/Python.asdl` (CPython's
//! `Parser/asdl_c.py` counterpart).

use std::fmt::Write;

struct Field {
    ty: String,
    name: String,
    /// '?', '*' or ' '
    q: char,
}

struct Constructor {
    name: String,
    fields: Vec<Field>,
}

enum Def {
    Sum {
        name: String,
        cons: Vec<Constructor>,
        attrs: Vec<Field>,
    },
    Product {
        name: String,
        fields: Vec<Field>,
        attrs: Vec<Field>,
    },
}

fn tokens(src: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in src.lines() {
        let line = line.split("--").next().unwrap();
        let mut cur = String::new();
        for c in line.chars() {
            if c.is_alphanumeric() || c == '_' {
                cur.push(c);
            } else {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                if !c.is_whitespace() {
                    out.push(c.to_string());
                }
            }
        }
        if !cur.is_empty() {
            out.push(cur);
        }
    }
    out
}

fn fields(t: &[String], i: &mut usize) -> Vec<Field> {
    let mut v = Vec::new();
    assert_eq!(t[*i], "(");
    *i += 1;
    loop {
        let ty = t[*i].clone();
        *i += 1;
        let mut q = ' ';
        if t[*i] == "?" || t[*i] == "*" {
            q = t[*i].chars().next().unwrap();
            *i += 1;
        }
        let name = t[*i].clone();
        *i += 1;
        v.push(Field { ty, name, q });
        if t[*i] == ")" {
            *i += 1;
            return v;
        }
        assert_eq!(t[*i], ",");
        *i += 1;
    }
}

fn parse(src: &str) -> Vec<Def> {
    let t = tokens(src);
    let mut i = t.iter().position(|x| x == "{").unwrap() + 1;
    let mut defs = Vec::new();
    while t[i] != "}" {
        let name = t[i].clone();
        assert_eq!(t[i + 1], "=");
        i += 2;
        if t[i] == "(" {
            let fs = fields(&t, &mut i);
            let mut attrs = Vec::new();
            if t[i] == "attributes" {
                i += 1;
                attrs = fields(&t, &mut i);
            }
            defs.push(Def::Product {
                name,
                fields: fs,
                attrs,
            });
            continue;
        }
        let mut cons = Vec::new();
        loop {
            let cname = t[i].clone();
            i += 1;
            let fs = if t[i] == "(" { fields(&t, &mut i) } else { Vec::new() };
            cons.push(Constructor {
                name: cname,
                fields: fs,
            });
            if t[i] == "|" {
                i += 1;
                continue;
            }
            break;
        }
        let mut attrs = Vec::new();
        if t[i] == "attributes" {
            i += 1;
            attrs = fields(&t, &mut i);
        }
        defs.push(Def::Sum { name, cons, attrs });
    }
    defs
}

fn camel(name: &str) -> String {
    match name {
        "boolop" => "BoolOp".into(),
        "unaryop" => "UnaryOp".into(),
        "cmpop" => "CmpOp".into(),
        "excepthandler" => "ExceptHandler".into(),
        "withitem" => "WithItem".into(),
        _ => name
            .split('_')
            .map(|w| {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect::<String>())
                    .unwrap_or_default()
            })
            .collect(),
    }
}

fn rust_field_name(n: &str) -> String {
    match n {
        "type" => "type_".into(),
        _ => n.into(),
    }
}

struct Ctx {
    simple: Vec<String>,
}

impl Ctx {
    /// The Rust type of a field; `owner.field` names the two fields whose sequences may hold
    /// None in CPython (`Dict.keys` for `**d` items, `arguments.kw_defaults`).
    fn field_type(&self, owner: &str, f: &Field) -> String {
        let base = match f.ty.as_str() {
            "identifier" | "string" => "&'a str".to_string(),
            "int" => "i32".to_string(),
            "constant" => "Constant<'a>".to_string(),
            t if self.simple.contains(&t.to_string()) => camel(t),
            t => format!("&'a {}<'a>", camel(t)),
        };
        let nullable_items = matches!(
            (owner, f.name.as_str()),
            ("Dict", "keys") | ("arguments", "kw_defaults")
        );
        match f.q {
            '?' => format!("Option<{base}>"),
            '*' if nullable_items => format!("&'a [Option<{base}>]"),
            '*' => format!("&'a [{base}]"),
            _ => base,
        }
    }
}

fn main() {
    let path = "../../grammar/Python.asdl";
    println!("cargo:rerun-if-changed={path}");
    println!("cargo:rerun-if-changed=build.rs");
    let src = std::fs::read_to_string(path).expect("grammar/Python.asdl");
    let defs = parse(&src);
    let simple: Vec<String> = defs
        .iter()
        .filter_map(|d| match d {
            Def::Sum { name, cons, attrs } if attrs.is_empty() && cons.iter().all(|c| c.fields.is_empty()) => {
                Some(name.clone())
            }
            _ => None,
        })
        .collect();
    let cx = Ctx { simple };
    let mut o = String::new();
    let mut d = String::new(); // dump code
    writeln!(
        o,
        "// @generated by crates/pyrite-ast/build.rs from grammar/Python.asdl; do not edit."
    )
    .unwrap();
    for def in &defs {
        match def {
            Def::Sum { name, cons, .. } if cx.simple.contains(name) => {
                let t = camel(name);
                writeln!(
                    o,
                    "\n/// `{name}` ({} in Python).",
                    cons.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", ")
                )
                .unwrap();
                writeln!(o, "#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]\npub enum {t} {{").unwrap();
                for c in cons {
                    writeln!(o, "    {},", c.name).unwrap();
                }
                writeln!(
                    o,
                    "}}\nimpl {t} {{\n    pub fn name(self) -> &'static str {{\n        match self {{"
                )
                .unwrap();
                for c in cons {
                    writeln!(o, "            {t}::{0} => \"{0}\",", c.name).unwrap();
                }
                writeln!(o, "        }}\n    }}\n}}").unwrap();
                writeln!(d, "impl Value for {t} {{\n    fn is_simple(&self, _: bool) -> bool {{ true }}\n    fn write(&self, w: &mut Dumper, _: usize) {{ w.out.push_str(self.name()); w.out.push_str(\"()\"); }}\n}}").unwrap();
            }
            Def::Sum { name, cons, attrs } => {
                let t = camel(name);
                let kind = if attrs.is_empty() {
                    t.clone()
                } else {
                    format!("{t}Kind")
                };
                if !attrs.is_empty() {
                    writeln!(o, "\n/// `{name}`: a node with its location.").unwrap();
                    writeln!(o, "#[derive(Clone, Copy, Debug, PartialEq)]\npub struct {t}<'a> {{\n    pub kind: {kind}<'a>,\n    pub loc: Loc,\n}}").unwrap();
                }
                writeln!(o, "\n#[derive(Clone, Copy, Debug, PartialEq)]\npub enum {kind}<'a> {{").unwrap();
                for c in cons {
                    if c.fields.is_empty() {
                        writeln!(o, "    {},", c.name).unwrap();
                    } else {
                        write!(o, "    {} {{ ", c.name).unwrap();
                        for f in &c.fields {
                            write!(o, "{}: {}, ", rust_field_name(&f.name), cx.field_type(&c.name, f)).unwrap();
                        }
                        writeln!(o, "}},").unwrap();
                    }
                }
                if cons.iter().all(|c| c.fields.is_empty()) {
                    writeln!(o, "    _Phantom(std::marker::PhantomData<&'a ()>),").unwrap();
                }
                writeln!(o, "}}").unwrap();
                writeln!(
                    o,
                    "impl {kind}<'_> {{\n    pub fn name(&self) -> &'static str {{\n        match self {{"
                )
                .unwrap();
                for c in cons {
                    writeln!(o, "            {kind}::{0} {{ .. }} => \"{0}\",", c.name).unwrap();
                }
                if cons.iter().all(|c| c.fields.is_empty()) {
                    writeln!(o, "            {kind}::_Phantom(_) => unreachable!(),").unwrap();
                }
                writeln!(o, "        }}\n    }}\n}}").unwrap();
                // dump
                writeln!(d, "impl Node for {t}<'_> {{\n    fn parts(&self) -> Parts<'_> {{").unwrap();
                let (kexpr, has_loc) = if attrs.is_empty() {
                    ("self", false)
                } else {
                    ("&self.kind", true)
                };
                writeln!(d, "        match {kexpr} {{").unwrap();
                for c in cons {
                    let names: Vec<String> = c.fields.iter().map(|f| rust_field_name(&f.name)).collect();
                    let pat = if names.is_empty() {
                        "..".to_string()
                    } else {
                        names.join(", ")
                    };
                    let fl: Vec<String> = c
                        .fields
                        .iter()
                        .map(|f| {
                            format!(
                                "(\"{}\", {} as &dyn Value, {})",
                                f.name,
                                rust_field_name(&f.name),
                                f.q == '?'
                            )
                        })
                        .collect();
                    let loc = if has_loc { "Some(&self.loc)" } else { "None" };
                    writeln!(
                        d,
                        "            {kind}::{} {{ {pat} }} => Parts {{ name: \"{}\", fields: vec![{}], loc: {loc} }},",
                        c.name,
                        c.name,
                        fl.join(", ")
                    )
                    .unwrap();
                }
                if cons.iter().all(|c| c.fields.is_empty()) {
                    writeln!(d, "            {kind}::_Phantom(_) => unreachable!(),").unwrap();
                }
                writeln!(d, "        }}\n    }}\n}}").unwrap();
            }
            Def::Product { name, fields, attrs } => {
                let t = camel(name);
                writeln!(
                    o,
                    "\n/// `{name}`.\n#[derive(Clone, Copy, Debug, PartialEq)]\npub struct {t}<'a> {{"
                )
                .unwrap();
                for f in fields {
                    writeln!(o, "    pub {}: {},", rust_field_name(&f.name), cx.field_type(name, f)).unwrap();
                }
                if !attrs.is_empty() {
                    writeln!(o, "    pub loc: Loc,").unwrap();
                }
                writeln!(o, "}}").unwrap();
                let fl: Vec<String> = fields
                    .iter()
                    .map(|f| {
                        format!(
                            "(\"{}\", &self.{} as &dyn Value, {})",
                            f.name,
                            rust_field_name(&f.name),
                            f.q == '?'
                        )
                    })
                    .collect();
                let loc = if attrs.is_empty() { "None" } else { "Some(&self.loc)" };
                writeln!(d, "impl Node for {t}<'_> {{\n    fn parts(&self) -> Parts<'_> {{\n        Parts {{ name: \"{name}\", fields: vec![{}], loc: {loc} }}\n    }}\n}}", fl.join(", ")).unwrap();
            }
        }
    }
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap());
    std::fs::write(out.join("ast.rs"), o).unwrap();
    std::fs::write(out.join("dump.rs"), d).unwrap();
}
