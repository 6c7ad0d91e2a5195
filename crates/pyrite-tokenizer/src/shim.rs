//! TEMPORARY stand-ins for pyrite-unicode / pyrite-codecs while those crates are written.
pub mod pyrite_unicode {
    pub fn is_printable(c: char) -> bool {
        !c.is_control() && (c == ' ' || !c.is_whitespace())
    }
    pub fn scan_identifier(s: &str) -> usize {
        for (i, c) in s.chars().enumerate() {
            let ok = if i == 0 {
                c == '_' || c.is_alphabetic()
            } else {
                c == '_' || c.is_alphanumeric()
            };
            if !ok {
                return i;
            }
        }
        s.chars().count()
    }
    pub fn write_repr(s: &str, out: &mut String) {
        let quote = if s.contains('\'') && !s.contains('"') {
            '"'
        } else {
            '\''
        };
        out.push(quote);
        for c in s.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if c == quote => {
                    out.push('\\');
                    out.push(c)
                }
                c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
                c => out.push(c),
            }
        }
        out.push(quote);
    }
}
pub mod pyrite_codecs {
    #[derive(Debug, Clone)]
    pub struct Codec {
        latin1: bool,
    }
    #[derive(Debug)]
    pub enum LookupError {
        Unknown,
        Unsupported(String),
    }
    #[derive(Debug, Clone, Copy)]
    pub enum Errors {
        Strict,
        Replace,
    }
    pub fn lookup(name: &str) -> Result<Codec, LookupError> {
        let n = name.to_lowercase().replace('_', "-");
        match n.as_str() {
            "utf-8" | "utf8" => Ok(Codec { latin1: false }),
            "iso-8859-1" | "latin-1" | "latin1" => Ok(Codec { latin1: true }),
            "uft-8" | "gzip-nope" => Err(LookupError::Unknown),
            _ => Err(LookupError::Unsupported(n)),
        }
    }
    impl Codec {
        pub fn decode(&self, b: &[u8], _e: Errors, out: &mut String) -> Result<(), ()> {
            if self.latin1 {
                out.extend(b.iter().map(|&c| c as char));
            } else {
                out.push_str(&String::from_utf8_lossy(b));
            }
            Ok(())
        }
    }
}
