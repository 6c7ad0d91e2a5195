//! `.pyc` files as CPython 3.12 writes and checks them (`Lib/importlib/_bootstrap_external.py`,
//! `Lib/py_compile.py`; PEP 552): a 16-byte header — the magic number, a flags word, then either
//! the source's modification time and size (timestamp-based invalidation, what `py_compile`
//! writes by default) or an 8-byte hash of the source — followed by the marshalled module code
//! object.

use crate::marshal::{self, MarshalError};
use crate::CodeObject;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// The magic number of CPython 3.12 (3531), as the first four bytes of a `.pyc` hold it
/// (`importlib.util.MAGIC_NUMBER`).
pub const MAGIC_NUMBER: [u8; 4] = [0xcb, 0x0d, b'\r', b'\n'];

/// The magic number as a number (`importlib._bootstrap_external.MAGIC_NUMBER` without the
/// `\r\n`).
pub const MAGIC_VALUE: u16 = 3531;

/// The size of the header.
pub const HEADER_SIZE: usize = 16;

/// `sys.implementation.cache_tag`.
pub const CACHE_TAG: &str = "cpython-312";

/// How a `.pyc` is checked against its source (the header after the magic number).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Invalidation {
    /// Flags 0: the source's `int(st_mtime)` and `st_size`, each truncated to 32 bits.
    Timestamp { mtime: u32, source_size: u32 },
    /// Flags 0b01 (and 0b10 if `check_source`): `importlib.util.source_hash` of the source.
    Hash { source_hash: [u8; 8], check_source: bool },
}

impl Invalidation {
    /// A timestamp header for a source of modification time `mtime` (whole seconds, as
    /// `int(st_mtime)`; see [`source_mtime`]) and `size` bytes: both are kept modulo 2**32, as
    /// `_pack_uint32` keeps them.
    pub fn timestamp(mtime: i64, size: u64) -> Invalidation {
        Invalidation::Timestamp {
            mtime: mtime as u32,
            source_size: size as u32,
        }
    }

    /// The flags word.
    pub fn flags(&self) -> u32 {
        match *self {
            Invalidation::Timestamp { .. } => 0,
            Invalidation::Hash { check_source, .. } => 0b01 | if check_source { 0b10 } else { 0 },
        }
    }

    /// The 16 header bytes.
    pub fn header(&self) -> [u8; HEADER_SIZE] {
        let mut h = [0u8; HEADER_SIZE];
        h[..4].copy_from_slice(&MAGIC_NUMBER);
        h[4..8].copy_from_slice(&self.flags().to_le_bytes());
        match *self {
            Invalidation::Timestamp { mtime, source_size } => {
                h[8..12].copy_from_slice(&mtime.to_le_bytes());
                h[12..16].copy_from_slice(&source_size.to_le_bytes());
            }
            Invalidation::Hash { source_hash, .. } => h[8..16].copy_from_slice(&source_hash),
        }
        h
    }
}

/// Why a `.pyc` was rejected: the exception importlib raises and its message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PycError {
    /// `ImportError`: a bad magic number, invalid flags, a stale timestamp or hash, or data
    /// that is not a code object.
    Import(String),
    /// `EOFError`: the header is cut short.
    Eof(String),
    /// The marshalled code could not be read.
    Marshal(MarshalError),
}

