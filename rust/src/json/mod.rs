//! JSON exactly as Python's `json` module reads and writes it.
//!
//! * [`decode`]: the bytes-to-text step of `json.loads(bytes)` (encoding detection, BOMs,
//!   `surrogatepass`), giving generalized UTF-8.
//! * [`parse`] / [`parse_document`] / [`loads`]: CPython 3.11's C scanner, iteratively;
//!   [`parse_skimmed`] builds only the members a [`Skim`] names.
//! * [`write_canonical`], [`write_indented`], [`write_compact_default`]: `json.dumps` output.

mod decode;
mod float;
mod parse;
mod skim;
mod value;
mod write;

pub use decode::{decode, Decoded};
pub use float::write_float;
pub use parse::{loads, parse, parse_document, parse_skimmed, MemberSpan, MAX_DEPTH};
pub use skim::Skim;
pub use value::{Object, PyStr, Value};
pub use write::{write_canonical, write_compact_default, write_indented, write_string};
