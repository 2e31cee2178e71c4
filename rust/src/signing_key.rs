//! Private keys that sign manifests: RSA (RS256) and EC P-256/P-384/P-521 (ES256/ES384/ES512).
//! [`SigningKey::from_bytes`] (in `key_formats`) reads them from JWK, PEM or DER.
//!
//! RSA keys are signed by `ring`, which takes moduli of 2048 to 4096 bits whose primes are a
//! multiple of 512 bits (2048, 3072 and 4096-bit keys) and public exponents of at least 65537.
//! P-256 and P-384 keys are signed by `ring` too and need their public point (every common
//! encoder writes it); P-521 keys are signed by the `p521` crate, which computes the public
//! point when it is absent. ECDSA nonces are hedged: system randomness mixed with the key and
//! the message (`ring`'s scheme; RFC 6979 with added randomness for P-521). RSA signatures are
//! deterministic.
//!
//! Parsing a key costs more than signing with it (RSA especially, which `ring` validates and
//! which is checked with one trial signature): a [`SigningKey`] is meant to be parsed once and
//! reused; it is `Send + Sync`, and its public JWK and key id are computed once, when it is
//! parsed.

use std::fmt;

use crate::base64url;
use crate::build::Signer;
use crate::error::{Error, Result};
use crate::json::{Object, PyStr, Value};
use crate::keys::{strip_leading_zeros, Curve, PublicKey};
use ring::rand::{SecureRandom, SystemRandom};
use ring::rsa::{KeyPairComponents, PublicKeyComponents};
use ring::signature::{self as rs, EcdsaKeyPair, KeyPair as _, RsaKeyPair};

/// A private key that signs manifests. See the module documentation for the forms it is read
/// from.
pub enum SigningKey {
    /// RS256 (RSASSA-PKCS1-v1_5 with SHA-256).
    Rsa(RsaSigningKey),
    /// ES256 (P-256) or ES384 (P-384).
    Ec(EcSigningKey),
    /// ES512 (P-521).
    P521(P521SigningKey),
}

/// An RSA private key (`ring`).
pub struct RsaSigningKey {
    pair: RsaKeyPair,
    public: Public,
}

/// A P-256 or P-384 private key (`ring`).
pub struct EcSigningKey {
    pair: EcdsaKeyPair,
    curve: Curve,
    public: Public,
}

/// A P-521 private key (`p521`).
pub struct P521SigningKey {
    key: p521::ecdsa::SigningKey,
    public: Public,
}

/// What is derived from the public key once, when the private key is parsed.
struct Public {
    key: PublicKey,
    key_id: String,
    jwk: Object,
}

impl Public {
    fn new(key: PublicKey) -> Public {
        let key_id = key.key_id();
        let text = |s: &str| Value::Str(PyStr::from(s));
        let b64 = |b: &[u8]| Value::Str(PyStr::from(base64url::encode(b)));
        let members: Vec<(&str, Value)> = match &key {
            PublicKey::Rsa { n, e } => vec![
                ("n", b64(n)),
                ("e", b64(e)),
                ("kid", text(&key_id)),
                ("kty", text("RSA")),
            ],
            PublicKey::Ec { curve, x, y } => vec![
                ("crv", text(curve.name())),
                ("kid", text(&key_id)),
                ("kty", text("EC")),
                ("x", b64(x)),
                ("y", b64(y)),
            ],
            // Never built by this module (no Ed25519 signing).
            PublicKey::Ed25519(x) => vec![
                ("crv", text("Ed25519")),
                ("kid", text(&key_id)),
                ("kty", text("OKP")),
                ("x", b64(x)),
            ],
        };
        let jwk = Object(
            members
                .into_iter()
                .map(|(k, v)| (PyStr::from(k), v))
                .collect(),
        );
        Public { key, key_id, jwk }
    }
}

impl SigningKey {
    /// The public half (to compute key ids and verify).
    pub fn public_key(&self) -> PublicKey {
        self.public().key.clone()
    }

    /// The libtrust key id of the public key (`kid` of [`Signer::public_jwk`]).
    pub fn key_id(&self) -> &str {
        &self.public().key_id
    }

    fn public(&self) -> &Public {
        match self {
            SigningKey::Rsa(k) => &k.public,
            SigningKey::Ec(k) => &k.public,
            SigningKey::P521(k) => &k.public,
        }
    }
}

impl fmt::Debug for SigningKey {
    /// The algorithm and key id only: never the private key.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("alg", &self.alg())
            .field("kid", &self.key_id())
            .finish_non_exhaustive()
    }
}

