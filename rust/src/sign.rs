//! Signing the bytes of a manifest as they are, as libtrust does (`NewJSONSignature`, `Sign`,
//! `PrettySignature`): the payload, hence the digest, does not change.
//!
//! `formatLength` is the length of the document up to the last non-space byte before its
//! closing brace, `formatTail` the rest; the signature block is spliced in after
//! `formatLength` as a last `"signatures"` member, indented as the document is (libtrust reads
//! the indent between `{\n` and the first `"`). An already signed manifest is signed over its
//! payload, with its own `formatLength`, and its signatures kept when asked.

use crate::base64url;
use crate::build::{self, Signer};
use crate::error::{Error, Result};
use crate::json::{self, Value};
use crate::manifest;

/// The manifest `raw` (parsed and verified first) signed with `signer` over its payload: the
/// signatures it has are replaced, or kept before the new one with `append`. The result has
/// the digest of `raw`.
pub fn sign_bytes(
    raw: &[u8],
    signer: &dyn Signer,
    signing_time: &str,
    append: bool,
) -> Result<Vec<u8>> {
    let parsed = manifest::parse(raw, true)?;
    match (
        manifest::payload_parts(raw)?,
        parsed.signatures.as_ref().and_then(Value::as_array),
    ) {
        (Some((length, tail)), Some(list)) => {
            let payload = [&raw[..length], &tail[..]].concat();
            let kept = if append { list } else { &[] };
            sign_payload(&payload, signer, signing_time, kept, Some(length))
        }
        _ => sign_payload(raw, signer, signing_time, &[], None),
    }
}

