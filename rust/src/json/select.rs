//! Reading JSON while building only what a [`Select`] asks for: the manifest document
//! (`schema.rs`), a signature's protected header, a layer's v1Compatibility (`layers.rs`).
//!
//! Every byte is still checked exactly as [`super::parse`] checks it (same errors, same
//! positions, same depth limit, with the parser's own string, escape and number code), but
//! values that nobody reads are scanned and dropped, so unknown members cost time, not memory.
//! [`check`] scans a whole document that way without building anything.

use std::hash::RandomState;
use std::sync::OnceLock;

use super::decode::decode;
use super::parse::{
    depth_error, error_at, parse_scalar, parse_string, parse_string_noting_controls, read_key,
    reject_bom, skip_key, skip_string, skip_ws, MemberSpan, ObjFrame, MAX_DEPTH,
};
use super::value::{Object, PyStr, Value};
use crate::error::{Error, Result};

/// What to build of a value.
#[derive(Debug)]
pub enum Select {
    /// All of it.
    All,
    /// Only its kind: a placeholder (`0`, `""`, `[]`, `{}` ...) of the same JSON type.
    Kind,
    /// The string; any other value as [`Select::Kind`].
    Str,
    /// As [`Select::Str`], but the string is kept as its JSON text, quotes included, escapes
    /// checked but not decoded: for a [`LazyStr`].
    RawStr,
    /// A value that is not an array or object; containers as [`Select::Kind`].
    Scalar,
    /// An array's items, each per `items`. From the first item that does not [`conforms`] (or
    /// past `max` items) on, the items are scanned but no longer kept: a check that walks the
    /// items in order stops at that item anyway.
    Array { items: &'static Select, max: usize },
    /// An object's listed members. A member whose key equals a listed or an `also` key but for
    /// case (as Go's `encoding/json` matches keys) is kept as [`Select::Kind`], so that a check
    /// can find it; every other member is dropped.
    Object {
        members: &'static [Member],
        also: &'static [&'static str],
    },
    /// What the inner select asks for of a value of its type ([`Select::Str`],
    /// [`Select::Array`], [`Select::Object`]); a value of any other type is built whole, so
    /// that its type and truth can be read. Anything conforms.
    OrWhole(&'static Select),
}

/// One member an [`Select::Object`] keeps.
#[derive(Debug)]
pub struct Member {
    pub key: &'static str,
    pub select: Select,
    /// Whether [`conforms`] requires it.
    pub required: bool,
}

static ALL: Select = Select::All;
static KIND: Select = Select::Kind;

/// The JSON type of a scanned value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Null,
    Bool,
    Int,
    Float,
    Str,
    Array,
    Object,
}

impl Kind {
    fn placeholder(self) -> Value {
        match self {
            Kind::Null => Value::Null,
            Kind::Bool => Value::Bool(false),
            Kind::Int => Value::Int(0),
            Kind::Float => Value::Float(0.0),
            Kind::Str => Value::Str(PyStr::default()),
            Kind::Array => Value::Array(Vec::new()),
            Kind::Object => Value::Object(Object::default()),
        }
    }
}

/// Whether `value` has what `select` asks for: the right type, and for objects every required
/// member, each conforming in turn.
pub fn conforms(select: &Select, value: &Value) -> bool {
    match select {
        Select::All | Select::Kind | Select::Scalar | Select::OrWhole(_) => true,
        Select::Str | Select::RawStr => matches!(value, Value::Str(_)),
        Select::Array { .. } => matches!(value, Value::Array(_)),
        Select::Object { members, .. } => match value {
            Value::Object(object) => members.iter().all(|m| match object.get(m.key) {
                None => !m.required,
                Some(v) => conforms(&m.select, v),
            }),
            _ => false,
        },
    }
}

/// Whether `key` equals `known` (ASCII) as Go's `encoding/json` matches object keys to struct
/// fields: ASCII letters in any case, `U+017F` (long s) as `s` and `U+212A` (Kelvin sign) as
/// `k`; no other character folds to ASCII.
pub fn folds_to(key: &[u8], known: &str) -> bool {
    let known = known.as_bytes();
    let (mut i, mut j) = (0, 0);
    while i < key.len() {
        let Some(&want) = known.get(j) else {
            return false;
        };
        let c = key[i];
        if c < 0x80 {
            if !c.eq_ignore_ascii_case(&want) {
                return false;
            }
            i += 1;
        } else if key[i..].starts_with("\u{17f}".as_bytes()) && want.eq_ignore_ascii_case(&b's') {
            i += 2;
        } else if key[i..].starts_with("\u{212a}".as_bytes()) && want.eq_ignore_ascii_case(&b'k') {
            i += 3;
        } else {
            return false;
        }
        j += 1;
    }
    j == known.len()
}

