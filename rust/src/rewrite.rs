//! The parts of Quay's rewriting that are pure computation: the builder's
//! `with_metadata_removed()` and the running digest of `rewrite_invalid_image_ids`.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

use crate::error::{Error, Result};
use crate::json::canonical::{self, CanonicalObject};
use crate::json::{self, Members, Object, PyStr, Value};

/// The members a non-leaf entry keeps besides `id`, in the order Quay copies them.
const KEPT: [&str; 5] = ["parent", "created", "author", "comment", "Size"];

/// Quay's `DockerSchema1ManifestBuilder.with_metadata_removed()` on the builder's history
/// entries (`v1Compatibility` texts, index 0 = leaf).
///
/// Every entry is parsed with `json.loads`. The leaf keeps everything; every other entry keeps
/// `id`, then `parent`, `created`, `author`, `comment` and `Size` when present, then
/// `container_config: {"Cmd": ...}` when `"Cmd" in md.get("container_config", {})`. Each entry
/// is written back with `json.dumps` defaults (`", "`/`": "`, ASCII only, insertion order).
/// Where Python raises (invalid JSON, a missing `id`, a `container_config` that cannot be
/// searched or indexed) the result is [`Error::Malformed`] naming the layer.
pub fn metadata_removed(history: &[PyStr]) -> Result<Vec<PyStr>> {
    history
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            let md = json::parse(entry.as_bytes()).map_err(|e| {
                Error::malformed(format!(
                    "layer {i}: v1Compatibility is not JSON: {}",
                    e.message()
                ))
            })?;
            let kept = if i == 0 {
                md
            } else {
                Value::Object(stripped(&md).map_err(|problem| {
                    Error::malformed(format!("layer {i}: v1Compatibility {problem}"))
                })?)
            };
            let mut out = Vec::with_capacity(entry.as_bytes().len() + 16);
            json::write_compact_default(&kept, true, &mut out);
            Ok(PyStr(out))
        })
        .collect()
}

/// The `fixed_metadata` of a non-leaf entry, or why Python raises.
fn stripped(md: &Value) -> std::result::Result<Object, String> {
    let Value::Object(md) = md else {
        // `md["id"]` on a list, string, number, bool or None: TypeError.
        return Err(format!("is {}, not an object", md.type_name()));
    };
    let id = md.get("id").ok_or("has no \"id\"")?;
    let mut fixed = Object(vec![(PyStr::from("id"), id.clone())]);
    for key in KEPT {
        if let Some(v) = md.get(key) {
            fixed.0.push((PyStr::from(key), v.clone()));
        }
    }
    let has_cmd = match md.get("container_config") {
        None => false,
        Some(Value::Object(cc)) => cc.contains_key("Cmd"),
        Some(Value::Array(items)) => items
            .iter()
            .any(|v| matches!(v, Value::Str(s) if s == "Cmd")),
        Some(Value::Str(s)) => s.as_bytes().windows(3).any(|w| w == b"Cmd"),
        Some(other) => {
            return Err(format!(
                "has a container_config that is {} (\"Cmd\" in it is a TypeError)",
                other.type_name()
            ))
        }
    };
    if has_cmd {
        match md.get("container_config") {
            Some(Value::Object(cc)) => {
                let cmd = cc.get("Cmd").cloned().unwrap_or(Value::Null);
                fixed.0.push((
                    PyStr::from("container_config"),
                    Value::Object(Object(vec![(PyStr::from("Cmd"), cmd)])),
                ));
            }
            Some(other) => {
                return Err(format!(
                    "has a container_config that is {} (indexing it with \"Cmd\" is a TypeError)",
                    other.type_name()
                ))
            }
            None => {}
        }
    }
    Ok(fixed)
}

/// The running SHA-256 of Quay's `rewrite_invalid_image_ids`, one lowercase hex digest per
/// layer: layers base first, each feeding `blob_sum`, `@`, its v1Compatibility in UTF-8 and
/// `|`. The new id of a rewritten layer is the digest after that layer.
///
/// A lone surrogate in either text cannot be encoded as UTF-8 (Python raises
/// `UnicodeEncodeError`): [`Error::Malformed`].
pub fn digest_history(blob_sums: &[PyStr], v1_compat: &[PyStr]) -> Result<Vec<String>> {
    if blob_sums.len() != v1_compat.len() {
        return Err(Error::malformed(format!(
            "{} blob sums but {} v1Compatibility entries",
            blob_sums.len(),
            v1_compat.len()
        )));
    }
    let layers: Vec<(&PyStr, &PyStr)> = blob_sums.iter().zip(v1_compat).collect();
    running_ids(&layers)
        .zip(&layers)
        .enumerate()
        .map(|(i, (id, (blob_sum, _)))| {
            id.ok_or_else(|| {
                let what = if blob_sum.has_surrogate() {
                    "blobSum"
                } else {
                    "v1Compatibility"
                };
                Error::malformed(format!("layer {i}: {what} holds a lone surrogate"))
            })
        })
        .collect()
}

/// A layer of `rewrite_invalid_image_ids` from the first rewritten one on: its new id, its
/// parent after the remap (None for null or absent), and its v1Compatibility as Quay rewrites it.
#[derive(Debug, Clone, PartialEq)]
pub struct RewrittenLayer {
    pub image_id: String,
    pub parent: Option<PyStr>,
    pub compat_json: PyStr,
}