impl Signer for SigningKey {
    fn alg(&self) -> &'static str {
        match self {
            SigningKey::Rsa(_) => "RS256",
            SigningKey::Ec(k) if k.curve == Curve::P384 => "ES384",
            SigningKey::Ec(_) => "ES256",
            SigningKey::P521(_) => "ES512",
        }
    }

    fn public_jwk(&self) -> Object {
        self.public().jwk.clone()
    }

    fn sign(&self, signing_input: &[u8]) -> Result<Vec<u8>> {
        let rng = SystemRandom::new();
        match self {
            SigningKey::Rsa(k) => {
                let mut signature = vec![0u8; k.pair.public().modulus_len()];
                k.pair
                    .sign(&rs::RSA_PKCS1_SHA256, &rng, signing_input, &mut signature)
                    .map_err(|_| Error::key("RSA signing failed"))?;
                Ok(signature)
            }
            SigningKey::Ec(k) => k
                .pair
                .sign(&rng, signing_input)
                .map(|s| s.as_ref().to_vec())
                .map_err(|_| Error::key("ECDSA signing failed")),
            SigningKey::P521(k) => {
                use p521::ecdsa::signature::RandomizedSigner as _;
                let signature: p521::ecdsa::Signature = k
                    .key
                    .try_sign_with_rng(&mut RingRng(&rng), signing_input)
                    .map_err(|_| Error::key("ECDSA signing failed"))?;
                Ok(signature.to_bytes().to_vec())
            }
        }
    }
}

/// `ring`'s system randomness as the `rand_core` generator the `p521` crate takes.
struct RingRng<'a>(&'a SystemRandom);