/// The known key that `key` equals but for case, when it is not itself a member of `select`.
pub fn case_variant_of(select: &Select, key: &[u8]) -> Option<&'static str> {
    let (Select::Object { members, also } | Select::OrWhole(Select::Object { members, also })) =
        select
    else {
        return None;
    };
    if members.iter().any(|m| m.key.as_bytes() == key) || also.iter().any(|k| k.as_bytes() == key) {
        return None;
    }
    members
        .iter()
        .map(|m| m.key)
        .chain(also.iter().copied())
        .find(|known| folds_to(key, known))
}

/// A document read through a [`Select`], with the spans of its top-level members.
#[derive(Debug)]
pub struct Selected {
    pub value: Value,
    pub spans: Vec<MemberSpan>,
}

/// [`super::parse_document`] through `select`: `text` is generalized UTF-8 (after
/// [`decode`]). A span is `lossy` when something inside its value was not built. The spans are
/// those of the members `select` keeps (or keeps as a case variant), and the last two.
pub fn parse_select(text: &[u8], select: &'static Select) -> Result<Selected> {
    reject_bom(text)?;
    let mut parser = Selective::new(text, true);
    let value = parser.run(select)?;
    let spans = match value {
        Value::Object(_) => parser.spans,
        _ => Vec::new(),
    };
    Ok(Selected { value, spans })
}

/// [`super::parse`] through `select` (no spans).
pub fn parse_only(text: &[u8], select: &'static Select) -> Result<Value> {
    reject_bom(text)?;
    Selective::new(text, false).run(select)
}

/// `json.loads(raw)` through `select` (encoding detection and BOM as [`super::loads`]).
pub fn loads_select(raw: &[u8], select: &'static Select) -> Result<Value> {
    let decoded = decode(raw)?;
    Selective::new(&decoded.text, false).run(select)
}

/// Whether `json.loads(raw)` would succeed within the depth limit, building nothing; the
/// error is the one [`super::loads`] gives.
pub fn check(raw: &[u8]) -> Result<()> {
    let decoded = decode(raw)?;
    let s: &[u8] = &decoded.text;
    let (_, end) = skip_value(s, skip_ws(s, 0), 0)?;
    let end = skip_ws(s, end);
    if end != s.len() {
        return Err(error_at(s, "Extra data", end));
    }
    Ok(())
}

/// A string read through [`Select::RawStr`]: its JSON text, decoded on first read.
#[derive(Debug, Clone, Default)]
pub struct LazyStr {
    raw: Vec<u8>,
    decoded: OnceLock<PyStr>,
    /// Whether the string holds no control byte (< 0x20): noted while decoding it.
    control_free: OnceLock<bool>,
}

impl LazyStr {
    /// `raw` as [`Select::RawStr`] keeps it (its escapes already checked).
    pub fn from_json(raw: PyStr) -> Self {
        LazyStr {
            raw: raw.0,
            decoded: OnceLock::new(),
            control_free: OnceLock::new(),
        }
    }

    /// A string that is decoded already.
    pub fn decoded(text: PyStr) -> Self {
        LazyStr {
            raw: Vec::new(),
            decoded: OnceLock::from(text),
            control_free: OnceLock::new(),
        }
    }

    /// The string. Its escapes were checked when it was read, with the same code, so decoding
    /// cannot fail (it would give an empty string).
    pub fn get(&self) -> &PyStr {
        self.decoded
            .get_or_init(|| match parse_string_noting_controls(&self.raw, 0) {
                Ok((text, _, controls)) => {
                    let _ = self.control_free.set(!controls);
                    text
                }
                Err(_) => PyStr::default(),
            })
    }

    /// Whether the string holds no control byte (< 0x20), known from its decoding (a string
    /// made decoded is looked through once).
    pub fn control_free(&self) -> bool {
        let text = self.get();
        // Not get_or_init around get(): decoding sets this cell itself.
        match self.control_free.get() {
            Some(&known) => known,
            None => {
                let free = !text.as_bytes().iter().any(|&b| b < 0x20);
                let _ = self.control_free.set(free);
                free
            }
        }
    }

