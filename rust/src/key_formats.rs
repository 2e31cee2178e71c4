//! Reading private keys: [`SigningKey::from_bytes`] takes the key as the Python layer hands it
//! over:
//!
//! - JWK JSON text (first non-whitespace byte `{`): `kty` `RSA` with `n, e, d, p, q, dp, dq, qi`,
//!   or `kty` `EC` with `crv` (`P-256`, `P-384`, `P-521`) and `x, y, d`. Other members (`kid`,
//!   `alg`, `use`, ...) are ignored: the `kid` written is always the libtrust key id.
//! - PEM text: `PRIVATE KEY` (PKCS#8, RSA or EC), `RSA PRIVATE KEY` (PKCS#1), `EC PRIVATE KEY`
//!   (SEC1). An `EC PARAMETERS` block before the key (as `openssl ecparam -genkey` writes) is
//!   skipped.
//! - DER of any of those three.
//!
//! The formats are read by RustCrypto's `pem-rfc7468`, `der`, `pkcs8`, `pkcs1` and `sec1`; JWKs by
//! this crate's JSON reader. Every problem is an [`Error::Key`] that says what is wrong.

use crate::base64url;
use crate::error::{Error, Result};
use crate::json::{Object, PyStr, Value};
use crate::keys::{ec_point, quoted, Curve, PublicKey};
use crate::signing_key::{ec_key, rsa_key, RsaParts, SigningKey};
use const_oid::db::rfc5912;
use der::asn1::{AnyRef, ObjectIdentifier, UintRef};
use der::{Decode, SliceReader, Tag, Tagged};

impl SigningKey {
    /// Reads a private key from JWK JSON text, PEM text or DER (see the module documentation).
    /// Every problem is an [`Error::Key`].
    pub fn from_bytes(key: &[u8]) -> Result<SigningKey> {
        let start = key
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(key.len());
        let trimmed = key.get(start..).unwrap_or_default();
        if trimmed.first() == Some(&b'{') {
            return from_jwk_text(trimmed);
        }
        if find(key, b"-----BEGIN ", 0).is_some() {
            return from_pem(key);
        }
        if key.first() == Some(&0x30) {
            // A DER SEQUENCE.
            return from_der(key, DerKind::Any);
        }
        if trimmed.is_empty() {
            return Err(unrecognised("the key is empty"));
        }
        Err(unrecognised("neither JWK JSON, PEM nor DER"))
    }
}

fn unrecognised(what: &str) -> Error {
    Error::key(format!("unrecognised key: {what}"))
}

fn public_key_given() -> Error {
    Error::key("public key given: signing needs a private key")
}

fn encrypted_pem() -> Error {
    Error::key("encrypted PEM keys are not supported")
}

// ---------------------------------------------------------------------------------------------
// JWK

fn from_jwk_text(text: &[u8]) -> Result<SigningKey> {
    let value = crate::json::parse(text)
        .map_err(|e| unrecognised(&format!("JWK is not valid JSON: {}", e.message())))?;
    let Value::Object(jwk) = value else {
        return Err(unrecognised("JWK is not a JSON object"));
    };
    let kty = jwk_str(&jwk, "kty")?.ok_or_else(|| unrecognised("JWK has no \"kty\""))?;
    match kty {
        "RSA" => {
            if !jwk.contains_key("d") {
                return Err(public_key_given());
            }
            if jwk.contains_key("oth") {
                return Err(Error::key("multi-prime RSA keys are not supported"));
            }
            if ["p", "q", "dp", "dq", "qi"]
                .iter()
                .any(|m| !jwk.contains_key(m))
            {
                return Err(Error::key("RSA JWK needs p, q, dp, dq and qi"));
            }
            let PublicKey::Rsa { n, e } = jwk_public(&jwk)? else {
                return Err(unrecognised("JWK is not an RSA key"));
            };
            let [d, p, q, dp, dq, qi] = ["d", "p", "q", "dp", "dq", "qi"].map(|m| jwk_b64(&jwk, m));
            rsa_key(&RsaParts {
                n: &n,
                e: &e,
                d: &d?,
                p: &p?,
                q: &q?,
                dp: &dp?,
                dq: &dq?,
                qi: &qi?,
            })
        }
        "EC" => {
            let crv = jwk_str(&jwk, "crv")?.ok_or_else(|| unrecognised("EC JWK has no \"crv\""))?;
            let Some(curve) = Curve::from_name(crv) else {
                return Err(Error::key(format!("unsupported EC curve {}", quoted(crv))));
            };
            if !jwk.contains_key("d") {
                return Err(public_key_given());
            }
            let PublicKey::Ec { x, y, .. } = jwk_public(&jwk)? else {
                return Err(unrecognised("JWK is not an EC key"));
            };
            let d = jwk_b64(&jwk, "d")?;
            ec_key(curve, &d, Some(&ec_point(curve, &x, &y)))
        }
        other => Err(Error::key(format!(
            "unsupported kty {}: signing needs an RSA or EC key",
            quoted(other)
        ))),
    }
}