/// Quay's `rewrite_invalid_image_ids` from the first rewritten layer on.
///
/// `layers` are `(blobSum, v1Compatibility)`, base first; `earlier_ids` are the v1 ids (None
/// for null) of the layers before the first rewritten one, which keep their ids. Every later
/// layer gets the running `blobSum@v1Compatibility|` SHA-256 as its id; its parent is remapped
/// through the ids so far, and its v1Compatibility is read as `json.loads` does, given the new
/// `id`, a remapped `parent` (when truthy and known) and, when `container_config.Image` is
/// truthy and known, `container_config["image"]` (lower case, as Quay writes it), then written
/// as canonical JSON (sorted keys, compact, ASCII).
///
/// The layers are expected to have been read already (ids and parents strings or null); where
/// Quay's code would raise (a `container_config` without `.get`, an unhashable `Image`, a
/// missing `id`) the result is [`Error::Malformed`] naming the layer by its document index.
pub fn rewrite_from(
    layers: &[(&PyStr, &PyStr)],
    earlier_ids: &[Option<PyStr>],
) -> Result<Vec<RewrittenLayer>> {
    let size: usize = layers
        .iter()
        .map(|(b, v)| b.as_bytes().len() + v.as_bytes().len())
        .sum();
    if size < PARALLEL_FROM {
        return rewrite_with(layers, earlier_ids, running_ids(layers).map(Ok));
    }
    // Large histories: the running hash (as long as the layers) on a second core, each id put
    // in its slot as it is ready, while this thread reads and writes the layers. This thread
    // polls the slots rather than being woken: a wake-up per layer would cost the hashing
    // thread a system call per layer.
    let slots: Vec<OnceLock<Option<String>>> = layers.iter().map(|_| OnceLock::new()).collect();
    let stop = AtomicBool::new(false);
    // Set when the hasher is done, also when it unwinds (then the reader ends too).
    let done = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let hasher = std::thread::Builder::new().spawn_scoped(scope, || {
            let _done = SetOnDrop(&done);
            for (slot, id) in slots.iter().zip(running_ids(layers)) {
                if stop.load(Ordering::Relaxed) {
                    return; // the reader stopped at an error
                }
                let _ = slot.set(id);
            }
        });
        let Ok(hasher) = hasher else {
            // No thread to be had: hash here.
            return rewrite_with(layers, earlier_ids, running_ids(layers).map(Ok));
        };
        let ids = slots.iter().map(|slot| {
            let mut polls = 0u32;
            loop {
                if let Some(id) = slot.get() {
                    return Ok(id.clone());
                }
                // Acquire: whatever the hasher set before it was done is seen below.
                if done.load(Ordering::Acquire) {
                    // Done without filling it: it stopped at an earlier surrogate (which the
                    // reader reported first) or panicked.
                    return slot.get().cloned().ok_or(());
                }
                polls += 1;
                if polls < 1000 {
                    std::thread::yield_now();
                } else {
                    std::thread::park_timeout(std::time::Duration::from_micros(100));
                }
            }
        });
        let result = rewrite_with(layers, earlier_ids, ids);
        stop.store(true, Ordering::Relaxed);
        // Joined here, so that a panic there (a bug) is an error here rather than scope's panic.
        match hasher.join() {
            Ok(()) => result,
            Err(_) => Err(Error::malformed(
                "cannot rewrite the v1 metadata: the running digest stopped",
            )),
        }
    })
}

/// Sets its flag when dropped (with Release ordering), however its scope ends.
struct SetOnDrop<'a>(&'a AtomicBool);

impl Drop for SetOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Release);
    }
}

/// From this total size of blobSums and v1Compatibility texts, a rewrite hashes on a second
/// thread: below it, starting the thread costs more than it saves.
const PARALLEL_FROM: usize = 256 * 1024;

/// The running `blobSum@v1Compatibility|` SHA-256 after each layer (base first), or `None` for
/// a layer that holds a lone surrogate (Python cannot encode it); it stops after that layer.
fn running_ids<'a>(layers: &'a [(&PyStr, &PyStr)]) -> impl Iterator<Item = Option<String>> + 'a {
    let mut context = Some(ring::digest::Context::new(&ring::digest::SHA256));
    layers.iter().map_while(move |(blob_sum, v1)| {
        let running = context.as_mut()?;
        if blob_sum.has_surrogate() || v1.has_surrogate() {
            context = None;
            return Some(None);
        }
        running.update(blob_sum.as_bytes());
        running.update(b"@");
        running.update(v1.as_bytes());
        running.update(b"|");
        Some(Some(hex(running.clone().finish().as_ref())))
    })
}

/// The rewrite of [`rewrite_from`] with the running ids given by `ids`, one per layer in order
/// (`Err` when the hasher thread ended early, which only a panic there can cause).
fn rewrite_with(
    layers: &[(&PyStr, &PyStr)],
    earlier_ids: &[Option<PyStr>],
    mut ids: impl Iterator<Item = std::result::Result<Option<String>, ()>>,
) -> Result<Vec<RewrittenLayer>> {
    let first = earlier_ids.len().min(layers.len());
    // Only string ids are ever looked up (a parent or image that is null is not remapped).
    let mut id_map: HashMap<PyStr, PyStr> = earlier_ids
        .iter()
        .flatten()
        .map(|id| (id.clone(), id.clone()))
        .collect();
    let mut out = Vec::with_capacity(layers.len() - first);
    for (i, (_, v1)) in layers.iter().enumerate() {
        let doc_index = layers.len() - 1 - i;
        let fail = |what: String| {
            Error::malformed(format!(
                "cannot rewrite the v1 metadata of fsLayers[{doc_index}]: {what}"
            ))
        };
        let new_id = match ids.next() {
            Some(Ok(Some(id))) => id,
            Some(Ok(None)) => return Err(fail("it holds a lone surrogate".to_owned())),
            _ => return Err(fail("the running digest stopped".to_owned())),
        };
        if i < first {
            continue;
        }
        let (parent, compat_json) = match rewrite_plain(v1.as_bytes(), &new_id, &id_map) {
            Some(plain) => {
                if let Some(id) = plain.id {
                    id_map.insert(id, PyStr::from(new_id.as_str()));
                }
                (plain.parent, plain.compat_json)
            }
            None => {
                let mut parsed = json::parse(v1.as_bytes())
                    .map_err(|e| fail(format!("v1Compatibility is not JSON: {}", e.message())))?;
                rewrite_layer(&mut parsed, &new_id, &mut id_map, v1).map_err(fail)?
            }
        };
        out.push(RewrittenLayer {
            image_id: new_id,
            parent,
            compat_json,
        });
    }
    Ok(out)
}

/// A layer rewritten by [`rewrite_plain`]: its id before the rewrite (None for null), its
/// remapped parent and its canonical text.
struct PlainRewrite {
    id: Option<PyStr>,
    parent: Option<PyStr>,
    compat_json: PyStr,
}

