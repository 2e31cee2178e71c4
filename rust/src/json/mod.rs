//! JSON exactly as Python's `json` module reads and writes it.
//!
//! * [`decode`]: the bytes-to-text step of `json.loads(bytes)` (encoding detection, BOMs,
//!   `surrogatepass`), giving generalized UTF-8.
//! * [`parse`] / [`parse_document`] / [`loads`]: CPython 3.11's C scanner, iteratively.
//! * [`parse_select`] / [`loads_select`] / [`check`]: the same reading, building only what a
//!   [`Select`] asks for.
//! * [`write_canonical`], [`write_indented`], [`write_compact_default`]: `json.dumps` output.

mod decode;
mod float;
mod parse;
mod select;
mod value;
mod write;

pub use decode::{decode, Decoded};
pub use float::write_float;
pub use parse::{loads, parse, parse_document, MemberSpan, MAX_DEPTH};
pub use select::{
    case_variant_of, check, conforms, folds_to, loads_select, out_of_memory, parse_select, Member,
    Select, Selected,
};
pub use value::{Object, PyStr, Value};
pub use write::{write_canonical, write_compact_default, write_indented, write_string};