impl fmt::Display for PycError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PycError::Import(m) => write!(f, "ImportError: {m}"),
            PycError::Eof(m) => write!(f, "EOFError: {m}"),
            PycError::Marshal(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for PycError {}

impl From<MarshalError> for PycError {
    fn from(e: MarshalError) -> PycError {
        PycError::Marshal(e)
    }
}

/// The bytes of a `.pyc` for `code` with the given header (`_code_to_timestamp_pyc`,
/// `_code_to_hash_pyc`).
pub fn code_to_pyc(code: &CodeObject, invalidation: Invalidation) -> Vec<u8> {
    let body = marshal::dumps_code(code);
    let mut out = Vec::with_capacity(HEADER_SIZE + body.len());
    out.extend_from_slice(&invalidation.header());
    out.extend_from_slice(&body);
    out
}

/// The bytes `py_compile` writes for a source of modification time `mtime` (`int(st_mtime)`)
/// and `source_size` bytes.
pub fn code_to_timestamp_pyc(code: &CodeObject, mtime: i64, source_size: u64) -> Vec<u8> {
    code_to_pyc(code, Invalidation::timestamp(mtime, source_size))
}

/// `_classify_pyc`: check the magic number and flags of `data` (a whole `.pyc`); `name` is the
/// module name used in messages.
pub fn read_header(data: &[u8], name: &str) -> Result<Invalidation, PycError> {
    let magic = &data[..data.len().min(4)];
    if magic != MAGIC_NUMBER {
        return Err(PycError::Import(format!(
            "bad magic number in {}: {}",
            repr_str(name),
            repr_bytes(magic)
        )));
    }
    if data.len() < HEADER_SIZE {
        return Err(PycError::Eof(format!(
            "reached EOF while reading pyc header of {}",
            repr_str(name)
        )));
    }
    let word = |i: usize| u32::from_le_bytes([data[i], data[i + 1], data[i + 2], data[i + 3]]);
    let flags = word(4);
    if flags & !0b11 != 0 {
        return Err(PycError::Import(format!("invalid flags {flags} in {}", repr_str(name))));
    }
    Ok(if flags & 0b01 != 0 {
        Invalidation::Hash {
            source_hash: data[8..16].try_into().expect("8 bytes"),
            check_source: flags & 0b10 != 0,
        }
    } else {
        Invalidation::Timestamp {
            mtime: word(8),
            source_size: word(12),
        }
    })
}

/// Read a `.pyc`: its header (see [`read_header`]) and its code object (`_compile_bytecode`;
/// `bytecode_path` is used in the message when the data is not a code object).
pub fn read_pyc(data: &[u8], name: &str, bytecode_path: &str) -> Result<(Invalidation, CodeObject), PycError> {
    let header = read_header(data, name)?;
    match marshal::loads(&data[HEADER_SIZE..])? {
        crate::Constant::Code(code) => {
            let code = std::sync::Arc::try_unwrap(code).unwrap_or_else(|shared| (*shared).clone());
            Ok((header, code))
        }
        _ => Err(PycError::Import(format!(
            "Non-code object in {}",
            repr_str(bytecode_path)
        ))),
    }
}

/// `_validate_timestamp_pyc`: is a timestamp header up to date for a source of modification time
/// `source_mtime` (`int(st_mtime)`) and `source_size` bytes?
pub fn validate_timestamp(
    header: &Invalidation,
    source_mtime: i64,
    source_size: Option<u64>,
    name: &str,
) -> Result<(), PycError> {
    let stale = || PycError::Import(format!("bytecode is stale for {}", repr_str(name)));
    let Invalidation::Timestamp {
        mtime,
        source_size: size,
    } = *header
    else {
        return Err(stale());
    };
    if mtime != source_mtime as u32 {
        return Err(stale());
    }
    if source_size.is_some_and(|s| size != s as u32) {
        return Err(stale());
    }
    Ok(())
}

/// `_validate_hash_pyc`.
pub fn validate_hash(header: &Invalidation, source_hash: [u8; 8], name: &str) -> Result<(), PycError> {
    match *header {
        Invalidation::Hash { source_hash: h, .. } if h == source_hash => Ok(()),
        _ => Err(PycError::Import(format!(
            "hash in bytecode doesn't match hash of source {}",
            repr_str(name)
        ))),
    }
}

/// `int(os.stat(path).st_mtime)`: Python's float `st_mtime` (seconds plus nanoseconds times
/// 1e-9, which can round up to the next second) truncated toward zero.
pub fn source_mtime(meta: &std::fs::Metadata) -> io::Result<i64> {
    #[cfg(unix)]
    let (sec, nsec) = {
        use std::os::unix::fs::MetadataExt;
        (meta.mtime(), meta.mtime_nsec())
    };
    #[cfg(not(unix))]
    let (sec, nsec) = {
        let t = meta.modified()?;
        match t.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => (d.as_secs() as i64, d.subsec_nanos() as i64),
            Err(e) => {
                let d = e.duration();
                let (s, n) = (d.as_secs() as i64, d.subsec_nanos() as i64);
                if n == 0 {
                    (-s, 0)
                } else {
                    (-s - 1, 1_000_000_000 - n)
                }
            }
        }
    };
    Ok((sec as f64 + nsec as f64 * 1e-9).trunc() as i64)
}

/// The timestamp header `py_compile` would write for the source file `source`.
pub fn timestamp_for_source(source: &Path) -> io::Result<Invalidation> {
    let meta = std::fs::metadata(source)?;
    Ok(Invalidation::timestamp(source_mtime(&meta)?, meta.len()))
}