/// [`rewrite_layer`] without the tree: the text is written canonically as it is read
/// ([`json::canonical`]), `id`, `parent` and `container_config.image` given their new values
/// on the way; `id_map` does not learn the layer's id (the caller adds it). `None` for anything
/// but the plain case (a key twice, an escaped key, `container_config` before `id`, an `Image`
/// that is a container, an error): [`rewrite_layer`] on the parsed text then decides, so that
/// results and errors are its own.
fn rewrite_plain(v1: &[u8], new_id: &str, id_map: &HashMap<PyStr, PyStr>) -> Option<PlainRewrite> {
    let mut members = Members::document(v1)?;
    let new_id = PyStr::from(new_id);
    let mut out = Vec::with_capacity(v1.len() + 80);
    let mut object = CanonicalObject::begin(&out);
    let mut id: Option<Option<PyStr>> = None;
    let mut parent: Option<Option<PyStr>> = None;
    while let Some(key) = members.next_key()? {
        match key {
            b"id" | b"parent" => {
                let value = match members.string_or_null()? {
                    Value::Str(s) => Some(s),
                    _ => None,
                };
                let slot = if key == b"id" { &mut id } else { &mut parent };
                if slot.replace(value).is_some() {
                    return None;
                }
            }
            b"container_config" => {
                // Its `Image` is looked up with this layer's own id already mapped.
                let own = id.as_ref()?.as_ref();
                let lookup = |s: &[u8]| match own {
                    Some(own) if own.as_bytes() == s => Some(&new_id),
                    _ => id_map.get(s),
                };
                object.member(key, &mut out, |out| {
                    write_container_config(&mut members, out, lookup)
                })?;
            }
            _ => object.member(key, &mut out, |out| {
                canonical::write_value(&mut members, out)
            })?,
        }
    }
    if !members.at_end() {
        return None;
    }
    let id = id?;
    object.member(b"id", &mut out, |out| {
        json::write_string(&new_id, true, out);
        Some(())
    })?;
    let parent = match parent {
        None => None,
        Some(None) => {
            object.member(b"parent", &mut out, |out| {
                out.extend_from_slice(b"null");
                Some(())
            })?;
            None
        }
        Some(Some(p)) => {
            let known = match &id {
                Some(own) if *own == p => Some(new_id.clone()),
                _ => id_map.get(p.as_bytes()).cloned(),
            };
            let written = match &known {
                Some(mapped) if !p.is_empty() => mapped,
                _ => &p,
            };
            object.member(b"parent", &mut out, |out| {
                json::write_string(written, true, out);
                Some(())
            })?;
            Some(known.unwrap_or(p))
        }
    };
    object.finish(&mut out)?;
    Some(PlainRewrite {
        id,
        parent,
        compat_json: PyStr(out),
    })
}

/// The `container_config` object at the reader, written canonically with `image` set to the
/// id `lookup` maps its `Image` to (a non-empty string), as [`rewrite_layer`] sets it.
fn write_container_config<'m>(
    members: &mut Members<'_>,
    out: &mut Vec<u8>,
    lookup: impl Fn(&[u8]) -> Option<&'m PyStr>,
) -> Option<()> {
    if members.peek()? != b'{' {
        return None;
    }
    members.object(|inner| {
        let mut object = CanonicalObject::begin(out);
        let mut image = None;
        while let Some(key) = inner.next_key()? {
            if key != b"Image" {
                object.member(key, out, |out| canonical::write_value(inner, out))?;
                continue;
            }
            match inner.peek()? {
                b'"' => {
                    let Value::Str(s) = inner.string_or_null()? else {
                        return None;
                    };
                    if !s.is_empty() {
                        image = lookup(s.as_bytes());
                    }
                    object.member(key, out, |out| {
                        json::write_string(&s, true, out);
                        Some(())
                    })?;
                }
                // Hashable or not by its contents: left to the full reader.
                b'[' | b'{' => return None,
                _ => object.member(key, out, |out| canonical::write_value(inner, out))?,
            }
        }
        if let Some(mapped) = image {
            object.set(b"image", out, |out| {
                json::write_string(mapped, true, out);
                Some(())
            })?;
        }
        object.finish(out)
    })
}

/// One rewritten layer: `parsed` (its v1Compatibility) given `new_id`, its parent remapped and
/// `container_config.image` set through `id_map`, which learns the layer's id; its remapped
/// parent and its canonical text, or what Python would raise on.
fn rewrite_layer(
    parsed: &mut Value,
    new_id: &str,
    id_map: &mut HashMap<PyStr, PyStr>,
    v1: &PyStr,
) -> std::result::Result<(Option<PyStr>, PyStr), String> {
    let Value::Object(md) = parsed else {
        return Err(format!("v1Compatibility is {}", parsed.type_name()));
    };
    let id = match md.get("id") {
        Some(Value::Null) => None,
        Some(Value::Str(s)) => Some(s.clone()),
        Some(other) => return Err(format!("id is {}", other.type_name())),
        None => return Err("it has no id".to_owned()),
    };
    if let Some(id) = id {
        id_map.insert(id, PyStr::from(new_id));
    }
    set(md, "id", Value::Str(PyStr::from(new_id)));
    let parent = match md.get("parent") {
        None | Some(Value::Null) => None,
        Some(Value::Str(p)) => {
            let known = id_map.get(p).cloned();
            let remapped = known.clone().unwrap_or_else(|| p.clone());
            if let (false, Some(mapped)) = (p.is_empty(), known) {
                set(md, "parent", Value::Str(mapped));
            }
            Some(remapped)
        }
        Some(other) => return Err(format!("parent is {}", other.type_name())),
    };
    match md
        .0
        .iter_mut()
        .find(|(k, _)| k.as_bytes() == b"container_config")
    {
        None => {}
        Some((_, Value::Object(cc))) => {
            let image = match cc.get("Image") {
                Some(Value::Str(image)) if !image.is_empty() => id_map.get(image),
                Some(v @ (Value::Array(_) | Value::Object(_))) if v.is_truthy() => {
                    return Err(format!(
                        "container_config.Image is an {} (unhashable)",
                        v.type_name()
                    ))
                }
                _ => None,
            };
            if let Some(mapped) = image {
                set(cc, "image", Value::Str(mapped.clone()));
            }
        }
        Some((_, other)) => {
            return Err(format!(
                "container_config is {}, not an object",
                other.type_name()
            ))
        }
    }
    let mut compat_json = Vec::with_capacity(v1.as_bytes().len() + 80);
    json::write_canonical(parsed, true, &mut compat_json);
    Ok((parent, PyStr(compat_json)))
}

/// Quay's running digest encodes every layer's blobSum and v1Compatibility as UTF-8, also when
/// no id is rewritten: the first layer (base first) that holds a lone surrogate fails as
/// [`rewrite_from`] would fail on it.
pub fn unencodable(layers: &[(&PyStr, &PyStr)]) -> Result<()> {
    match layers
        .iter()
        .position(|(blob_sum, v1)| blob_sum.has_surrogate() || v1.has_surrogate())
    {
        Some(i) => Err(Error::malformed(format!(
            "cannot rewrite the v1 metadata of fsLayers[{}]: it holds a lone surrogate",
            layers.len() - 1 - i
        ))),
        None => Ok(()),
    }
}