    /// The length of the JSON text (or of the decoded string): a size to plan work by.
    pub fn size(&self) -> usize {
        self.raw
            .len()
            .max(self.decoded.get().map_or(0, |s| s.as_bytes().len()))
    }
}

/// Equal when the strings are.
impl PartialEq for LazyStr {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

/// An allocation failure as our error, instead of an abort.
pub fn out_of_memory(what: &str) -> Error {
    Error::malformed(format!("out of memory while reading {what}"))
}

enum Frame {
    Array {
        items: Vec<Value>,
        select: &'static Select,
        storing: bool,
    },
    Object {
        obj: ObjFrame,
        select: &'static Select,
        /// `drops` when the current member's value started.
        drops_at: usize,
    },
}

struct Selective<'a> {
    s: &'a [u8],
    hasher: RandomState,
    /// Whether the top-level members' spans are kept.
    track_spans: bool,
    spans: Vec<MemberSpan>,
    /// How many values were dropped or replaced by a placeholder so far.
    drops: usize,
}

/// Whether `select` builds a value whose first byte is `c` (rather than only its kind).
fn builds(select: &Select, c: Option<u8>) -> bool {
    match select {
        Select::All | Select::OrWhole(_) => true,
        Select::Kind => false,
        Select::Str | Select::RawStr => c == Some(b'"'),
        Select::Scalar => !matches!(c, Some(b'[' | b'{')),
        Select::Array { .. } => c == Some(b'['),
        Select::Object { .. } => c == Some(b'{'),
    }
}

