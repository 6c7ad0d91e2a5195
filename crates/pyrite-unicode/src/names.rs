//! Unicode character names for `\N{...}` escapes (`unicodedata.lookup` without named
//! sequences and aliases). Algorithmic names (Hangul syllables, CJK unified ideographs) are
//! computed; the others come from `names.txt`, generated from the oracle by
//! `tools/gen/unicode_names.py` (sorted `NAME;HEX` lines).

use std::sync::OnceLock;

static NAMES: &str = include_str!("names.txt");

/// Byte offsets of the lines of `NAMES`, built on first use.
fn line_starts() -> &'static [u32] {
    static STARTS: OnceLock<Vec<u32>> = OnceLock::new();
    STARTS.get_or_init(|| {
        let mut v = vec![0u32];
        for (i, b) in NAMES.bytes().enumerate() {
            if b == b'\n' && i + 1 < NAMES.len() {
                v.push(i as u32 + 1);
            }
        }
        v
    })
}

fn table_lookup(upper: &str) -> Option<u32> {
    let starts = line_starts();
    let line = |i: usize| {
        let s = &NAMES[starts[i] as usize..];
        let end = s.find('\n').unwrap_or(s.len());
        let (name, hex) = s[..end].split_once(';').unwrap();
        (name, hex)
    };
    let (mut lo, mut hi) = (0, starts.len());
    while lo < hi {
        let mid = (lo + hi) / 2;
        let (name, hex) = line(mid);
        match name.cmp(upper) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => return u32::from_str_radix(hex, 16).ok(),
        }
    }
    None
}

const JAMO_L: [&str; 19] = [
    "G", "GG", "N", "D", "DD", "R", "M", "B", "BB", "S", "SS", "", "J", "JJ", "C", "K", "T", "P", "H",
];
const JAMO_V: [&str; 21] = [
    "A", "AE", "YA", "YAE", "EO", "E", "YEO", "YE", "O", "WA", "WAE", "OE", "YO", "U", "WEO", "WE", "WI", "YU", "EU",
    "YI", "I",
];
const JAMO_T: [&str; 28] = [
    "", "G", "GG", "GS", "N", "NJ", "NH", "D", "L", "LG", "LM", "LB", "LS", "LT", "LP", "LH", "M", "B", "BS", "S",
    "SS", "NG", "J", "C", "K", "T", "P", "H",
];

/// CJK unified ideograph ranges of Unicode 15.0.
const CJK: [(u32, u32); 9] = [
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0x20000, 0x2A6DF),
    (0x2A700, 0x2B739),
    (0x2B740, 0x2B81D),
    (0x2B820, 0x2CEA1),
    (0x2CEB0, 0x2EBE0),
    (0x30000, 0x3134A),
    (0x31350, 0x323AF),
];

/// The code point named `name` (case-insensitive, as CPython's lookup is), if known.
pub fn lookup(name: &str) -> Option<u32> {
    let upper = name.to_ascii_uppercase();
    if let Some(hex) = upper.strip_prefix("CJK UNIFIED IDEOGRAPH-") {
        let cp = u32::from_str_radix(hex, 16).ok()?;
        if (hex.len() == 4 || hex.len() == 5) && CJK.iter().any(|&(lo, hi)| (lo..=hi).contains(&cp)) {
            return Some(cp);
        }
        return None;
    }
    if let Some(rest) = upper.strip_prefix("HANGUL SYLLABLE ") {
        for (l, jl) in JAMO_L.iter().enumerate() {
            let Some(r1) = rest.strip_prefix(jl) else { continue };
            for (v, jv) in JAMO_V.iter().enumerate() {
                let Some(r2) = r1.strip_prefix(jv) else { continue };
                if let Some(t) = JAMO_T.iter().position(|jt| *jt == r2) {
                    return Some(0xAC00 + ((l * 21 + v) * 28 + t) as u32);
                }
            }
        }
        return None;
    }
    table_lookup(&upper)
}

#[cfg(test)]
mod tests {
    #[test]
    fn names() {
        assert_eq!(super::lookup("LATIN SMALL LETTER A"), Some(0x61));
        assert_eq!(super::lookup("latin small letter a"), Some(0x61));
        assert_eq!(super::lookup("EMPTY SET"), Some(0x2205));
        assert_eq!(super::lookup("HANGUL SYLLABLE GAG"), Some(0xAC01));
        assert_eq!(super::lookup("CJK UNIFIED IDEOGRAPH-4E00"), Some(0x4E00));
        assert_eq!(super::lookup("NO SUCH CHARACTER"), None);
    }
}