/// `object[key] = value`: replaced in place, or added at the end.
fn set(object: &mut Object, key: &str, value: Value) {
    match object
        .0
        .iter_mut()
        .find(|(k, _)| k.as_bytes() == key.as_bytes())
    {
        Some((_, slot)) => *slot = value,
        None => object.0.push((PyStr::from(key), value)),
    }
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strs(items: &[&str]) -> Vec<PyStr> {
        items.iter().map(|s| PyStr::from(*s)).collect()
    }

    /// `metadata_removed` of `[leaf, entry]`, the second entry's output.
    fn second(entry: &str) -> Result<String> {
        let out = metadata_removed(&strs(&["{}", entry]))?;
        Ok(String::from_utf8(out[1].0.clone()).unwrap())
    }

    fn malformed(result: Result<String>) -> String {
        match result {
            Err(Error::Malformed(m)) => m,
            other => panic!("expected Malformed, got {other:?}"),
        }
    }

    /// Expected outputs are CPython 3.11's, from Quay's `with_metadata_removed`.
    #[test]
    fn non_leaf_entries() {
        let cases: &[(&str, &str)] = &[
            (r#"{"id": "a"}"#, r#"{"id": "a"}"#),
            (r#"{"id": null}"#, r#"{"id": null}"#),
            (r#"{"id": [1, {"x": 2}]}"#, r#"{"id": [1, {"x": 2}]}"#),
            // Members come out in Quay's order, whatever the input order, and others are gone.
            (
                r#"{"Size": 5, "comment": "c", "author": "au", "created": "t", "parent": "p", "id": "i", "os": "linux", "config": {"Cmd": ["x"]}}"#,
                r#"{"id": "i", "parent": "p", "created": "t", "author": "au", "comment": "c", "Size": 5}"#,
            ),
            // Present means present as a key, whatever the value.
            (
                r#"{"id": "i", "parent": null, "Size": 0, "comment": ""}"#,
                r#"{"id": "i", "parent": null, "comment": "", "Size": 0}"#,
            ),
            (
                r#"{"id": "i", "Size": 1e400}"#,
                r#"{"id": "i", "Size": Infinity}"#,
            ),
            (r#"{"id": "i", "Size": NaN}"#, r#"{"id": "i", "Size": NaN}"#),
            (r#"{"id": "i", "Size": 1.0}"#, r#"{"id": "i", "Size": 1.0}"#),
            (
                r#"{"id": "i", "Size": 123456789012345678901234567890}"#,
                r#"{"id": "i", "Size": 123456789012345678901234567890}"#,
            ),
            // Keys are case-sensitive.
            (r#"{"id": "i", "size": 1, "ID": 2}"#, r#"{"id": "i"}"#),
            // Duplicate keys: the last value wins.
            (r#"{"id": "first", "id": "second"}"#, r#"{"id": "second"}"#),
            // container_config: only Cmd, and only when it is a key.
            (
                r#"{"id": "i", "container_config": {"Env": [], "Cmd": ["/bin/sh", "-c", "x"], "Image": "b"}}"#,
                r#"{"id": "i", "container_config": {"Cmd": ["/bin/sh", "-c", "x"]}}"#,
            ),
            (
                r#"{"id": "i", "container_config": {"Cmd": null}}"#,
                r#"{"id": "i", "container_config": {"Cmd": null}}"#,
            ),
            (
                r#"{"id": "i", "container_config": {"Cmd": "echo <a> & b"}}"#,
                r#"{"id": "i", "container_config": {"Cmd": "echo <a> & b"}}"#,
            ),
            (
                r#"{"id": "i", "container_config": {"cmd": 1}}"#,
                r#"{"id": "i"}"#,
            ),
            (r#"{"id": "i", "container_config": {}}"#, r#"{"id": "i"}"#),
            // Falsy or not, an array without the string "Cmd" or a string without it is fine.
            (r#"{"id": "i", "container_config": []}"#, r#"{"id": "i"}"#),
            (
                r#"{"id": "i", "container_config": ["cmd", 1, ["Cmd"], {"Cmd": 1}]}"#,
                r#"{"id": "i"}"#,
            ),
            (r#"{"id": "i", "container_config": ""}"#, r#"{"id": "i"}"#),
            (
                r#"{"id": "i", "container_config": "cmdCMDCm"}"#,
                r#"{"id": "i"}"#,
            ),
            // container_config is written after Size, whatever the input order.
            (
                r#"{"container_config": {"Cmd": 1}, "Size": 2, "id": "i"}"#,
                r#"{"id": "i", "Size": 2, "container_config": {"Cmd": 1}}"#,
            ),
            // Non-ASCII and control characters are escaped; lone surrogates too.
            (
                r#"{"id": "\u00e9\ud83d\ude31", "author": "S\u00f4m\u00e9 guy", "comment": "caf\u00e9 \/ \"q\"\n\u007f", "created": "\udc00"}"#,
                r#"{"id": "\u00e9\ud83d\ude31", "created": "\udc00", "author": "S\u00f4m\u00e9 guy", "comment": "caf\u00e9 / \"q\"\n\u007f"}"#,
            ),
            (
                "{\"id\": \"\u{e9}\u{1F631}\"}",
                r#"{"id": "\u00e9\ud83d\ude31"}"#,
            ),
            // Whitespace around the document is fine for json.loads.
            (" \n{\"id\":\"i\"}\t ", r#"{"id": "i"}"#),
        ];
        for (input, expected) in cases {
            assert_eq!(second(input).unwrap(), *expected, "{input}");
        }
    }

    #[test]
    fn non_leaf_errors() {
        let cases: &[(&str, &str)] = &[
            // KeyError: 'id'.
            ("{}", "layer 1: v1Compatibility has no \"id\""),
            (r#"{"ID": "x"}"#, "layer 1: v1Compatibility has no \"id\""),
            // TypeError: md["id"] on a non-dict.
            ("[]", "layer 1: v1Compatibility is array, not an object"),
            (r#"["id"]"#, "layer 1: v1Compatibility is array, not an object"),
            (r#""id""#, "layer 1: v1Compatibility is string, not an object"),
            ("null", "layer 1: v1Compatibility is null, not an object"),
            ("1", "layer 1: v1Compatibility is integer, not an object"),
            ("1.5", "layer 1: v1Compatibility is number, not an object"),
            ("true", "layer 1: v1Compatibility is boolean, not an object"),
            // TypeError: "Cmd" in None / 1 / 1.5 / True.
            (
                r#"{"id": "i", "container_config": null}"#,
                "layer 1: v1Compatibility has a container_config that is null (\"Cmd\" in it is a TypeError)",
            ),
            (
                r#"{"id": "i", "container_config": 0}"#,
                "layer 1: v1Compatibility has a container_config that is integer (\"Cmd\" in it is a TypeError)",
            ),
            (
                r#"{"id": "i", "container_config": 2.5}"#,
                "layer 1: v1Compatibility has a container_config that is number (\"Cmd\" in it is a TypeError)",
            ),
            (
                r#"{"id": "i", "container_config": false}"#,
                "layer 1: v1Compatibility has a container_config that is boolean (\"Cmd\" in it is a TypeError)",
            ),
            // TypeError: list/str indices must be integers.
            (
                r#"{"id": "i", "container_config": ["a", "Cmd"]}"#,
                "layer 1: v1Compatibility has a container_config that is array (indexing it with \"Cmd\" is a TypeError)",
            ),
            (
                r#"{"id": "i", "container_config": "xCmdx"}"#,
                "layer 1: v1Compatibility has a container_config that is string (indexing it with \"Cmd\" is a TypeError)",
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(malformed(second(input)), *expected, "{input}");
        }
    }

    #[test]
    fn invalid_json() {
        for input in [
            "",
            "{",
            "{'id': 1}",
            "{\"id\": 1} x",
            "\u{feff}{}",
            "{\"a\": 1,}",
        ] {
            for at in 0..2 {
                let mut history = strs(&[r#"{"id": "leaf"}"#, r#"{"id": "base"}"#]);
                history[at] = PyStr::from(input);
                let m = malformed(metadata_removed(&history).map(|_| String::new()));
                let prefix = format!("layer {at}: v1Compatibility is not JSON: ");
                assert!(m.starts_with(&prefix), "{input:?}: {m}");
            }
        }
        // The first bad entry is the one reported.
        let m = malformed(metadata_removed(&strs(&["{", "}"])).map(|_| String::new()));
        assert!(m.starts_with("layer 0: "), "{m}");
    }

    /// The leaf is `json.dumps(json.loads(text))`: everything kept, in order, any value.
    #[test]
    fn leaf_entry() {
        let cases: &[(&str, &str)] = &[
            ("{}", "{}"),
            (
                r#"{"z":1,"a":[1,2,{"b":null}],"container_config":{"Env":[],"Cmd":["x"]},"id":"i"}"#,
                r#"{"z": 1, "a": [1, 2, {"b": null}], "container_config": {"Env": [], "Cmd": ["x"]}, "id": "i"}"#,
            ),
            (r#"{"no_id": true}"#, r#"{"no_id": true}"#),
            (
                r#"{"container_config": null}"#,
                r#"{"container_config": null}"#,
            ),
            ("[1, \"a\"]", "[1, \"a\"]"),
            ("null", "null"),
            ("\"S\u{f4}m\u{e9}\"", r#""S\u00f4m\u00e9""#),
            ("-0.0", "-0.0"),
            ("1E5", "100000.0"),
            ("-Infinity", "-Infinity"),
            (r#"{"a": 1, "a": 2, "b": 3}"#, r#"{"a": 2, "b": 3}"#),
            (
                r#"{"id": "x", "author": "\ud800"}"#,
                r#"{"id": "x", "author": "\ud800"}"#,
            ),
        ];
        for (input, expected) in cases {
            let out = metadata_removed(&strs(&[input, r#"{"id": "base"}"#])).unwrap();
            assert_eq!(out[0], PyStr::from(*expected), "{input}");
            assert_eq!(out[1], PyStr::from(r#"{"id": "base"}"#));
        }
        assert_eq!(metadata_removed(&[]).unwrap(), Vec::<PyStr>::new());
    }

    /// Golden record `sizes_mixed/*`: three layers, leaf first, through `with_metadata_removed`.
    #[test]
    fn golden_sizes_mixed() {
        let history = strs(&[
            r#"{"id": "c", "parent": "b", "Size": 1099511627776}"#,
            r#"{"id": "b", "parent": "a", "Size": 0}"#,
            r#"{"id": "a", "Size": 12.5}"#,
        ]);
        assert_eq!(metadata_removed(&history).unwrap(), history);
        // Golden record `id_numeric/*`, compact input.
        let history = strs(&[r#"{"id":5,"parent":4}"#, r#"{"id":4}"#]);
        assert_eq!(
            metadata_removed(&history).unwrap(),
            strs(&[r#"{"id": 5, "parent": 4}"#, r#"{"id": 4}"#])
        );
    }

    /// The base of golden rewrite record `chain3`: its first two layers and Quay's new ids when
    /// the base mismatches (`chain3/mismatch_first`).
    #[test]
    fn golden_chain3_digests() {
        let blob_sums = strs(&[
            "sha256:abf35b7b1189290800001b0c481142e6f905089e80fce2c36d6a1789a6819efa",
            "sha256:5c0c328651e0fe893c76a21e576bf61ad50eb0af2265210273b408dde378ea4b",
        ]);
        let v1 = strs(&[
            r##"{"id": "3730ac44c754d9937632410b6492cc951a0f303035c67e24ee6cda228170726d", "created": "2018-08-13T19:00:00.123456789Z", "container": "3835a30cee9ac20699f9449b78330931236af6171ec85b5d9a48af9e5bd70c63", "container_config": {"Hostname": "abc123", "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], "Cmd": ["/bin/sh", "-c", "#(nop) RUN step 0 && echo done"], "Image": "", "Labels": {"layer": "0"}}, "docker_version": "18.06.1-ce", "config": {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], "Cmd": ["/bin/sh"], "Image": "", "Labels": {"layer": "0"}}, "architecture": "amd64", "os": "linux"}"##,
            r##"{"id": "300fa9f0c4eb4fdd25d5251785674f4a034cd79b82dfd2b38fde8fd3addbf616", "parent": "3730ac44c754d9937632410b6492cc951a0f303035c67e24ee6cda228170726d", "created": "2018-08-13T19:01:07.123456790Z", "container": "5793c6bdde53ba7a93dbc5289a8b6476bca828c2f321637b8f39d76d7853a6c3", "container_config": {"Hostname": "abc123", "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], "Cmd": ["/bin/sh", "-c", "#(nop) RUN step 1 && echo done"], "Image": "3730ac44c754d9937632410b6492cc951a0f303035c67e24ee6cda228170726d", "Labels": {}}, "docker_version": "18.06.1-ce", "config": {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], "Cmd": ["/bin/sh"], "Image": "3730ac44c754d9937632410b6492cc951a0f303035c67e24ee6cda228170726d", "Labels": null}, "architecture": "amd64", "os": "linux", "Size": 1000}"##,
        ]);
        assert_eq!(
            digest_history(&blob_sums, &v1).unwrap(),
            [
                "ebceb2b78def185a12b5ab3255f92556d7779dd74521db8b8c81396f8003058c",
                "a33a48323f1a6a27ac3889103c844541a4586e0dc1fc8ead96a1e72396653456",
            ]
        );
    }

    #[test]
    fn running_digest() {
        // Equal to hashing the concatenation so far, in UTF-8.
        let blob_sums = strs(&["sha256:aa", "sha256:bb", "x"]);
        let v1 = strs(&["{\"id\": \"\u{fc}-0\"}", "", "\u{1F631}"]);
        let ids = digest_history(&blob_sums, &v1).unwrap();
        let mut text = String::new();
        for (i, (b, v)) in ["sha256:aa", "sha256:bb", "x"]
            .iter()
            .zip(["{\"id\": \"\u{fc}-0\"}", "", "\u{1F631}"])
            .enumerate()
        {
            text.push_str(&format!("{b}@{v}|"));
            let digest = crate::manifest::sha256_hex(&[text.as_bytes()]);
            assert_eq!(format!("sha256:{}", ids[i]), digest);
        }
        // sha256("sha256:aa@{}|").
        let one = digest_history(&strs(&["sha256:aa"]), &strs(&["{}"])).unwrap();
        assert_eq!(
            one,
            [crate::manifest::sha256_hex(&[b"sha256:aa@{}|"])[7..].to_string()]
        );
        assert_eq!(digest_history(&[], &[]).unwrap(), Vec::<String>::new());
    }

    #[test]
    fn digest_errors() {
        assert_eq!(
            digest_history(&strs(&["a"]), &[]).unwrap_err(),
            Error::Malformed("1 blob sums but 0 v1Compatibility entries".into())
        );
        let surrogate = PyStr(b"{\"id\": \"\xed\xa0\xbd\"}".to_vec());
        assert_eq!(
            digest_history(&strs(&["a", "b"]), &[PyStr::from("{}"), surrogate.clone()])
                .unwrap_err(),
            Error::Malformed("layer 1: v1Compatibility holds a lone surrogate".into())
        );
        assert_eq!(
            digest_history(&[surrogate], &strs(&["{}"])).unwrap_err(),
            Error::Malformed("layer 0: blobSum holds a lone surrogate".into())
        );
    }

    fn rewrite(layers: &[(&str, &str)], earlier: &[Option<&str>]) -> Result<Vec<RewrittenLayer>> {
        let layers: Vec<(PyStr, PyStr)> = layers
            .iter()
            .map(|(b, v)| (PyStr::from(*b), PyStr::from(*v)))
            .collect();
        let refs: Vec<(&PyStr, &PyStr)> = layers.iter().map(|(b, v)| (b, v)).collect();
        let earlier: Vec<Option<PyStr>> = earlier.iter().map(|id| id.map(PyStr::from)).collect();
        rewrite_from(&refs, &earlier)
    }

    fn text(s: &PyStr) -> &str {
        s.as_str().unwrap()
    }

    /// The new ids are the running digests; ids, parents and the container image are remapped,
    /// and each entry is written as Quay's `to_canonical_json` (sorted, compact, ASCII).
    #[test]
    fn rewrites_from_the_first_layer() {
        let layers = [
            (
                "sha256:aa",
                r#"{"id": "a", "container_config": {"Image": ""}}"#,
            ),
            (
                "sha256:bb",
                r#"{"id": "b", "parent": "a", "z": "é", "container_config": {"Image": "a", "image": "old"}}"#,
            ),
            (
                "sha256:cc",
                r#"{"id": "c", "parent": "b", "container_config": {"Image": "zz"}}"#,
            ),
        ];
        let blob_sums = strs(&["sha256:aa", "sha256:bb", "sha256:cc"]);
        let v1: Vec<PyStr> = layers.iter().map(|(_, v)| PyStr::from(*v)).collect();
        let ids = digest_history(&blob_sums, &v1).unwrap();
        let all = rewrite(&layers, &[]).unwrap();
        assert_eq!(all.len(), 3);
        assert_eq!(all[0].image_id, ids[0]);
        assert_eq!(all[0].parent, None);
        assert_eq!(
            text(&all[0].compat_json),
            format!(r#"{{"container_config":{{"Image":""}},"id":"{}"}}"#, ids[0])
        );
        assert_eq!(all[1].parent.as_ref().map(text), Some(ids[0].as_str()));
        assert_eq!(
            text(&all[1].compat_json),
            format!(
                r#"{{"container_config":{{"Image":"a","image":"{0}"}},"id":"{1}","parent":"{0}","z":"\u00e9"}}"#,
                ids[0], ids[1]
            )
        );
        // An unknown Image is left alone.
        assert_eq!(
            text(&all[2].compat_json),
            format!(
                r#"{{"container_config":{{"Image":"zz"}},"id":"{}","parent":"{}"}}"#,
                ids[2], ids[1]
            )
        );
        // From the second layer: the base keeps its id, which maps to itself.
        let tail = rewrite(&layers, &[Some("a")]).unwrap();
        assert_eq!(tail.len(), 2);
        assert_eq!(tail[0].image_id, ids[1]);
        assert_eq!(tail[0].parent.as_ref().map(text), Some("a"));
        assert_eq!(
            text(&tail[0].compat_json),
            format!(
                r#"{{"container_config":{{"Image":"a","image":"a"}},"id":"{}","parent":"a","z":"\u00e9"}}"#,
                ids[1]
            )
        );
        assert_eq!(tail[1].parent.as_ref().map(text), Some(ids[1].as_str()));
        // Nothing to rewrite.
        assert_eq!(
            rewrite(&layers, &[Some("a"), Some("b"), Some("c")]).unwrap(),
            []
        );
        let (a, b) = (PyStr::from("sha256:aa"), PyStr::from("{}"));
        let surrogate = PyStr(b"{\"id\": \"\xed\xa0\xbd\"}".to_vec());
        assert_eq!(unencodable(&[(&a, &b), (&a, &b)]), Ok(()));
        assert_eq!(
            unencodable(&[(&a, &b), (&a, &surrogate), (&surrogate, &b)]).unwrap_err(),
            Error::Malformed(
                "cannot rewrite the v1 metadata of fsLayers[1]: it holds a lone surrogate".into()
            )
        );
    }

    #[test]
    fn rewrite_parent_rules() {
        // A parent that is empty stays in the JSON but is remapped in the record when known;
        // an unknown parent stays; a null id maps too; duplicate keys: the last wins.
        let layers = [
            ("sha256:aa", r#"{"id": ""}"#),
            ("sha256:bb", r#"{"id": null, "parent": ""}"#),
            (
                "sha256:cc",
                r#"{"id": "c", "id": "d", "parent": "nope", "Size": 1.0}"#,
            ),
        ];
        let out = rewrite(&layers, &[]).unwrap();
        assert_eq!(
            out[1].parent.as_ref().map(text),
            Some(out[0].image_id.as_str())
        );
        assert!(text(&out[1].compat_json).contains(r#""parent":"""#));
        assert_eq!(out[2].parent.as_ref().map(text), Some("nope"));
        assert_eq!(
            text(&out[2].compat_json),
            format!(
                r#"{{"Size":1.0,"id":"{}","parent":"nope"}}"#,
                out[2].image_id
            )
        );
    }

    #[test]
    fn rewrite_errors() {
        let cases: &[(&str, &str)] = &[
            (
                r#"{"id": "a", "container_config": null}"#,
                "container_config is null, not an object",
            ),
            (
                r#"{"id": "a", "container_config": []}"#,
                "container_config is array, not an object",
            ),
            (
                r#"{"id": "a", "container_config": {"Image": ["x"]}}"#,
                "container_config.Image is an array (unhashable)",
            ),
            (r#"{"parent": "x"}"#, "it has no id"),
            (r#"{"id": 1}"#, "id is integer"),
            (r#"{"id": "a", "parent": []}"#, "parent is array"),
            ("[]", "v1Compatibility is array"),
            ("{", "v1Compatibility is not JSON"),
        ];
        for (v1, message) in cases {
            let layers = [("sha256:aa", r#"{"id": "base"}"#), ("sha256:bb", *v1)];
            let e = rewrite(&layers, &[]).unwrap_err();
            let expected = format!("cannot rewrite the v1 metadata of fsLayers[0]: {message}");
            assert!(e.message().starts_with(&expected), "{v1}: {e}");
        }
        // A falsy Image that is not a string, and numbers, are left alone.
        let layers = [(
            "sha256:aa",
            r#"{"id": "a", "container_config": {"Image": 0}}"#,
        )];
        assert!(rewrite(&layers, &[]).is_ok());
        let layers = [(
            "sha256:aa",
            r#"{"id": "a", "container_config": {"Image": 5}}"#,
        )];
        assert!(rewrite(&layers, &[]).is_ok());
    }

    /// Layers large enough for the hashing thread: `count` of them, each with a comment of
    /// `comment` bytes, chained by parent.
    fn large_layers(count: usize, comment: usize) -> Vec<(String, String)> {
        (0..count)
            .map(|i| {
                let parent = if i == 0 { String::new() } else { format!(r#", "parent": "id{}""#, i - 1) };
                (
                    format!("sha256:{i:064x}"),
                    format!(
                        r#"{{"id": "id{i}"{parent}, "container_config": {{"Image": "id{}"}}, "comment": "{}"}}"#,
                        i.saturating_sub(1),
                        "x".repeat(comment)
                    ),
                )
            })
            .collect()
    }

    fn rewrite_owned(
        layers: &[(String, String)],
        earlier: &[Option<&str>],
    ) -> Result<Vec<RewrittenLayer>> {
        let pairs: Vec<(&str, &str)> = layers
            .iter()
            .map(|(b, v)| (b.as_str(), v.as_str()))
            .collect();
        rewrite(&pairs, earlier)
    }

    /// The same layers rewritten on one thread (the small-history path, forced).
    fn rewrite_here(
        layers: &[(String, String)],
        earlier: &[Option<&str>],
    ) -> Result<Vec<RewrittenLayer>> {
        let owned: Vec<(PyStr, PyStr)> = layers
            .iter()
            .map(|(b, v)| (PyStr::from(b.as_str()), PyStr::from(v.as_str())))
            .collect();
        let refs: Vec<(&PyStr, &PyStr)> = owned.iter().map(|(b, v)| (b, v)).collect();
        let earlier: Vec<Option<PyStr>> = earlier.iter().map(|id| id.map(PyStr::from)).collect();
        rewrite_with(&refs, &earlier, running_ids(&refs).map(Ok))
    }

    #[test]
    fn large_histories_hash_on_a_second_thread_with_the_same_result() {
        let layers = large_layers(40, 10_000);
        let size: usize = layers.iter().map(|(b, v)| b.len() + v.len()).sum();
        assert!(size >= PARALLEL_FROM);
        for earlier in [&[][..], &[Some("id0"), Some("id1")][..]] {
            let threaded = rewrite_owned(&layers, earlier).unwrap();
            assert_eq!(threaded, rewrite_here(&layers, earlier).unwrap());
            assert_eq!(threaded.len(), layers.len() - earlier.len());
            // Each parent is the previous layer's new id.
            for pair in threaded.windows(2) {
                assert_eq!(pair[1].parent, Some(PyStr::from(pair[0].image_id.as_str())));
            }
        }
    }

    #[test]
    fn large_histories_report_the_first_failing_layer() {
        let surrogate = |layers: &[(String, String)], at: usize| -> Vec<(PyStr, PyStr)> {
            layers
                .iter()
                .enumerate()
                .map(|(i, (b, v))| {
                    let mut v = PyStr::from(v.as_str()).0;
                    if i == at {
                        v.extend_from_slice(&[0xED, 0xA0, 0x80]); // a lone surrogate
                    }
                    (PyStr::from(b.as_str()), PyStr(v))
                })
                .collect()
        };
        let mut layers = large_layers(40, 10_000);
        layers[30].1 = "{".to_owned(); // not JSON, later than the surrogate below
        let owned = surrogate(&layers, 20);
        let refs: Vec<(&PyStr, &PyStr)> = owned.iter().map(|(b, v)| (b, v)).collect();
        let e = rewrite_from(&refs, &[]).unwrap_err();
        assert_eq!(
            e.message(),
            "cannot rewrite the v1 metadata of fsLayers[19]: it holds a lone surrogate"
        );
        // Not JSON before the surrogate: that layer is reported.
        let owned = surrogate(&layers, 35);
        let refs: Vec<(&PyStr, &PyStr)> = owned.iter().map(|(b, v)| (b, v)).collect();
        let e = rewrite_from(&refs, &[]).unwrap_err();
        assert!(
            e.message().starts_with(
                "cannot rewrite the v1 metadata of fsLayers[9]: v1Compatibility is not JSON"
            ),
            "{e}"
        );
        // A surrogate in a layer that keeps its id still fails the running digest.
        let owned = surrogate(&large_layers(40, 10_000), 2);
        let refs: Vec<(&PyStr, &PyStr)> = owned.iter().map(|(b, v)| (b, v)).collect();
        let earlier = [
            Some(PyStr::from("id0")),
            Some(PyStr::from("id1")),
            Some(PyStr::from("id2")),
        ];
        let e = rewrite_from(&refs, &earlier).unwrap_err();
        assert_eq!(
            e.message(),
            "cannot rewrite the v1 metadata of fsLayers[37]: it holds a lone surrogate"
        );
    }
}

/// [`rewrite_plain`] against [`rewrite_layer`] on the parsed text: the plain path takes the
/// common layers itself and never gives a result the full path would not give.
#[cfg(test)]
mod plain_tests {
    use super::*;

    const NEW_ID: &str = "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";

    const PLAIN: &[&str] = &[
        r##"{"id":"a","parent":"b","created":"2018-08-13T19:00:00.1Z","container":"c","container_config":{"Hostname":"h","Cmd":["/bin/sh","-c","#(nop) \u003c\u0026"],"Env":["A=1"],"Image":"b","Volumes":null,"Labels":{}},"config":{"Labels":{"k":"v"},"Env":[]},"architecture":"amd64","os":"linux","Size":12}"##,
        r##" { "id" : "a" , "Size" : -1.5e3 , "container_config" : { "Image" : "" , "image" : "z" } , "config" : { } } "##,
        r##"{"id":null,"parent":null,"author":null,"Size":null,"container_config":{},"config":{"Labels":null}}"##,
        r##"{"id":"a","parent":"a","container_config":{"Image":"a","image":"old"}}"##,
        r##"{"id":"a","parent":"","container_config":{"Image":"x","Cmd":null}}"##,
        r##"{"id":"","parent":"","container_config":{"Image":""}}"##,
        r##"{"id":"a","parent":"unknown","container_config":{"Image":"unknown","Image2":[1]}}"##,
        r##"{"id":"a","container_config":{"Image":null},"Size":NaN,"x":-0,"y":1E400,"z":-Infinity,"w":1.0}"##,
        r##"{"id":"a","container_config":{"Image":5},"other":{"deep":[[[{"x":[1,2,{"y":null,"b":1,"a":2}]}]]]}}"##,
        r##"{"id":"a","n":{"a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":{"i":{"j":{"z":1,"y":2}}}}}}}}}}}}"##,
        r##"{"id":"\u00e9\ud83d\ude31","comment":"tab\tescaped \"quotes\" and \\ slash \/","created":"\ud800","é":"é","B":1,"a":2,"ÿ":1}"##,
        r##"{"id":"a","Size":123456789012345678901234567890,"parent":"x\u0041"}"##,
        r##"{"id":"b","parent":"x","container_config":{"Image":"x\u0000","Labels":{"b":"1","a":"2","a2":{"k":[true,false]}}}}"##,
        r##"{"zz":1,"id":"a","aa":[{"b":1,"a":2},[],{}],"container_config":{"Image":"b"}}"##,
        r##"{"id":"a","comment":"\u2028 \u00ff \ud83d\ude31 \udc00\ud800 \u001f","parent":"b"}"##,
    ];

    /// Texts the plain path leaves to the full path.
    const NOT_PLAIN: &[&str] = &[
        r##"{"id":"a","id":"b"}"##,
        r##"{"id":"a","parent":"b","parent":"c"}"##,
        r##"{"id":"a","x":1,"x":2}"##,
        r##"{"id":"a","container_config":{"Image":"b","Image":"c"}}"##,
        r##"{"id":"a","container_config":{"image":"b","image":"c"}}"##,
        r##"{"i\u0064":"a"}"##,
        r##"{"id":"a","n":{"k\u0065y":1}}"##,
        r##"{"container_config":{},"id":"a"}"##,
        r##"{"id":"a","container_config":{"Image":["x"]}}"##,
        r##"{"id":"a","container_config":{"Image":{}}}"##,
        r##"{"id":"a","container_config":null}"##,
        r##"{"id":"a","container_config":[]}"##,
        r##"{"id":1}"##,
        r##"{"id":"a","parent":2}"##,
        r##"{"parent":"p"}"##,
        r##"{"id":"a"} x"##,
        r##"{"id":"a",}"##,
        "\u{feff}{\"id\":\"a\"}",
        r##"[]"##,
        r##""a""##,
    ];

    fn id_map() -> HashMap<PyStr, PyStr> {
        ["b", "x", "xA", "old", "", "\u{e9}"]
            .iter()
            .enumerate()
            .map(|(i, id)| (PyStr::from(*id), PyStr::from(format!("mapped{i}"))))
            .collect()
    }

    /// The full path's result, `id_map` after it, written out.
    fn full(text: &str) -> std::result::Result<String, String> {
        let mut map = id_map();
        let mut parsed = json::parse(text.as_bytes()).map_err(|e| e.message().to_owned())?;
        let result = rewrite_layer(&mut parsed, NEW_ID, &mut map, &PyStr::from(text))?;
        Ok(written(result, map))
    }

    fn plain(text: &str) -> Option<String> {
        let mut map = id_map();
        let rewritten = rewrite_plain(text.as_bytes(), NEW_ID, &map)?;
        if let Some(id) = rewritten.id {
            map.insert(id, PyStr::from(NEW_ID));
        }
        Some(written((rewritten.parent, rewritten.compat_json), map))
    }

    fn written(
        (parent, compat_json): (Option<PyStr>, PyStr),
        map: HashMap<PyStr, PyStr>,
    ) -> String {
        let mut map: Vec<_> = map.into_iter().collect();
        map.sort();
        format!("{parent:?} {compat_json:?} {map:?}")
    }

    #[test]
    fn plain_layers_rewrite_alike() {
        for text in PLAIN {
            let plain = plain(text);
            assert!(plain.is_some(), "not rewritten as plain: {text}");
            assert_eq!(plain, full(text).ok(), "{text}");
        }
    }

    #[test]
    fn others_are_left_to_the_full_path() {
        for text in NOT_PLAIN {
            assert_eq!(plain(text), None, "{text}");
        }
    }

    /// The id, the parent and the image are written where they belong in key order, and
    /// plain strings are copied from the text.
    #[test]
    fn a_docker_layer() {
        let text = r##"{"id":"x","parent":"b","container_config":{"Image":"b","Cmd":["a\u0026b"]},"Size":3}"##;
        let expected = r##"{"Size":3,"container_config":{"Cmd":["a&b"],"Image":"b","image":"mapped0"},"id":"ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff","parent":"mapped0"}"##;
        let mut map = id_map();
        let rewritten = rewrite_plain(text.as_bytes(), NEW_ID, &map).unwrap();
        assert_eq!(rewritten.compat_json.as_bytes(), expected.as_bytes());
        assert_eq!(rewritten.parent, Some(PyStr::from("mapped0")));
        assert_eq!(rewritten.id, Some(PyStr::from("x")));
        map.insert(PyStr::from("x"), PyStr::from(NEW_ID));
        assert_eq!(plain(text), full(text).ok());
    }

    /// Random edits of the plain texts (bytes JSON cares about, inserted, replaced, removed):
    /// wherever the plain path answers, the full path gives the same result.
    #[test]
    fn edited_texts_rewrite_alike() {
        const ALPHABET: &[u8] = b"{}[]\",:\\ nulltrue0-1.5eEidparentImageimage\t\x01\xc3\xa9\x7f";
        let (mut plain_count, mut total) = (0, 0);
        for text in crate::test_edits::edited_texts(PLAIN, ALPHABET, 0x9e37_79b9_7f4a_7c15, 4000) {
            total += 1;
            if let Some(plain) = plain(&text) {
                plain_count += 1;
                let full = full(&text).map_err(|e| format!("{text}: {e}")).unwrap();
                assert_eq!(plain, full, "{text}");
            }
        }
        assert!(
            plain_count > total / 10 && plain_count < total,
            "{plain_count} of {total}"
        );
    }
}