fn member_target(select: &'static Select, key: &PyStr) -> Option<&'static Select> {
    match select {
        Select::Object { members, .. } => {
            if let Some(m) = members.iter().find(|m| m.key.as_bytes() == key.as_bytes()) {
                return Some(&m.select);
            }
            case_variant_of(select, key.as_bytes()).map(|_| &KIND)
        }
        _ => Some(&ALL),
    }
}

fn item_select(select: &'static Select) -> (&'static Select, usize) {
    match select {
        Select::Array { items, max } => (items, *max),
        _ => (&ALL, usize::MAX),
    }
}

impl<'a> Selective<'a> {
    fn new(s: &'a [u8], track_spans: bool) -> Self {
        Selective {
            s,
            hasher: RandomState::new(),
            track_spans,
            spans: Vec::new(),
            drops: 0,
        }
    }

    fn run(&mut self, root: &'static Select) -> Result<Value> {
        let s = self.s;
        let mut stack: Vec<Frame> = Vec::new();
        let mut pos = skip_ws(s, 0);
        let mut target = Some(root);
        'value: loop {
            let mut value = match target {
                None => {
                    pos = skip_value(s, pos, stack.len())?.1;
                    self.drops += 1;
                    None
                }
                Some(select) => {
                    let c = s.get(pos).copied();
                    let select = match select {
                        Select::OrWhole(inner) if builds(inner, c) => inner,
                        Select::OrWhole(_) => &ALL,
                        other => other,
                    };
                    if !builds(select, c) {
                        let (kind, end) = skip_value(s, pos, stack.len())?;
                        pos = end;
                        self.drops += 1;
                        Some(kind.placeholder())
                    } else if matches!(select, Select::RawStr) {
                        let end = skip_string(s, pos)?;
                        let mut raw = Vec::new();
                        raw.try_reserve_exact(end - pos)
                            .map_err(|_| out_of_memory("a string"))?;
                        raw.extend_from_slice(&s[pos..end]);
                        pos = end;
                        Some(Value::Str(PyStr(raw)))
                    } else if c == Some(b'"') {
                        let (string, end) = parse_string(s, pos)?;
                        pos = end;
                        Some(Value::Str(string))
                    } else if c == Some(b'{') {
                        if stack.len() >= MAX_DEPTH {
                            return Err(depth_error(s, pos));
                        }
                        let key_start = skip_ws(s, pos + 1);
                        if s.get(key_start) == Some(&b'}') {
                            pos = key_start + 1;
                            Some(Value::Object(Object::default()))
                        } else {
                            let (key, next) = read_key(s, key_start, parse_string)?;
                            target = member_target(select, &key);
                            stack.push(Frame::Object {
                                obj: ObjFrame {
                                    members: Vec::new(),
                                    index: None,
                                    key,
                                    key_start,
                                },
                                select,
                                drops_at: self.drops,
                            });
                            pos = next;
                            continue 'value;
                        }
                    } else if c == Some(b'[') {
                        if stack.len() >= MAX_DEPTH {
                            return Err(depth_error(s, pos));
                        }
                        let next = skip_ws(s, pos + 1);
                        if s.get(next) == Some(&b']') {
                            pos = next + 1;
                            Some(Value::Array(Vec::new()))
                        } else {
                            stack.push(Frame::Array {
                                items: Vec::new(),
                                select,
                                storing: true,
                            });
                            target = Some(item_select(select).0);
                            pos = next;
                            continue 'value;
                        }
                    } else {
                        let (v, end) = parse_scalar(s, pos)?;
                        pos = end;
                        Some(v)
                    }
                }
            };
            // Hand the finished value to its container; close containers as they end.
            loop {
                let depth = stack.len();
                match stack.last_mut() {
                    None => {
                        let end = skip_ws(s, pos);
                        if end != s.len() {
                            return Err(error_at(s, "Extra data", end));
                        }
                        return Ok(value.unwrap_or(Value::Null));
                    }
                    Some(Frame::Array {
                        items,
                        select,
                        storing,
                    }) => {
                        let (items_select, max) = item_select(select);
                        if let Some(item) = value.take() {
                            let ok = conforms(items_select, &item);
                            items
                                .try_reserve(1)
                                .map_err(|_| out_of_memory("an array"))?;
                            items.push(item);
                            if !ok || items.len() > max {
                                *storing = false;
                            }
                        }
                        pos = skip_ws(s, pos);
                        match s.get(pos) {
                            Some(b',') => {
                                pos = skip_ws(s, pos + 1);
                                target = storing.then_some(items_select);
                                continue 'value;
                            }
                            Some(b']') => {
                                pos += 1;
                                let items = std::mem::take(items);
                                value = Some(Value::Array(items));
                                stack.pop();
                            }
                            _ => return Err(error_at(s, "Expecting ',' delimiter", pos)),
                        }
                    }
                    Some(Frame::Object {
                        obj,
                        select,
                        drops_at,
                    }) => {
                        let key = std::mem::take(&mut obj.key);
                        if depth == 1 && self.track_spans {
                            // Spans of dropped members are kept only while they are among the
                            // last two (what the signed-region check looks at), so that many
                            // unknown members cost no memory.
                            let n = self.spans.len();
                            if n >= 2 && member_target(select, &self.spans[n - 2].key).is_none() {
                                self.spans.remove(n - 2);
                            }
                            self.spans.push(MemberSpan {
                                key: key.clone(),
                                key_start: obj.key_start,
                                value_end: pos,
                                lossy: self.drops != *drops_at,
                            });
                        }
                        if let Some(item) = value.take() {
                            obj.members
                                .try_reserve(1)
                                .map_err(|_| out_of_memory("an object"))?;
                            obj.insert(key, item, &self.hasher)?;
                        }
                        pos = skip_ws(s, pos);
                        match s.get(pos) {
                            Some(b',') => {
                                let key_start = skip_ws(s, pos + 1);
                                let (key, next) = read_key(s, key_start, parse_string)?;
                                target = member_target(select, &key);
                                obj.key = key;
                                obj.key_start = key_start;
                                *drops_at = self.drops;
                                pos = next;
                                continue 'value;
                            }
                            Some(b'}') => {
                                pos += 1;
                                let members = std::mem::take(&mut obj.members);
                                value = Some(Value::Object(Object(members)));
                                stack.pop();
                            }
                            _ => return Err(error_at(s, "Expecting ',' delimiter", pos)),
                        }
                    }
                }
            }
        }
    }
}

