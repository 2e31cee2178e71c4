//! Inputs for the entry points that `fuzz/fuzz_targets/schema1.rs` drives: every crash the
//! fuzzer finds lands here as a byte literal (see fuzz/README.md), next to hand-made nasty
//! inputs (deep nesting, huge numbers, truncated and doctored signed manifests, odd keys). Each
//! must give a value or an error, never a panic.

use std::path::PathBuf;

use docker_schema1::json::{self, PyStr, Value};
use docker_schema1::signing_key::SigningKey;
use docker_schema1::{base64url, layers, manifest, rewrite};

/// What the fuzz target does with one input, minus its invariants: every entry point, the
/// results dropped. A panic here is the bug the test is about.
fn every_entry_point(data: &[u8]) {
    let _ = manifest::parse(data, true);
    if let Ok(m) = manifest::parse(data, false) {
        let v1_compat: Vec<_> = m.v1_compat.iter().map(|v| v.get().clone()).collect();
        for (i, (blob_sum, v1)) in m.blob_sums.iter().zip(&m.v1_compat).enumerate() {
            let _ = layers::layer_fields(i, blob_sum, v1, false);
            let _ = layers::layer_fields(i, blob_sum, v1, true);
        }
        let pairs: Vec<(&PyStr, &PyStr)> = m.blob_sums.iter().zip(&v1_compat).rev().collect();
        let _ = rewrite::rewrite_from(&pairs, &[]);
        let _ = rewrite::metadata_removed(&v1_compat);
    }
    let _ = json::loads(data);
    let _ = json::parse(data);
    if let Ok(decoded) = json::decode(data) {
        if let Ok(value) = json::parse(&decoded.text) {
            for ensure_ascii in [true, false] {
                let mut out = Vec::new();
                json::write_canonical(&value, ensure_ascii, &mut out);
                assert!(json::parse(&out).is_ok(), "write_canonical output parses");
                let mut out = Vec::new();
                json::write_indented(&value, 3, ensure_ascii, &mut out);
                assert!(json::parse(&out).is_ok(), "write_indented output parses");
            }
        }
        let text = PyStr(decoded.text.into_owned());
        let blob_sum = PyStr::from("sha256:00");
        let lazy = json::LazyStr::decoded(text.clone());
        let _ = layers::layer_fields(0, &blob_sum, &lazy, false);
        let _ = layers::layer_fields(1, &blob_sum, &lazy, true);
        let _ = rewrite::rewrite_from(&[(&blob_sum, &text)], &[]);
        let _ = rewrite::metadata_removed(std::slice::from_ref(&text));
        let _ = rewrite::metadata_removed(&[PyStr::from(r#"{"id": "leaf"}"#), text]);
    }
    let _ = SigningKey::from_bytes(data);
}

fn example(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `depth` containers, each holding the next; the innermost holds `inner`.
fn nested(open: &str, inner: &str, close: &str, depth: usize) -> Vec<u8> {
    [open.repeat(depth), inner.to_owned(), close.repeat(depth)]
        .concat()
        .into_bytes()
}

/// `v1Compatibility` text wrapped into an unsigned manifest, as a JSON string member.
fn manifest_with_history(v1: &[u8]) -> Vec<u8> {
    let mut quoted = Vec::new();
    json::write_string(&PyStr(v1.to_vec()), true, &mut quoted);
    let mut doc = br#"{"schemaVersion": 1, "name": "a/b", "tag": "t", "fsLayers": [{"blobSum": "sha256:00"}], "history": [{"v1Compatibility": "#.to_vec();
    doc.extend_from_slice(&quoted);
    doc.extend_from_slice(b"}]}");
    doc
}

#[test]
fn deep_nesting_up_to_the_limit_parses_and_beyond_it_is_an_error() {
    let limit = json::MAX_DEPTH;
    for (open, inner, close) in [("[", "", "]"), (r#"{"a":"#, "0", "}")] {
        let at_limit = nested(open, inner, close, limit);
        assert!(json::loads(&at_limit).is_ok(), "{open} x {limit}");
        let beyond = nested(open, inner, close, limit + 1);
        assert!(json::loads(&beyond).is_err(), "{open} x {}", limit + 1);
        for depth in [limit, limit + 1, 100_000] {
            let doc = nested(open, inner, close, depth);
            every_entry_point(&doc);
            every_entry_point(&manifest_with_history(&doc));
        }
        // Unclosed, and closed by the wrong bracket.
        every_entry_point(open.repeat(100_000).as_bytes());
        every_entry_point(&nested(open, inner, ")", 1000));
    }
}

#[test]
fn huge_and_special_numbers() {
    let digits = |n: usize| format!("1{}", "0".repeat(n - 1));
    assert!(json::loads(digits(4300).as_bytes()).is_ok(), "4300 digits");
    assert!(json::loads(digits(4301).as_bytes()).is_err(), "4301 digits");
    for (text, want) in [
        ("1e999", f64::INFINITY),
        ("-1e999", f64::NEG_INFINITY),
        ("Infinity", f64::INFINITY),
        ("-Infinity", f64::NEG_INFINITY),
        ("1e-99999", 0.0),
        ("1e99999999999999999999999999", f64::INFINITY),
    ] {
        assert_eq!(
            json::loads(text.as_bytes()),
            Ok(Value::Float(want)),
            "{text}"
        );
    }
    assert!(matches!(json::loads(b"NaN"), Ok(Value::Float(f)) if f.is_nan()));
    for text in [
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775808",
        "-9223372036854775809",
        "18446744073709551616",
        "-0",
        "-0.0",
        "5e-324",
        "1.7976931348623157e308",
        "0.1e",
        "1.",
        "-",
        "01",
        "1e+",
        "nan",
        "-NaN",
        "+1",
    ] {
        every_entry_point(text.as_bytes());
        every_entry_point(format!("[{text}]").as_bytes());
        every_entry_point(format!(r#"{{"id": "x", "Size": {text}}}"#).as_bytes());
    }
    for n in [4299, 4300, 4301, 100_000] {
        every_entry_point(digits(n).as_bytes());
        every_entry_point(format!("-{}", digits(n)).as_bytes());
        every_entry_point(format!("0.{}", digits(n)).as_bytes());
        every_entry_point(format!("{}e-{}", digits(n), digits(n)).as_bytes());
    }
}

#[test]
fn truncated_signed_manifests_are_errors() {
    for name in [
        "signed-es256.json",
        "signed-rs256.json",
        "signed-two-signatures.json",
    ] {
        let full = example(name);
        assert!(manifest::parse(&full, true).is_ok(), "{name}");
        let end = full.iter().rposition(|&b| b == b'}').unwrap() + 1;
        // Every cut inside the signatures (the last 600 bytes), every 7th before them.
        for len in (0..end).filter(|len| len % 7 == 0 || len + 600 > end) {
            let cut = &full[..len];
            assert!(manifest::parse(cut, true).is_err(), "{name}[..{len}]");
            assert!(manifest::parse(cut, false).is_err(), "{name}[..{len}]");
        }
        for len in (0..end).step_by(97) {
            every_entry_point(&full[..len]);
        }
    }
}

/// `signed-es256.json` with its protected header replaced by `header` (JSON text).
fn with_protected(header: &str) -> Vec<u8> {
    let full = String::from_utf8(example("signed-es256.json")).unwrap();
    let start = full.find(r#""protected": ""#).unwrap() + r#""protected": ""#.len();
    let end = start + full[start..].find('"').unwrap();
    let encoded = base64url::encode(header.as_bytes());
    [&full[..start], &encoded, &full[end..]]
        .concat()
        .into_bytes()
}

#[test]
fn doctored_protected_headers_are_errors() {
    let len = example("signed-es256.json").len();
    let lengths = [
        "0".to_owned(),
        "-1".to_owned(),
        "1".to_owned(),
        (len - 1).to_string(),
        (len + 1).to_string(),
        "9223372036854775807".to_owned(),
        "-9223372036854775808".to_owned(),
        "18446744073709551616".to_owned(),
        "1e30".to_owned(),
        "1e31".to_owned(),
        "-1e31".to_owned(),
        "2.5".to_owned(),
        "1e999".to_owned(),
        "NaN".to_owned(),
        "-Infinity".to_owned(),
        "\"2883\"".to_owned(),
        "null".to_owned(),
        "[2883]".to_owned(),
    ];
    let tails = [
        r#""Cn0""#,
        r#""""#,
        r#""Cn0=""#,
        r#""C""#,
        r#""\ud800""#,
        r#""!!!!""#,
        "null",
        "1",
    ];
    for length in &lengths {
        for tail in tails {
            let header = format!(r#"{{"formatLength":{length},"formatTail":{tail}}}"#);
            let doc = with_protected(&header);
            assert!(manifest::parse(&doc, true).is_err(), "{header}");
            every_entry_point(&doc);
        }
    }
    for header in [
        "",
        "{",
        "[]",
        "null",
        r#"{"formatTail":"Cn0"}"#,
        r#"{"formatLength":2883}"#,
    ] {
        let doc = with_protected(header);
        assert!(manifest::parse(&doc, true).is_err(), "{header:?}");
        assert!(manifest::parse(&doc, false).is_err(), "{header:?}");
        every_entry_point(&doc);
    }
}

#[test]
fn surrogates_and_encodings() {
    for doc in [
        &br#""\ud800""#[..],
        br#""\udc00\ud800""#,
        br#""\ud83d\ude00""#,
        br#""\ud800\u""#,
        br#""\ud800\"#,
        b"\"\xed\xa0\x80\"",
        b"\"\xf4\x90\x80\x80\"",
        b"\"\xc0\x80\"",
        b"\"\xff\"",
        b"\xef\xbb\xbf{}",
        b"\xef\xbb\xbf\xef\xbb\xbf{}",
        b"\xff\xfe{\x00}\x00",
        b"\xfe\xff\x00{\x00}",
        b"\xff\xfe\x00\x00{\x00\x00\x00}\x00\x00\x00",
        b"\x00\x00\xfe\xff\x00\x00\x00{",
        b"{\x00}",
        b"\x00{",
        b"\xff\xfe\x00\xd8",
        b"\xff\xfe\x00\xd8\x00\xd8\"\x00",
    ] {
        every_entry_point(doc);
        every_entry_point(&manifest_with_history(doc));
    }
    assert_eq!(
        json::loads(br#""\ud800""#),
        Ok(Value::Str(PyStr(b"\xed\xa0\x80".to_vec())))
    );
}

/// Found by the fuzzer (minimized): a string holding a lone high surrogate (raw UTF-8
/// `ED A0 80`) then a lone low one (the escape `\udc00`) is two code points, which every
/// `ensure_ascii` writer prints as `\ud800\udc00`, and that reads back as the one code point
/// U+10000. CPython's `json` does the same (`json.loads(json.dumps(s)) != s`), so the fuzz
/// target does not count it as a crash; this pins the behaviour.
#[test]
fn split_surrogate_pair_reads_back_joined_as_in_cpython() {
    const INPUT: &[u8] = b"{\"\":\"\xed\xa0\x80\\udc00\"}";
    let value = json::loads(INPUT).unwrap();
    let split = PyStr(b"\xed\xa0\x80\xed\xb0\x80".to_vec());
    assert_eq!(
        value,
        Value::Object(json::Object(vec![(PyStr::default(), Value::Str(split))]))
    );
    let mut out = Vec::new();
    json::write_canonical(&value, true, &mut out);
    assert_eq!(out, br#"{"":"\ud800\udc00"}"#);
    let joined = PyStr::from("\u{10000}");
    assert_eq!(
        json::parse(&out),
        Ok(Value::Object(json::Object(vec![(
            PyStr::default(),
            Value::Str(joined)
        )])))
    );
    // Without ensure_ascii the surrogates are written as they are and read back apart.
    let mut out = Vec::new();
    json::write_canonical(&value, false, &mut out);
    assert_eq!(json::parse(&out), Ok(value));
    every_entry_point(INPUT);
}

#[test]
fn odd_history_entries() {
    for v1 in [
        &br#"{"id": "x", "container_config": {"Cmd": ["\ud800", 1e999, NaN]}}"#[..],
        br#"{"id": "x", "container_config": "Cmd"}"#,
        br#"{"id": "x", "container_config": ["Cmd"]}"#,
        br#"{"id": "x", "container_config": 1}"#,
        br#"{"id": "x", "config": {"Labels": {"\u0000": [[[[]]]]}}}"#,
        br#"{"id": "x", "config": []}"#,
        br#"{"id": "x", "id": "y", "Size": -1e999}"#,
        br#"{"container_config": {}}"#,
        b"0",
        b"[]",
        b"\"\"",
        b"NaN",
        b"",
    ] {
        every_entry_point(v1);
        every_entry_point(&manifest_with_history(v1));
    }
}

#[test]
fn odd_keys_are_errors() {
    for key in [
        &b""[..],
        b"   ",
        b"{",
        b"{}",
        br#"{"kty": "EC", "crv": "P-256", "x": "", "y": "", "d": ""}"#,
        br#"{"kty": "EC", "crv": "P-521", "d": "AA"}"#,
        br#"{"kty": "RSA", "n": "AQAB", "e": "AQAB", "d": "AQ"}"#,
        br#"{"kty": "RSA", "n": "", "e": "", "d": "", "p": "", "q": "", "dp": "", "dq": "", "qi": ""}"#,
        b"-----BEGIN ",
        b"-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n",
        b"-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n",
        b"-----BEGIN RSA PRIVATE KEY-----\n!!!!\n-----END RSA PRIVATE KEY-----\n",
        b"\x30",
        b"\x30\x00",
        b"\x30\x80",
        b"\x30\x84\xff\xff\xff\xff",
        b"\x30\x89\xff\xff\xff\xff\xff\xff\xff\xff\xff",
        b"\x30\x03\x02\x01\x00",
        b"\x30\x05\x02\x01\x01\x04\x00",
        b"\x30\x82\x00\x03\x02\x01\x00",
    ] {
        assert!(
            SigningKey::from_bytes(key).is_err(),
            "{:?}",
            String::from_utf8_lossy(key)
        );
        every_entry_point(key);
    }
}
