//! The performance floor of verifying a signed manifest, for `benches/`: the work no
//! implementation can skip, done as plainly as possible. SHA-256 of the document, one JSON parse
//! of it, and the verification of its first signature (base64url of the payload, hashing the
//! signing input, the public-key operation). The bench compares `manifest::parse` with this.

use crate::base64url;
use crate::error::{Error, Result};
use crate::json::{self, Value};
use crate::keys::PublicKey;
use crate::manifest::sha256_hex;
use crate::verify::{self, Algorithm};

/// Do the floor's work once on `raw`, a signed manifest.
pub fn floor(raw: &[u8]) -> Result<String> {
    let digest = sha256_hex(&[raw]);
    let document = json::loads(raw)?;
    let missing = || Error::malformed("not a signed manifest");
    let signature = document
        .as_object()
        .and_then(|d| d.get("signatures"))
        .and_then(Value::as_array)
        .and_then(<[Value]>::first)
        .and_then(Value::as_object)
        .ok_or_else(missing)?;
    let field = |name: &str| {
        signature
            .get(name)
            .and_then(Value::as_str)
            .ok_or_else(missing)
    };
    let protected = field("protected")?.as_bytes();
    let header = json::parse(&base64url::decode(protected).ok_or_else(missing)?)?;
    let header = header.as_object().ok_or_else(missing)?;
    let Some(Value::Int(length)) = header.get("formatLength") else {
        return Err(missing());
    };
    let tail = header
        .get("formatTail")
        .and_then(Value::as_str)
        .ok_or_else(missing)?;
    let tail = base64url::decode(tail.as_bytes()).ok_or_else(missing)?;
    let head = usize::try_from(*length)
        .ok()
        .and_then(|n| raw.get(..n))
        .ok_or_else(missing)?;
    let mut input = Vec::with_capacity(protected.len() + 1 + (head.len() + tail.len()) / 3 * 4 + 4);
    input.extend_from_slice(protected);
    input.push(b'.');
    base64url::encode_pair_into(head, &tail, &mut input);
    let jose = signature
        .get("header")
        .and_then(Value::as_object)
        .ok_or_else(missing)?;
    let alg = jose
        .get("alg")
        .and_then(Value::as_str)
        .and_then(|a| a.as_str());
    let alg = Algorithm::from_name(alg.ok_or_else(missing)?)?;
    let key = PublicKey::from_jwk(
        jose.get("jwk")
            .and_then(Value::as_object)
            .ok_or_else(missing)?,
    )?;
    let value = base64url::decode(field("signature")?.as_bytes()).ok_or_else(missing)?;
    verify::verify(alg, &key, &input, &value)?;
    Ok(digest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floor_verifies_a_real_manifest_and_rejects_others() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/signed-es256.json");
        let raw = std::fs::read(path).unwrap();
        // The floor digests the whole document, not the payload: it only measures work.
        assert_eq!(floor(&raw).unwrap(), sha256_hex(&[&raw]));
        let mut tampered = raw.clone();
        tampered[100] ^= 1;
        assert!(floor(&tampered).is_err());
        assert!(floor(b"{}").is_err());
    }
}
