//! Writing manifests as Quay's builder does (`DockerSchema1ManifestBuilder.build`).
//!
//! The payload is `json.dumps(document, indent=3, ensure_ascii=...)` in UTF-8. A signed manifest
//! is the same document with a `signatures` member appended, written again the same way; libtrust
//! signs the payload up to its last `\n}` plus that tail (`formatLength`, `formatTail`), so the
//! signed manifest has the digest of the unsigned one.

use crate::base64url;
use crate::error::{Error, Result};
use crate::json::{self, Object, PyStr, Value};

/// A private key that signs manifests (implemented in `signing_key.rs`).
pub trait Signer {
    /// The JWS `alg` this key signs with: RS256 for RSA, ES256/ES384/ES512 by curve.
    fn alg(&self) -> &'static str;
    /// The public JWK as libtrust writes it: RSA `n, e, kid, kty`; EC `crv, kid, kty, x, y`.
    fn public_jwk(&self) -> Object;
    /// The raw JWS signature of `signing_input` (EC: `r || s`, each the curve size).
    fn sign(&self, signing_input: &[u8]) -> Result<Vec<u8>>;
}

/// The indent Quay's builder writes with.
const INDENT: usize = 3;

/// Room kept after the payload for the signature block, so splicing it in rarely reallocates.
const SIGNATURE_ROOM: usize = 8 * 1024;

/// Quay's `DockerSchema1ManifestBuilder.build(json_web_key, ensure_ascii)` on the builder's
/// payload object `document`, returning the manifest bytes.
///
/// * Unsigned: `json.dumps(document, indent=3, ensure_ascii=ensure_ascii)` in UTF-8.
/// * Signed: the protected header `{"formatTail":...,"formatLength":...,"time":signing_time}`
///   (compact, `ensure_ascii`, as Authlib writes it), the signature over
///   `protected + "." + base64url(payload)`, and the whole document written again with
///   `"signatures": [{"header": {"jwk", "alg"}, "signature", "protected"}]` appended.
///
/// With `ensure_ascii=false` a lone surrogate in any string cannot be encoded as UTF-8 (Python
/// raises `UnicodeEncodeError`): that is [`Error::Malformed`].
pub fn build(
    document: &Value,
    ensure_ascii: bool,
    signer: Option<&dyn Signer>,
    signing_time: &str,
) -> Result<Vec<u8>> {
    build_manifest(document, ensure_ascii, signer, signing_time).map(|built| built.bytes)
}

/// What [`build_manifest`] wrote: the manifest's bytes, the digest of its payload and, when
/// signed, the signature block it appended.
#[derive(Debug, Clone, PartialEq)]
pub struct Built {
    pub bytes: Vec<u8>,
    /// `sha256:<hex>` of the payload (the unsigned bytes, which the signature covers).
    pub digest: String,
    pub signature: Option<Object>,
}