/// A string member; `None` when absent.
fn jwk_str<'a>(jwk: &'a Object, name: &str) -> Result<Option<&'a str>> {
    let Some(value) = jwk.get(name) else {
        return Ok(None);
    };
    let s = value
        .as_str()
        .and_then(PyStr::as_str)
        .ok_or_else(|| unrecognised(&format!("JWK member \"{name}\" must be a string")))?;
    Ok(Some(s))
}

fn jwk_b64(jwk: &Object, name: &str) -> Result<Vec<u8>> {
    let s = jwk_str(jwk, name)?.ok_or_else(|| unrecognised(&format!("JWK has no \"{name}\"")))?;
    base64url::decode(s.as_bytes())
        .ok_or_else(|| unrecognised(&format!("JWK member \"{name}\" is not valid base64url")))
}

/// The public members, read by [`PublicKey::from_jwk`].
fn jwk_public(jwk: &Object) -> Result<PublicKey> {
    PublicKey::from_jwk(jwk).map_err(|e| {
        let msg = e.message();
        unrecognised(&format!("JWK {}", msg.strip_prefix("jwk: ").unwrap_or(msg)))
    })
}

// ---------------------------------------------------------------------------------------------
// PEM (pem-rfc7468)

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

/// The first private key block of PEM text. `pem-rfc7468` decodes one block; the blocks are
/// found here, because key files may hold text before them and an `EC PARAMETERS` block
/// (`openssl ecparam -genkey` writes one) before the key.
fn from_pem(text: &[u8]) -> Result<SigningKey> {
    const BEGIN: &[u8] = b"-----BEGIN ";
    const DASHES: &[u8] = b"-----";
    let mut at = 0;
    while let Some(begin) = find(text, BEGIN, at) {
        let label_start = begin + BEGIN.len();
        let label_end = find(text, DASHES, label_start)
            .ok_or_else(|| unrecognised("PEM BEGIN line is not closed by -----"))?;
        let label = String::from_utf8_lossy(text.get(label_start..label_end).unwrap_or_default());
        let end_line = format!("-----END {label}-----");
        let block_end = find(text, end_line.as_bytes(), label_end)
            .map(|end| end + end_line.len())
            .ok_or_else(|| {
                unrecognised(&format!("PEM block {} has no END line", quoted(&label)))
            })?;
        at = block_end;
        let kind = match &*label {
            "EC PARAMETERS" => continue,
            "PRIVATE KEY" => DerKind::Pkcs8,
            "RSA PRIVATE KEY" => DerKind::Pkcs1,
            "EC PRIVATE KEY" => DerKind::Sec1,
            "ENCRYPTED PRIVATE KEY" => return Err(encrypted_pem()),
            "PUBLIC KEY" | "RSA PUBLIC KEY" | "EC PUBLIC KEY" => return Err(public_key_given()),
            other => {
                return Err(Error::key(format!(
                    "unsupported PEM label {}: expected PRIVATE KEY, RSA PRIVATE KEY or \
                     EC PRIVATE KEY",
                    quoted(other)
                )))
            }
        };
        let block = text.get(begin..block_end).unwrap_or_default();
        let (_, der) = pem_rfc7468::decode_vec(block).map_err(|e| match e {
            // RFC 1421 headers (`Proc-Type: 4,ENCRYPTED`) mark OpenSSL's encrypted PEM.
            pem_rfc7468::Error::HeaderDisallowed => encrypted_pem(),
            pem_rfc7468::Error::Base64(_) => {
                unrecognised(&format!("PEM block {} is not valid base64", quoted(&label)))
            }
            other => unrecognised(&format!("malformed PEM block {}: {other}", quoted(&label))),
        })?;
        return from_der(&der, kind);
    }
    Err(unrecognised("PEM text holds no private key block"))
}

