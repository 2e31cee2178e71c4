//! The JSON value model of Python's `json` module.
//!
//! Python's `json.loads` gives `str` values that may hold lone surrogates (from `\ud800`
//! escapes, or from UTF-8-encoded surrogates, which it decodes with `surrogatepass`), integers
//! of any size, non-finite floats and dicts in which a repeated key keeps its first position
//! but takes its last value. This model keeps all of that so results match Python's exactly.

/// A Python `str`: a sequence of code points stored as generalized UTF-8, where every code
/// point, surrogates included, takes its usual 1 to 4 byte form and surrogates are never
/// paired. Byte order equals code point order, which is how Python sorts `str`.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub struct PyStr(pub Vec<u8>);

impl PyStr {
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The text as `&str` when it holds no lone surrogate.
    pub fn as_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.0).ok()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether the text holds a lone surrogate (then it has no UTF-8 form). Cheaper than
    /// [`PyStr::as_str`]: a surrogate's first byte, 0xED, is rare, and only it is looked at.
    pub fn has_surrogate(&self) -> bool {
        Self::has_surrogate_bytes(&self.0)
    }

    /// [`PyStr::has_surrogate`] of generalized UTF-8 bytes.
    pub fn has_surrogate_bytes(text: &[u8]) -> bool {
        memchr::memchr_iter(0xED, text).any(|at| text.get(at + 1).is_some_and(|&next| next >= 0xA0))
    }
}

impl From<&str> for PyStr {
    fn from(s: &str) -> Self {
        PyStr(s.as_bytes().to_vec())
    }
}

impl From<String> for PyStr {
    fn from(s: String) -> Self {
        PyStr(s.into_bytes())
    }
}

/// Maps keyed by `PyStr` are looked up by the bytes of a text (the same hash and equality).
impl std::borrow::Borrow<[u8]> for PyStr {
    fn borrow(&self) -> &[u8] {
        &self.0
    }
}

impl PartialEq<str> for PyStr {
    fn eq(&self, other: &str) -> bool {
        self.0 == other.as_bytes()
    }
}

/// A Python `dict` read from JSON: members in first-insertion order, keys unique.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct Object(pub Vec<(PyStr, Value)>);

impl Object {
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0
            .iter()
            .find(|(k, _)| k.as_bytes() == key.as_bytes())
            .map(|(_, v)| v)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&PyStr, &Value)> {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

#[derive(Clone, PartialEq, Debug)]
pub enum Value {
    Null,
    Bool(bool),
    /// An integer that fits in `i64`.
    Int(i64),
    /// A larger integer, as its canonical decimal text (optional `-`, no leading zeros).
    BigInt(Box<str>),
    /// Any float, NaN and the infinities included.
    Float(f64),
    Str(PyStr),
    Array(Vec<Value>),
    Object(Object),
}

impl Value {
    /// Python's `bool(value)`: `None`, `False`, `0`, `0.0`, `""`, `[]` and `{}` are false
    /// (NaN is true).
    pub fn is_truthy(&self) -> bool {
        match self {
            Value::Null => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::BigInt(_) => true,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::Array(a) => !a.is_empty(),
            Value::Object(o) => !o.is_empty(),
        }
    }

    pub fn as_str(&self) -> Option<&PyStr> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&Object> {
        match self {
            Value::Object(o) => Some(o),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The JSON-schema type name, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Int(_) | Value::BigInt(_) => "integer",
            Value::Float(_) => "number",
            Value::Str(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }
    }
}