/// libtrust's split of a payload: after the last non-space byte before the closing brace.
fn closing_split(payload: &[u8]) -> Option<usize> {
    let close = payload.iter().rposition(|b| !is_space(*b))?;
    if payload[close] != b'}' {
        return None;
    }
    let last = payload[..close].iter().rposition(|b| !is_space(*b))?;
    Some(last + 1)
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// `payload` signed with `signer`, the signatures `kept` listed before the new one.
/// `length` is the `formatLength` to use (an already signed manifest's own), else libtrust's.
pub fn sign_payload(
    payload: &[u8],
    signer: &dyn Signer,
    signing_time: &str,
    kept: &[Value],
    length: Option<usize>,
) -> Result<Vec<u8>> {
    if std::str::from_utf8(payload).is_err() || payload.first() != Some(&b'{') {
        return Err(Error::malformed(
            "only a manifest written as UTF-8 JSON starting with '{' can be signed as it is",
        ));
    }
    let split = closing_split(payload)
        .ok_or_else(|| Error::malformed("the manifest does not end with a closing brace"))?;
    if matches!(payload[split - 1], b',' | b'{') {
        return Err(Error::malformed(
            "the manifest has no member before its closing brace",
        ));
    }
    let length = length.unwrap_or(split);
    let protected = build::protected_header(&payload[length..], Some(length), signing_time);
    let mut signing_input = Vec::with_capacity(protected.len() + 1 + payload.len() * 4 / 3 + 4);
    signing_input.extend_from_slice(protected.as_bytes());
    signing_input.push(b'.');
    base64url::encode_into(payload, &mut signing_input);
    let signature = signer.sign(&signing_input)?;
    drop(signing_input);

    let mut list = kept.to_vec();
    list.push(Value::Object(build::signature_block(
        signer, &signature, protected,
    )));
    let list = Value::Array(list);

    let indent = detect_indent(payload);
    let mut out = Vec::with_capacity(length + 2048 * (kept.len() + 1));
    out.extend_from_slice(&payload[..length]);
    out.push(b',');
    match indent {
        Some(indent) => {
            out.push(b'\n');
            out.extend_from_slice(indent);
            out.extend_from_slice(b"\"signatures\": ");
            let mut written = Vec::new();
            json::write_indented(&list, 1, true, &mut written);
            reindent(&written, indent, &mut out);
            out.push(b'\n');
        }
        None => {
            out.extend_from_slice(b"\"signatures\":");
            json::write_compact_default(&list, true, &mut out);
        }
    }
    out.push(b'}');
    Ok(out)
}

/// libtrust's `detectJSONIndent`: what lies between `{\n` and the first `"`, when the
/// document starts that way and it is white space.
fn detect_indent(payload: &[u8]) -> Option<&[u8]> {
    if payload.len() <= 2 || !payload.starts_with(b"{\n") {
        return None;
    }
    let quote = payload[1..].iter().position(|&b| b == b'"')? + 1;
    let indent = &payload[2..quote];
    (!indent.is_empty() && indent.iter().all(|&b| b == b' ' || b == b'\t')).then_some(indent)
}

/// JSON written with a one-space indent, as Go's `json.MarshalIndent(v, indent, indent)`
/// writes it: every line after the first starts with `indent` and then `indent` once per
/// level. Strings hold no raw line break, so leading spaces are only the indent.
fn reindent(written: &[u8], indent: &[u8], out: &mut Vec<u8>) {
    for (i, line) in written.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            out.push(b'\n');
            let depth = line.iter().take_while(|&&b| b == b' ').count();
            out.extend_from_slice(indent);
            for _ in 0..depth {
                out.extend_from_slice(indent);
            }
            out.extend_from_slice(&line[depth..]);
        } else {
            out.extend_from_slice(line);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signing_key::SigningKey;
    use crate::test_keys;

    const UNSIGNED: &[u8] = include_bytes!("../../examples/unsigned.json");
    const SIGNED: &[u8] = include_bytes!("../../examples/signed-es256.json");
    const TWO: &[u8] = include_bytes!("../../examples/signed-two-signatures.json");

    fn key() -> SigningKey {
        use base64::Engine as _;
        let der = base64::engine::general_purpose::STANDARD
            .decode(test_keys::QUAY_RSA_PKCS8_B64)
            .unwrap();
        SigningKey::from_bytes(&der).unwrap()
    }

    #[test]
    fn signing_keeps_the_digest() {
        let key = key();
        let before = manifest::parse(UNSIGNED, true).unwrap();
        let signed = sign_bytes(UNSIGNED, &key, "2020-01-01T00:00:00Z", false).unwrap();
        let after = manifest::parse(&signed, true).unwrap();
        assert_eq!(before.digest, after.digest);
        assert_eq!(after.signers.len(), 1);
        assert_eq!(manifest::payload(&signed).unwrap(), UNSIGNED);
        // spliced in: the document's bytes up to formatLength are kept
        let split = closing_split(UNSIGNED).unwrap();
        assert_eq!(&signed[..split], &UNSIGNED[..split]);
        assert!(
            signed[split..].starts_with(b",\n   \"signatures\": [\n      {\n         \"header\"")
        );
        assert!(signed.ends_with(b"\n   ]\n}"));
    }

    #[test]
    fn replacing_and_appending() {
        let key = key();
        let digest = manifest::parse(TWO, true).unwrap().digest;
        let replaced = sign_bytes(TWO, &key, "t", false).unwrap();
        let parsed = manifest::parse(&replaced, true).unwrap();
        assert_eq!(
            (parsed.digest.as_str(), parsed.signers.len()),
            (digest.as_str(), 1)
        );
        let appended = sign_bytes(TWO, &key, "t", true).unwrap();
        let parsed = manifest::parse(&appended, true).unwrap();
        assert_eq!(
            (parsed.digest.as_str(), parsed.signers.len()),
            (digest.as_str(), 3)
        );
        let old = manifest::parse(SIGNED, true).unwrap();
        let once_more = sign_bytes(SIGNED, &key, "t", true).unwrap();
        let parsed = manifest::parse(&once_more, true).unwrap();
        assert_eq!(parsed.signers[0], old.signers[0]);
        assert_eq!(parsed.digest, old.digest);
    }

    #[test]
    fn other_layouts() {
        let key = key();
        for doc in [
            &br#"{"schemaVersion":1,"name":"a/b","tag":"t","fsLayers":[],"history":[]}"#[..],
            b"{\n\t\"schemaVersion\": 1,\n\t\"name\": \"n\",\n\t\"tag\": \"t\",\n\t\"fsLayers\": [],\n\t\"history\": []\n}\n\n",
        ] {
            let before = manifest::parse(doc, true).unwrap();
            let signed = sign_bytes(doc, &key, "t", false).unwrap();
            let after = manifest::parse(&signed, true).unwrap();
            assert_eq!(before.digest, after.digest);
            assert_eq!(manifest::payload(&signed).unwrap(), doc);
        }
    }

    #[test]
    fn refusals() {
        let key = key();
        for (doc, why) in [
            (&b"\xef\xbb\xbf{\"name\": \"n\", \"tag\": \"t\", \"fsLayers\": [], \"history\": []}"[..], "UTF-8 JSON"),
            (b"{}", "no member"),
            (b"[1]", "starting with"),
            (b"{\"a\": 1", "closing brace"),
        ] {
            let error = sign_payload(doc, &key, "t", &[], None).unwrap_err();
            assert!(error.message().contains(why), "{}", error.message());
        }
        let tampered = include_bytes!("../../examples/invalid/tampered-es256.json");
        assert!(sign_bytes(tampered, &key, "t", false).is_err());
    }

    #[test]
    fn indents() {
        assert_eq!(detect_indent(b"{\n   \"a\": 1\n}"), Some(&b"   "[..]));
        assert_eq!(detect_indent(b"{\n\t\"a\": 1\n}"), Some(&b"\t"[..]));
        assert_eq!(detect_indent(b"{\"a\": 1}"), None);
        assert_eq!(detect_indent(b"{\n\"a\": 1}"), None);
        let mut out = Vec::new();
        reindent(b"[\n {\n  \"a\": 1\n }\n]", b"\t", &mut out);
        assert_eq!(out, b"[\n\t\t{\n\t\t\t\"a\": 1\n\t\t}\n\t]");
    }
}