/// [`build`], also giving the payload's digest and the signature block, so that the caller
/// need not parse the bytes it just wrote.
pub fn build_manifest(
    document: &Value,
    ensure_ascii: bool,
    signer: Option<&dyn Signer>,
    signing_time: &str,
) -> Result<Built> {
    let room = if signer.is_some() { SIGNATURE_ROOM } else { 0 };
    let mut payload = Vec::with_capacity(estimated_len(document) + room);
    json::write_indented(document, INDENT, ensure_ascii, &mut payload);
    if !ensure_ascii {
        check_utf8(&payload)?;
    }
    let digest = crate::manifest::sha256_hex(&[&payload]);
    let Some(signer) = signer else {
        return Ok(Built {
            bytes: payload,
            digest,
            signature: None,
        });
    };

    // Python's `payload.rfind(b"\n}")`: -1 when absent, and then the tail is the last byte.
    let split = rfind(&payload, b"\n}");
    let tail_start = split.unwrap_or(payload.len().saturating_sub(1));
    let protected = protected_header(&payload[tail_start..], split, signing_time);

    let encoded_len = base64::encoded_len(payload.len(), false)
        .ok_or_else(|| Error::malformed("manifest payload is too large to sign"))?;
    let mut signing_input = Vec::with_capacity(protected.len() + 1 + encoded_len);
    signing_input.extend_from_slice(protected.as_bytes());
    signing_input.push(b'.');
    base64url::encode_into(&payload, &mut signing_input);
    let signature = signer.sign(&signing_input)?;
    drop(signing_input);

    let block = signature_block(signer, &signature, protected);
    match document {
        Value::Object(members)
            if split == Some(payload.len() - 2) && !members.contains_key("signatures") =>
        {
            // `{**document, "signatures": [block]}` only adds a last member, so the output is
            // the payload up to its closing line, that member at depth 1, and the closing line.
            let mut list = Vec::new();
            json::write_indented(
                &Value::Array(vec![Value::Object(block.clone())]),
                INDENT,
                ensure_ascii,
                &mut list,
            );
            if !ensure_ascii {
                check_utf8(&list)?;
            }
            let mut out = payload;
            out.truncate(out.len() - 2);
            out.reserve(list.len() + list.len() / 8 + 32);
            out.extend_from_slice(b",\n   \"signatures\": ");
            push_indented(&list, INDENT, &mut out);
            out.extend_from_slice(b"\n}");
            Ok(Built {
                bytes: out,
                digest,
                signature: Some(block),
            })
        }
        Value::Object(members) => {
            // Not reachable from the builder (an empty document, or one that already has
            // `signatures`): write the merged object in full, as Python does.
            let mut merged = members.clone();
            let list = Value::Array(vec![Value::Object(block.clone())]);
            match merged.0.iter_mut().find(|(k, _)| k == "signatures") {
                Some((_, v)) => *v = list,
                None => merged.0.push((PyStr::from("signatures"), list)),
            }
            let mut out = Vec::with_capacity(payload.len() + SIGNATURE_ROOM);
            drop(payload);
            json::write_indented(&Value::Object(merged), INDENT, ensure_ascii, &mut out);
            if !ensure_ascii {
                check_utf8(&out)?;
            }
            Ok(Built {
                bytes: out,
                digest,
                signature: Some(block),
            })
        }
        other => Err(Error::malformed(format!(
            "cannot sign a manifest document that is {}, not an object",
            other.type_name()
        ))),
    }
}

/// base64url of `{"formatTail":"<base64url(tail)>","formatLength":<split>,"time":"<time>"}`.
pub(crate) fn protected_header(tail: &[u8], split: Option<usize>, signing_time: &str) -> String {
    let mut header = Vec::with_capacity(96 + signing_time.len());
    header.extend_from_slice(b"{\"formatTail\":\"");
    base64url::encode_into(tail, &mut header);
    header.extend_from_slice(b"\",\"formatLength\":");
    match split {
        Some(s) => header.extend_from_slice(s.to_string().as_bytes()),
        None => header.extend_from_slice(b"-1"),
    }
    header.extend_from_slice(b",\"time\":");
    json::write_string(&PyStr::from(signing_time), true, &mut header);
    header.push(b'}');
    base64url::encode(&header)
}

/// `{"header": {"jwk": ..., "alg": ...}, "signature": ..., "protected": ...}`.
pub(crate) fn signature_block(signer: &dyn Signer, signature: &[u8], protected: String) -> Object {
    let header = Object(vec![
        (PyStr::from("jwk"), Value::Object(signer.public_jwk())),
        (PyStr::from("alg"), Value::Str(PyStr::from(signer.alg()))),
    ]);
    Object(vec![
        (PyStr::from("header"), Value::Object(header)),
        (
            PyStr::from("signature"),
            Value::Str(PyStr::from(base64url::encode(signature))),
        ),
        (PyStr::from("protected"), Value::Str(PyStr::from(protected))),
    ])
}

/// Appends `text` (indented JSON, whose strings never hold a raw line break) one level deeper:
/// `extra` more spaces after every line break.
fn push_indented(text: &[u8], extra: usize, out: &mut Vec<u8>) {
    let mut lines = text.split(|&b| b == b'\n');
    if let Some(first) = lines.next() {
        out.extend_from_slice(first);
    }
    for line in lines {
        out.push(b'\n');
        out.resize(out.len() + extra, b' ');
        out.extend_from_slice(line);
    }
}

/// The start of the last occurrence of `needle` in `haystack`.
fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// Output written with `ensure_ascii=false` is generalized UTF-8; Python's `str.encode("utf-8")`
/// fails on a lone surrogate.
fn check_utf8(text: &[u8]) -> Result<()> {
    match std::str::from_utf8(text) {
        Ok(_) => Ok(()),
        Err(e) => {
            let at = e.valid_up_to();
            let surrogate = text[at] == 0xED && text.get(at + 1).is_some_and(|&b| b >= 0xA0);
            Err(Error::malformed(if surrogate {
                "manifest cannot be encoded as UTF-8: lone surrogate"
            } else {
                "manifest cannot be encoded as UTF-8: invalid byte"
            }))
        }
    }
}

