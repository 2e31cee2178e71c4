//! One fuzz target over every entry point of the core that reads untrusted bytes. Any panic,
//! arithmetic overflow (built with overflow checks), stack overflow or hang is a bug; so is a
//! broken invariant asserted below.
//!
//! Every input goes through all the entry points, so a seed that is a manifest, a bare JSON
//! value or a key is useful as it is (no selector byte to keep in sync with the corpus).

#![no_main]

use docker_schema1::json::{self, LazyStr, Object, PyStr, Value};
use docker_schema1::signing_key::SigningKey;
use docker_schema1::{build, layers, manifest, rewrite, schema};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    manifests(data);
    json_round_trips(data);
    history_entry(data);
    let _ = SigningKey::from_bytes(data);
    conversions(data);
});

/// `manifest::parse` with and without verification, then the per-layer readers on what it
/// returned.
fn manifests(data: &[u8]) {
    let validated = manifest::parse(data, true);
    let parsed = manifest::parse(data, false);
    if let Ok(v) = &validated {
        // Validation only adds checks: whatever verifies also parses, with the same digest.
        let p = parsed
            .as_ref()
            .expect("parse(validate=true) ok but validate=false failed");
        assert_eq!(v.digest, p.digest);
        assert_eq!(v.blob_sums, p.blob_sums);
        assert_eq!(v.v1_compat, p.v1_compat);
    }
    let Ok(m) = parsed else { return };
    assert_eq!(m.blob_sums.len(), m.v1_compat.len());
    // The raw members: what was built equals what a reading of that member alone gives.
    for (key, built) in [
        ("architecture", &m.architecture),
        ("signatures", &m.signatures),
    ] {
        let read = manifest::member(data, key).expect("a parsed document reads again");
        if !m.unread.contains(&key) {
            assert!(
                match (built, &read) {
                    (Some(a), Some(b)) => same(a, b, false),
                    (None, None) => true,
                    _ => false,
                },
                "{key} built and read again differ"
            );
        }
    }
    let v1_compat: Vec<PyStr> = m.v1_compat.iter().map(|v| v.get().clone()).collect();
    for (i, (blob_sum, v1)) in m.blob_sums.iter().zip(&m.v1_compat).enumerate() {
        let _ = layers::layer_fields(i, blob_sum, v1, false);
        let _ = layers::layer_fields(i, blob_sum, v1, true);
    }
    let pairs: Vec<(&PyStr, &PyStr)> = m.blob_sums.iter().zip(&v1_compat).rev().collect();
    check_rewrite(&pairs);
    check_metadata_removed(&v1_compat);
    if let Ok(history) = rewrite::digest_history(&m.blob_sums, &v1_compat) {
        assert_eq!(history.len(), m.blob_sums.len());
    }
    rebuilt(data, &m);
}

/// What `unsigned()` and `with_tag_name()` write from a parsed manifest is a manifest that
/// verifies, with the same layers and the digest of its bytes.
fn rebuilt(data: &[u8], m: &manifest::Manifest) {
    // A container could take the rebuilt document past the depth limit: scalars only.
    let architecture = match manifest::member(data, "architecture") {
        Ok(Some(value)) if !matches!(value, Value::Array(_) | Value::Object(_)) => value,
        _ => Value::Null,
    };
    let entries = |key: &str, values: &mut dyn Iterator<Item = &PyStr>| {
        Value::Array(
            values
                .map(|v| Value::Object(Object(vec![(PyStr::from(key), Value::Str(v.clone()))])))
                .collect(),
        )
    };
    let document = Value::Object(Object(vec![
        (PyStr::from("tag"), Value::Str(m.tag.clone())),
        (PyStr::from("name"), Value::Str(m.name.clone())),
        (PyStr::from("architecture"), architecture),
        (PyStr::from("schemaVersion"), Value::Int(1)),
        (
            PyStr::from("history"),
            entries("v1Compatibility", &mut m.v1_compat.iter().map(|v| v.get())),
        ),
        (
            PyStr::from("fsLayers"),
            entries("blobSum", &mut m.blob_sums.iter()),
        ),
    ]));
    let built = build::build_manifest(&document, true, None, "").expect("an unsigned rebuild");
    let again = manifest::parse(&built.bytes, true).expect("a rebuilt manifest parses");
    assert_eq!(again.digest, built.digest);
    assert_eq!(again.blob_sums, m.blob_sums);
    assert_eq!(again.v1_compat, m.v1_compat);
}

