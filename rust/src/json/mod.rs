//! JSON exactly as Python's `json` module reads and writes it.
//!
//! * [`decode`]: the bytes-to-text step of `json.loads(bytes)` (encoding detection, BOMs,
//!   `surrogatepass`), giving generalized UTF-8.
//! * [`parse`] / [`parse_document`] / [`loads`]: CPython 3.11's C scanner, iteratively.
//! * [`write_canonical`], [`write_indented`], [`write_compact_default`]: `json.dumps` output.

mod decode;
mod float;
mod parse;
mod value;
mod write;

pub use decode::{decode, Decoded};
pub use float::write_float;
pub use parse::{loads, parse, parse_document, MemberSpan, MAX_DEPTH};
pub use value::{Object, PyStr, Value};
pub use write::{write_canonical, write_compact_default, write_indented, write_string};
