//! The example manifests shipped in `examples/` (signed by libtrust through schema1peer),
//! read by the core alone: verdicts, digests and algorithms.

use std::path::PathBuf;

use docker_schema1::manifest;

const DIGEST: &str = "sha256:86485ffc04b270b9c82afaafc9b5fc94e931720b97ac334a9a03da57053cb533";

fn example(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn valid_examples_verify_with_their_digest_and_algorithms() {
    const CASES: &[(&str, &[&str])] = &[
        ("unsigned.json", &[]),
        ("signed-rs256.json", &["RS256"]),
        ("signed-es256.json", &["ES256"]),
        ("signed-es384.json", &["ES384"]),
        ("signed-es512.json", &["ES512"]),
        ("signed-two-signatures.json", &["RS256", "ES256"]),
    ];
    for (name, algs) in CASES {
        let parsed =
            manifest::parse(&example(name), true).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(parsed.digest, DIGEST, "{name}");
        let got: Vec<&str> = parsed.signers.iter().map(|s| s.alg.name()).collect();
        assert_eq!(&got, algs, "{name}");
        assert!(
            parsed.signers.iter().all(|s| s.key_id.len() == 59),
            "{name}"
        );
        assert_eq!(parsed.blob_sums.len(), 3, "{name}");
    }
}

#[test]
fn tampered_example_fails_but_still_has_a_digest() {
    let data = example("invalid/tampered-es256.json");
    let error = manifest::parse(&data, true).unwrap_err();
    assert!(
        error
            .message()
            .starts_with("signature 0: signature does not verify"),
        "{error}"
    );
    let parsed = manifest::parse(&data, false).unwrap();
    assert_eq!(
        parsed.digest,
        "sha256:aefc12d637772fa095b109012b5c52977bde1b90cf08f092a36509e095554526"
    );
}

#[test]
fn every_truncation_of_a_signed_example_is_an_error_not_a_panic() {
    let data = example("signed-es256.json");
    for end in 0..data.len() {
        assert!(
            manifest::parse(&data[..end], true).is_err(),
            "prefix of {end} bytes"
        );
    }
}

#[test]
fn content_after_the_signed_head_is_rejected() {
    let data = String::from_utf8(example("signed-es256.json")).unwrap();
    // A second "tag" smuggled before the signatures: libtrust ignores it, we must not.
    let smuggled = data.replacen("\"signatures\"", "\"tag\": \"evil\",\n   \"signatures\"", 1);
    let error = manifest::parse(smuggled.as_bytes(), true).unwrap_err();
    assert!(
        error.message().contains("outside the signed payload"),
        "{error}"
    );
    // Without validation the payload, and so the digest, is unchanged.
    assert_eq!(
        manifest::parse(smuggled.as_bytes(), false).unwrap().digest,
        DIGEST
    );
}