/// `json::loads`, and `json::parse` on its text followed by each writer: what a writer prints
/// parses again to an equal value (NaN equal to NaN).
fn json_round_trips(data: &[u8]) {
    // `parse` reads any bytes (invalid ones inside strings are copied as they are).
    let _ = json::parse(data);
    let Ok(decoded) = json::decode(data) else {
        assert!(
            json::loads(data).is_err(),
            "decode failed but loads succeeded"
        );
        return;
    };
    let loaded = json::loads(data);
    // Checking without building, and building only the manifest's members, fail exactly when
    // (and as) the full reading does.
    assert_eq!(
        json::check(data).err(),
        loaded.as_ref().err().cloned(),
        "check and loads disagree"
    );
    assert_eq!(
        json::parse_select(&decoded.text, &schema::DOCUMENT)
            .err()
            .map(|e| e.message().to_owned()),
        json::parse(&decoded.text)
            .err()
            .map(|e| e.message().to_owned()),
        "the selective and the full parser disagree"
    );
    // The text from `decode` is generalized UTF-8: the writers' precondition.
    let parsed = json::parse(&decoded.text);
    match (&loaded, &parsed) {
        (Ok(a), Ok(b)) => assert!(same(a, b, false), "loads and parse of its text differ"),
        (Err(_), Err(_)) => {}
        _ => panic!(
            "loads {} but parse of the decoded text {}",
            verdict(&loaded),
            verdict(&parsed)
        ),
    }
    let Ok(value) = parsed else { return };
    for ensure_ascii in [true, false] {
        let mut out = Vec::new();
        json::write_canonical(&value, ensure_ascii, &mut out);
        if ensure_ascii {
            assert!(
                out.is_ascii(),
                "write_canonical(ensure_ascii) wrote non-ASCII"
            );
        }
        round_trip("write_canonical", &value, &out, true, ensure_ascii);

        for indent in [0, 3] {
            let mut out = Vec::new();
            json::write_indented(&value, indent, ensure_ascii, &mut out);
            round_trip("write_indented", &value, &out, false, ensure_ascii);
        }

        let mut out = Vec::new();
        json::write_compact_default(&value, ensure_ascii, &mut out);
        round_trip("write_compact_default", &value, &out, false, ensure_ascii);
    }
}