impl p521::elliptic_curve::rand_core::TryRng for RingRng<'_> {
    type Error = RngFailed;

    fn try_next_u32(&mut self) -> std::result::Result<u32, Self::Error> {
        let mut b = [0u8; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    fn try_next_u64(&mut self) -> std::result::Result<u64, Self::Error> {
        let mut b = [0u8; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> std::result::Result<(), Self::Error> {
        self.0.fill(dst).map_err(|_| RngFailed)
    }
}

/// The system random number generator failed.
#[derive(Debug)]
struct RngFailed;

impl fmt::Display for RngFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the system random number generator failed")
    }
}

impl std::error::Error for RngFailed {}

impl p521::elliptic_curve::rand_core::TryCryptoRng for RingRng<'_> {}

/// `ring`'s rejection names (`InconsistentComponents`) as words (`inconsistent components`).
fn ring_words(rejected: &ring::error::KeyRejected) -> String {
    let name = rejected.to_string();
    let mut out = String::with_capacity(name.len() + 8);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 && !out.ends_with(' ') {
            out.push(' ');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

// ---------------------------------------------------------------------------------------------
// RSA and EC keys from their numbers

/// The bit length of a big-endian number.
fn bit_len(be: &[u8]) -> usize {
    let v = strip_leading_zeros(be);
    match v.first() {
        Some(&high) => (v.len() - 1) * 8 + (8 - high.leading_zeros() as usize),
        None => 0,
    }
}

pub(crate) struct RsaParts<'a> {
    pub(crate) n: &'a [u8],
    pub(crate) e: &'a [u8],
    pub(crate) d: &'a [u8],
    pub(crate) p: &'a [u8],
    pub(crate) q: &'a [u8],
    pub(crate) dp: &'a [u8],
    pub(crate) dq: &'a [u8],
    pub(crate) qi: &'a [u8],
}

const RSA_MIN_BITS: usize = 2048;
/// `ring` signs with moduli of at most 4096 bits.
const RSA_MAX_BITS: usize = 4096;

pub(crate) fn rsa_key(parts: &RsaParts<'_>) -> Result<SigningKey> {
    let n = strip_leading_zeros(parts.n);
    let e = strip_leading_zeros(parts.e);
    let bits = bit_len(n);
    if bits < RSA_MIN_BITS {
        return Err(Error::key(format!(
            "RSA key of {bits} bits: at least {RSA_MIN_BITS} are needed"
        )));
    }
    if bits > RSA_MAX_BITS {
        return Err(Error::key(format!(
            "RSA key of {bits} bits: at most {RSA_MAX_BITS} are supported for signing"
        )));
    }
    if e.len() <= 8 {
        let value = e.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
        if value < 65537 {
            return Err(Error::key(format!(
                "RSA public exponent {value} is too small: at least 65537 is needed"
            )));
        }
    }
    let components = KeyPairComponents {
        public_key: PublicKeyComponents { n, e },
        d: strip_leading_zeros(parts.d),
        p: strip_leading_zeros(parts.p),
        q: strip_leading_zeros(parts.q),
        dP: strip_leading_zeros(parts.dp),
        dQ: strip_leading_zeros(parts.dq),
        qInv: strip_leading_zeros(parts.qi),
    };
    let pair = RsaKeyPair::from_components(&components).map_err(|rejected| {
        match rejected.to_string().as_str() {
            "PrivateModulusLenNotMultipleOf512Bits" => Error::key(format!(
                "RSA key of {bits} bits: its primes must be a multiple of 512 bits \
                 (2048, 3072 or 4096-bit keys)"
            )),
            "InconsistentComponents" => {
                Error::key("unusable RSA key: its numbers do not belong together")
            }
            _ => Error::key(format!("unusable RSA key: {}", ring_words(&rejected))),
        }
    })?;
    // `ring` checks `n = p q` and `qi`, but not `dP` and `dQ`: a wrong one would only show
    // when signing (`ring` verifies each signature it makes). One signature now says it.
    let mut probe = vec![0u8; pair.public().modulus_len()];
    pair.sign(
        &rs::RSA_PKCS1_SHA256,
        &SystemRandom::new(),
        b"probe",
        &mut probe,
    )
    .map_err(|_| Error::key("unusable RSA key: its numbers do not belong together"))?;
    let public = Public::new(PublicKey::Rsa {
        n: n.to_vec(),
        e: e.to_vec(),
    });
    Ok(SigningKey::Rsa(RsaSigningKey { pair, public }))
}

/// An EC key from its private scalar (big-endian, any length up to the curve size) and, when
/// known, its SEC1 public point.
pub(crate) fn ec_key(curve: Curve, scalar: &[u8], point: Option<&[u8]>) -> Result<SigningKey> {
    let size = curve.size();
    let stripped = strip_leading_zeros(scalar);
    if stripped.is_empty() {
        return Err(Error::key("unusable EC key: the private scalar is zero"));
    }
    if stripped.len() > size {
        return Err(Error::key(format!(
            "unusable EC key: a private scalar of {} bytes is too long for {}",
            stripped.len(),
            curve.name()
        )));
    }
    let mut d = vec![0u8; size - stripped.len()];
    d.extend_from_slice(stripped);

    let uncompressed_len = 1 + 2 * size;
    let split = |p: &[u8]| -> Option<(Vec<u8>, Vec<u8>)> {
        let x = p.get(1..1 + size)?.to_vec();
        let y = p.get(1 + size..)?.to_vec();
        Some((x, y))
    };
    match curve {
        Curve::P256 | Curve::P384 => {
            let Some(point) = point else {
                return Err(Error::key(format!(
                    "{} private key without its public point: export the key with its \
                     public key",
                    curve.name()
                )));
            };
            if point.first() != Some(&0x04) || point.len() != uncompressed_len {
                return Err(Error::key(format!(
                    "unusable EC key: the public point is not an uncompressed {} point",
                    curve.name()
                )));
            }
            let alg = if curve == Curve::P256 {
                &rs::ECDSA_P256_SHA256_FIXED_SIGNING
            } else {
                &rs::ECDSA_P384_SHA384_FIXED_SIGNING
            };
            let rng = SystemRandom::new();
            let pair = EcdsaKeyPair::from_private_key_and_public_key(alg, &d, point, &rng)
                .map_err(|rejected| match rejected.to_string().as_str() {
                    "InconsistentComponents" => Error::key(
                        "unusable EC key: the public point does not match the private key",
                    ),
                    _ => Error::key(format!("unusable EC key: {}", ring_words(&rejected))),
                })?;
            let (x, y) = split(pair.public_key().as_ref())
                .ok_or_else(|| Error::key("unusable EC key: bad public point"))?;
            let public = Public::new(PublicKey::Ec { curve, x, y });
            Ok(SigningKey::Ec(EcSigningKey {
                pair,
                curve,
                public,
            }))
        }
        Curve::P521 => {
            let key = p521::ecdsa::SigningKey::from_slice(&d).map_err(|_| {
                Error::key("unusable EC key: the private scalar is out of range for P-521")
            })?;
            let computed = key.verifying_key().to_sec1_point(false);
            let computed = computed.as_bytes();
            if let Some(given) = point {
                let same = match given.first() {
                    Some(0x04) => given == computed,
                    Some(0x02 | 0x03) => {
                        given == key.verifying_key().to_sec1_point(true).as_bytes()
                    }
                    _ => false,
                };
                if !same {
                    return Err(Error::key(
                        "unusable EC key: the public point does not match the private key",
                    ));
                }
            }
            let (x, y) =
                split(computed).ok_or_else(|| Error::key("unusable EC key: bad public point"))?;
            let public = Public::new(PublicKey::Ec { curve, x, y });
            Ok(SigningKey::P521(P521SigningKey { key, public }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_keys::*;
    use crate::verify::{verify, Algorithm};

    #[test]
    fn public_jwk_members_in_libtrust_order() {
        for &(name, text, der, alg, _) in KEYS {
            let key = parse(text, der);
            let jwk = key.public_jwk();
            // The JWK reads back as the same public key.
            assert_eq!(
                PublicKey::from_jwk(&jwk).unwrap(),
                key.public_key(),
                "{name}"
            );
            if alg == "RS256" {
                assert_eq!(names(&jwk), ["n", "e", "kid", "kty"], "{name}");
                assert_eq!(member(&jwk, "kty"), "RSA");
                for m in ["n", "e"] {
                    let raw = base64url::decode(member(&jwk, m).as_bytes()).unwrap();
                    assert_ne!(raw.first(), Some(&0), "{name} {m} has a leading zero");
                    assert!(!member(&jwk, m).contains('='));
                }
            } else {
                assert_eq!(names(&jwk), ["crv", "kid", "kty", "x", "y"], "{name}");
                assert_eq!(member(&jwk, "kty"), "EC");
                let size = match alg {
                    "ES256" => 32,
                    "ES384" => 48,
                    _ => 66,
                };
                for m in ["x", "y"] {
                    let raw = base64url::decode(member(&jwk, m).as_bytes()).unwrap();
                    assert_eq!(raw.len(), size, "{name} {m}");
                }
            }
        }
    }

    #[test]
    fn every_form_of_a_key_gives_the_same_public_jwk() {
        let (text, der) = (P521_JWK, false);
        let jwk = parse(text, der).public_jwk();
        // The JWK literal's own x and y (P-521 coordinates start with 0x00 or 0x01).
        let source = crate::json::parse(P521_JWK.as_bytes()).unwrap();
        let source = source.as_object().unwrap();
        assert_eq!(member(&jwk, "x"), member(source, "x"));
        assert_eq!(member(&jwk, "y"), member(source, "y"));
        for &(name, text, der, _, _) in KEYS.iter().filter(|k| k.0.starts_with("p521")) {
            assert_eq!(parse(text, der).public_jwk(), jwk, "{name}");
        }
    }

    #[test]
    fn quay_test_key_public_jwk() {
        let key = parse(crate::test_keys::QUAY_RSA_PKCS8_B64, true);
        let jwk = key.public_jwk();
        assert_eq!(names(&jwk), ["n", "e", "kid", "kty"]);
        assert_eq!(member(&jwk, "e"), "AQAB");
        assert_eq!(member(&jwk, "kid"), QUAY_KID);
        assert_eq!(member(&jwk, "kty"), "RSA");
    }

    #[test]
    fn signatures_verify() {
        let input = b"eyJmb3JtYXRMZW5ndGgiOjF9.e30";
        for &(name, text, der, alg, _) in KEYS {
            let key = parse(text, der);
            let signature = key.sign(input).unwrap();
            let expected_len = match alg {
                "ES256" => 64,
                "ES384" => 96,
                "ES512" => 132,
                _ => match key.public_key() {
                    PublicKey::Rsa { n, .. } => n.len(),
                    other => panic!("{name}: {other:?}"),
                },
            };
            assert_eq!(signature.len(), expected_len, "{name}");
            let algorithm = Algorithm::from_name(alg).unwrap();
            verify(algorithm, &key.public_key(), input, &signature)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(
                verify(algorithm, &key.public_key(), b"other input", &signature).is_err(),
                "{name}"
            );
            if alg != "RS256" {
                // Randomized (hedged) nonces: two signatures differ, both verify.
                let again = key.sign(input).unwrap();
                assert_ne!(again, signature, "{name}");
                verify(algorithm, &key.public_key(), input, &again).unwrap();
            }
        }
    }

    #[test]
    fn rsa_signature_is_modulus_sized() {
        assert_eq!(parse(RSA2048_JWK, false).sign(b"x").unwrap().len(), 256);
        assert_eq!(parse(RSA4096_JWK, false).sign(b"x").unwrap().len(), 512);
    }

    #[test]
    fn p521_public_point_computed_when_absent() {
        let key = parse(P521_SEC1_NO_PUBLIC_DER, true);
        assert_eq!(key.key_id(), P521_KID);
        assert_eq!(key.public_jwk(), parse(P521_JWK, false).public_jwk());
        let signature = key.sign(b"a.b").unwrap();
        verify(Algorithm::ES512, &key.public_key(), b"a.b", &signature).unwrap();
    }

    #[test]
    fn signing_keys_are_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<SigningKey>();
        check::<std::sync::Arc<SigningKey>>();
    }

    #[test]
    fn debug_shows_no_secret() {
        let text = format!("{:?}", parse(P256_JWK, false));
        assert_eq!(
            text,
            format!("SigningKey {{ alg: \"ES256\", kid: \"{P256_KID}\", .. }}")
        );
    }
}
