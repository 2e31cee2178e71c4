//! A forward reader over one object's members, for callers that know the few members they
//! want (a layer's v1Compatibility): keys are compared where they lie in the text, values are
//! read or skipped one by one, and no tree is built for the object. Arrays inside it are read
//! item by item the same way ([`Members::array`]).
//!
//! It reads only the plain case. Anything else (an escaped key, a value of a kind the caller
//! did not ask for, an error anywhere) makes a step return `None`, and the caller reads the
//! text again with [`super::parse_only`], which gives the answer or the exact error: this
//! reader never accepts a text the full reader rejects, because it checks every byte with the
//! same functions ([`skip_value`], [`parse_string`], [`parse_scalar`], the full parser) at the same
//! depths.

use std::ops::Range;

use super::parse::{
    find_quote_or_backslash, find_special, parse_scalar, parse_string, parse_value_at, skip_ws,
    MAX_DEPTH,
};
use super::select::skip_value;
use super::value::{Object, PyStr, Value};

/// The members of the object at a position, read in order (or the items of an array, read by
/// [`Members::array`]).
pub struct Members<'a> {
    s: &'a [u8],
    /// The closing bracket: `}` for an object's members, `]` for an array's items.
    close: u8,
    /// Where the next step reads: a key, or the value after it.
    pos: usize,
    /// Containers open around the values read here, this object included.
    depth: usize,
    /// Whether the closing bracket was read.
    closed: bool,
    /// Whether the text is known to hold no control byte (< 0x20): strings then end at the
    /// first quote or backslash, found in one pass.
    control_free: bool,
}

impl<'a> Members<'a> {
    /// The top-level object of `s` (whitespace around it allowed, a BOM not).
    pub fn document(s: &'a [u8]) -> Option<Self> {
        Self::at(s, skip_ws(s, 0), 0, b'}', false)
    }

    /// [`Members::document`] of a text that holds no control byte (< 0x20), such as a
    /// [`super::LazyStr`] whose [`super::LazyStr::control_free`] says so.
    pub fn control_free_document(s: &'a [u8]) -> Option<Self> {
        Self::at(s, skip_ws(s, 0), 0, b'}', true)
    }

    fn at(
        s: &'a [u8],
        pos: usize,
        outer_depth: usize,
        close: u8,
        control_free: bool,
    ) -> Option<Self> {
        let open = if close == b'}' { b'{' } else { b'[' };
        if s.get(pos) != Some(&open) || outer_depth >= MAX_DEPTH {
            return None;
        }
        let first = skip_ws(s, pos + 1);
        let closed = s.get(first) == Some(&close);
        Some(Members {
            s,
            close,
            pos: if closed { first + 1 } else { first },
            depth: outer_depth + 1,
            closed,
            control_free,
        })
    }

