//! JSON exactly as Python's `json` module reads and writes it.
//!
//! * [`decode`]: the bytes-to-text step of `json.loads(bytes)` (encoding detection, BOMs,
//!   `surrogatepass`), giving generalized UTF-8.
//! * [`parse`] / [`parse_document`] / [`loads`]: CPython 3.11's C scanner, iteratively.
//! * [`parse_select`] / [`parse_only`] / [`loads_select`] / [`check`]: the same reading,
//!   building only what a [`Select`] asks for (the manifest document, a layer's
//!   v1Compatibility).
//! * [`Members`]: one object's members in order, keys compared in place, for a reader that
//!   wants a few members and hands anything unusual to [`parse_only`].
//! * [`canonical`]: canonical output written from an object's text as [`Members`] reads it.
//! * [`write_canonical`], [`write_indented`], [`write_compact_default`]: `json.dumps` output.
//!
//! Why our own reader and writer, and not `serde_json`: Quay compatibility means Python's JSON,
//! byte for byte. Python reads `NaN`, `Infinity` and `-Infinity`, lone surrogate escapes
//! (`"\ud800"`), integers of any size, duplicate keys (the last wins, the first's position
//! kept), UTF-16/32 input and a BOM; it writes floats as `repr` does and strings with its own
//! escaping. `serde_json` rejects the first four on input and cannot represent lone surrogates
//! or big integers (without its arbitrary-precision feature, and then not as Python does); its
//! float and escape output differ. The digests of stored manifests depend on these details.
//!
//! Measured with `cargo run --release --example json_parse_speed -- FILE...` on the bench
//! corpus (signed RS256, 2-core Xeon, a busy machine: figures move by 20 %): the full parser
//! reads the 5 KB and 26 KB manifests at about 1.5 and 1.7 GB/s against serde_json's 1.35 and
//! 1.55 GB/s (into `serde_json::Value`), and the 2 MB one (100 layers of 20 KB escaped
//! `v1Compatibility`) at about 2.5 GB/s against 4 GB/s: serde_json unescapes long strings
//! faster. The manifest reader, which checks those strings but decodes them only when the
//! layers are read, takes the 2 MB one at about 8 GB/s.

pub mod canonical;
mod decode;
mod float;
mod members;
mod parse;
mod select;
mod value;
mod write;

pub use decode::{decode, Decoded};
pub use float::write_float;
pub use members::Members;
pub use parse::{loads, parse, parse_document, MemberSpan, MAX_DEPTH};
pub use select::{
    case_variant_of, check, conforms, folds_to, loads_select, out_of_memory, parse_only,
    parse_select, LazyStr, Member, Select, Selected,
};
pub use value::{Object, PyStr, Value};
pub use write::{write_canonical, write_compact_default, write_indented, write_string};