/// Scans the value at `pos`, `depth` containers deep already, building nothing: its kind and
/// the offset just past it. Iterative; the same errors as the full parser.
pub(super) fn skip_value(s: &[u8], mut pos: usize, depth: usize) -> Result<(Kind, usize)> {
    // The open containers, innermost last: true for an object.
    let mut open: Vec<bool> = Vec::new();
    let mut outer: Option<Kind> = None;
    'value: loop {
        let kind = match s.get(pos) {
            Some(b'"') => {
                pos = skip_string(s, pos)?;
                Kind::Str
            }
            Some(&c @ (b'{' | b'[')) => {
                if depth + open.len() >= MAX_DEPTH {
                    return Err(depth_error(s, pos));
                }
                let is_object = c == b'{';
                let (kind, close) = if is_object {
                    (Kind::Object, b'}')
                } else {
                    (Kind::Array, b']')
                };
                let next = skip_ws(s, pos + 1);
                if s.get(next) == Some(&close) {
                    pos = next + 1;
                    kind
                } else {
                    outer.get_or_insert(kind);
                    open.push(is_object);
                    pos = if is_object { skip_key(s, next)? } else { next };
                    continue 'value;
                }
            }
            _ => {
                let (v, end) = parse_scalar(s, pos)?;
                pos = end;
                match v {
                    Value::Null => Kind::Null,
                    Value::Bool(_) => Kind::Bool,
                    Value::Float(_) => Kind::Float,
                    _ => Kind::Int,
                }
            }
        };
        let outer = *outer.get_or_insert(kind);
        loop {
            let Some(&is_object) = open.last() else {
                return Ok((outer, pos));
            };
            pos = skip_ws(s, pos);
            match s.get(pos) {
                Some(b',') => {
                    let next = skip_ws(s, pos + 1);
                    pos = if is_object { skip_key(s, next)? } else { next };
                    continue 'value;
                }
                Some(b']') if !is_object => {
                    pos += 1;
                    open.pop();
                }
                Some(b'}') if is_object => {
                    pos += 1;
                    open.pop();
                }
                _ => return Err(error_at(s, "Expecting ',' delimiter", pos)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse::parse;

    static KEEP_A: Select = Select::Object {
        members: &[Member {
            key: "a",
            select: Select::Str,
            required: true,
        }],
        also: &["other"],
    };
    static LIST_OF_A: Select = Select::Array {
        items: &KEEP_A,
        max: 3,
    };

    /// Every document gives the full parser's error, or succeeds in both.
    #[test]
    fn scanning_agrees_with_the_parser() {
        let documents: &[&[u8]] = &[
            b"",
            b" ",
            b"[",
            b"[1,]",
            b"[1 2]",
            b"{\"a\":1,}",
            b"{\"a\" 1}",
            b"{1:2}",
            b"[}",
            b"{]",
            b"\"abc",
            b"\"a\\x\"",
            b"\"\\u12\"",
            b"\"\\ud800\\u12\"",
            b"\"\\ud800\\uZZZZ\"",
            b"\"\\ud800\\udc00",
            b"\"\x01\"",
            b"1 2",
            b"[1]x",
            b"nul",
            b"-",
            b"01",
            b"1.",
            b"[1, {\"a\": [true, false, null, NaN, -Infinity, Infinity, 1.5e3]}]",
            b"{\"a\": {\"b\": {}}, \"c\": [[], {}]}",
            b"\"\\ud800\\udc00 \\n \\u00e9\"",
            b"{\"a\":1 \"b\":2}",
            b"[1,\n2,\n]",
            b"[\"x\" \"y\"]",
            b"{\"a\": [1}",
        ];
        for &doc in documents {
            let want = parse(doc).map(|_| ());
            assert_eq!(check(doc), want, "{:?}", doc.escape_ascii());
            let selected = parse_select(doc, &KEEP_A).map(|_| ());
            assert_eq!(selected, want, "{:?}", doc.escape_ascii());
        }
        let digits = format!("[{}]", "7".repeat(4301));
        assert_eq!(
            check(digits.as_bytes()),
            parse(digits.as_bytes()).map(|_| ())
        );
    }

    #[test]
    fn depth_limit_is_the_parser_s() {
        let nested = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n)).into_bytes();
        assert!(check(&nested(MAX_DEPTH)).is_ok());
        assert_eq!(
            check(&nested(MAX_DEPTH + 1)),
            parse(&nested(MAX_DEPTH + 1)).map(|_| ())
        );
        // Inside a selected object, the skipped member counts its parent's depth.
        let inner = format!(
            "{{\"x\": {}}}",
            String::from_utf8(nested(MAX_DEPTH)).unwrap()
        );
        assert_eq!(
            parse_select(inner.as_bytes(), &KEEP_A).map(|_| ()),
            parse(inner.as_bytes()).map(|_| ())
        );
        assert!(parse_select(inner.as_bytes(), &KEEP_A).is_err());
    }

    #[test]
    fn only_selected_members_are_built() {
        let doc =
            br#"{"z": [[1, 2], {"q": 3}], "a": "kept", "A": {"big": [1]}, "other": 5, "OTHER": 6}"#;
        let selected = parse_select(doc, &KEEP_A).unwrap();
        assert_eq!(
            selected.value,
            Value::Object(Object(vec![
                (PyStr::from("a"), Value::Str(PyStr::from("kept"))),
                (PyStr::from("A"), Value::Object(Object::default())),
                (PyStr::from("OTHER"), Value::Int(0)),
            ]))
        );
        // The span of "z" (dropped, and no longer among the last two) is not kept.
        let spans: Vec<(&[u8], bool)> = selected
            .spans
            .iter()
            .map(|s| (s.key.as_bytes(), s.lossy))
            .collect();
        let want: [(&[u8], bool); 4] = [
            (b"a", false),
            (b"A", true),
            (b"other", true),
            (b"OTHER", true),
        ];
        assert_eq!(spans, want);
        // A non-string where a string is selected: a placeholder of its kind.
        let selected = parse_select(br#"{"a": [[[]]]}"#, &KEEP_A).unwrap();
        assert_eq!(
            selected.value.as_object().unwrap().get("a"),
            Some(&Value::Array(Vec::new()))
        );
    }

    #[test]
    fn arrays_stop_keeping_items_after_the_first_that_does_not_conform() {
        let text = br#"[{"a": "1"}, {"a": "2"}, {"b": 1}, {"a": "4"}, {"a": "5"}]"#;
        let value = loads_select(text, &LIST_OF_A).unwrap();
        assert_eq!(value.as_array().unwrap().len(), 3);
        let text = br#"[{"a": "1"}, {"a": "2"}, {"a": "3"}, {"a": "4"}, {"a": "5"}]"#;
        let value = loads_select(text, &LIST_OF_A).unwrap();
        assert_eq!(value.as_array().unwrap().len(), 4, "max + 1 items are kept");
        assert!(loads_select(br#"[{"a": "1"}, {"a": 2}, {"a" 3}]"#, &LIST_OF_A).is_err());
    }

    /// A layer-like model: `id` whole, of `cc` only `Cmd`; non-objects whole.
    static KEEP: Select = Select::OrWhole(&Select::Object {
        members: &[
            Member {
                key: "id",
                select: Select::All,
                required: false,
            },
            Member {
                key: "cc",
                select: Select::OrWhole(&Select::Object {
                    members: &[Member {
                        key: "Cmd",
                        select: Select::All,
                        required: false,
                    }],
                    also: &[],
                }),
                required: false,
            },
        ],
        also: &[],
    });

    /// Every text gives the full parse's error, or its value less the members left out.
    #[test]
    fn parse_only_agrees_with_the_parser() {
        let texts: &[&str] = &[
            r#"{"id": "a", "x": [1, {"y": "\u00e9\ud83d\ude00\n"}, null, true, false, NaN, -Infinity, Infinity, 1e5, -0.5], "cc": {"Cmd": ["a"], "Env": {"k": [[]]}}}"#,
            r#"{"id": "a", "x": {}, "x": [], "cc": []}"#,
            r#"{"x": "\ud800\ud800", "y": "\ud800\u0041", "cc": "s", "id": [{"a": 1}]}"#,
            "[1, 2, {\"x\": 1}]",
            "\"top\"",
            "{\"x\": \"a\u{1}b\"}",
            r#"{"x": "\q"}"#,
            r#"{"x": "\u12G4 "}"#,
            r#"{"x": "\ud800\u12G4 "}"#,
            r#"{"x": "abc\"#,
            r#"{"x": [1,]}"#,
            r#"{"x": {"a": 1,}}"#,
            r#"{"x": {"a": 1]}"#,
            r#"{"x": {1: 2}}"#,
            r#"{"x": nul, "id": 1}"#,
            r#"{"cc": {"Env": [1 2]}}"#,
            r#"{"x": 1} extra"#,
        ];
        for text in texts {
            let full = parse(text.as_bytes());
            let only = parse_only(text.as_bytes(), &KEEP);
            match (&full, &only) {
                (Err(a), Err(b)) => assert_eq!(a, b, "{text}"),
                (Ok(Value::Object(a)), Ok(Value::Object(b))) => {
                    let kept: Vec<_> = a.iter().filter(|(k, _)| *k == "id" || *k == "cc").collect();
                    assert_eq!(kept.len(), b.len(), "{text}");
                    for ((ka, va), (kb, vb)) in kept.into_iter().zip(b.iter()) {
                        assert_eq!(ka, kb, "{text}");
                        if ka.as_bytes() == b"id" || !matches!(va, Value::Object(_)) {
                            assert_eq!(va, vb, "{text}");
                        }
                    }
                }
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{text}"),
                _ => panic!("{text}: {full:?} vs {only:?}"),
            }
        }
        let v = parse_only(
            br#"{"cc": {"Env": ["x"], "Cmd": ["sh", {"a": 1}], "cmd": 2}, "id": 1, "z": 2}"#,
            &KEEP,
        )
        .unwrap();
        let want = br#"{"cc": {"Cmd": ["sh", {"a": 1}], "cmd": 0}, "id": 1}"#;
        assert_eq!(v, parse(want).unwrap());
    }

    #[test]
    fn raw_strings_are_decoded_on_first_read() {
        static RAW: Select = Select::Array {
            items: &Select::RawStr,
            max: usize::MAX,
        };
        let text = br#"["a\"b\u00e9\ud83d\ude00\ud800", "", "plain", 5]"#;
        let items = parse_only(text, &RAW).unwrap();
        let full = parse(text).unwrap();
        let (items, full) = (items.as_array().unwrap(), full.as_array().unwrap());
        assert_eq!(
            items[3],
            Value::Int(0),
            "a non-string is a placeholder, as for Str"
        );
        for i in 0..3 {
            let (Value::Str(raw), Value::Str(want)) = (&items[i], &full[i]) else {
                panic!("item {i}")
            };
            let lazy = LazyStr::from_json(raw.clone());
            assert_eq!(lazy.get(), want);
            assert_eq!(lazy, LazyStr::decoded(want.clone()));
        }
        assert_eq!(
            parse_only(br#"["\ud800\u12G4 "]"#, &RAW),
            parse(br#"["\ud800\u12G4 "]"#)
        );
    }

    /// Whether a string holds a control byte is noted as it is decoded (only an escape can
    /// put one there), and found by looking when it was made decoded.
    #[test]
    fn control_bytes_are_noted() {
        for (json, free) in [
            (r#""plain""#, true),
            (r#""a\\nb \u0020 \u00e9 \"""#, true),
            (r#""a\nb""#, false),
            (r#""\t""#, false),
            (r#""x\u001f""#, false),
            (r#""\u0000""#, false),
            (r#""\ud83d\ude00\u007f""#, true),
        ] {
            let lazy = LazyStr::from_json(PyStr::from(json));
            assert_eq!(lazy.control_free(), free, "{json}");
            let decoded = LazyStr::decoded(lazy.get().clone());
            assert_eq!(decoded.control_free(), free, "{json}");
        }
    }

    #[test]
    fn go_key_folding() {
        const CASES: &[(&str, &str, bool)] = &[
            ("TAG", "tag", true),
            ("Tag", "tag", true),
            ("tag", "tag", true),
            ("tags", "tag", false),
            ("ta", "tag", false),
            ("fſLayers", "fsLayers", true),
            ("blobſum", "blobSum", true),
            ("\u{212a}ty", "kty", true),
            ("\u{212a}TY", "kty", true),
            ("hıstory", "history", false),
            ("hİstory", "history", false),
            ("t\u{e1}g", "tag", false),
        ];
        for (key, known, want) in CASES {
            assert_eq!(folds_to(key.as_bytes(), known), *want, "{key} {known}");
        }
        assert_eq!(case_variant_of(&KEEP_A, b"A"), Some("a"));
        assert_eq!(case_variant_of(&KEEP_A, b"a"), None);
        assert_eq!(case_variant_of(&KEEP_A, b"Other"), Some("other"));
        assert_eq!(case_variant_of(&KEEP_A, b"other"), None);
        assert_eq!(case_variant_of(&KEEP_A, b"b"), None);
        assert_eq!(case_variant_of(&KEEP, b"ID"), Some("id"));
    }
}