    /// The next member's key, unescaped in the text, with the reader at its value; `Some(None)`
    /// past the closing brace. Call after reading or skipping the previous member's value.
    pub fn next_key(&mut self) -> Option<Option<&'a [u8]>> {
        if self.close != b'}' {
            return None;
        }
        if self.closed {
            return Some(None);
        }
        let s = self.s;
        let start = self.pos + 1;
        if s.get(self.pos) != Some(&b'"') {
            return None;
        }
        let end = find_special(s, start);
        if s.get(end) != Some(&b'"') {
            return None;
        }
        let colon = skip_ws(s, end + 1);
        if s.get(colon) != Some(&b':') {
            return None;
        }
        self.pos = skip_ws(s, colon + 1);
        Some(Some(&s[start..end]))
    }

    /// The text read.
    pub fn text(&self) -> &'a [u8] {
        self.s
    }

    /// The first byte of the value at the reader.
    pub fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    /// Past the value just read: a comma and the next key's quote, or the closing brace.
    fn after_value(&mut self, end: usize) -> Option<()> {
        let s = self.s;
        let next = skip_ws(s, end);
        match s.get(next) {
            Some(b',') => self.pos = skip_ws(s, next + 1),
            Some(&c) if c == self.close => {
                self.pos = next + 1;
                self.closed = true;
            }
            _ => return None,
        }
        Some(())
    }

    /// Skips the value, checked as the full reader checks it.
    pub fn skip(&mut self) -> Option<()> {
        let (_, end) = skip_value(self.s, self.pos, self.depth).ok()?;
        self.after_value(end)
    }

    /// The value when it is a string or `null`.
    pub fn string_or_null(&mut self) -> Option<Value> {
        let (value, end) = match self.peek()? {
            b'"' => {
                let (text, end) = parse_string(self.s, self.pos).ok()?;
                (Value::Str(text), end)
            }
            b'n' => parse_scalar(self.s, self.pos).ok()?,
            _ => return None,
        };
        self.after_value(end)?;
        Some(value)
    }

    /// Where the string at the reader lies in the text (quotes excluded) when it holds no
    /// escape, the reader then past it; `Some(None)`, the reader unmoved, for any other value.
    pub fn plain_string(&mut self) -> Option<Option<Range<usize>>> {
        if self.peek()? != b'"' {
            return Some(None);
        }
        let start = self.pos + 1;
        let end = if self.control_free {
            find_quote_or_backslash(self.s, start)
        } else {
            find_special(self.s, start)
        };
        if self.s.get(end) != Some(&b'"') {
            return Some(None);
        }
        self.after_value(end + 1)?;
        Some(Some(start..end))
    }

    /// The value when it is a number or a literal.
    pub fn scalar(&mut self) -> Option<Value> {
        if matches!(self.peek()?, b'"' | b'[' | b'{') {
            return None;
        }
        let (value, end) = parse_scalar(self.s, self.pos).ok()?;
        self.after_value(end)?;
        Some(value)
    }

    /// The value, whatever it is, built whole.
    pub fn whole(&mut self) -> Option<Value> {
        let flat = (self.depth < MAX_DEPTH).then(|| flat_strings(self.s, self.pos));
        let (value, end) = match flat.flatten() {
            Some(found) => found,
            None => {
                let (_, end) = skip_value(self.s, self.pos, self.depth).ok()?;
                if end - self.pos > WHOLE_LIMIT {
                    return None;
                }
                parse_value_at(self.s, self.pos, self.depth).ok()?
            }
        };
        self.after_value(end)?;
        Some(value)
    }

    /// Reads the object value at the reader with `read`, which must read it to its end.
    pub fn object<R>(&mut self, read: impl FnOnce(&mut Members<'a>) -> Option<R>) -> Option<R> {
        self.inner(b'}', read)
    }

    /// Reads the array value at the reader with `read`, which must read it to its end: while
    /// [`Members::has_item`], an item with the value readers ([`Members::skip`], ...).
    pub fn array<R>(&mut self, read: impl FnOnce(&mut Members<'a>) -> Option<R>) -> Option<R> {
        self.inner(b']', read)
    }

    /// Whether an array's reader is at an item (false past its closing bracket).
    pub fn has_item(&self) -> bool {
        !self.closed
    }

    fn inner<R>(
        &mut self,
        close: u8,
        read: impl FnOnce(&mut Members<'a>) -> Option<R>,
    ) -> Option<R> {
        let mut inner = Members::at(self.s, self.pos, self.depth, close, self.control_free)?;
        let result = read(&mut inner)?;
        if !inner.closed {
            return None;
        }
        self.after_value(inner.pos)?;
        Some(result)
    }

    /// Whether nothing but whitespace follows the object (for [`Members::document`]).
    pub fn at_end(&self) -> bool {
        self.closed && skip_ws(self.s, self.pos) == self.s.len()
    }
}

/// Members of an object [`flat_strings`] reads itself.
const FLAT_MEMBERS: usize = 16;

/// Items of an array [`flat_strings`] reads itself.
const FLAT_ITEMS: usize = 256;

/// Bytes of a value [`Members::whole`] builds with the full parser; a larger one is left to the
/// model reader, whose allocations fail with an error instead of aborting.
const WHOLE_LIMIT: usize = 64 * 1024;

/// The array of strings or the object of string values at `pos` (a command, labels), read
/// without the full parser's stack, and the offset past it; `None` for any other value, an
/// error, a key twice, or more than a few members or items (the full parser then reads it).
/// Strings are read with [`parse_string`], as the full parser reads them; the caller checks the
/// depth of the one container opened.
fn flat_strings(s: &[u8], pos: usize) -> Option<(Value, usize)> {
    let close = match s.get(pos)? {
        b'[' => b']',
        b'{' => b'}',
        _ => return None,
    };
    let object = close == b'}';
    let mut items = Vec::new();
    let mut members: Vec<(PyStr, Value)> = Vec::new();
    let mut i = skip_ws(s, pos + 1);
    if s.get(i) == Some(&close) {
        i += 1;
    } else {
        loop {
            if s.get(i) != Some(&b'"') {
                return None;
            }
            let (text, end) = parse_string(s, i).ok()?;
            i = skip_ws(s, end);
            if object {
                if s.get(i) != Some(&b':') {
                    return None;
                }
                i = skip_ws(s, i + 1);
                // Duplicates are looked for by a scan: past a few members the full parser,
                // which indexes them, reads the object (a hostile one could hold millions).
                if s.get(i) != Some(&b'"')
                    || members.len() >= FLAT_MEMBERS
                    || members.iter().any(|(key, _)| *key == text)
                {
                    return None;
                }
                let (value, end) = parse_string(s, i).ok()?;
                members.push((text, Value::Str(value)));
                i = skip_ws(s, end);
            } else {
                if items.len() >= FLAT_ITEMS {
                    return None;
                }
                items.push(Value::Str(text));
            }
            match s.get(i)? {
                b',' => i = skip_ws(s, i + 1),
                &c if c == close => {
                    i += 1;
                    break;
                }
                _ => return None,
            }
        }
    }
    let value = if object {
        Value::Object(Object(members))
    } else {
        Value::Array(items)
    };
    Some((value, i))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object_of(count: usize) -> String {
        let members: Vec<String> = (0..count).map(|i| format!("\"k{i}\":\"v\"")).collect();
        format!("{{{}}}", members.join(","))
    }

    /// Large objects and arrays go to the full parser (duplicate keys are looked for by a scan
    /// here, which a hostile object of a million keys would make quadratic).
    #[test]
    fn flat_reading_stays_small() {
        let small = object_of(FLAT_MEMBERS);
        assert!(flat_strings(small.as_bytes(), 0).is_some());
        assert!(flat_strings(object_of(FLAT_MEMBERS + 1).as_bytes(), 0).is_none());
        let items = |n: usize| format!("[{}]", vec!["\"x\""; n].join(","));
        assert!(flat_strings(items(FLAT_ITEMS).as_bytes(), 0).is_some());
        assert!(flat_strings(items(FLAT_ITEMS + 1).as_bytes(), 0).is_none());
        assert!(flat_strings(br#"{"a":"1","a":"2"}"#, 0).is_none());
        assert!(flat_strings(br#"["a",1]"#, 0).is_none());
    }

    /// An array's items are read with the value readers; an array's reader has no keys, and a
    /// trailing comma or a missing bracket is refused as the full reader refuses it.
    #[test]
    fn array_items() {
        let items = |text: &str| {
            let mut members = Members::document(text.as_bytes())?;
            members.next_key()?;
            let strings = members.array(|items| {
                let mut found = Vec::new();
                while items.has_item() {
                    match items.plain_string()? {
                        Some(span) => found.push(text[span].to_owned()),
                        None => items.skip()?,
                    }
                }
                Some(found)
            })?;
            members.next_key()?;
            members.at_end().then_some(strings)
        };
        assert_eq!(items(r#"{"a":[]}"#), Some(vec![]));
        assert_eq!(
            items(r#"{"a": [ "x" , 1 , {"k":[2]}, "y" ] }"#),
            Some(vec!["x".to_owned(), "y".to_owned()])
        );
        for refused in [
            r#"{"a":["x",]}"#,
            r#"{"a":["x" "y"]}"#,
            r#"{"a":["x"}"#,
            r#"{"a":[,]}"#,
        ] {
            assert_eq!(items(refused), None, "{refused}");
        }
        let text = br#"{"a":["k"]}"#;
        let mut members = Members::document(text).unwrap();
        members.next_key();
        assert_eq!(members.array(|items| items.next_key()), None);
    }

    /// A value past the limit is left to the model reader; below it, built whole.
    #[test]
    fn whole_values_have_a_limit() {
        let read = |value: &str| {
            let text = format!("{{\"k\":{value}}}");
            let mut members = Members::document(text.as_bytes()).unwrap();
            assert_eq!(members.next_key(), Some(Some(&b"k"[..])));
            members.whole()
        };
        let nested = |n: usize| format!("[{}]", vec!["[1]"; n].join(","));
        assert!(read(&nested(100)).is_some());
        assert!(read(&nested(WHOLE_LIMIT / 4 + 1)).is_none());
        assert!(read(&object_of(1000)).is_some());
    }
}
