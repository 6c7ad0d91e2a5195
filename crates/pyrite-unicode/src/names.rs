//! Unicode character names for `\N{...}` escapes (`unicodedata.lookup` without named
//! sequences). Algorithmic names (Hangul syllables, CJK unified ideographs) are computed; the
//! table of other names is not generated yet, so those names are not found.

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
        for l in 0..19 {
            for v in 0..21 {
                for t in 0..28 {
                    if rest.len() == JAMO_L[l].len() + JAMO_V[v].len() + JAMO_T[t].len()
                        && format!("{}{}{}", JAMO_L[l], JAMO_V[v], JAMO_T[t]) == rest
                    {
                        return Some(0xAC00 + ((l * 21 + v) * 28 + t) as u32);
                    }
                }
            }
        }
        return None;
    }
    None
}
