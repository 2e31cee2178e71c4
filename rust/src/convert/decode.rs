//! Go's `json.Unmarshal` into typed fields, for what the conversion reads: `null` leaves a value
//! alone (and resets a slice, map or pointer), a value of the wrong JSON kind is an error, a
//! slice or map or struct decoded twice (keys that fold to one field) is filled in again.

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::gojson::{self, field_index, Go, Node, Time};

pub(super) fn malformed(msg: impl Into<String>) -> Error {
    Error::malformed(msg.into())
}

/// Call `f` with each member of an object whose key selects one of `fields`; `null` is no
/// value at all; anything else is a type error.
pub(super) fn each_field<'n>(
    node: &'n Node<'_>,
    fields: &[&str],
    what: &str,
    mut f: impl FnMut(usize, &'n Node<'_>) -> Result<()>,
) -> Result<()> {
    match &node.value {
        Go::Null => Ok(()),
        Go::Object(members) => {
            for (key, value) in members {
                if let Some(i) = field_index(key, fields) {
                    f(i, value).map_err(|e| malformed(format!("{key}: {e}")))?;
                }
            }
            Ok(())
        }
        _ => Err(type_error(node, what)),
    }
}

pub(super) fn type_error(node: &Node<'_>, want: &str) -> Error {
    malformed(format!("cannot unmarshal {} into {want}", node.kind()))
}

pub(super) fn dec_str(node: &Node<'_>, into: &mut String) -> Result<()> {
    match &node.value {
        Go::Null => Ok(()),
        Go::Str(s) => {
            into.clone_from(s);
            Ok(())
        }
        _ => Err(type_error(node, "a string")),
    }
}

pub(super) fn dec_bool(node: &Node<'_>, into: &mut bool) -> Result<()> {
    match node.value {
        Go::Null => Ok(()),
        Go::Bool(b) => {
            *into = b;
            Ok(())
        }
        _ => Err(type_error(node, "a bool")),
    }
}

pub(super) fn dec_int(node: &Node<'_>) -> Result<Option<i64>> {
    match node.value {
        Go::Null => Ok(None),
        Go::Number(text) => std::str::from_utf8(text)
            .ok()
            .and_then(|t| t.parse::<i64>().ok())
            .map(Some)
            .ok_or_else(|| {
                malformed(format!(
                    "cannot unmarshal number {} into an int64",
                    gojson::go_text(text)
                ))
            }),
        _ => Err(type_error(node, "an int64")),
    }
}

/// A `time.Time`; `ptr`: a `*time.Time`, which `null` resets.
pub(super) fn dec_time(node: &Node<'_>, into: &mut Option<Time>, ptr: bool) -> Result<()> {
    match node.value {
        Go::Null if ptr => {
            *into = None;
            Ok(())
        }
        Go::Null => Ok(()),
        _ => {
            *into = Some(gojson::parse_time(node.raw)?);
            Ok(())
        }
    }
}

/// A `[]T`: `null` resets it, an array is decoded element by element into what is there.
pub(super) fn dec_vec<T: Default>(
    node: &Node<'_>,
    into: &mut Option<Vec<T>>,
    mut elem: impl FnMut(&Node<'_>, &mut T) -> Result<()>,
) -> Result<()> {
    match &node.value {
        Go::Null => {
            *into = None;
            Ok(())
        }
        Go::Array(items) => {
            let v = into.get_or_insert_with(Vec::new);
            for (i, item) in items.iter().enumerate() {
                if i >= v.len() {
                    v.push(T::default());
                }
                elem(item, &mut v[i])?;
            }
            v.truncate(items.len());
            Ok(())
        }
        _ => Err(type_error(node, "a slice")),
    }
}

pub(super) fn dec_strs(node: &Node<'_>, into: &mut Option<Vec<String>>) -> Result<()> {
    dec_vec(node, into, dec_str)
}

/// A `map[string]V`: `null` resets it, an object adds its members (each from a zero value).
pub(super) fn dec_map<V: Default>(
    node: &Node<'_>,
    into: &mut Option<BTreeMap<String, V>>,
    mut elem: impl FnMut(&Node<'_>, &mut V) -> Result<()>,
) -> Result<()> {
    match &node.value {
        Go::Null => {
            *into = None;
            Ok(())
        }
        Go::Object(members) => {
            let map = into.get_or_insert_with(BTreeMap::new);
            for (key, value) in members {
                let mut v = V::default();
                elem(value, &mut v)?;
                map.insert(key.clone(), v);
            }
            Ok(())
        }
        _ => Err(type_error(node, "a map")),
    }
}

/// A `struct{}` value: any object (its members ignored) or `null`.
pub(super) fn dec_empty(node: &Node<'_>, _: &mut ()) -> Result<()> {
    match node.value {
        Go::Null | Go::Object(_) => Ok(()),
        _ => Err(type_error(node, "a struct")),
    }
}