// ---------------------------------------------------------------------------------------------
// DER (der, pkcs8, pkcs1, sec1)

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DerKind {
    /// PKCS#8 PrivateKeyInfo / OneAsymmetricKey.
    Pkcs8,
    /// PKCS#1 RSAPrivateKey.
    Pkcs1,
    /// SEC1 ECPrivateKey.
    Sec1,
    /// Raw DER of unknown kind: told apart by its first elements.
    Any,
}

fn malformed(what: &str, error: der::Error) -> Error {
    unrecognised(&format!("not a valid {what} ({error})"))
}

/// The tags of the first two elements of the one SEQUENCE that makes up `der`.
fn leading_tags(der: &[u8]) -> Result<(Tag, Option<Tag>)> {
    let outer = AnyRef::from_der(der).map_err(|e| malformed("DER key", e))?;
    if outer.tag() != Tag::Sequence {
        return Err(unrecognised("DER that is not a SEQUENCE"));
    }
    let mut reader = SliceReader::new(outer.value()).map_err(|e| malformed("DER key", e))?;
    let first = AnyRef::decode(&mut reader).map_err(|e| malformed("DER key", e))?;
    Ok((first.tag(), Tag::peek(&reader).ok()))
}

fn from_der(der: &[u8], kind: DerKind) -> Result<SigningKey> {
    match kind {
        DerKind::Pkcs8 => pkcs8(der),
        DerKind::Pkcs1 => pkcs1(der),
        DerKind::Sec1 => sec1(der, None, None),
        DerKind::Any => match leading_tags(der)? {
            // version, AlgorithmIdentifier
            (Tag::Integer, Some(Tag::Sequence)) => pkcs8(der),
            // version 1, privateKey
            (Tag::Integer, Some(Tag::OctetString)) => sec1(der, None, None),
            // version, n, ... (or RSAPublicKey n, e)
            (Tag::Integer, Some(Tag::Integer)) => pkcs1(der),
            // SubjectPublicKeyInfo: AlgorithmIdentifier, BIT STRING
            (Tag::Sequence, Some(Tag::BitString)) => Err(public_key_given()),
            // EncryptedPrivateKeyInfo: AlgorithmIdentifier, OCTET STRING
            (Tag::Sequence, Some(Tag::OctetString)) => {
                Err(Error::key("encrypted keys are not supported"))
            }
            _ => Err(unrecognised(
                "DER that is not a PKCS#8, PKCS#1 or SEC1 private key",
            )),
        },
    }
}

/// secp256k1, the curve most often mistaken for a supported one; `const-oid`'s registry
/// does not name it.
const SECP256K1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.10");

/// An OID's name in the registry of `const-oid`, else its dotted form.
fn oid_name(oid: &ObjectIdentifier) -> String {
    if *oid == SECP256K1 {
        return "secp256k1".to_string();
    }
    match const_oid::db::DB.by_oid(oid) {
        Some(name) => name.to_string(),
        None => format!("OID {oid}"),
    }
}