/// The input read as one `v1Compatibility` text, so that the layer readers see mutated
/// metadata without the fuzzer first having to build a whole manifest around it.
fn history_entry(data: &[u8]) {
    let Ok(decoded) = json::decode(data) else {
        return;
    };
    let text = PyStr(decoded.text.into_owned());
    let blob_sum = PyStr::from("sha256:00");
    let lazy = LazyStr::decoded(text.clone());
    let _ = layers::layer_fields(0, &blob_sum, &lazy, false);
    let _ = layers::layer_fields(1, &blob_sum, &lazy, true);
    check_rewrite(&[(&blob_sum, &text)]);
    // As the leaf (kept whole) and as a parent (stripped to the kept members).
    check_metadata_removed(std::slice::from_ref(&text));
    check_metadata_removed(&[PyStr::from(r#"{"id": "leaf"}"#), text]);
}

/// `rewrite::rewrite_from` with every layer rewritten; each rewritten text is canonical JSON,
/// which must parse again and be written the same.
fn check_rewrite(layers: &[(&PyStr, &PyStr)]) {
    let Ok(out) = rewrite::rewrite_from(layers, &[]) else {
        return;
    };
    assert_eq!(out.len(), layers.len());
    for layer in &out {
        let value = json::parse(layer.compat_json.as_bytes()).expect("a rewritten text parses");
        let mut again = Vec::new();
        json::write_canonical(&value, true, &mut again);
        assert_eq!(again, layer.compat_json.as_bytes(), "a rewritten text is canonical");
    }
}

/// `rewrite::metadata_removed`; its output is `json.dumps` text, which must parse again.
fn check_metadata_removed(history: &[PyStr]) {
    let Ok(out) = rewrite::metadata_removed(history) else {
        return;
    };
    assert_eq!(out.len(), history.len());
    for entry in &out {
        assert!(
            entry.as_bytes().is_ascii(),
            "metadata_removed wrote non-ASCII"
        );
        if let Err(e) = json::parse(entry.as_bytes()) {
            panic!(
                "metadata_removed wrote unparsable JSON ({e}): {:?}",
                lossy(entry.as_bytes())
            );
        }
    }
}

/// `out`, written from `value`, parses again to `value`. Except where CPython's `json` does not
/// round-trip either: with `ensure_ascii`, a lone high surrogate followed by a lone low one (two
/// code points, as `"\xed\xa0\x80\\udc00"` reads) is written as `\ud800\udc00`, which reads
/// back as the one code point U+10000. Then `out` must only parse.
fn round_trip(writer: &str, value: &Value, out: &[u8], sorted: bool, ensure_ascii: bool) {
    match json::parse(out) {
        Ok(again) => assert!(
            same(value, &again, sorted) || (ensure_ascii && has_split_pair(value)),
            "{writer} output parses to another value: {:?}",
            lossy(out)
        ),
        Err(e) => panic!("{writer} output does not parse ({e}): {:?}", lossy(out)),
    }
}

/// Whether a string or key of `value` holds a high surrogate directly followed by a low one
/// (generalized UTF-8 `ED A0..AF xx` then `ED B0..BF xx`; such a pair is never merged there).
fn has_split_pair(value: &Value) -> bool {
    fn split(s: &PyStr) -> bool {
        // 0xED is never a continuation byte, so a window starting at one is aligned.
        s.as_bytes().windows(6).any(|w| {
            w[0] == 0xED
                && (0xA0..=0xAF).contains(&w[1])
                && w[3] == 0xED
                && (0xB0..=0xBF).contains(&w[4])
        })
    }
    match value {
        Value::Str(s) => split(s),
        Value::Array(items) => items.iter().any(has_split_pair),
        Value::Object(o) => o.iter().any(|(k, v)| split(k) || has_split_pair(v)),
        _ => false,
    }
}

/// Equality where NaN equals NaN; with `sorted`, object members of `a` are compared in key
/// order (as `write_canonical` sorts them) with those of `b`.
fn same(a: &Value, b: &Value, sorted: bool) -> bool {
    match (a, b) {
        (Value::Float(x), Value::Float(y)) => x == y || (x.is_nan() && y.is_nan()),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y, sorted))
        }
        (Value::Object(x), Value::Object(y)) => {
            let mut x: Vec<_> = x.iter().collect();
            if sorted {
                x.sort_by(|p, q| p.0.cmp(q.0));
            }
            x.len() == y.len()
                && x.iter().zip(y.iter()).all(|((kx, vx), (ky, vy))| {
                    kx.as_bytes() == ky.as_bytes() && same(vx, vy, sorted)
                })
        }
        _ => a == b,
    }
}

fn verdict<T>(r: &docker_schema1::Result<T>) -> String {
    match r {
        Ok(_) => "succeeded".to_owned(),
        Err(e) => format!("failed ({e})"),
    }
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(&b[..b.len().min(512)]).into_owned()
}

/// The schema 2 / OCI conversion of `data` as a manifest, its Go-style JSON reader and time
/// parser, and the layer measurement of `data` as a blob: what succeeds is self-consistent.
fn conversions(data: &[u8]) {
    use docker_schema1::{convert, gojson, layer_info};
    let _ = gojson::parse(data);
    let _ = gojson::parse_time(data);
    let layer = |digest: &str| {
        Some(convert::LayerData {
            size: digest.len() as u64,
            diff_id: format!("{digest}-diff"),
        })
    };
    for format in [convert::Format::Schema2, convert::Format::Oci] {
        if let Ok(out) = convert::convert_document(data, &layer, format) {
            assert_eq!(out.config_digest, manifest::sha256_hex(&[&out.config]));
            assert_eq!(out.manifest_digest, manifest::sha256_hex(&[&out.manifest]));
            assert!(gojson::parse(&out.config).is_ok(), "config is not JSON");
            assert!(gojson::parse(&out.manifest).is_ok(), "manifest is not JSON");
        }
    }
    if let Ok(info) = layer_info::layer_info_bytes(data, None) {
        assert_eq!(info.size, data.len() as u64);
        assert_eq!(info.digest, manifest::sha256_hex(&[data]));
    }
}