/// `importlib.util.cache_from_source(path, optimization=optimization)` with CPython 3.12's cache
/// tag: `dir/__pycache__/name.cpython-312[.opt-N].pyc`.
pub fn cache_from_source(path: &Path, optimization: &str) -> PathBuf {
    let head = path.parent().unwrap_or(Path::new(""));
    let tail = path
        .file_name()
        .map(|t| t.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (base, sep, rest) = match tail.rfind('.') {
        Some(i) => (&tail[..i], ".", &tail[i + 1..]),
        None => ("", "", tail.as_str()),
    };
    let mut name = format!("{}{sep}{CACHE_TAG}", if base.is_empty() { rest } else { base });
    if !optimization.is_empty() {
        name.push_str(".opt-");
        name.push_str(optimization);
    }
    name.push_str(".pyc");
    head.join("__pycache__").join(name)
}

/// What `py_compile.compile(source, cfile)` does once the source is compiled to `code`: write
/// the timestamp-based `.pyc` of `code` for the file `source` at `cfile` (by default
/// [`cache_from_source`]), creating its directory, atomically (a temporary file renamed over
/// it), with the source's permission bits plus owner-write. Returns the path written.
pub fn write_pyc_for_source(code: &CodeObject, source: &Path, cfile: Option<&Path>) -> io::Result<PathBuf> {
    let meta = std::fs::metadata(source)?;
    let header = Invalidation::timestamp(source_mtime(&meta)?, meta.len());
    let cfile = cfile
        .map(Path::to_path_buf)
        .unwrap_or_else(|| cache_from_source(source, ""));
    if let Some(dir) = cfile.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    write_atomic(&cfile, &code_to_pyc(code, header), &meta)?;
    Ok(cfile)
}

fn write_atomic(path: &Path, data: &[u8], source_meta: &std::fs::Metadata) -> io::Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".{}", std::process::id()));
    let tmp = PathBuf::from(tmp);
    let result = (|| {
        std::fs::write(&tmp, data)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = (source_meta.permissions().mode() | 0o200) & 0o666;
            std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(mode))?;
        }
        #[cfg(not(unix))]
        let _ = source_meta;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

fn repr_str(s: &str) -> String {
    pyrite_unicode::repr(s)
}

/// Python's `repr()` of a `bytes` object.
fn repr_bytes(b: &[u8]) -> String {
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::from("b");
    out.push(quote);
    for &c in b {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            _ if c as char == quote => {
                out.push('\\');
                out.push(quote);
            }
            0x20..=0x7e => out.push(c as char),
            _ => out.push_str(&format!("\\x{c:02x}")),
        }
    }
    out.push(quote);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_number_is_3531() {
        assert_eq!(u16::from_le_bytes([MAGIC_NUMBER[0], MAGIC_NUMBER[1]]), MAGIC_VALUE);
        assert_eq!(&MAGIC_NUMBER[2..], b"\r\n");
    }

    #[test]
    fn headers() {
        let h = Invalidation::timestamp(-1, (1 << 32) + 5);
        assert_eq!(
            h,
            Invalidation::Timestamp {
                mtime: 0xFFFF_FFFF,
                source_size: 5
            }
        );
        let bytes = h.header();
        assert_eq!(&bytes[..8], b"\xcb\x0d\r\n\0\0\0\0");
        assert_eq!(read_header(&bytes, "m").unwrap(), h);
        let hashed = Invalidation::Hash {
            source_hash: *b"12345678",
            check_source: true,
        };
        assert_eq!(read_header(&hashed.header(), "m").unwrap(), hashed);
        assert_eq!(hashed.flags(), 3);
    }

    #[test]
    fn header_errors_are_importlibs() {
        assert_eq!(
            read_header(b"abc", "m").unwrap_err().to_string(),
            "ImportError: bad magic number in 'm': b'abc'"
        );
        assert_eq!(
            read_header(b"\xcb\x0d\r\n\0\0", "m").unwrap_err().to_string(),
            "EOFError: reached EOF while reading pyc header of 'm'"
        );
        let mut h = Invalidation::timestamp(5, 6).header();
        h[4] = 4;
        assert_eq!(
            read_header(&h, "m").unwrap_err().to_string(),
            "ImportError: invalid flags 4 in 'm'"
        );
        let ts = Invalidation::timestamp(5, 6);
        assert!(validate_timestamp(&ts, 5, Some(6), "m").is_ok());
        assert!(validate_timestamp(&ts, 5, None, "m").is_ok());
        assert_eq!(
            validate_timestamp(&ts, 6, Some(6), "m").unwrap_err().to_string(),
            "ImportError: bytecode is stale for 'm'"
        );
        assert!(validate_timestamp(&ts, 5, Some(7), "m").is_err());
        assert!(validate_timestamp(&ts, 5 + (1 << 32), Some(6 + (1 << 32)), "m").is_ok());
    }

    #[test]
    fn cache_paths() {
        let p = |s: &str, o: &str| cache_from_source(Path::new(s), o).to_string_lossy().into_owned();
        assert_eq!(p("/a/b/mod.py", ""), "/a/b/__pycache__/mod.cpython-312.pyc");
        assert_eq!(p("mod.py", "1"), "__pycache__/mod.cpython-312.opt-1.pyc");
        assert_eq!(p("/a/x.y.py", ""), "/a/__pycache__/x.y.cpython-312.pyc");
        assert_eq!(p("/a/noext", ""), "/a/__pycache__/noextcpython-312.pyc");
    }
}