fn curve_of_oid(oid: &ObjectIdentifier) -> Result<Curve> {
    match *oid {
        rfc5912::SECP_256_R_1 => Ok(Curve::P256),
        rfc5912::SECP_384_R_1 => Ok(Curve::P384),
        rfc5912::SECP_521_R_1 => Ok(Curve::P521),
        _ => Err(Error::key(format!(
            "unsupported EC curve {}: signing needs P-256, P-384 or P-521",
            oid_name(oid)
        ))),
    }
}

/// PKCS#8 PrivateKeyInfo (v1) or OneAsymmetricKey (v2).
fn pkcs8(der: &[u8]) -> Result<SigningKey> {
    if let Ok((Tag::Sequence, _)) = leading_tags(der) {
        // EncryptedPrivateKeyInfo starts with its AlgorithmIdentifier.
        return Err(Error::key("encrypted keys are not supported"));
    }
    let info = pkcs8::PrivateKeyInfoRef::from_der(der).map_err(|e| malformed("PKCS#8 key", e))?;
    let private_key = info.private_key.as_bytes();
    let params = info.algorithm.parameters;
    match info.algorithm.oid {
        rfc5912::RSA_ENCRYPTION => {
            if params.is_some_and(|p| p.tag() != Tag::Null) {
                return Err(unrecognised("malformed DER: RSA parameters are not NULL"));
            }
            pkcs1(private_key)
        }
        rfc5912::ID_EC_PUBLIC_KEY => {
            let curve = match params {
                None => return Err(unrecognised("PKCS#8 EC key does not name its curve")),
                Some(p) if p.tag() == Tag::Sequence => return Err(explicit_curve()),
                Some(p) => curve_of_oid(
                    &p.decode_as::<ObjectIdentifier>()
                        .map_err(|e| malformed("EC parameters", e))?,
                )?,
            };
            let point = match info.public_key {
                Some(bits) => Some(
                    bits.as_bytes()
                        .ok_or_else(|| unrecognised("malformed DER: bad BIT STRING"))?,
                ),
                None => None,
            };
            sec1(private_key, Some(curve), point)
        }
        other => Err(Error::key(format!(
            "unsupported key type {}: signing needs an RSA or EC key",
            oid_name(&other)
        ))),
    }
}

fn explicit_curve() -> Error {
    Error::key("EC keys with explicit curve parameters are not supported: use a named curve")
}

/// PKCS#1 RSAPrivateKey.
fn pkcs1(der: &[u8]) -> Result<SigningKey> {
    if pkcs1::RsaPublicKey::<UintRef<'_>>::from_der(der).is_ok() {
        return Err(public_key_given());
    }
    let key = pkcs1::RsaPrivateKey::<UintRef<'_>>::from_der(der).map_err(|e| {
        // Version 1 is multi-prime; `pkcs1` without `alloc` reads only two-prime keys.
        match rsa_version(der) {
            Some(pkcs1::Version::Multi) => Error::key("multi-prime RSA keys are not supported"),
            _ => malformed("PKCS#1 RSAPrivateKey", e),
        }
    })?;
    rsa_key(&RsaParts {
        n: key.modulus.as_bytes(),
        e: key.public_exponent.as_bytes(),
        d: key.private_exponent.as_bytes(),
        p: key.prime1.as_bytes(),
        q: key.prime2.as_bytes(),
        dp: key.exponent1.as_bytes(),
        dq: key.exponent2.as_bytes(),
        qi: key.coefficient.as_bytes(),
    })
}

/// The version at the head of a PKCS#1 RSAPrivateKey.
fn rsa_version(der: &[u8]) -> Option<pkcs1::Version> {
    let outer = AnyRef::from_der(der).ok()?;
    let mut reader = SliceReader::new(outer.value()).ok()?;
    pkcs1::Version::decode(&mut reader).ok()
}

