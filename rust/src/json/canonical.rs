//! Canonical JSON (`json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=True)`)
//! written straight from the text of an object, without building its tree: each object's
//! member values are written as they are read, then the object is put in key order.
//!
//! It is [`Members`]' companion for the rewrite of a layer's v1Compatibility (read, a few
//! members changed, written canonically): strings without escapes are written from the text
//! where they lie, containers nested deeper than a few levels go through [`Members::whole`]. Like
//! [`Members`] it writes only the plain case: a key twice, an escaped key, a value too large
//! for [`Members::whole`] or any error makes it return `None`, and the caller parses the text
//! and writes the tree, which gives the answer or the exact error.

use std::ops::Range;

use super::members::Members;
use super::value::Value;
use super::write::{write_canonical, write_str};

/// Containers nested deeper than this below the one being written are built whole.
const NESTED: usize = 8;

/// An object being written: its member values are appended to the output as they come, and
/// [`CanonicalObject::finish`] puts them in key order behind the keys.
pub struct CanonicalObject<'a> {
    start: usize,
    members: Vec<(&'a [u8], Range<usize>)>,
}

impl<'a> CanonicalObject<'a> {
    /// An object whose member values will be appended to `out` from its current end.
    pub fn begin(out: &[u8]) -> Self {
        CanonicalObject {
            start: out.len(),
            members: Vec::with_capacity(16),
        }
    }

    /// Adds the member `key` (the key's text, which holds no escape), its value written to
    /// `out` by `write`.
    pub fn member(
        &mut self,
        key: &'a [u8],
        out: &mut Vec<u8>,
        write: impl FnOnce(&mut Vec<u8>) -> Option<()>,
    ) -> Option<()> {
        let range = written(out, write)?;
        self.members.try_reserve(1).ok()?;
        self.members.push((key, range));
        Some(())
    }

    /// Gives the member `key` the value `write` writes: its value is replaced when the object
    /// has it, else the member is added.
    pub fn set(
        &mut self,
        key: &'a [u8],
        out: &mut Vec<u8>,
        write: impl FnOnce(&mut Vec<u8>) -> Option<()>,
    ) -> Option<()> {
        match self.members.iter().position(|(k, _)| *k == key) {
            Some(at) => self.members[at].1 = written(out, write)?,
            None => self.member(key, out, write)?,
        }
        Some(())
    }

    /// Replaces the member values appended since [`CanonicalObject::begin`] with the object:
    /// `{"key":value,...}` in key order (bytes of generalized UTF-8 sort as code points do).
    /// `None` when a key is there twice (Python keeps the last value: left to the parser).
    pub fn finish(mut self, out: &mut Vec<u8>) -> Option<()> {
        self.members.sort_unstable_by(|a, b| a.0.cmp(b.0));
        if self.members.windows(2).any(|pair| pair[0].0 == pair[1].0) {
            return None;
        }
        // Fallible growth, as the parser's: a hostile object that does not fit is left to it,
        // which reports it as an error.
        let mut values = Vec::new();
        values.try_reserve_exact(out.len() - self.start).ok()?;
        values.extend_from_slice(&out[self.start..]);
        out.truncate(self.start);
        // Room for the keys as written when plain ASCII (others grow it on the way).
        let keys: usize = self.members.iter().map(|(key, _)| key.len() + 4).sum();
        out.try_reserve(values.len() + keys + 2).ok()?;
        out.push(b'{');
        for (i, (key, range)) in self.members.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            write_str(key, true, false, out);
            out.push(b':');
            out.extend_from_slice(&values[range.start - self.start..range.end - self.start]);
        }
        out.push(b'}');
        Some(())
    }
}

/// Where `write` wrote in `out`.
fn written(
    out: &mut Vec<u8>,
    write: impl FnOnce(&mut Vec<u8>) -> Option<()>,
) -> Option<Range<usize>> {
    let at = out.len();
    write(out)?;
    Some(at..out.len())
}

/// Writes the value at the reader canonically and moves the reader past it.
pub fn write_value(members: &mut Members<'_>, out: &mut Vec<u8>) -> Option<()> {
    write_value_nested(members, out, 0)
}

fn write_value_nested(members: &mut Members<'_>, out: &mut Vec<u8>, nested: usize) -> Option<()> {
    match members.peek()? {
        b'"' => write_string_value(members, out),
        b'{' if nested < NESTED => members.object(|inner| {
            let mut object = CanonicalObject::begin(out);
            while let Some(key) = inner.next_key()? {
                object.member(key, out, |out| write_value_nested(inner, out, nested + 1))?;
            }
            object.finish(out)
        }),
        b'[' if nested < NESTED => members.array(|items| {
            out.push(b'[');
            let mut first = true;
            while items.has_item() {
                if !first {
                    out.push(b',');
                }
                first = false;
                write_value_nested(items, out, nested + 1)?;
            }
            out.push(b']');
            Some(())
        }),
        c => {
            let value = if matches!(c, b'[' | b'{') {
                members.whole()?
            } else {
                members.scalar()?
            };
            write_canonical(&value, true, out);
            Some(())
        }
    }
}

/// Writes the string at the reader (read with its escapes when it has any).
fn write_string_value(members: &mut Members<'_>, out: &mut Vec<u8>) -> Option<()> {
    match members.plain_string()? {
        Some(range) => write_str(&members.text()[range], true, false, out),
        None => match members.string_or_null()? {
            Value::Str(s) => write_str(s.as_bytes(), true, false, out),
            _ => return None,
        },
    }
    Some(())
}