/// A rough size of `value` written with indent 3, to reserve the output once.
fn estimated_len(value: &Value) -> usize {
    let mut total = 0usize;
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        total = total.saturating_add(match v {
            Value::Str(s) => s.0.len() + s.0.len() / 4 + 2,
            Value::Array(items) => {
                stack.extend(items.iter());
                items.len() * 16 + 4
            }
            Value::Object(members) => {
                stack.extend(members.0.iter().map(|(_, v)| v));
                members.0.iter().map(|(k, _)| k.0.len() + 20).sum::<usize>() + 4
            }
            _ => 24,
        });
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use ring::signature::{RsaKeyPair, RSA_PKCS1_SHA256};

    /// Its public modulus.
    const TEST_RSA_N: &str = "0oJr_FhoKjRhyTzA6Fi-HXpXYWonZvidgBBCiRJiU1ZYStlnSbqCrP0MF5MAD9yAvIfEY8-avbcer7gpGgxkM6sCJMWZV_o7QEqbBmSF3iFfHZpVx1W4YWbPPwMIXcU3msTtqsXB1BE5EH_Q4gAP7-90ASsUsohxccgn0Fs2svvco_X6h1tPTnPprJMSsAR3yA6hsiINOujGMx33YAsz9K46uENkFz5nL-YWk8LoHDRUdppqkARYHyGwQPul4cTJV35AsiIYH1zRIWQ8q11hpXREmBuB8FjUnsuE7XR_WlvaXu5u5anod_8hXgis0YqrpiBhIvwM0W2K8tNcyrGXfw";

    /// RS256 with a ring key pair: enough of a real signer for these tests.
    struct TestRsaSigner {
        pair: RsaKeyPair,
        jwk: Object,
    }

    impl TestRsaSigner {
        fn quay_test_key() -> Self {
            let der = base64::engine::general_purpose::STANDARD
                .decode(crate::test_keys::QUAY_RSA_PKCS8_B64)
                .unwrap();
            let pair = RsaKeyPair::from_pkcs8(&der).unwrap();
            let n = TEST_RSA_N.to_string();
            let e = "AQAB".to_string();
            let key = crate::keys::PublicKey::Rsa {
                n: base64url::decode(n.as_bytes()).unwrap(),
                e: base64url::decode(e.as_bytes()).unwrap(),
            };
            let jwk = Object(vec![
                (PyStr::from("n"), Value::Str(PyStr::from(n))),
                (PyStr::from("e"), Value::Str(PyStr::from(e))),
                (PyStr::from("kid"), Value::Str(PyStr::from(key.key_id()))),
                (PyStr::from("kty"), Value::Str(PyStr::from("RSA"))),
            ]);
            TestRsaSigner { pair, jwk }
        }
    }

    impl Signer for TestRsaSigner {
        fn alg(&self) -> &'static str {
            "RS256"
        }
        fn public_jwk(&self) -> Object {
            self.jwk.clone()
        }
        fn sign(&self, signing_input: &[u8]) -> Result<Vec<u8>> {
            let mut sig = vec![0; self.pair.public().modulus_len()];
            let rng = ring::rand::SystemRandom::new();
            self.pair
                .sign(&RSA_PKCS1_SHA256, &rng, signing_input, &mut sig)
                .map_err(|_| Error::key("signing failed"))?;
            Ok(sig)
        }
    }

    /// A signer that fails.
    struct FailingSigner;

    impl Signer for FailingSigner {
        fn alg(&self) -> &'static str {
            "RS256"
        }
        fn public_jwk(&self) -> Object {
            Object::default()
        }
        fn sign(&self, _: &[u8]) -> Result<Vec<u8>> {
            Err(Error::key("no key"))
        }
    }

    /// Odd jwk members (non-ASCII, optionally a lone surrogate, non-strings) and a SHA-256
    /// "signature".
    struct OddSigner {
        surrogate: bool,
    }

    const ODD: OddSigner = OddSigner { surrogate: true };
    const ODD_UTF8: OddSigner = OddSigner { surrogate: false };

    impl Signer for OddSigner {
        fn alg(&self) -> &'static str {
            "ES256"
        }
        fn public_jwk(&self) -> Object {
            Object(vec![
                (PyStr::from("crv"), Value::Str(PyStr::from("P-256"))),
                (
                    PyStr::from("x\u{e9}"),
                    Value::Str(if self.surrogate {
                        PyStr(b"\xed\xa0\x80".to_vec())
                    } else {
                        PyStr::from("\u{1F631}")
                    }),
                ),
                (
                    PyStr::from("n"),
                    Value::Array(vec![Value::Int(1), Value::Null]),
                ),
                (PyStr::from("e"), Value::Object(Object::default())),
            ])
        }
        fn sign(&self, signing_input: &[u8]) -> Result<Vec<u8>> {
            Ok(ring::digest::digest(&ring::digest::SHA256, signing_input)
                .as_ref()
                .to_vec())
        }
    }

    fn s(text: &str) -> Value {
        Value::Str(PyStr::from(text))
    }

    /// The builder's payload object.
    fn document(name: &str, tag: &str, layers: &[(&str, &str)]) -> Value {
        let history = layers
            .iter()
            .map(|(_, v1)| Value::Object(Object(vec![(PyStr::from("v1Compatibility"), s(v1))])))
            .collect();
        let fs_layers = layers
            .iter()
            .map(|(d, _)| Value::Object(Object(vec![(PyStr::from("blobSum"), s(d))])))
            .collect();
        Value::Object(Object(vec![
            (PyStr::from("tag"), s(tag)),
            (PyStr::from("name"), s(name)),
            (PyStr::from("architecture"), s("amd64")),
            (PyStr::from("schemaVersion"), Value::Int(1)),
            (PyStr::from("history"), Value::Array(history)),
            (PyStr::from("fsLayers"), Value::Array(fs_layers)),
        ]))
    }

    fn b64(text: &str) -> Vec<u8> {
        base64::engine::general_purpose::STANDARD
            .decode(text)
            .unwrap()
    }

    const TIME: &str = "2019-02-20T12:00:00Z";

    /// Golden record `quay_unencoded_unicode/*`: one layer whose metadata has "Sômé guy".
    fn unicode_doc() -> Value {
        document(
            "somenamespace/somerepo",
            "sometag",
            &[(
                "sha256:abcde",
                "{\"id\": \"someid\", \"author\": \"S\u{f4}m\u{e9} guy\"}",
            )],
        )
    }

    const UNICODE_UNSIGNED_ASCII: &str = "ewogICAidGFnIjogInNvbWV0YWciLAogICAibmFtZSI6ICJzb21lbmFtZXNwYWNlL3NvbWVyZXBvIiwKICAgImFyY2hpdGVjdHVyZSI6ICJhbWQ2NCIsCiAgICJzY2hlbWFWZXJzaW9uIjogMSwKICAgImhpc3RvcnkiOiBbCiAgICAgIHsKICAgICAgICAgInYxQ29tcGF0aWJpbGl0eSI6ICJ7XCJpZFwiOiBcInNvbWVpZFwiLCBcImF1dGhvclwiOiBcIlNcdTAwZjRtXHUwMGU5IGd1eVwifSIKICAgICAgfQogICBdLAogICAiZnNMYXllcnMiOiBbCiAgICAgIHsKICAgICAgICAgImJsb2JTdW0iOiAic2hhMjU2OmFiY2RlIgogICAgICB9CiAgIF0KfQ==";
    const UNICODE_UNSIGNED_UTF8: &str = "ewogICAidGFnIjogInNvbWV0YWciLAogICAibmFtZSI6ICJzb21lbmFtZXNwYWNlL3NvbWVyZXBvIiwKICAgImFyY2hpdGVjdHVyZSI6ICJhbWQ2NCIsCiAgICJzY2hlbWFWZXJzaW9uIjogMSwKICAgImhpc3RvcnkiOiBbCiAgICAgIHsKICAgICAgICAgInYxQ29tcGF0aWJpbGl0eSI6ICJ7XCJpZFwiOiBcInNvbWVpZFwiLCBcImF1dGhvclwiOiBcIlPDtG3DqSBndXlcIn0iCiAgICAgIH0KICAgXSwKICAgImZzTGF5ZXJzIjogWwogICAgICB7CiAgICAgICAgICJibG9iU3VtIjogInNoYTI1NjphYmNkZSIKICAgICAgfQogICBdCn0=";

    /// The signature of golden record `quay_unencoded_unicode/signed/ascii`.
    const UNICODE_SIGNED_ASCII_SIGNATURE: &str = "gI5-uygd9r6tbM8EqRc6k5-YXhL6_D3t3Y1t3PRsfpEmS9QJUOwX-Jjez7wX_0gl4851J9COlsCUzriC0WIRH--l9ScVcRJVdU3mngiTbVYoLXj1bWvL2d6xkmxP-hTPyKIrNLAYk_8O4XzquMHGRNh3bqmIdj_oaDPFGFvBp4G0bdoxLmtshJpWD-pUpzspsLFjjU4VWh3ZIn-Jrd7XJp56SGF8h0FLsuqWLhAB8L3TVUpqi0rGBM1eRK1SDZA48XKA--N4cikWiFRZS3OVV_Srg_NbPXZggB7YhT1m2XejU0na9cpWXzS4woXiu4DEEvtyXm55PxDRnE-QBuiHJg";

    /// Golden record `quay_unencoded_unicode/signed/ascii`, whole: the unsigned payload up to its
    /// closing line, then this.
    fn unicode_signed_ascii_expected() -> Vec<u8> {
        let unsigned = b64(UNICODE_UNSIGNED_ASCII);
        let mut out = unsigned[..unsigned.len() - 2].to_vec();
        out.extend_from_slice(
            concat!(
                ",\n   \"signatures\": [\n      {\n         \"header\": {\n            \"jwk\": {\n",
                "               \"n\": \"0oJr_FhoKjRhyTzA6Fi-HXpXYWonZvidgBBCiRJiU1ZYStlnSbqCrP0MF5MAD9yAvIfEY8-avbcer7gpGgxkM6sCJMWZV_o7QEqbBmSF3iFfHZpVx1W4YWbPPwMIXcU3msTtqsXB1BE5EH_Q4gAP7-90ASsUsohxccgn0Fs2svvco_X6h1tPTnPprJMSsAR3yA6hsiINOujGMx33YAsz9K46uENkFz5nL-YWk8LoHDRUdppqkARYHyGwQPul4cTJV35AsiIYH1zRIWQ8q11hpXREmBuB8FjUnsuE7XR_WlvaXu5u5anod_8hXgis0YqrpiBhIvwM0W2K8tNcyrGXfw\",\n",
                "               \"e\": \"AQAB\",\n",
                "               \"kid\": \"GZPQ:GQ2L:JHD2:YKIB:QHAS:CL2K:UJVH:TALW:HNA7:FYJC:TTQW:RRYH\",\n",
                "               \"kty\": \"RSA\"\n            },\n            \"alg\": \"RS256\"\n         },\n",
                "         \"signature\": \"",
            )
            .as_bytes(),
        );
        out.extend_from_slice(UNICODE_SIGNED_ASCII_SIGNATURE.as_bytes());
        out.extend_from_slice(
            concat!(
                "\",\n         \"protected\": \"eyJmb3JtYXRUYWlsIjoiQ24wIiwiZm9ybWF0TGVuZ3RoIjozMDgsInRpbWUiOiIyMDE5LTAyLTIwVDEyOjAwOjAwWiJ9\"\n",
                "      }\n   ]\n}",
            )
            .as_bytes(),
        );
        out
    }

    #[test]
    fn unsigned_matches_quay() {
        let doc = unicode_doc();
        assert_eq!(
            build(&doc, true, None, TIME).unwrap(),
            b64(UNICODE_UNSIGNED_ASCII)
        );
        assert_eq!(
            build(&doc, false, None, TIME).unwrap(),
            b64(UNICODE_UNSIGNED_UTF8)
        );
        // Golden record `zero_layers/unsigned/ascii`.
        let empty = document("somenamespace/somerepo", "sometag", &[]);
        assert_eq!(
            build(&empty, true, None, TIME).unwrap(),
            b"{\n   \"tag\": \"sometag\",\n   \"name\": \"somenamespace/somerepo\",\n   \"architecture\": \"amd64\",\n   \"schemaVersion\": 1,\n   \"history\": [],\n   \"fsLayers\": []\n}"
        );
    }

    #[test]
    fn signed_matches_quay() {
        let signer = TestRsaSigner::quay_test_key();
        let doc = unicode_doc();
        let out = build(&doc, true, Some(&signer), TIME).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            String::from_utf8(unicode_signed_ascii_expected()).unwrap()
        );
    }

    #[test]
    fn signed_utf8_and_digest() {
        let signer = TestRsaSigner::quay_test_key();
        let doc = unicode_doc();
        let out = build(&doc, false, Some(&signer), TIME).unwrap();
        let unsigned = b64(UNICODE_UNSIGNED_UTF8);
        assert!(out.starts_with(&unsigned[..unsigned.len() - 2]));
        // Golden digest of `quay_unencoded_unicode/*/utf8`, signed and unsigned alike.
        let parsed = crate::manifest::parse(&out, true).unwrap();
        assert_eq!(
            parsed.digest,
            "sha256:07a1d63e49cc84ad92e55ca3669298ad74f1f050b35368c4c69d4e62291822c4"
        );
        assert_eq!(parsed.signers.len(), 1);
        let ascii = build(&doc, true, Some(&signer), TIME).unwrap();
        let parsed = crate::manifest::parse(&ascii, true).unwrap();
        assert_eq!(
            parsed.digest,
            "sha256:647738426869e6df75c6284ec77b30c7601f18f950b7de22cf65cd8086f7305a"
        );
    }

    /// The spliced output equals `json.dumps({**document, "signatures": [block]}, indent=3)`.
    fn assert_splice_is_full_write(doc: &Value, ensure_ascii: bool, signer: &dyn Signer) {
        let out = build(doc, ensure_ascii, Some(signer), TIME).unwrap();
        let parsed = json::parse(&out).unwrap();
        let Value::Object(members) = &parsed else {
            panic!("not an object")
        };
        let block = members.get("signatures").unwrap().clone();
        let mut merged = doc.as_object().unwrap().clone();
        merged.0.push((PyStr::from("signatures"), block));
        let mut full = Vec::new();
        json::write_indented(&Value::Object(merged), 3, ensure_ascii, &mut full);
        assert_eq!(out, full);
        // The signature block really is the one for this payload.
        let mut payload = Vec::new();
        json::write_indented(doc, 3, ensure_ascii, &mut payload);
        assert_eq!(&out[..payload.len() - 2], &payload[..payload.len() - 2]);
    }

    #[test]
    fn splice_equals_whole_document() {
        let rsa = TestRsaSigner::quay_test_key();
        let docs = [
            unicode_doc(),
            document("ns/repo", "latest", &[]),
            document(
                "a/b/c",
                "t\u{1F631}",
                &[
                    ("sha256:aa", "{\"id\": \"leaf\", \"parent\": \"base\"}"),
                    ("sha256:bb", "{\"id\": \"base\", \"x\": \"\\n\\t\u{2603}\"}"),
                    ("sha256:cc", ""),
                ],
            ),
            Value::Object(Object(vec![(PyStr::from("only"), Value::Null)])),
            Value::Object(Object(vec![(
                PyStr::from("nested"),
                Value::Array(vec![Value::Object(Object(vec![(
                    PyStr::from("k"),
                    Value::Array(vec![
                        Value::Float(1.5),
                        Value::BigInt("123456789012345678901234567890".into()),
                    ]),
                )]))]),
            )])),
        ];
        for doc in &docs {
            for ensure_ascii in [true, false] {
                assert_splice_is_full_write(doc, ensure_ascii, &rsa);
                assert_splice_is_full_write(doc, ensure_ascii, &ODD_UTF8);
                if ensure_ascii {
                    assert_splice_is_full_write(doc, ensure_ascii, &ODD);
                }
            }
        }
    }

    #[test]
    fn odd_jwk_members_are_escaped() {
        let doc = document("ns/repo", "latest", &[]);
        let out = build(&doc, true, Some(&ODD), TIME).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("\"x\\u00e9\": \"\\ud800\""), "{text}");
        assert!(text.contains("\"alg\": \"ES256\""));
        // The jwk's lone surrogate cannot be written as UTF-8.
        let err = build(&doc, false, Some(&ODD), TIME).unwrap_err();
        assert!(
            matches!(err, Error::Malformed(ref m) if m.contains("lone surrogate")),
            "{err:?}"
        );
    }

    #[test]
    fn protected_header_layout() {
        let doc = document("ns/repo", "latest", &[("sha256:ab", "{}")]);
        for time in [TIME, "odd \"time\"\n\u{e9}"] {
            let out = build(&doc, true, Some(&ODD), time).unwrap();
            let parsed = json::parse(&out).unwrap();
            let sig = &parsed
                .as_object()
                .unwrap()
                .get("signatures")
                .unwrap()
                .as_array()
                .unwrap()[0];
            let protected = sig
                .as_object()
                .unwrap()
                .get("protected")
                .unwrap()
                .as_str()
                .unwrap();
            let header = base64url::decode(protected.as_bytes()).unwrap();
            let mut payload = Vec::new();
            json::write_indented(&doc, 3, true, &mut payload);
            let mut time_json = Vec::new();
            json::write_string(&PyStr::from(time), true, &mut time_json);
            let expected = format!(
                "{{\"formatTail\":\"Cn0\",\"formatLength\":{},\"time\":{}}}",
                payload.len() - 2,
                String::from_utf8(time_json).unwrap()
            );
            assert_eq!(String::from_utf8(header).unwrap(), expected);
            // The signature covers `protected.base64url(payload)`.
            let mut input = protected.as_bytes().to_vec();
            input.push(b'.');
            input.extend_from_slice(base64url::encode(&payload).as_bytes());
            let signature = sig
                .as_object()
                .unwrap()
                .get("signature")
                .unwrap()
                .as_str()
                .unwrap();
            assert_eq!(
                base64url::decode(signature.as_bytes()).unwrap(),
                ODD.sign(&input).unwrap()
            );
        }
    }

    #[test]
    fn lone_surrogates() {
        let doc = Value::Object(Object(vec![(
            PyStr::from("tag"),
            Value::Str(PyStr(b"a\xed\xb0\x80b".to_vec())),
        )]));
        assert_eq!(
            build(&doc, true, None, TIME).unwrap(),
            b"{\n   \"tag\": \"a\\udc00b\"\n}"
        );
        for signer in [None, Some(&ODD as &dyn Signer)] {
            let err = build(&doc, false, signer, TIME).unwrap_err();
            assert_eq!(
                err,
                Error::Malformed("manifest cannot be encoded as UTF-8: lone surrogate".into())
            );
        }
    }

    #[test]
    fn signer_errors_pass_through() {
        let doc = unicode_doc();
        assert_eq!(
            build(&doc, true, Some(&FailingSigner), TIME).unwrap_err(),
            Error::Key("no key".into())
        );
    }

    #[test]
    fn unusual_documents() {
        // Python's rfind gives -1 for `{}`: the tail is the last byte and the signatures are
        // the only member.
        let out = build(&Value::Object(Object::default()), true, Some(&ODD), TIME).unwrap();
        let parsed = json::parse(&out).unwrap();
        let members = parsed.as_object().unwrap();
        assert_eq!(members.len(), 1);
        let sig = &members.get("signatures").unwrap().as_array().unwrap()[0];
        let protected = sig
            .as_object()
            .unwrap()
            .get("protected")
            .unwrap()
            .as_str()
            .unwrap();
        assert_eq!(
            base64url::decode(protected.as_bytes()).unwrap(),
            format!("{{\"formatTail\":\"fQ\",\"formatLength\":-1,\"time\":\"{TIME}\"}}").as_bytes()
        );
        // An existing `signatures` member is replaced in place.
        let doc = Value::Object(Object(vec![
            (PyStr::from("signatures"), Value::Null),
            (PyStr::from("tag"), s("x")),
        ]));
        let out = build(&doc, true, Some(&ODD), TIME).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("{\n   \"signatures\": [\n      {\n         \"header\""));
        assert!(text.ends_with("   ],\n   \"tag\": \"x\"\n}"));
        // Other values build unsigned (json.dumps takes anything) but cannot be signed.
        assert_eq!(build(&s("x"), true, None, TIME).unwrap(), b"\"x\"");
        assert!(matches!(
            build(&Value::Array(vec![]), true, Some(&ODD), TIME),
            Err(Error::Malformed(_))
        ));
    }

    #[test]
    fn helpers() {
        assert_eq!(rfind(b"a\n}b\n}", b"\n}"), Some(4));
        assert_eq!(rfind(b"{}", b"\n}"), None);
        assert_eq!(rfind(b"", b"\n}"), None);
        let mut out = Vec::new();
        push_indented(b"[\n   1\n]", 3, &mut out);
        assert_eq!(out, b"[\n      1\n   ]");
        assert!(estimated_len(&unicode_doc()) >= b64(UNICODE_UNSIGNED_ASCII).len() / 2);
    }
}
