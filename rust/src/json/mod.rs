//! JSON exactly as Python's `json` module reads and writes it.

mod value;

pub use value::{Object, PyStr, Value};
