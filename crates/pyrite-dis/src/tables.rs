//! The two tables of a code object that `dis` decodes: the location table (`co_linetable`,
//! PEP 626/657, `Objects/locations.md`), of which `dis` uses the line numbers that
//! `co_lines()` gives, and the exception table (`co_exceptiontable`,
//! `Objects/exception_handling_notes.txt`), as `dis._parse_exception_table` reads it.

/// One range of `co_lines()`: code units `start..end` (byte offsets) on line `line` (`None`
/// for instructions without a line).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineRange {
    pub start: u32,
    pub end: u32,
    pub line: Option<i32>,
}

/// The location table's entry kinds (`_PyCodeLocationInfoKind`) that the line delta depends
/// on; codes 0 to 9 are the short forms.
const ONE_LINE0: u8 = 10;
const ONE_LINE1: u8 = 11;
const ONE_LINE2: u8 = 12;
const NO_COLUMNS: u8 = 13;
const LONG: u8 = 14;
const NONE: u8 = 15;

/// A little-endian varint of 6-bit chunks (bit 6: more follow), as `scan_varint` reads it; a
/// truncated one ends at the end of the table.
fn scan_varint(table: &[u8], mut pos: usize) -> u32 {
    let Some(&first) = table.get(pos) else { return 0 };
    let mut read = first as u32;
    let mut val = read & 63;
    let mut shift = 0u32;
    while read & 64 != 0 {
        pos += 1;
        let Some(&b) = table.get(pos) else { break };
        read = b as u32;
        shift += 6;
        if shift < 32 {
            val |= (read & 63) << shift;
        }
    }
    val
}

fn scan_signed_varint(table: &[u8], pos: usize) -> i32 {
    let uval = scan_varint(table, pos);
    if uval & 1 != 0 {
        -((uval >> 1) as i32)
    } else {
        (uval >> 1) as i32
    }
}

/// The address ranges of the location table with their lines (`_PyLineTable_NextAddressRange`),
/// before `co_lines()` merges neighbours on the same line.
fn address_ranges(linetable: &[u8], firstlineno: i32) -> Vec<LineRange> {
    let mut ranges = Vec::new();
    let mut pos = 0usize;
    let mut computed_line = firstlineno;
    let mut end = 0u32;
    while pos < linetable.len() {
        let first = linetable[pos];
        let code = (first >> 3) & 15;
        let delta = match code {
            NONE | ONE_LINE0 => 0,
            NO_COLUMNS | LONG => scan_signed_varint(linetable, pos + 1),
            ONE_LINE1 => 1,
            ONE_LINE2 => 2,
            _ => 0,
        };
        computed_line = computed_line.wrapping_add(delta);
        let line = if first >> 3 == 0x1f { -1 } else { computed_line };
        let start = end;
        end += ((first & 7) as u32 + 1) * 2;
        ranges.push(LineRange {
            start,
            end,
            line: (line != -1).then_some(line),
        });
        pos += 1;
        while pos < linetable.len() && linetable[pos] & 128 == 0 {
            pos += 1;
        }
    }
    ranges
}

/// `co_lines()`: the address ranges with neighbours on the same line merged.
pub fn co_lines(linetable: &[u8], firstlineno: i32) -> Vec<LineRange> {
    let mut out: Vec<LineRange> = Vec::new();
    for r in address_ranges(linetable, firstlineno) {
        match out.last_mut() {
            Some(last) if last.line == r.line => last.end = r.end,
            _ => out.push(r),
        }
    }
    out
}

/// `dis.findlinestarts`: (offset, line) where a new line starts.
pub fn find_line_starts(linetable: &[u8], firstlineno: i32) -> Vec<(u32, i32)> {
    let mut out = Vec::new();
    let mut last = None;
    for r in co_lines(linetable, firstlineno) {
        if let Some(line) = r.line {
            if last != Some(line) {
                last = Some(line);
                out.push((r.start, line));
            }
        }
    }
    out
}

/// One entry of the exception table, offsets in bytes (`dis._ExceptionTableEntry`): the
/// instructions `start..end` jump to `target` with the stack at `depth`, pushing the offset
/// of the raising instruction first if `lasti`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExceptionEntry {
    pub start: u64,
    pub end: u64,
    pub target: u64,
    pub depth: u64,
    pub lasti: bool,
}

/// `dis._parse_exception_table`: big-endian varints of 6-bit chunks (bit 6: more follow; the
/// start bit 7 is ignored); a truncated entry at the end is dropped.
pub fn parse_exception_table(table: &[u8]) -> Vec<ExceptionEntry> {
    let mut it = table.iter().copied();
    let mut varint = || -> Option<u64> {
        let mut b = it.next()?;
        let mut val = (b & 63) as u64;
        while b & 64 != 0 {
            b = it.next()?;
            val = (val << 6) | (b & 63) as u64;
        }
        Some(val)
    };
    let mut entries = Vec::new();
    while let Some(start) = varint() {
        let Some(length) = varint() else { break };
        let Some(target) = varint() else { break };
        let Some(dl) = varint() else { break };
        let start = start.wrapping_mul(2);
        entries.push(ExceptionEntry {
            start,
            end: start.wrapping_add(length.wrapping_mul(2)),
            target: target.wrapping_mul(2),
            depth: dl >> 1,
            lasti: dl & 1 != 0,
        });
    }
    entries
}