/// SEC1 ECPrivateKey, with the curve and public point a PKCS#8 wrapper may give.
fn sec1(der: &[u8], outer: Option<Curve>, outer_point: Option<&[u8]>) -> Result<SigningKey> {
    let key = sec1::EcPrivateKey::from_der(der).map_err(|e| malformed("SEC1 ECPrivateKey", e))?;
    let inner = match key.parameters.and_then(|p| p.named_curve()) {
        Some(oid) => Some(curve_of_oid(&oid)?),
        None => None,
    };
    let curve = match (outer, inner) {
        (Some(a), Some(b)) if a != b => {
            return Err(unrecognised(&format!(
                "PKCS#8 names curve {} but the EC key {}",
                a.name(),
                b.name()
            )))
        }
        (Some(c), _) | (None, Some(c)) => c,
        (None, None) => return Err(unrecognised("SEC1 EC key does not name its curve")),
    };
    if let (Some(a), Some(b)) = (key.public_key, outer_point) {
        if a != b {
            return Err(Error::key(
                "unusable EC key: the public point does not match the private key",
            ));
        }
    }
    ec_key(curve, key.private_key, key.public_key.or(outer_point))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::Signer as _;
    use crate::test_keys::*;
    use crate::verify::{verify, Algorithm};

    fn key_error(input: &[u8]) -> String {
        match SigningKey::from_bytes(input) {
            Err(Error::Key(msg)) => msg,
            Err(other) => panic!("not Error::Key: {other:?}"),
            Ok(key) => panic!("parsed: {key:?}"),
        }
    }
    #[test]
    fn every_key_form_parses_to_its_alg_and_key_id() {
        for &(name, text, der, alg, kid) in KEYS {
            let key = parse(text, der);
            assert_eq!(key.alg(), alg, "{name}");
            assert_eq!(key.key_id(), kid, "{name}");
            assert_eq!(key.public_key().key_id(), kid, "{name}");
            assert_eq!(member(&key.public_jwk(), "kid"), kid, "{name}");
        }
    }

    #[test]
    fn leading_whitespace_and_ec_parameters_block() {
        let jwk = format!(" \n\t{P256_JWK}\n");
        assert_eq!(
            SigningKey::from_bytes(jwk.as_bytes()).unwrap().key_id(),
            P256_KID
        );
        let pem = format!(
            "Bag Attributes: none\n-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n\
             -----END EC PARAMETERS-----\n{P256_SEC1_PEM}"
        );
        assert_eq!(
            SigningKey::from_bytes(pem.as_bytes()).unwrap().key_id(),
            P256_KID
        );
        let crlf = P384_PKCS8_PEM.replace('\n', "\r\n");
        assert_eq!(
            SigningKey::from_bytes(crlf.as_bytes()).unwrap().key_id(),
            P384_KID
        );
        // Extra JWK members are ignored; a JWK `kid` does not replace the libtrust one.
        let extra =
            RSA2048_JWK.replacen('{', r#"{"kid": "mine", "alg": "RS256", "use": "sig", "#, 1);
        let key = SigningKey::from_bytes(extra.as_bytes()).unwrap();
        assert_eq!(key.key_id(), RSA2048_KID);
    }

    /// A JWK literal with members replaced (`None` removes the member).
    fn edit_jwk(text: &str, changes: &[(&str, Option<&str>)]) -> Vec<u8> {
        let value = crate::json::parse(text.as_bytes()).unwrap();
        let mut jwk = value.as_object().unwrap().clone();
        for &(name, new) in changes {
            jwk.0.retain(|(k, _)| k.as_bytes() != name.as_bytes());
            if let Some(new) = new {
                jwk.0
                    .push((PyStr::from(name), Value::Str(PyStr::from(new))));
            }
        }
        let mut out = Vec::new();
        crate::json::write_compact_default(&Value::Object(jwk), true, &mut out);
        out
    }

    fn jwk_member(text: &str, name: &str) -> String {
        let value = crate::json::parse(text.as_bytes()).unwrap();
        member(value.as_object().unwrap(), name).to_string()
    }

    #[test]
    fn errors() {
        let public = "public key given: signing needs a private key";
        let encrypted = "encrypted PEM keys are not supported";
        let big_n = base64url::encode(&[0xffu8; 1024]);
        let other_p256_x = jwk_member(P384_JWK, "x");
        let cases: Vec<(&str, Vec<u8>, String)> = vec![
            (
                "RSA-1024 PEM",
                RSA1024_PKCS8_PEM.into(),
                "RSA key of 1024 bits: at least 2048 are needed".into(),
            ),
            (
                "RSA-1024 JWK",
                RSA1024_JWK.into(),
                "RSA key of 1024 bits: at least 2048 are needed".into(),
            ),
            (
                "RSA-8192",
                edit_jwk(RSA2048_JWK, &[("n", Some(&big_n))]),
                "RSA key of 8192 bits: at most 4096 are supported for signing".into(),
            ),
            (
                "RSA e = 3",
                edit_jwk(RSA2048_JWK, &[("e", Some("Aw"))]),
                "RSA public exponent 3 is too small: at least 65537 is needed".into(),
            ),
            (
                "RSA JWK with n, e, d only",
                edit_jwk(
                    RSA2048_JWK,
                    &[("p", None), ("q", None), ("dp", None), ("dq", None), ("qi", None)],
                ),
                "RSA JWK needs p, q, dp, dq and qi".into(),
            ),
            (
                "RSA JWK without qi",
                edit_jwk(RSA2048_JWK, &[("qi", None)]),
                "RSA JWK needs p, q, dp, dq and qi".into(),
            ),
            (
                "RSA JWK with another key's p",
                edit_jwk(RSA2048_JWK, &[("p", Some(&jwk_member(RSA4096_JWK, "q")))]),
                "unusable RSA key: its numbers do not belong together".into(),
            ),
            (
                "RSA multi-prime JWK",
                edit_jwk(RSA2048_JWK, &[("oth", Some("x"))]),
                "multi-prime RSA keys are not supported".into(),
            ),
            ("public RSA JWK", edit_jwk(RSA2048_JWK, &[("d", None)]), public.into()),
            ("public EC JWK", edit_jwk(P256_JWK, &[("d", None)]), public.into()),
            ("SPKI PEM (RSA)", RSA2048_SPKI_PEM.into(), public.into()),
            ("SPKI PEM (EC)", P256_SPKI_PEM.into(), public.into()),
            ("RSA PUBLIC KEY PEM", RSA2048_PKCS1_PUBLIC_PEM.into(), public.into()),
            (
                "SPKI DER",
                b64(P256_SPKI_PEM
                    .lines()
                    .filter(|l| !l.starts_with("-----"))
                    .collect::<String>()
                    .as_str()),
                public.into(),
            ),
            (
                "RSAPublicKey DER",
                b64(RSA2048_PKCS1_PUBLIC_PEM
                    .lines()
                    .filter(|l| !l.starts_with("-----"))
                    .collect::<String>()
                    .as_str()),
                public.into(),
            ),
            (
                "multi-prime PKCS#1 DER (version 1)",
                {
                    // 30 82 LL LL | 02 01 00: the version INTEGER's value is byte 6.
                    let mut der = b64(RSA2048_PKCS1_DER);
                    der[6] = 1;
                    der
                },
                "multi-prime RSA keys are not supported".into(),
            ),
            ("encrypted PKCS#8 PEM", RSA2048_ENCRYPTED_PKCS8_PEM.into(), encrypted.into()),
            ("encrypted PKCS#1 PEM", RSA2048_ENCRYPTED_PKCS1_PEM.into(), encrypted.into()),
            (
                "encrypted PKCS#8 DER",
                b64(RSA2048_ENCRYPTED_PKCS8_PEM
                    .lines()
                    .filter(|l| !l.starts_with("-----"))
                    .collect::<String>()
                    .as_str()),
                "encrypted keys are not supported".into(),
            ),
            (
                "kty oct",
                br#"{"kty": "oct", "k": "AAAA"}"#.to_vec(),
                r#"unsupported kty "oct": signing needs an RSA or EC key"#.into(),
            ),
            (
                "kty OKP",
                br#"{"kty": "OKP", "crv": "Ed25519", "x": "AA", "d": "AA"}"#.to_vec(),
                r#"unsupported kty "OKP": signing needs an RSA or EC key"#.into(),
            ),
            (
                "EC JWK P-192",
                edit_jwk(P256_JWK, &[("crv", Some("P-192"))]),
                r#"unsupported EC curve "P-192""#.into(),
            ),
            (
                "EC JWK secp256k1",
                edit_jwk(P256_JWK, &[("crv", Some("secp256k1"))]),
                r#"unsupported EC curve "secp256k1""#.into(),
            ),
            (
                "secp256k1 SEC1 PEM",
                SECP256K1_SEC1_PEM.into(),
                "unsupported EC curve secp256k1: signing needs P-256, P-384 or P-521".into(),
            ),
            (
                "secp256k1 PKCS#8 PEM",
                SECP256K1_PKCS8_PEM.into(),
                "unsupported EC curve secp256k1: signing needs P-256, P-384 or P-521".into(),
            ),
            (
                "Ed25519 PKCS#8 PEM",
                ED25519_PKCS8_PEM.into(),
                "unsupported key type id-Ed25519: signing needs an RSA or EC key".into(),
            ),
            (
                "CERTIFICATE PEM",
                b"-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n".to_vec(),
                "unsupported PEM label \"CERTIFICATE\": expected PRIVATE KEY, RSA PRIVATE KEY \
                 or EC PRIVATE KEY"
                    .into(),
            ),
            (
                "OpenSSH PEM",
                b"-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbg==\n-----END OPENSSH PRIVATE KEY-----\n"
                    .to_vec(),
                "unsupported PEM label \"OPENSSH PRIVATE KEY\": expected PRIVATE KEY, RSA \
                 PRIVATE KEY or EC PRIVATE KEY"
                    .into(),
            ),
            (
                "P-256 SEC1 without public point",
                b64(P256_SEC1_NO_PUBLIC_DER),
                "P-256 private key without its public point: export the key with its public key"
                    .into(),
            ),
            (
                "P-384 SEC1 without public point",
                b64(P384_SEC1_NO_PUBLIC_DER),
                "P-384 private key without its public point: export the key with its public key"
                    .into(),
            ),
            (
                "P-256 JWK with another point",
                edit_jwk(P256_JWK, &[("x", Some("AQAB"))]),
                "unusable EC key: the public point does not match the private key".into(),
            ),
            (
                "P-521 JWK with another point",
                edit_jwk(P521_JWK, &[("y", Some(&jwk_member(P521_JWK, "x")))]),
                "unusable EC key: the public point does not match the private key".into(),
            ),
            (
                "P-256 JWK with a P-384 x",
                edit_jwk(P256_JWK, &[("x", Some(&other_p256_x))]),
                "unrecognised key: JWK EC coordinate \"x\" is 48 bytes, P-256 allows at most 32"
                    .into(),
            ),
            (
                "P-256 JWK with d zero",
                edit_jwk(P256_JWK, &[("d", Some("AA"))]),
                "unusable EC key: the private scalar is zero".into(),
            ),
            ("empty", Vec::new(), "unrecognised key: the key is empty".into()),
            ("blank", b" \n ".to_vec(), "unrecognised key: the key is empty".into()),
            (
                "garbage",
                b"hello".to_vec(),
                "unrecognised key: neither JWK JSON, PEM nor DER".into(),
            ),
            ("{}", b"{}".to_vec(), "unrecognised key: JWK has no \"kty\"".into()),
            (
                "kty not a string",
                br#"{"kty": 1}"#.to_vec(),
                "unrecognised key: JWK member \"kty\" must be a string".into(),
            ),
            (
                "bad base64url",
                edit_jwk(RSA2048_JWK, &[("d", Some("a+b/"))]),
                "unrecognised key: JWK member \"d\" is not valid base64url".into(),
            ),
            (
                "PEM without END",
                RSA2048_PKCS8_PEM.replace("-----END PRIVATE KEY-----", "").into(),
                "unrecognised key: PEM block \"PRIVATE KEY\" has no END line".into(),
            ),
            (
                "PEM with bad base64",
                RSA2048_PKCS8_PEM.replacen("MII", "M*I", 1).into(),
                "unrecognised key: PEM block \"PRIVATE KEY\" is not valid base64".into(),
            ),
            (
                "PEM label does not fit the DER",
                RSA2048_PKCS8_PEM
                    .replace("PRIVATE KEY", "EC PRIVATE KEY")
                    .into(),
                "unrecognised key: not a valid SEC1 ECPrivateKey (malformed ASN.1 DER value for INTEGER \
                 at DER byte 7)"
                    .into(),
            ),
            (
                "truncated DER",
                b64(RSA2048_PKCS8_DER)[..100].to_vec(),
                "unrecognised key: not a valid DER key (ASN.1 DER message is incomplete: expected \
                 1217, actual 100 at DER byte 4)"
                    .into(),
            ),
        ];
        for (name, input, expected) in cases {
            let got = key_error(&input);
            if expected.ends_with("not valid JSON") {
                assert!(got.starts_with(&expected), "{name}: {got}");
            } else {
                assert_eq!(got, expected, "{name}");
            }
        }
        let got = key_error(b"{not json");
        assert!(
            got.starts_with("unrecognised key: JWK is not valid JSON: "),
            "{got}"
        );
    }

    #[test]
    fn no_panic_on_damaged_keys() {
        // Every truncation and a byte flip at every position of the P-256 DER; a sample of
        // positions elsewhere (parsing a plausible RSA, P-384 or P-521 key costs a little).
        for &(name, text, der, alg, _) in KEYS {
            let original = input(text, der);
            let step = match (alg, der) {
                ("RS256", _) => 97,
                // Unoptimised P-521 arithmetic is slow in test builds.
                ("ES512", true) => 7,
                ("ES384", true) => 2,
                (_, true) => 1,
                (_, false) => 5,
            };
            for cut in (0..original.len()).step_by(step) {
                let _ = SigningKey::from_bytes(&original[..cut]);
                let mut flipped = original.clone();
                flipped[cut] ^= 0x41;
                if let Ok(key) = SigningKey::from_bytes(&flipped) {
                    // Whatever parsed still signs consistently.
                    let signature = key.sign(b"x.y").unwrap();
                    let alg = Algorithm::from_name(key.alg()).unwrap();
                    verify(alg, &key.public_key(), b"x.y", &signature)
                        .unwrap_or_else(|e| panic!("{name} flip at {cut}: {e}"));
                }
            }
        }
        for junk in [
            &b"\x30"[..],
            b"\x30\x80",
            b"\x30\x84\xff\xff\xff\xff",
            b"\x30\x03\x02\x01\x00",
            b"\x30\x02\x02\x00",
            b"\x30\x05\x02\x01\x01\x04\x00",
            b"\x30\x06\x06\x01\xff\x04\x01\x00",
            b"-----BEGIN ",
            b"-----BEGIN PRIVATE KEY-----",
            b"-----BEGIN PRIVATE KEY----------END PRIVATE KEY-----",
            b"{\"kty\": \"EC\", \"crv\": \"P-521\", \"x\": \"\", \"y\": \"\", \"d\": \"\"}",
            b"{\"kty\": \"RSA\", \"n\": \"\", \"e\": \"\", \"d\": \"\", \"p\": \"\", \"q\": \"\", \"dp\": \"\", \"dq\": \"\", \"qi\": \"\"}",
        ] {
            assert!(matches!(SigningKey::from_bytes(junk), Err(Error::Key(_))), "{junk:?}");
        }
    }

    #[test]
    fn unsupported_algorithms_are_named() {
        assert_eq!(oid_name(&SECP256K1), "secp256k1");
        let ed25519 = ObjectIdentifier::new_unwrap("1.3.101.112");
        assert_eq!(oid_name(&ed25519), "id-Ed25519");
        let unknown = ObjectIdentifier::new_unwrap("1.2.3.4.5");
        assert_eq!(oid_name(&unknown), "OID 1.2.3.4.5");
    }
}
