//! Private keys that sign manifests: RSA (RS256) and EC P-256/P-384/P-521 (ES256/ES384/ES512).
//!
//! [`SigningKey::from_bytes`] reads the key as the Python layer hands it over:
//!
//! - JWK JSON text (first non-whitespace byte `{`): `kty` `RSA` with `n, e, d, p, q, dp, dq, qi`,
//!   or `kty` `EC` with `crv` (`P-256`, `P-384`, `P-521`) and `x, y, d`. Other members (`kid`,
//!   `alg`, `use`, ...) are ignored: the `kid` written is always the libtrust key id.
//! - PEM text: `PRIVATE KEY` (PKCS#8, RSA or EC), `RSA PRIVATE KEY` (PKCS#1), `EC PRIVATE KEY`
//!   (SEC1). An `EC PARAMETERS` block before the key (as `openssl ecparam -genkey` writes) is
//!   skipped.
//! - DER of any of those three.
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
use crate::keys::{ec_point, quoted, strip_leading_zeros, Curve, PublicKey};
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
        if key.first() == Some(&TAG_SEQUENCE) {
            return from_der(key, DerKind::Any);
        }
        if trimmed.is_empty() {
            return Err(unrecognised("the key is empty"));
        }
        Err(unrecognised("neither JWK JSON, PEM nor DER"))
    }

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

// ---------------------------------------------------------------------------------------------
// Errors

fn unrecognised(what: &str) -> Error {
    Error::key(format!("unrecognised key: {what}"))
}

fn public_key_given() -> Error {
    Error::key("public key given: signing needs a private key")
}

fn encrypted_pem() -> Error {
    Error::key("encrypted PEM keys are not supported")
}

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

struct RsaParts<'a> {
    n: &'a [u8],
    e: &'a [u8],
    d: &'a [u8],
    p: &'a [u8],
    q: &'a [u8],
    dp: &'a [u8],
    dq: &'a [u8],
    qi: &'a [u8],
}

const RSA_MIN_BITS: usize = 2048;
/// `ring` signs with moduli of at most 4096 bits.
const RSA_MAX_BITS: usize = 4096;

fn rsa_key(parts: &RsaParts<'_>) -> Result<SigningKey> {
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
fn ec_key(curve: Curve, scalar: &[u8], point: Option<&[u8]>) -> Result<SigningKey> {
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
// PEM

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

fn from_pem(text: &[u8]) -> Result<SigningKey> {
    const BEGIN: &[u8] = b"-----BEGIN ";
    const DASHES: &[u8] = b"-----";
    let mut at = 0;
    while let Some(begin) = find(text, BEGIN, at) {
        let label_start = begin + BEGIN.len();
        let label_end = find(text, DASHES, label_start)
            .ok_or_else(|| unrecognised("PEM BEGIN line is not closed by -----"))?;
        let label = text.get(label_start..label_end).unwrap_or_default();
        let label =
            std::str::from_utf8(label).map_err(|_| unrecognised("PEM label is not text"))?;
        let body_start = label_end + DASHES.len();
        let end_line = format!("-----END {label}-----");
        let body_end = find(text, end_line.as_bytes(), body_start)
            .ok_or_else(|| unrecognised(&format!("PEM block {} has no END line", quoted(label))))?;
        at = body_end + end_line.len();
        let body = text.get(body_start..body_end).unwrap_or_default();
        let kind = match label {
            // Curve parameters written before the key by `openssl ecparam -genkey`.
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
        if find(body, b"Proc-Type:", 0).is_some() || find(body, b"DEK-Info:", 0).is_some() {
            return Err(encrypted_pem());
        }
        let compact: Vec<u8> = body
            .iter()
            .copied()
            .filter(|b| !b.is_ascii_whitespace())
            .collect();
        use base64::Engine as _;
        let der = base64::engine::general_purpose::STANDARD
            .decode(&compact)
            .map_err(|_| {
                unrecognised(&format!("PEM block {} is not valid base64", quoted(label)))
            })?;
        return from_der(&der, kind);
    }
    Err(unrecognised("PEM text holds no private key block"))
}

// ---------------------------------------------------------------------------------------------
// DER

const TAG_INTEGER: u8 = 0x02;
const TAG_BIT_STRING: u8 = 0x03;
const TAG_OCTET_STRING: u8 = 0x04;
const TAG_NULL: u8 = 0x05;
const TAG_OID: u8 = 0x06;
const TAG_SEQUENCE: u8 = 0x30;
const TAG_CONTEXT_0: u8 = 0xa0;
const TAG_CONTEXT_1: u8 = 0xa1;
/// `[1] IMPLICIT BIT STRING` (the public key of a PKCS#8 v2 OneAsymmetricKey).
const TAG_CONTEXT_1_PRIMITIVE: u8 = 0x81;

const OID_RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";
const OID_EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";

/// A reader of DER elements: tag, definite length, contents.
struct Der<'a> {
    rest: &'a [u8],
}

impl<'a> Der<'a> {
    fn new(data: &'a [u8]) -> Der<'a> {
        Der { rest: data }
    }

    fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    fn peek_tag(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    fn read(&mut self) -> Result<(u8, &'a [u8])> {
        let bad = || unrecognised("malformed DER: truncated or bad length");
        let (&tag, rest) = self.rest.split_first().ok_or_else(bad)?;
        if tag & 0x1f == 0x1f {
            return Err(bad());
        }
        let (&first, mut rest) = rest.split_first().ok_or_else(bad)?;
        let len = if first < 0x80 {
            usize::from(first)
        } else {
            let count = usize::from(first & 0x7f);
            if count == 0 || count > 4 {
                return Err(bad());
            }
            let bytes = rest.get(..count).ok_or_else(bad)?;
            rest = rest.get(count..).ok_or_else(bad)?;
            bytes
                .iter()
                .fold(0usize, |acc, &b| (acc << 8) | usize::from(b))
        };
        let contents = rest.get(..len).ok_or_else(bad)?;
        self.rest = rest.get(len..).ok_or_else(bad)?;
        Ok((tag, contents))
    }

    fn expect(&mut self, tag: u8, what: &str) -> Result<&'a [u8]> {
        match self.read()? {
            (t, contents) if t == tag => Ok(contents),
            _ => Err(unrecognised(&format!("malformed DER: expected {what}"))),
        }
    }

    fn optional(&mut self, tag: u8) -> Result<Option<&'a [u8]>> {
        if self.peek_tag() == Some(tag) {
            self.read().map(|(_, c)| Some(c))
        } else {
            Ok(None)
        }
    }

    fn finish(&self, what: &str) -> Result<()> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(unrecognised(&format!(
                "malformed DER: trailing data in {what}"
            )))
        }
    }

    /// The contents of the one SEQUENCE that makes up all of `data`.
    fn sequence(data: &'a [u8], what: &str) -> Result<Der<'a>> {
        let mut outer = Der::new(data);
        let contents = outer.expect(TAG_SEQUENCE, what)?;
        outer.finish(what)?;
        Ok(Der::new(contents))
    }

    /// A non-negative INTEGER, as its big-endian magnitude.
    fn unsigned(&mut self, what: &str) -> Result<&'a [u8]> {
        let v = self.expect(TAG_INTEGER, what)?;
        match v.first() {
            None => Err(unrecognised(&format!("malformed DER: empty {what}"))),
            Some(&b) if b & 0x80 != 0 => {
                Err(unrecognised(&format!("malformed DER: negative {what}")))
            }
            Some(_) => Ok(v),
        }
    }

    /// A small non-negative INTEGER (a version number).
    fn small(&mut self, what: &str) -> Result<u64> {
        let v = strip_leading_zeros(self.unsigned(what)?);
        if v.len() > 4 {
            return Err(unrecognised(&format!("malformed DER: {what} out of range")));
        }
        Ok(v.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
    }
}

/// Dotted text of an OID's DER contents (`1.2.840.10045.3.1.7`).
fn oid_text(contents: &[u8]) -> String {
    let mut arcs: Vec<u128> = Vec::new();
    let mut acc: u128 = 0;
    for &b in contents {
        if acc > u128::MAX >> 8 {
            return "(invalid OID)".to_string();
        }
        acc = (acc << 7) | u128::from(b & 0x7f);
        if b & 0x80 == 0 {
            arcs.push(acc);
            acc = 0;
        }
    }
    let Some((&first, rest)) = arcs.split_first() else {
        return "(invalid OID)".to_string();
    };
    let (a, b) = match first {
        0..=39 => (0, first),
        40..=79 => (1, first - 40),
        _ => (2, first - 80),
    };
    let mut out = format!("{a}.{b}");
    for arc in rest {
        out.push('.');
        out.push_str(&arc.to_string());
    }
    out
}

/// A known OID's name for error messages, else its dotted text.
fn oid_name(dotted: &str) -> String {
    let name = match dotted {
        "1.2.840.113549.1.1.10" => "RSASSA-PSS",
        "1.2.840.10040.4.1" => "DSA",
        "1.2.840.10046.2.1" | "1.2.840.113549.1.3.1" => "DH",
        "1.3.101.110" => "X25519",
        "1.3.101.111" => "X448",
        "1.3.101.112" => "Ed25519",
        "1.3.101.113" => "Ed448",
        "1.3.132.0.10" => "secp256k1",
        "1.2.840.10045.3.1.1" => "P-192",
        "1.3.132.0.33" => "P-224",
        "1.3.36.3.3.2.8.1.1.7" => "brainpoolP256r1",
        "1.3.36.3.3.2.8.1.1.11" => "brainpoolP384r1",
        "1.3.36.3.3.2.8.1.1.13" => "brainpoolP512r1",
        _ => return format!("OID {dotted}"),
    };
    name.to_string()
}

fn curve_of_oid(contents: &[u8]) -> Result<Curve> {
    let dotted = oid_text(contents);
    match dotted.as_str() {
        "1.2.840.10045.3.1.7" => Ok(Curve::P256),
        "1.3.132.0.34" => Ok(Curve::P384),
        "1.3.132.0.35" => Ok(Curve::P521),
        _ => Err(Error::key(format!(
            "unsupported EC curve {}: signing needs P-256, P-384 or P-521",
            oid_name(&dotted)
        ))),
    }
}

/// The curve named by ECParameters (`namedCurve` only).
fn curve_of_params(tag: u8, contents: &[u8]) -> Result<Curve> {
    match tag {
        TAG_OID => curve_of_oid(contents),
        TAG_SEQUENCE => Err(Error::key(
            "EC keys with explicit curve parameters are not supported: use a named curve",
        )),
        _ => Err(unrecognised("malformed DER: bad EC parameters")),
    }
}

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

fn from_der(der: &[u8], kind: DerKind) -> Result<SigningKey> {
    match kind {
        DerKind::Pkcs8 => pkcs8(der),
        DerKind::Pkcs1 => pkcs1(der),
        DerKind::Sec1 => sec1(der, None),
        DerKind::Any => {
            let mut seq = Der::sequence(der, "a SEQUENCE")?;
            let first = seq.read()?;
            let second = seq.peek_tag();
            match (first.0, second) {
                // version, AlgorithmIdentifier
                (TAG_INTEGER, Some(TAG_SEQUENCE)) => pkcs8(der),
                // version 1, privateKey
                (TAG_INTEGER, Some(TAG_OCTET_STRING)) => sec1(der, None),
                // version, n, ... (or RSAPublicKey n, e)
                (TAG_INTEGER, Some(TAG_INTEGER)) => pkcs1(der),
                // SubjectPublicKeyInfo: AlgorithmIdentifier, BIT STRING
                (TAG_SEQUENCE, Some(TAG_BIT_STRING)) => Err(public_key_given()),
                // EncryptedPrivateKeyInfo: AlgorithmIdentifier, OCTET STRING
                (TAG_SEQUENCE, Some(TAG_OCTET_STRING)) => {
                    Err(Error::key("encrypted keys are not supported"))
                }
                _ => Err(unrecognised(
                    "DER that is not a PKCS#8, PKCS#1 or SEC1 private key",
                )),
            }
        }
    }
}

/// PKCS#8 PrivateKeyInfo (v1) or OneAsymmetricKey (v2).
fn pkcs8(der: &[u8]) -> Result<SigningKey> {
    let mut seq = Der::sequence(der, "PKCS#8 PrivateKeyInfo")?;
    if seq.peek_tag() == Some(TAG_SEQUENCE) {
        // EncryptedPrivateKeyInfo starts with its AlgorithmIdentifier.
        return Err(Error::key("encrypted keys are not supported"));
    }
    let version = seq.small("PKCS#8 version")?;
    if version > 1 {
        return Err(unrecognised(&format!("PKCS#8 version {version}")));
    }
    let mut algorithm = Der::new(seq.expect(TAG_SEQUENCE, "PKCS#8 AlgorithmIdentifier")?);
    let oid = oid_text(algorithm.expect(TAG_OID, "an algorithm OID")?);
    let params = if algorithm.is_empty() {
        None
    } else {
        Some(algorithm.read()?)
    };
    algorithm.finish("PKCS#8 AlgorithmIdentifier")?;
    let private_key = seq.expect(TAG_OCTET_STRING, "PKCS#8 privateKey")?;
    seq.optional(TAG_CONTEXT_0)?; // attributes
    let public = seq.optional(TAG_CONTEXT_1_PRIMITIVE)?; // v2 publicKey
    seq.finish("PKCS#8 PrivateKeyInfo")?;
    match oid.as_str() {
        OID_RSA_ENCRYPTION => {
            if let Some((tag, _)) = params {
                if tag != TAG_NULL {
                    return Err(unrecognised("malformed DER: RSA parameters are not NULL"));
                }
            }
            pkcs1(private_key)
        }
        OID_EC_PUBLIC_KEY => {
            let Some((tag, contents)) = params else {
                return Err(unrecognised("PKCS#8 EC key does not name its curve"));
            };
            let curve = curve_of_params(tag, contents)?;
            let public = public.map(bit_string).transpose()?;
            sec1_with(private_key, Some(curve), public)
        }
        other => Err(Error::key(format!(
            "unsupported key type {}: signing needs an RSA or EC key",
            oid_name(other)
        ))),
    }
}

/// PKCS#1 RSAPrivateKey.
fn pkcs1(der: &[u8]) -> Result<SigningKey> {
    let mut seq = Der::sequence(der, "PKCS#1 RSAPrivateKey")?;
    let mut ints: Vec<&[u8]> = Vec::with_capacity(9);
    while seq.peek_tag() == Some(TAG_INTEGER) && ints.len() < 9 {
        ints.push(seq.unsigned("RSA key number")?);
    }
    if ints.len() == 2 && seq.is_empty() {
        // RSAPublicKey: n, e.
        return Err(public_key_given());
    }
    let Some(version) = ints.first() else {
        return Err(unrecognised("malformed DER: PKCS#1 RSAPrivateKey"));
    };
    match strip_leading_zeros(version) {
        [] => {}
        [1] => return Err(Error::key("multi-prime RSA keys are not supported")),
        _ => return Err(unrecognised("PKCS#1 RSAPrivateKey of an unknown version")),
    }
    let [_, n, e, d, p, q, dp, dq, qi] = ints.as_slice() else {
        return Err(unrecognised("malformed DER: PKCS#1 RSAPrivateKey"));
    };
    seq.finish("PKCS#1 RSAPrivateKey")?;
    rsa_key(&RsaParts {
        n,
        e,
        d,
        p,
        q,
        dp,
        dq,
        qi,
    })
}

/// The contents of a BIT STRING with no unused bits.
fn bit_string(contents: &[u8]) -> Result<&[u8]> {
    match contents.split_first() {
        Some((0, rest)) => Ok(rest),
        _ => Err(unrecognised("malformed DER: bad BIT STRING")),
    }
}

/// SEC1 ECPrivateKey; `outer` is the curve a PKCS#8 wrapper names.
fn sec1(der: &[u8], outer: Option<Curve>) -> Result<SigningKey> {
    sec1_with(der, outer, None)
}

/// SEC1 ECPrivateKey, with the curve and public key a PKCS#8 wrapper may give.
fn sec1_with(der: &[u8], outer: Option<Curve>, outer_point: Option<&[u8]>) -> Result<SigningKey> {
    let mut seq = Der::sequence(der, "SEC1 ECPrivateKey")?;
    let version = seq.small("SEC1 version")?;
    if version != 1 {
        return Err(unrecognised(&format!(
            "SEC1 ECPrivateKey version {version}"
        )));
    }
    let scalar = seq.expect(TAG_OCTET_STRING, "SEC1 privateKey")?;
    let inner = match seq.optional(TAG_CONTEXT_0)? {
        Some(params) => {
            let mut params = Der::new(params);
            let (tag, contents) = params.read()?;
            params.finish("SEC1 parameters")?;
            Some(curve_of_params(tag, contents)?)
        }
        None => None,
    };
    let point = match seq.optional(TAG_CONTEXT_1)? {
        Some(public) => {
            let mut public = Der::new(public);
            let bits = public.expect(TAG_BIT_STRING, "SEC1 publicKey")?;
            public.finish("SEC1 publicKey")?;
            Some(bit_string(bits)?)
        }
        None => None,
    };
    seq.finish("SEC1 ECPrivateKey")?;
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
    if let (Some(a), Some(b)) = (point, outer_point) {
        if a != b {
            return Err(Error::key(
                "unusable EC key: the public point does not match the private key",
            ));
        }
    }
    ec_key(curve, scalar, point.or(outer_point))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::{verify, Algorithm};
    use base64::Engine as _;

    /// Standard base64 with line breaks, as the DER literals below are written.
    fn b64(text: &str) -> Vec<u8> {
        let compact: String = text.split_whitespace().collect();
        base64::engine::general_purpose::STANDARD
            .decode(compact)
            .unwrap()
    }

    fn key_error(input: &[u8]) -> String {
        match SigningKey::from_bytes(input) {
            Err(Error::Key(msg)) => msg,
            Err(other) => panic!("not Error::Key: {other:?}"),
            Ok(key) => panic!("parsed: {key:?}"),
        }
    }
    // Test keys made with Python `cryptography` 48; the key ids with its DER SubjectPublicKeyInfo
    // and the libtrust recipe (SHA-256, first 30 bytes, base32, 12 groups of 4).
    const RSA2048_KID: &str = "SWIE:2MIC:AT3Y:GK3U:PUCV:BDZ6:RH5T:XGAX:SAYA:U5JY:M7E5:THPJ";
    const RSA2048_PKCS8_PEM: &str = r#"-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC+uYeCBN2mLrL7
OPOWNWAsozWp523yRx52mLL0D43blarn6OyyPr5mdtqgDwoXNtnt0OJkx1+5SU+N
VxbhjPVAipDyG5wfqydcTXUJiEgNCfkkQofpcmftD6DBxGdQ6GQZKa7MQ5EHy/Q2
VAk4sPR2/8ShN+GlKTG9X2uIi7EoyLgcrhJKr2wQ7N2asski9UflkloZFQn/Njfs
iMjehOpuIcNXdBprMAKWiiYacip5cLy0DptX5etZ/j1XmGhbDB7Xn8AfVAb8IQ1V
pPFvCNJ7QOolNLI69yvRIoLOLy4aYi6o1ys2kY9ksAhWVdLw3ywx9lYk+ukCznXm
BNmiCuj3AgMBAAECggEAJZ03cVf+UrDxEYS43Y3nSsZhZgHDeD24b1FMMcADjSPm
UdhpHfor2M9l7J0qs0tZDYLds1xyr3sa2lgrpg4DrFfnoCf70W8S0yxfgaLD+vZV
kWYhodOzVVh4rt5KNfWvEBtdYuGMb8o0fqZyLyEPBY0JvXXk5YrLSXrRHVvXc6BS
SSITgl0VU8tHA6zMpn4s6Ovb3mExZV4mgI7NfRzDawCGBmNSTa/kURmavIFiRXmP
WkRNLpbgREi5bscbT6lmZUfTwRoHQr1yD5MD0CNqZaQnjnM8uUv5kKQqgstRJw63
xmdwlnujxkNbRfWJ8DzP8I6E6wDiBoqN9jHJjjJakQKBgQD/CE03ZuX/Et2KrTuh
8JgmHCJOmjRUS6Pj3X+qloeu5P4yg5FNaTpHEVYB2/OrdQQSb/0nikfuvKbBLI8k
E9KV/UezPVoY0OSgqDzsHIcXaRhob3UDgkCNMSKLULBVSJ+nXJkE15OjLzTE/Piy
TNU6P7Zoy5j+o/XKBeUidEQ82QKBgQC/csTx21FTJbNdpNaiWSYFqNxFrr/BjfK1
sO20fved5lmO1Dc+CyqEVuCuDlycjTtZowIIsP7YAka254tk53xIF3uA3xa94pJP
TcdXmIS7Ed65KAlrP/BWtwU7d5i3JAn5YZwcyUT7zHHTFEMpwZhe5RveqYEH8/+K
r0Qa7M/yTwKBgCrnKZ5FWDHF6bEXnW2LvPzERN02QdFgfCysKXr4IdFBQqYazgnY
xu4Hs5FSgDZ60/mKD2tkbt9xqxfaOCZYk1eaKUK08oA0PBHu23jY/7zneCyxe1zg
v51BA8+t/kwKkJkmEbPn1DVijp0I9YmBNWm8KCKPBajoykN3JGncZ1JZAoGBAJK6
7tEDK6hTa85oyQvy0Z5i1jgd/9/j4FJ6wSSmbze41YkPgyttOW/mehtM7JQb9pHz
ylpI9Xku/W2vtvlmJa3HOaQC15Y/Ma3QSekL/ya1QoOceOOXRKfhbAQw3H35BB/7
PMAfTlzCS7bgf71gIF0SsbKNLVSgIIn1XHhaaeInAoGAZzmSD+Y6lW0fpSI0CnaW
eItKrbK1hesgk9TUE7N0fLuRJqq3d1+bZBE8lV26saDVQ3wpJujL3dWJQr43PNJW
mNr9yrYRw/j8iGxs+HC6RWMpsn+LjfqXnYWPQihtc+J1pnvE155PQRyKMftUJbej
gJ2pQBisUUBUf1KOjzkJlE4=
-----END PRIVATE KEY-----
"#;
    const RSA2048_PKCS1_PEM: &str = r#"-----BEGIN RSA PRIVATE KEY-----
MIIEowIBAAKCAQEAvrmHggTdpi6y+zjzljVgLKM1qedt8kcedpiy9A+N25Wq5+js
sj6+ZnbaoA8KFzbZ7dDiZMdfuUlPjVcW4Yz1QIqQ8hucH6snXE11CYhIDQn5JEKH
6XJn7Q+gwcRnUOhkGSmuzEORB8v0NlQJOLD0dv/EoTfhpSkxvV9riIuxKMi4HK4S
Sq9sEOzdmrLJIvVH5ZJaGRUJ/zY37IjI3oTqbiHDV3QaazACloomGnIqeXC8tA6b
V+XrWf49V5hoWwwe15/AH1QG/CENVaTxbwjSe0DqJTSyOvcr0SKCzi8uGmIuqNcr
NpGPZLAIVlXS8N8sMfZWJPrpAs515gTZogro9wIDAQABAoIBACWdN3FX/lKw8RGE
uN2N50rGYWYBw3g9uG9RTDHAA40j5lHYaR36K9jPZeydKrNLWQ2C3bNccq97GtpY
K6YOA6xX56An+9FvEtMsX4Giw/r2VZFmIaHTs1VYeK7eSjX1rxAbXWLhjG/KNH6m
ci8hDwWNCb115OWKy0l60R1b13OgUkkiE4JdFVPLRwOszKZ+LOjr295hMWVeJoCO
zX0cw2sAhgZjUk2v5FEZmryBYkV5j1pETS6W4ERIuW7HG0+pZmVH08EaB0K9cg+T
A9AjamWkJ45zPLlL+ZCkKoLLUScOt8ZncJZ7o8ZDW0X1ifA8z/COhOsA4gaKjfYx
yY4yWpECgYEA/whNN2bl/xLdiq07ofCYJhwiTpo0VEuj491/qpaHruT+MoORTWk6
RxFWAdvzq3UEEm/9J4pH7rymwSyPJBPSlf1Hsz1aGNDkoKg87ByHF2kYaG91A4JA
jTEii1CwVUifp1yZBNeToy80xPz4skzVOj+2aMuY/qP1ygXlInREPNkCgYEAv3LE
8dtRUyWzXaTWolkmBajcRa6/wY3ytbDttH73neZZjtQ3PgsqhFbgrg5cnI07WaMC
CLD+2AJGtueLZOd8SBd7gN8WveKST03HV5iEuxHeuSgJaz/wVrcFO3eYtyQJ+WGc
HMlE+8xx0xRDKcGYXuUb3qmBB/P/iq9EGuzP8k8CgYAq5ymeRVgxxemxF51ti7z8
xETdNkHRYHwsrCl6+CHRQUKmGs4J2MbuB7ORUoA2etP5ig9rZG7fcasX2jgmWJNX
milCtPKANDwR7tt42P+853gssXtc4L+dQQPPrf5MCpCZJhGz59Q1Yo6dCPWJgTVp
vCgijwWo6MpDdyRp3GdSWQKBgQCSuu7RAyuoU2vOaMkL8tGeYtY4Hf/f4+BSesEk
pm83uNWJD4MrbTlv5nobTOyUG/aR88paSPV5Lv1tr7b5ZiWtxzmkAteWPzGt0Enp
C/8mtUKDnHjjl0Sn4WwEMNx9+QQf+zzAH05cwku24H+9YCBdErGyjS1UoCCJ9Vx4
WmniJwKBgGc5kg/mOpVtH6UiNAp2lniLSq2ytYXrIJPU1BOzdHy7kSaqt3dfm2QR
PJVdurGg1UN8KSboy93ViUK+NzzSVpja/cq2EcP4/IhsbPhwukVjKbJ/i436l52F
j0IobXPidaZ7xNeeT0EcijH7VCW3o4CdqUAYrFFAVH9Sjo85CZRO
-----END RSA PRIVATE KEY-----
"#;
    const RSA2048_PKCS8_DER: &str = r#"
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC+uYeCBN2mLrL7OPOWNWAsozWp
523yRx52mLL0D43blarn6OyyPr5mdtqgDwoXNtnt0OJkx1+5SU+NVxbhjPVAipDyG5wfqydcTXUJ
iEgNCfkkQofpcmftD6DBxGdQ6GQZKa7MQ5EHy/Q2VAk4sPR2/8ShN+GlKTG9X2uIi7EoyLgcrhJK
r2wQ7N2asski9UflkloZFQn/NjfsiMjehOpuIcNXdBprMAKWiiYacip5cLy0DptX5etZ/j1XmGhb
DB7Xn8AfVAb8IQ1VpPFvCNJ7QOolNLI69yvRIoLOLy4aYi6o1ys2kY9ksAhWVdLw3ywx9lYk+ukC
znXmBNmiCuj3AgMBAAECggEAJZ03cVf+UrDxEYS43Y3nSsZhZgHDeD24b1FMMcADjSPmUdhpHfor
2M9l7J0qs0tZDYLds1xyr3sa2lgrpg4DrFfnoCf70W8S0yxfgaLD+vZVkWYhodOzVVh4rt5KNfWv
EBtdYuGMb8o0fqZyLyEPBY0JvXXk5YrLSXrRHVvXc6BSSSITgl0VU8tHA6zMpn4s6Ovb3mExZV4m
gI7NfRzDawCGBmNSTa/kURmavIFiRXmPWkRNLpbgREi5bscbT6lmZUfTwRoHQr1yD5MD0CNqZaQn
jnM8uUv5kKQqgstRJw63xmdwlnujxkNbRfWJ8DzP8I6E6wDiBoqN9jHJjjJakQKBgQD/CE03ZuX/
Et2KrTuh8JgmHCJOmjRUS6Pj3X+qloeu5P4yg5FNaTpHEVYB2/OrdQQSb/0nikfuvKbBLI8kE9KV
/UezPVoY0OSgqDzsHIcXaRhob3UDgkCNMSKLULBVSJ+nXJkE15OjLzTE/PiyTNU6P7Zoy5j+o/XK
BeUidEQ82QKBgQC/csTx21FTJbNdpNaiWSYFqNxFrr/BjfK1sO20fved5lmO1Dc+CyqEVuCuDlyc
jTtZowIIsP7YAka254tk53xIF3uA3xa94pJPTcdXmIS7Ed65KAlrP/BWtwU7d5i3JAn5YZwcyUT7
zHHTFEMpwZhe5RveqYEH8/+Kr0Qa7M/yTwKBgCrnKZ5FWDHF6bEXnW2LvPzERN02QdFgfCysKXr4
IdFBQqYazgnYxu4Hs5FSgDZ60/mKD2tkbt9xqxfaOCZYk1eaKUK08oA0PBHu23jY/7zneCyxe1zg
v51BA8+t/kwKkJkmEbPn1DVijp0I9YmBNWm8KCKPBajoykN3JGncZ1JZAoGBAJK67tEDK6hTa85o
yQvy0Z5i1jgd/9/j4FJ6wSSmbze41YkPgyttOW/mehtM7JQb9pHzylpI9Xku/W2vtvlmJa3HOaQC
15Y/Ma3QSekL/ya1QoOceOOXRKfhbAQw3H35BB/7PMAfTlzCS7bgf71gIF0SsbKNLVSgIIn1XHha
aeInAoGAZzmSD+Y6lW0fpSI0CnaWeItKrbK1hesgk9TUE7N0fLuRJqq3d1+bZBE8lV26saDVQ3wp
JujL3dWJQr43PNJWmNr9yrYRw/j8iGxs+HC6RWMpsn+LjfqXnYWPQihtc+J1pnvE155PQRyKMftU
JbejgJ2pQBisUUBUf1KOjzkJlE4=
"#;
    const RSA2048_PKCS1_DER: &str = r#"
MIIEowIBAAKCAQEAvrmHggTdpi6y+zjzljVgLKM1qedt8kcedpiy9A+N25Wq5+jssj6+ZnbaoA8K
FzbZ7dDiZMdfuUlPjVcW4Yz1QIqQ8hucH6snXE11CYhIDQn5JEKH6XJn7Q+gwcRnUOhkGSmuzEOR
B8v0NlQJOLD0dv/EoTfhpSkxvV9riIuxKMi4HK4SSq9sEOzdmrLJIvVH5ZJaGRUJ/zY37IjI3oTq
biHDV3QaazACloomGnIqeXC8tA6bV+XrWf49V5hoWwwe15/AH1QG/CENVaTxbwjSe0DqJTSyOvcr
0SKCzi8uGmIuqNcrNpGPZLAIVlXS8N8sMfZWJPrpAs515gTZogro9wIDAQABAoIBACWdN3FX/lKw
8RGEuN2N50rGYWYBw3g9uG9RTDHAA40j5lHYaR36K9jPZeydKrNLWQ2C3bNccq97GtpYK6YOA6xX
56An+9FvEtMsX4Giw/r2VZFmIaHTs1VYeK7eSjX1rxAbXWLhjG/KNH6mci8hDwWNCb115OWKy0l6
0R1b13OgUkkiE4JdFVPLRwOszKZ+LOjr295hMWVeJoCOzX0cw2sAhgZjUk2v5FEZmryBYkV5j1pE
TS6W4ERIuW7HG0+pZmVH08EaB0K9cg+TA9AjamWkJ45zPLlL+ZCkKoLLUScOt8ZncJZ7o8ZDW0X1
ifA8z/COhOsA4gaKjfYxyY4yWpECgYEA/whNN2bl/xLdiq07ofCYJhwiTpo0VEuj491/qpaHruT+
MoORTWk6RxFWAdvzq3UEEm/9J4pH7rymwSyPJBPSlf1Hsz1aGNDkoKg87ByHF2kYaG91A4JAjTEi
i1CwVUifp1yZBNeToy80xPz4skzVOj+2aMuY/qP1ygXlInREPNkCgYEAv3LE8dtRUyWzXaTWolkm
BajcRa6/wY3ytbDttH73neZZjtQ3PgsqhFbgrg5cnI07WaMCCLD+2AJGtueLZOd8SBd7gN8WveKS
T03HV5iEuxHeuSgJaz/wVrcFO3eYtyQJ+WGcHMlE+8xx0xRDKcGYXuUb3qmBB/P/iq9EGuzP8k8C
gYAq5ymeRVgxxemxF51ti7z8xETdNkHRYHwsrCl6+CHRQUKmGs4J2MbuB7ORUoA2etP5ig9rZG7f
casX2jgmWJNXmilCtPKANDwR7tt42P+853gssXtc4L+dQQPPrf5MCpCZJhGz59Q1Yo6dCPWJgTVp
vCgijwWo6MpDdyRp3GdSWQKBgQCSuu7RAyuoU2vOaMkL8tGeYtY4Hf/f4+BSesEkpm83uNWJD4Mr
bTlv5nobTOyUG/aR88paSPV5Lv1tr7b5ZiWtxzmkAteWPzGt0EnpC/8mtUKDnHjjl0Sn4WwEMNx9
+QQf+zzAH05cwku24H+9YCBdErGyjS1UoCCJ9Vx4WmniJwKBgGc5kg/mOpVtH6UiNAp2lniLSq2y
tYXrIJPU1BOzdHy7kSaqt3dfm2QRPJVdurGg1UN8KSboy93ViUK+NzzSVpja/cq2EcP4/IhsbPhw
ukVjKbJ/i436l52Fj0IobXPidaZ7xNeeT0EcijH7VCW3o4CdqUAYrFFAVH9Sjo85CZRO
"#;
    const RSA2048_JWK: &str = r#"{"kty": "RSA", "n": "vrmHggTdpi6y-zjzljVgLKM1qedt8kcedpiy9A-N25Wq5-jssj6-ZnbaoA8KFzbZ7dDiZMdfuUlPjVcW4Yz1QIqQ8hucH6snXE11CYhIDQn5JEKH6XJn7Q-gwcRnUOhkGSmuzEORB8v0NlQJOLD0dv_EoTfhpSkxvV9riIuxKMi4HK4SSq9sEOzdmrLJIvVH5ZJaGRUJ_zY37IjI3oTqbiHDV3QaazACloomGnIqeXC8tA6bV-XrWf49V5hoWwwe15_AH1QG_CENVaTxbwjSe0DqJTSyOvcr0SKCzi8uGmIuqNcrNpGPZLAIVlXS8N8sMfZWJPrpAs515gTZogro9w", "e": "AQAB", "d": "JZ03cVf-UrDxEYS43Y3nSsZhZgHDeD24b1FMMcADjSPmUdhpHfor2M9l7J0qs0tZDYLds1xyr3sa2lgrpg4DrFfnoCf70W8S0yxfgaLD-vZVkWYhodOzVVh4rt5KNfWvEBtdYuGMb8o0fqZyLyEPBY0JvXXk5YrLSXrRHVvXc6BSSSITgl0VU8tHA6zMpn4s6Ovb3mExZV4mgI7NfRzDawCGBmNSTa_kURmavIFiRXmPWkRNLpbgREi5bscbT6lmZUfTwRoHQr1yD5MD0CNqZaQnjnM8uUv5kKQqgstRJw63xmdwlnujxkNbRfWJ8DzP8I6E6wDiBoqN9jHJjjJakQ", "p": "_whNN2bl_xLdiq07ofCYJhwiTpo0VEuj491_qpaHruT-MoORTWk6RxFWAdvzq3UEEm_9J4pH7rymwSyPJBPSlf1Hsz1aGNDkoKg87ByHF2kYaG91A4JAjTEii1CwVUifp1yZBNeToy80xPz4skzVOj-2aMuY_qP1ygXlInREPNk", "q": "v3LE8dtRUyWzXaTWolkmBajcRa6_wY3ytbDttH73neZZjtQ3PgsqhFbgrg5cnI07WaMCCLD-2AJGtueLZOd8SBd7gN8WveKST03HV5iEuxHeuSgJaz_wVrcFO3eYtyQJ-WGcHMlE-8xx0xRDKcGYXuUb3qmBB_P_iq9EGuzP8k8", "dp": "KucpnkVYMcXpsRedbYu8_MRE3TZB0WB8LKwpevgh0UFCphrOCdjG7gezkVKANnrT-YoPa2Ru33GrF9o4JliTV5opQrTygDQ8Ee7beNj_vOd4LLF7XOC_nUEDz63-TAqQmSYRs-fUNWKOnQj1iYE1abwoIo8FqOjKQ3ckadxnUlk", "dq": "krru0QMrqFNrzmjJC_LRnmLWOB3_3-PgUnrBJKZvN7jViQ-DK205b-Z6G0zslBv2kfPKWkj1eS79ba-2-WYlrcc5pALXlj8xrdBJ6Qv_JrVCg5x445dEp-FsBDDcffkEH_s8wB9OXMJLtuB_vWAgXRKxso0tVKAgifVceFpp4ic", "qi": "ZzmSD-Y6lW0fpSI0CnaWeItKrbK1hesgk9TUE7N0fLuRJqq3d1-bZBE8lV26saDVQ3wpJujL3dWJQr43PNJWmNr9yrYRw_j8iGxs-HC6RWMpsn-LjfqXnYWPQihtc-J1pnvE155PQRyKMftUJbejgJ2pQBisUUBUf1KOjzkJlE4"}"#;
    const RSA4096_KID: &str = "FK2A:SLMI:NCMY:ZRCH:GFNA:7AIZ:LDJG:HVTK:P2KF:UDIA:HB43:NRP3";
    const RSA4096_PKCS8_PEM: &str = r#"-----BEGIN PRIVATE KEY-----
MIIJQwIBADANBgkqhkiG9w0BAQEFAASCCS0wggkpAgEAAoICAQC5q82yicClSzLN
96W1fX2n5GBlLN9G+hZWcE/B+33CaaQoum4x/hV9blBoSxmENnGMi1eABl8m4U+8
+osJBwBKnQiqSQuLkEqnwgI+BATxga0G+pDVi63hQ+OZWEzPVizujWQaLk7h0WLJ
ZoaVYNWCXWHb1foDPZTg3TGi0RDs1Ippb1LtGTkGjCQBB2rsGALhfSk95CgIkpG8
YmMC5es1h5lqw8H8fm2UUNvholfZDSGhbOcOLThDfL0ilMpmMk2DGg/hDiPS7eah
4QHCj1ZMDAF0/9PpHQLXbVAt2QmPZuTmIZ+q+tcVxn8TmWcsRE83QxDUoXVahSs6
QvmCgI7VAJ1so+XXSbGn1bhHkBGqu5HBkZ9YeJ51uYI5BPDqTcxUpp//uSL1YhbA
/FyEWAMrA9845m5Til6vEwZ2RlUa+yXPDzZCcqOj6A+t73hKC/h2StXz0wVchjH2
n0dImre57kfhGvqGQq+nrXeKiB2+i4NnfUVPHgW7EMwezKvHI9iQGq41C6Tu2XDC
kB6C5X1Ud/Az6x5gV5LL0w+NWee63wVDJIUGMlzgpseFoaZhrLqXvZkhC/WePFVa
Dgc+9Ny/vico6vEdz7PkFo7ku6q0aVf4Yzq/SKwcf/yELCEiIgbSg8olVsbmfoAL
foFeYUE/TmUQzhYG2Qn4IdCudfugfQIDAQABAoICAADmKFxvCW6V/tDMc9jiXjqi
SaZdCC6Wq6/qCvDTjLCUs8uAsUiybKopiD4x4g7TmTBelbrADSX0BZwqQaz9Hrdf
dcNBU3NhXuF9O49jlCwgyEdCB9JMQwj+SVjtnDAhkSQUJtLboXDxRrHkYsDQk538
6AiV0in3sfmsPmrxmMwYJm1te2Mha0SB+vMtYNVmuico5LPjd1U2c6KSz35mOvr/
MRFvJc8+AIhp0nPMpHhpxkJqIsRjx7fVafqewcVMcLBvRjbiKavFgt8YYB3inaPc
DM/3dXpO42rsaz2u2x+ZqptlgowTN97uaWr053D27sQAZV8FKC3eh/+o4aBc215M
FZ1pq1NEugfwqvHtnrCIpPt48s+VNZlbwZGX90O9Z73gScdYJWyzD3VtqZzYWdlG
6M1yBjum/sdl2MZWHgZGAAXfMEmNJj0QsWC68eVBTAnE7gtdXVyHaS3EMbP5JFWI
cmZvPptNVZDYesYbZQRMVfFKQGaOtbyKp/LHZnJGeuOItSz/PYAz/OJ0J6UJXToj
OeeiUVJjNQ5d9fPM+1LHbJtYu/SmiDaLsxKkdnuqdtl3+r9KCklYN6eZ5nkj599/
cNa5AOjUD061ZLUMoaRRZG00TmX5ULC1LAmqiTFu8TYt/5FkzIhTKjuoOjw9ksD2
dvT+Z7CFBQY4aRU/yNnxAoIBAQDnPplBhKM+O9iP4ODZLMii+7zg9lqWJwaeKdc4
jnEdVFwao5jrCENPUUH94gswDm5zTnUL2AI/95c2p6YKTgwYtNbYD8yFh00bTvcG
QOLJ0U5VWdGgGhbBy/xH4VuQ1TvYnlLbKir10QDu0mJ2pA8Li27WG2Qtb8LDKU7E
S23pmJhY5/Oz6wXIgunh4trGjKSeDVFNZTlfjFqVM3vgiwpItjV4b3ihBDKJq0Y7
OLsAx9UYXOrwDXBVab9NLM43Ifai9MvJ8DIoxQ4v33DahgP6onrHz1smKh7GBekY
Y/lovF0A8tIwRRRsd/k+Lj5VRFXqvIYDKgrSvPBDXR9rRD75AoIBAQDNjDyZbOiD
P0PqCK5fnJodehfEXZUaeGtnBYTs9UaHA0K3yKUGKlE3uxpbHBVILHybHabC4Qyv
gg4p+Llk8RxS6B/596X0acH/aJdmz8WoJ7JwosQkno1NKFWqLF3Y1NmLumE2SpOa
zTnTJA6bMaCnBtuE1ND497epsV1OZhZfi0xMNYVX1YhVvw/+H4XD6PVJSGif93ao
/iVFVE95LVR3TOyenVzbcHqOL7GKapM/STzOtlZLNSndiabfiGZ1M2bBCrQgAV/i
WXF0GH9NrmvK/Cs4hBEVrjFL58qHMHpzxsMqxlKUFjeeemJWZ5gv9FPNvZI06zIz
t3hfEQM1F9qlAoIBAQCvZWa/MEjVknUPpKVHdNV18fVwuMs66rz1SI0rI7eeZHc7
6Wy6kNjlF6AzXrnXqIqUQSU8Z4pFVJnIZd7mIA7Cyp/O4CTj/x04ImvxvVOHeo+s
42TByCgMtJlVOBTIxUQQaP41qEVPkEjh3Ie8r3GN8yONmNciM4wJlZJeB0yGCy06
+ix6AkCvtsSJhhUk1laiXz2Us7uRwpaOZq+GQE/7mODzybE4iEOA8n1hvATzcZ8r
TIcSr07OKlhkxCBh5wv4zC6qq9qP2++H1jX2OgJYn9b7KUdcqkQPNTp5OpNZos30
Qzm0TSFRqKpPRKoY6K02T+piCgiNkau3nLGRHgGZAoIBACiLM9zThZ112jCMm9CS
NDgCQDPkfael/xFoHksbKlkxRHS56AsqR7DlgBJenLgKxl1WYPFpsLXhwmd2/yKx
CHQ2AzCsL5jhT3nQqKSH8SX1BpZ/FI9gkuCYRyV08OH3Qh30mn46AZl0R6alIxhr
lpO7n4s46ytguWKIcK4pJtqbwGX73Jxxqx22vTHUB++XwOI+nRyIlGhLERD2y2JM
la+ehcHXqlxCeHoZYDy8PuUpzgu8HZNiHirrnvXSktslU2xabyMtAjvEhsNunZW2
BN8aFHBmZHRRUrn1M5as8kpp9081pU4+f6QL4d/HOVakK++WKAO2LMXUt7KQyYAs
f10CggEBAINg4QP+Ft1O2/DWRTrcM+Vhve957aNzgfoVIliI3zSMxAj06IJaKe5t
F455SUmWi3WMcKMPPju14Z9RulWk3wo6FSybPrkSu6gT2jo6mQBk5pvJ5jXCRq8I
l+r6Y0Kzshm9/u9QhpGWA8nEz1kAeXABRSA/AZL5ZXLpU1mW/t/9dsiT0yX1E8pC
icP1W5SQHXufJvLH/ckockXjMN1ku8aJnsSV42qqcDBPgv00HskpHBHqAakrVPgP
RijbdMQGFq8qZW9t7TR8OMiKLXa0iEVAxZNqoRV6F+lCk76oxBM1+C0LdZKvfGvM
0rXL/saWs9bkpzyEYJLF0lW6iO124dg=
-----END PRIVATE KEY-----
"#;
    const RSA4096_PKCS1_DER: &str = r#"
MIIJKQIBAAKCAgEAuavNsonApUsyzfeltX19p+RgZSzfRvoWVnBPwft9wmmkKLpuMf4VfW5QaEsZ
hDZxjItXgAZfJuFPvPqLCQcASp0IqkkLi5BKp8ICPgQE8YGtBvqQ1Yut4UPjmVhMz1Ys7o1kGi5O
4dFiyWaGlWDVgl1h29X6Az2U4N0xotEQ7NSKaW9S7Rk5BowkAQdq7BgC4X0pPeQoCJKRvGJjAuXr
NYeZasPB/H5tlFDb4aJX2Q0hoWznDi04Q3y9IpTKZjJNgxoP4Q4j0u3moeEBwo9WTAwBdP/T6R0C
121QLdkJj2bk5iGfqvrXFcZ/E5lnLERPN0MQ1KF1WoUrOkL5goCO1QCdbKPl10mxp9W4R5ARqruR
wZGfWHiedbmCOQTw6k3MVKaf/7ki9WIWwPxchFgDKwPfOOZuU4perxMGdkZVGvslzw82QnKjo+gP
re94Sgv4dkrV89MFXIYx9p9HSJq3ue5H4Rr6hkKvp613iogdvouDZ31FTx4FuxDMHsyrxyPYkBqu
NQuk7tlwwpAeguV9VHfwM+seYFeSy9MPjVnnut8FQySFBjJc4KbHhaGmYay6l72ZIQv1njxVWg4H
PvTcv74nKOrxHc+z5BaO5LuqtGlX+GM6v0isHH/8hCwhIiIG0oPKJVbG5n6AC36BXmFBP05lEM4W
BtkJ+CHQrnX7oH0CAwEAAQKCAgAA5ihcbwlulf7QzHPY4l46okmmXQgulquv6grw04ywlLPLgLFI
smyqKYg+MeIO05kwXpW6wA0l9AWcKkGs/R63X3XDQVNzYV7hfTuPY5QsIMhHQgfSTEMI/klY7Zww
IZEkFCbS26Fw8Uax5GLA0JOd/OgIldIp97H5rD5q8ZjMGCZtbXtjIWtEgfrzLWDVZronKOSz43dV
NnOiks9+Zjr6/zERbyXPPgCIadJzzKR4acZCaiLEY8e31Wn6nsHFTHCwb0Y24imrxYLfGGAd4p2j
3AzP93V6TuNq7Gs9rtsfmaqbZYKMEzfe7mlq9Odw9u7EAGVfBSgt3of/qOGgXNteTBWdaatTRLoH
8Krx7Z6wiKT7ePLPlTWZW8GRl/dDvWe94EnHWCVssw91bamc2FnZRujNcgY7pv7HZdjGVh4GRgAF
3zBJjSY9ELFguvHlQUwJxO4LXV1ch2ktxDGz+SRViHJmbz6bTVWQ2HrGG2UETFXxSkBmjrW8iqfy
x2ZyRnrjiLUs/z2AM/zidCelCV06IznnolFSYzUOXfXzzPtSx2ybWLv0pog2i7MSpHZ7qnbZd/q/
SgpJWDenmeZ5I+fff3DWuQDo1A9OtWS1DKGkUWRtNE5l+VCwtSwJqokxbvE2Lf+RZMyIUyo7qDo8
PZLA9nb0/mewhQUGOGkVP8jZ8QKCAQEA5z6ZQYSjPjvYj+Dg2SzIovu84PZalicGninXOI5xHVRc
GqOY6whDT1FB/eILMA5uc051C9gCP/eXNqemCk4MGLTW2A/MhYdNG073BkDiydFOVVnRoBoWwcv8
R+FbkNU72J5S2yoq9dEA7tJidqQPC4tu1htkLW/CwylOxEtt6ZiYWOfzs+sFyILp4eLaxoykng1R
TWU5X4xalTN74IsKSLY1eG94oQQyiatGOzi7AMfVGFzq8A1wVWm/TSzONyH2ovTLyfAyKMUOL99w
2oYD+qJ6x89bJioexgXpGGP5aLxdAPLSMEUUbHf5Pi4+VURV6ryGAyoK0rzwQ10fa0Q++QKCAQEA
zYw8mWzogz9D6giuX5yaHXoXxF2VGnhrZwWE7PVGhwNCt8ilBipRN7saWxwVSCx8mx2mwuEMr4IO
Kfi5ZPEcUugf+fel9GnB/2iXZs/FqCeycKLEJJ6NTShVqixd2NTZi7phNkqTms050yQOmzGgpwbb
hNTQ+Pe3qbFdTmYWX4tMTDWFV9WIVb8P/h+Fw+j1SUhon/d2qP4lRVRPeS1Ud0zsnp1c23B6ji+x
imqTP0k8zrZWSzUp3Ymm34hmdTNmwQq0IAFf4llxdBh/Ta5ryvwrOIQRFa4xS+fKhzB6c8bDKsZS
lBY3nnpiVmeYL/RTzb2SNOsyM7d4XxEDNRfapQKCAQEAr2VmvzBI1ZJ1D6SlR3TVdfH1cLjLOuq8
9UiNKyO3nmR3O+lsupDY5RegM16516iKlEElPGeKRVSZyGXe5iAOwsqfzuAk4/8dOCJr8b1Th3qP
rONkwcgoDLSZVTgUyMVEEGj+NahFT5BI4dyHvK9xjfMjjZjXIjOMCZWSXgdMhgstOvosegJAr7bE
iYYVJNZWol89lLO7kcKWjmavhkBP+5jg88mxOIhDgPJ9YbwE83GfK0yHEq9OzipYZMQgYecL+Mwu
qqvaj9vvh9Y19joCWJ/W+ylHXKpEDzU6eTqTWaLN9EM5tE0hUaiqT0SqGOitNk/qYgoIjZGrt5yx
kR4BmQKCAQAoizPc04WdddowjJvQkjQ4AkAz5H2npf8RaB5LGypZMUR0uegLKkew5YASXpy4CsZd
VmDxabC14cJndv8isQh0NgMwrC+Y4U950Kikh/El9QaWfxSPYJLgmEcldPDh90Id9Jp+OgGZdEem
pSMYa5aTu5+LOOsrYLliiHCuKSbam8Bl+9yccasdtr0x1Afvl8DiPp0ciJRoSxEQ9stiTJWvnoXB
16pcQnh6GWA8vD7lKc4LvB2TYh4q65710pLbJVNsWm8jLQI7xIbDbp2VtgTfGhRwZmR0UVK59TOW
rPJKafdPNaVOPn+kC+HfxzlWpCvvligDtizF1LeykMmALH9dAoIBAQCDYOED/hbdTtvw1kU63DPl
Yb3vee2jc4H6FSJYiN80jMQI9OiCWinubReOeUlJlot1jHCjDz47teGfUbpVpN8KOhUsmz65Eruo
E9o6OpkAZOabyeY1wkavCJfq+mNCs7IZvf7vUIaRlgPJxM9ZAHlwAUUgPwGS+WVy6VNZlv7f/XbI
k9Ml9RPKQonD9VuUkB17nybyx/3JKHJF4zDdZLvGiZ7EleNqqnAwT4L9NB7JKRwR6gGpK1T4D0Yo
23TEBhavKmVvbe00fDjIii12tIhFQMWTaqEVehfpQpO+qMQTNfgtC3WSr3xrzNK1y/7GlrPW5Kc8
hGCSxdJVuojtduHY
"#;
    const RSA4096_JWK: &str = r#"{"kty": "RSA", "n": "uavNsonApUsyzfeltX19p-RgZSzfRvoWVnBPwft9wmmkKLpuMf4VfW5QaEsZhDZxjItXgAZfJuFPvPqLCQcASp0IqkkLi5BKp8ICPgQE8YGtBvqQ1Yut4UPjmVhMz1Ys7o1kGi5O4dFiyWaGlWDVgl1h29X6Az2U4N0xotEQ7NSKaW9S7Rk5BowkAQdq7BgC4X0pPeQoCJKRvGJjAuXrNYeZasPB_H5tlFDb4aJX2Q0hoWznDi04Q3y9IpTKZjJNgxoP4Q4j0u3moeEBwo9WTAwBdP_T6R0C121QLdkJj2bk5iGfqvrXFcZ_E5lnLERPN0MQ1KF1WoUrOkL5goCO1QCdbKPl10mxp9W4R5ARqruRwZGfWHiedbmCOQTw6k3MVKaf_7ki9WIWwPxchFgDKwPfOOZuU4perxMGdkZVGvslzw82QnKjo-gPre94Sgv4dkrV89MFXIYx9p9HSJq3ue5H4Rr6hkKvp613iogdvouDZ31FTx4FuxDMHsyrxyPYkBquNQuk7tlwwpAeguV9VHfwM-seYFeSy9MPjVnnut8FQySFBjJc4KbHhaGmYay6l72ZIQv1njxVWg4HPvTcv74nKOrxHc-z5BaO5LuqtGlX-GM6v0isHH_8hCwhIiIG0oPKJVbG5n6AC36BXmFBP05lEM4WBtkJ-CHQrnX7oH0", "e": "AQAB", "d": "5ihcbwlulf7QzHPY4l46okmmXQgulquv6grw04ywlLPLgLFIsmyqKYg-MeIO05kwXpW6wA0l9AWcKkGs_R63X3XDQVNzYV7hfTuPY5QsIMhHQgfSTEMI_klY7ZwwIZEkFCbS26Fw8Uax5GLA0JOd_OgIldIp97H5rD5q8ZjMGCZtbXtjIWtEgfrzLWDVZronKOSz43dVNnOiks9-Zjr6_zERbyXPPgCIadJzzKR4acZCaiLEY8e31Wn6nsHFTHCwb0Y24imrxYLfGGAd4p2j3AzP93V6TuNq7Gs9rtsfmaqbZYKMEzfe7mlq9Odw9u7EAGVfBSgt3of_qOGgXNteTBWdaatTRLoH8Krx7Z6wiKT7ePLPlTWZW8GRl_dDvWe94EnHWCVssw91bamc2FnZRujNcgY7pv7HZdjGVh4GRgAF3zBJjSY9ELFguvHlQUwJxO4LXV1ch2ktxDGz-SRViHJmbz6bTVWQ2HrGG2UETFXxSkBmjrW8iqfyx2ZyRnrjiLUs_z2AM_zidCelCV06IznnolFSYzUOXfXzzPtSx2ybWLv0pog2i7MSpHZ7qnbZd_q_SgpJWDenmeZ5I-fff3DWuQDo1A9OtWS1DKGkUWRtNE5l-VCwtSwJqokxbvE2Lf-RZMyIUyo7qDo8PZLA9nb0_mewhQUGOGkVP8jZ8Q", "p": "5z6ZQYSjPjvYj-Dg2SzIovu84PZalicGninXOI5xHVRcGqOY6whDT1FB_eILMA5uc051C9gCP_eXNqemCk4MGLTW2A_MhYdNG073BkDiydFOVVnRoBoWwcv8R-FbkNU72J5S2yoq9dEA7tJidqQPC4tu1htkLW_CwylOxEtt6ZiYWOfzs-sFyILp4eLaxoykng1RTWU5X4xalTN74IsKSLY1eG94oQQyiatGOzi7AMfVGFzq8A1wVWm_TSzONyH2ovTLyfAyKMUOL99w2oYD-qJ6x89bJioexgXpGGP5aLxdAPLSMEUUbHf5Pi4-VURV6ryGAyoK0rzwQ10fa0Q--Q", "q": "zYw8mWzogz9D6giuX5yaHXoXxF2VGnhrZwWE7PVGhwNCt8ilBipRN7saWxwVSCx8mx2mwuEMr4IOKfi5ZPEcUugf-fel9GnB_2iXZs_FqCeycKLEJJ6NTShVqixd2NTZi7phNkqTms050yQOmzGgpwbbhNTQ-Pe3qbFdTmYWX4tMTDWFV9WIVb8P_h-Fw-j1SUhon_d2qP4lRVRPeS1Ud0zsnp1c23B6ji-ximqTP0k8zrZWSzUp3Ymm34hmdTNmwQq0IAFf4llxdBh_Ta5ryvwrOIQRFa4xS-fKhzB6c8bDKsZSlBY3nnpiVmeYL_RTzb2SNOsyM7d4XxEDNRfapQ", "dp": "r2VmvzBI1ZJ1D6SlR3TVdfH1cLjLOuq89UiNKyO3nmR3O-lsupDY5RegM16516iKlEElPGeKRVSZyGXe5iAOwsqfzuAk4_8dOCJr8b1Th3qPrONkwcgoDLSZVTgUyMVEEGj-NahFT5BI4dyHvK9xjfMjjZjXIjOMCZWSXgdMhgstOvosegJAr7bEiYYVJNZWol89lLO7kcKWjmavhkBP-5jg88mxOIhDgPJ9YbwE83GfK0yHEq9OzipYZMQgYecL-Mwuqqvaj9vvh9Y19joCWJ_W-ylHXKpEDzU6eTqTWaLN9EM5tE0hUaiqT0SqGOitNk_qYgoIjZGrt5yxkR4BmQ", "dq": "KIsz3NOFnXXaMIyb0JI0OAJAM-R9p6X_EWgeSxsqWTFEdLnoCypHsOWAEl6cuArGXVZg8WmwteHCZ3b_IrEIdDYDMKwvmOFPedCopIfxJfUGln8Uj2CS4JhHJXTw4fdCHfSafjoBmXRHpqUjGGuWk7ufizjrK2C5Yohwrikm2pvAZfvcnHGrHba9MdQH75fA4j6dHIiUaEsREPbLYkyVr56FwdeqXEJ4ehlgPLw-5SnOC7wdk2IeKuue9dKS2yVTbFpvIy0CO8SGw26dlbYE3xoUcGZkdFFSufUzlqzySmn3TzWlTj5_pAvh38c5VqQr75YoA7YsxdS3spDJgCx_XQ", "qi": "g2DhA_4W3U7b8NZFOtwz5WG973nto3OB-hUiWIjfNIzECPToglop7m0XjnlJSZaLdYxwow8-O7Xhn1G6VaTfCjoVLJs-uRK7qBPaOjqZAGTmm8nmNcJGrwiX6vpjQrOyGb3-71CGkZYDycTPWQB5cAFFID8BkvllculTWZb-3_12yJPTJfUTykKJw_VblJAde58m8sf9yShyReMw3WS7xomexJXjaqpwME-C_TQeySkcEeoBqStU-A9GKNt0xAYWryplb23tNHw4yIotdrSIRUDFk2qhFXoX6UKTvqjEEzX4LQt1kq98a8zStcv-xpaz1uSnPIRgksXSVbqI7Xbh2A"}"#;
    const P256_KID: &str = "MX3P:BKIB:C5VO:D2IM:ISSS:5UED:GFQ7:IFDC:XLVH:XAOR:RM6L:TZN6";
    const P256_PKCS8_PEM: &str = r#"-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgejFSsvcCaipwKDJX
EbU7p+vsiP65pN1sC3xKzqCG8VShRANCAARAsBnth688z2tZeS+CTz+VwCH0tUvA
/TKzetYB46ehkqEP5RBFQFmomAlYkZWqzYV9zPVf5k7J2S0nhJpxBIeM
-----END PRIVATE KEY-----
"#;
    const P256_SEC1_PEM: &str = r#"-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIHoxUrL3AmoqcCgyVxG1O6fr7Ij+uaTdbAt8Ss6ghvFUoAoGCCqGSM49
AwEHoUQDQgAEQLAZ7YevPM9rWXkvgk8/lcAh9LVLwP0ys3rWAeOnoZKhD+UQRUBZ
qJgJWJGVqs2Ffcz1X+ZOydktJ4SacQSHjA==
-----END EC PRIVATE KEY-----
"#;
    const P256_PKCS8_DER: &str = r#"
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgejFSsvcCaipwKDJXEbU7p+vsiP65
pN1sC3xKzqCG8VShRANCAARAsBnth688z2tZeS+CTz+VwCH0tUvA/TKzetYB46ehkqEP5RBFQFmo
mAlYkZWqzYV9zPVf5k7J2S0nhJpxBIeM
"#;
    const P256_SEC1_DER: &str = r#"
MHcCAQEEIHoxUrL3AmoqcCgyVxG1O6fr7Ij+uaTdbAt8Ss6ghvFUoAoGCCqGSM49AwEHoUQDQgAE
QLAZ7YevPM9rWXkvgk8/lcAh9LVLwP0ys3rWAeOnoZKhD+UQRUBZqJgJWJGVqs2Ffcz1X+ZOydkt
J4SacQSHjA==
"#;
    const P256_JWK: &str = r#"{"kty": "EC", "crv": "P-256", "x": "QLAZ7YevPM9rWXkvgk8_lcAh9LVLwP0ys3rWAeOnoZI", "y": "oQ_lEEVAWaiYCViRlarNhX3M9V_mTsnZLSeEmnEEh4w", "d": "ejFSsvcCaipwKDJXEbU7p-vsiP65pN1sC3xKzqCG8VQ"}"#;
    const P384_KID: &str = "OYGP:RSZM:D6Z7:FDX7:SPOW:D5VR:KO67:WNFK:BUUP:24WJ:S2XZ:OCMD";
    const P384_PKCS8_PEM: &str = r#"-----BEGIN PRIVATE KEY-----
MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDAT+++BtXH2d2QYIZ8n
lrv+7D7lEM+UVPAWfiDPE823Dj0PVT3Ym7qRhd6/YIgFyBGhZANiAASEpfW/l+0D
J9fO1byfMA7uv9nqQkO4wvT5LEQwyo8YRdA3Rap3/q0QmfH22N2E2jY417sDvbku
eB/TjVj/4kv7Z3beGaSfAMcQrI/gn6qB7WBR7RxsnTr6hE42ekpxalE=
-----END PRIVATE KEY-----
"#;
    const P384_SEC1_PEM: &str = r#"-----BEGIN EC PRIVATE KEY-----
MIGkAgEBBDAT+++BtXH2d2QYIZ8nlrv+7D7lEM+UVPAWfiDPE823Dj0PVT3Ym7qR
hd6/YIgFyBGgBwYFK4EEACKhZANiAASEpfW/l+0DJ9fO1byfMA7uv9nqQkO4wvT5
LEQwyo8YRdA3Rap3/q0QmfH22N2E2jY417sDvbkueB/TjVj/4kv7Z3beGaSfAMcQ
rI/gn6qB7WBR7RxsnTr6hE42ekpxalE=
-----END EC PRIVATE KEY-----
"#;
    const P384_PKCS8_DER: &str = r#"
MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDAT+++BtXH2d2QYIZ8nlrv+7D7lEM+U
VPAWfiDPE823Dj0PVT3Ym7qRhd6/YIgFyBGhZANiAASEpfW/l+0DJ9fO1byfMA7uv9nqQkO4wvT5
LEQwyo8YRdA3Rap3/q0QmfH22N2E2jY417sDvbkueB/TjVj/4kv7Z3beGaSfAMcQrI/gn6qB7WBR
7RxsnTr6hE42ekpxalE=
"#;
    const P384_SEC1_DER: &str = r#"
MIGkAgEBBDAT+++BtXH2d2QYIZ8nlrv+7D7lEM+UVPAWfiDPE823Dj0PVT3Ym7qRhd6/YIgFyBGg
BwYFK4EEACKhZANiAASEpfW/l+0DJ9fO1byfMA7uv9nqQkO4wvT5LEQwyo8YRdA3Rap3/q0QmfH2
2N2E2jY417sDvbkueB/TjVj/4kv7Z3beGaSfAMcQrI/gn6qB7WBR7RxsnTr6hE42ekpxalE=
"#;
    const P384_JWK: &str = r#"{"kty": "EC", "crv": "P-384", "x": "hKX1v5ftAyfXztW8nzAO7r_Z6kJDuML0-SxEMMqPGEXQN0Wqd_6tEJnx9tjdhNo2", "y": "ONe7A725Lngf041Y_-JL-2d23hmknwDHEKyP4J-qge1gUe0cbJ06-oRONnpKcWpR", "d": "E_vvgbVx9ndkGCGfJ5a7_uw-5RDPlFTwFn4gzxPNtw49D1U92Ju6kYXev2CIBcgR"}"#;
    const P521_KID: &str = "PONT:7AFV:K2XY:T2SM:XCKZ:L43Z:BO4T:3TSY:DXDT:SP5N:X7VX:KU2X";
    const P521_PKCS8_PEM: &str = r#"-----BEGIN PRIVATE KEY-----
MIHuAgEAMBAGByqGSM49AgEGBSuBBAAjBIHWMIHTAgEBBEIA/664HW/A7Kcku4o/
h0W2n7uGyzMB9gD+6We1pDBuYjWvMgeRwQUZxi67wkAFOH9o/p6O98rfJdSjOzIE
2ESkhuGhgYkDgYYABAFtD9I6tca2Dg3bC/z7HNbE7roSldjy97UAkoebc4fw2YH3
hoc0JPkxuBbKKHvVar6doeZRqG/0rVgNugJ5QI75dwA5IyfVazvyDhVYSLUubF2A
c0saaBNifRoqeopxUm4866mS6b06vgz0QWCmTWhxGaz//MFA/LLTZQ4ETi7kjdyf
Cg==
-----END PRIVATE KEY-----
"#;
    const P521_SEC1_PEM: &str = r#"-----BEGIN EC PRIVATE KEY-----
MIHcAgEBBEIA/664HW/A7Kcku4o/h0W2n7uGyzMB9gD+6We1pDBuYjWvMgeRwQUZ
xi67wkAFOH9o/p6O98rfJdSjOzIE2ESkhuGgBwYFK4EEACOhgYkDgYYABAFtD9I6
tca2Dg3bC/z7HNbE7roSldjy97UAkoebc4fw2YH3hoc0JPkxuBbKKHvVar6doeZR
qG/0rVgNugJ5QI75dwA5IyfVazvyDhVYSLUubF2Ac0saaBNifRoqeopxUm4866mS
6b06vgz0QWCmTWhxGaz//MFA/LLTZQ4ETi7kjdyfCg==
-----END EC PRIVATE KEY-----
"#;
    const P521_PKCS8_DER: &str = r#"
MIHuAgEAMBAGByqGSM49AgEGBSuBBAAjBIHWMIHTAgEBBEIA/664HW/A7Kcku4o/h0W2n7uGyzMB
9gD+6We1pDBuYjWvMgeRwQUZxi67wkAFOH9o/p6O98rfJdSjOzIE2ESkhuGhgYkDgYYABAFtD9I6
tca2Dg3bC/z7HNbE7roSldjy97UAkoebc4fw2YH3hoc0JPkxuBbKKHvVar6doeZRqG/0rVgNugJ5
QI75dwA5IyfVazvyDhVYSLUubF2Ac0saaBNifRoqeopxUm4866mS6b06vgz0QWCmTWhxGaz//MFA
/LLTZQ4ETi7kjdyfCg==
"#;
    const P521_SEC1_DER: &str = r#"
MIHcAgEBBEIA/664HW/A7Kcku4o/h0W2n7uGyzMB9gD+6We1pDBuYjWvMgeRwQUZxi67wkAFOH9o
/p6O98rfJdSjOzIE2ESkhuGgBwYFK4EEACOhgYkDgYYABAFtD9I6tca2Dg3bC/z7HNbE7roSldjy
97UAkoebc4fw2YH3hoc0JPkxuBbKKHvVar6doeZRqG/0rVgNugJ5QI75dwA5IyfVazvyDhVYSLUu
bF2Ac0saaBNifRoqeopxUm4866mS6b06vgz0QWCmTWhxGaz//MFA/LLTZQ4ETi7kjdyfCg==
"#;
    const P521_JWK: &str = r#"{"kty": "EC", "crv": "P-521", "x": "AW0P0jq1xrYODdsL_Psc1sTuuhKV2PL3tQCSh5tzh_DZgfeGhzQk-TG4Fsooe9Vqvp2h5lGob_StWA26AnlAjvl3", "y": "ADkjJ9VrO_IOFVhItS5sXYBzSxpoE2J9Gip6inFSbjzrqZLpvTq-DPRBYKZNaHEZrP_8wUD8stNlDgROLuSN3J8K", "d": "AP-uuB1vwOynJLuKP4dFtp-7hsszAfYA_ulntaQwbmI1rzIHkcEFGcYuu8JABTh_aP6ejvfK3yXUozsyBNhEpIbh"}"#;
    const RSA1024_PKCS8_PEM: &str = r#"-----BEGIN PRIVATE KEY-----
MIICeAIBADANBgkqhkiG9w0BAQEFAASCAmIwggJeAgEAAoGBAPEipXh9nt2waSXe
8rB03NgkU82NWi6a3IWxeBAgwJBieOKtTADD+0aZbb7DAwFEt51+ZVq/498xBS82
N5kHBBxeDKXZJzn4SV/jr7Co6hlYYOkezn0FA8DnC/l/qZ5OASpqPmDjfV8YflQg
AmoFt/yG7kOSMpfXmBMK53JrG6XfAgMBAAECgYA3Ycm3XsK6D+ZWeFotBOokClPl
Be4Mfizf197HdX5EqxkwlrS6CEkR8fMuuQNbqziwx3Ln4OKpREz4hu9GCkJ6/02t
FZuVxcogc51Z4zfaDl77ZdZP4RbqYaWx9lDsLgtf25rOb7NAswJR9OJWtirFq4FI
EV3Ku1FJqfZh5MRQIQJBAPliW+sH1mxRs+D78U7ad7UxA869mNvknrpw9+iHVIxM
LZqowHUmjvN/kPEvvXMdSEi2vF4FEeNzENhzu4j6o/0CQQD3iERLuL2qCe8gmuQC
v3grOyimO2GeoaAoYuMuLmxVej6dMkRXuWIIPBwc25fQjh8DQIP2GiH/XovEpkOE
eyILAkEA9g38DztebuV2C2fJwTmAnv/Ld/JNnbhGfEH1+DF+VCbdYBlcOrpelRWq
Vq35yFh993CFDmcGLVpcppQZ1p8lqQJBAJW3Rs+h6p2pKohHBvgehPlo67o3mmDP
E0a6IPxyubWtnaeImsuQZhni+YH+08Eh5OIbqHU28y85KUKE6bt8mmcCQQDm03qN
bmg0kuJc4QIKKW5mXPy9KTCrBO3vShb8azFfbVcMzKhj38850Xxym/YCqisQ0MVM
kGWKkUJLCMIVnGqq
-----END PRIVATE KEY-----
"#;
    const RSA1024_JWK: &str = r#"{"kty": "RSA", "n": "8SKleH2e3bBpJd7ysHTc2CRTzY1aLprchbF4ECDAkGJ44q1MAMP7RpltvsMDAUS3nX5lWr_j3zEFLzY3mQcEHF4MpdknOfhJX-OvsKjqGVhg6R7OfQUDwOcL-X-pnk4BKmo-YON9Xxh-VCACagW3_IbuQ5Iyl9eYEwrncmsbpd8", "e": "AQAB", "d": "N2HJt17Cug_mVnhaLQTqJApT5QXuDH4s39fex3V-RKsZMJa0ughJEfHzLrkDW6s4sMdy5-DiqURM-IbvRgpCev9NrRWblcXKIHOdWeM32g5e-2XWT-EW6mGlsfZQ7C4LX9uazm-zQLMCUfTiVrYqxauBSBFdyrtRSan2YeTEUCE", "p": "-WJb6wfWbFGz4PvxTtp3tTEDzr2Y2-SeunD36IdUjEwtmqjAdSaO83-Q8S-9cx1ISLa8XgUR43MQ2HO7iPqj_Q", "q": "94hES7i9qgnvIJrkAr94KzsopjthnqGgKGLjLi5sVXo-nTJEV7liCDwcHNuX0I4fA0CD9hoh_16LxKZDhHsiCw", "dp": "9g38DztebuV2C2fJwTmAnv_Ld_JNnbhGfEH1-DF-VCbdYBlcOrpelRWqVq35yFh993CFDmcGLVpcppQZ1p8lqQ", "dq": "lbdGz6HqnakqiEcG-B6E-WjrujeaYM8TRrog_HK5ta2dp4iay5BmGeL5gf7TwSHk4huodTbzLzkpQoTpu3yaZw", "qi": "5tN6jW5oNJLiXOECCiluZlz8vSkwqwTt70oW_GsxX21XDMyoY9_POdF8cpv2AqorENDFTJBlipFCSwjCFZxqqg"}"#;
    const RSA2048_SPKI_PEM: &str = r#"-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAvrmHggTdpi6y+zjzljVg
LKM1qedt8kcedpiy9A+N25Wq5+jssj6+ZnbaoA8KFzbZ7dDiZMdfuUlPjVcW4Yz1
QIqQ8hucH6snXE11CYhIDQn5JEKH6XJn7Q+gwcRnUOhkGSmuzEORB8v0NlQJOLD0
dv/EoTfhpSkxvV9riIuxKMi4HK4SSq9sEOzdmrLJIvVH5ZJaGRUJ/zY37IjI3oTq
biHDV3QaazACloomGnIqeXC8tA6bV+XrWf49V5hoWwwe15/AH1QG/CENVaTxbwjS
e0DqJTSyOvcr0SKCzi8uGmIuqNcrNpGPZLAIVlXS8N8sMfZWJPrpAs515gTZogro
9wIDAQAB
-----END PUBLIC KEY-----
"#;
    const RSA2048_PKCS1_PUBLIC_PEM: &str = r#"-----BEGIN RSA PUBLIC KEY-----
MIIBCgKCAQEAvrmHggTdpi6y+zjzljVgLKM1qedt8kcedpiy9A+N25Wq5+jssj6+
ZnbaoA8KFzbZ7dDiZMdfuUlPjVcW4Yz1QIqQ8hucH6snXE11CYhIDQn5JEKH6XJn
7Q+gwcRnUOhkGSmuzEORB8v0NlQJOLD0dv/EoTfhpSkxvV9riIuxKMi4HK4SSq9s
EOzdmrLJIvVH5ZJaGRUJ/zY37IjI3oTqbiHDV3QaazACloomGnIqeXC8tA6bV+Xr
Wf49V5hoWwwe15/AH1QG/CENVaTxbwjSe0DqJTSyOvcr0SKCzi8uGmIuqNcrNpGP
ZLAIVlXS8N8sMfZWJPrpAs515gTZogro9wIDAQAB
-----END RSA PUBLIC KEY-----
"#;
    const RSA2048_ENCRYPTED_PKCS8_PEM: &str = r#"-----BEGIN ENCRYPTED PRIVATE KEY-----
MIIFNTBfBgkqhkiG9w0BBQ0wUjAxBgkqhkiG9w0BBQwwJAQQqudD7lF48ySpjF2k
NX2BRQICCAAwDAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEENPC93N/FjkFcLBY
Yl10kzcEggTQmsTA8xyK6+xcWTaA8dhhKINgsGQngc+LtIIFkccyNozPIPcv1fTc
z5J3rfMJ+V4LsIOHH5jFSyVLu2O9PKfYSCIw4hmLchCuDokLYo79MxveX/xhh56V
QJ7GqOzxxDExGvlkHxFNQyErrGwNftoHJamYOzND2JH3Y/NQhMO/Y6vYuoeu4X/V
8Er+91rVbbaHV4Y+uqcLwVYehb1WNgKts1prcn7NDdhyku9scRhY32h1fri7Xk9w
Wl4wUGjgHH5tQpbDMy6G1xIbbhGZm0DOaNqvFjJtzTmWHW4VYi8wWYFYFyAo3DgF
F+O+b1rr72na0ps8uUA2lye8NxjGqHrhDBxV4rZsC1X4YMGqWYAw0sg6Dhi8vq3i
IccVsIDapFR+M35KBA3QQmLaMnzjYNS70y44HTpZJw3b6tvwzQwv89J36JK3wJpk
YXT+NDNQZ93PWg5Y9o/25oQ2jHpxKBfe+EUVD4OCn4d8VExNuLrIDtJHKZKd/SBE
SIL7TsywnbN3my9Tzr8bgv9aNXLUSVxPvHqQ/1cOX9zRAgf37Kis93WOr6VyZXQX
nW7fQo7MZfUkw2pozTG/JcTHDaNkJhAgd7hqt3enSHpjnCM//MUS+34t+MhEBny8
I5Fxt5VTgKswwTCUwZc4bRvoh+QKiw/8GnGuy3OIbni9hxSrQzOIs+PSxxBeoRv3
tfbS1C3SR27ZjVAlSM5QTp9GgtmFMJcHFzqLdvrMT6Gg17KU2KvJpV225NJzqp4p
qXCRc5mbi64+uaA3/TCQ2CNmE8uNCv1hnoOMr1LPUSPhrw7VeYhV00L4XGnVTbao
3Qu6YVq3gkqbY2HDC+wWSK4+1AH15JI1+qSh4H7dDsTZ1F8OgFohTel+gJcffZ/L
/49DvqDmHN98ub1nu6mMwBT5c58FlTXx25A0DmuQeDLIe0Uj0flP6D/jduQtIjdg
kqqtGHWgDFxmz+oYo/BFDrux2/WCAnQ6pYe4pwpk0w3UxCKEXDWb2Y9kc6FEXTaW
90OLLhg1LGBGbepaWfZKBFPG7GncJf30Cu9oEmSVJr1/08vLDeTZYDLKDBkyfHqO
Uz1/2AG+BY450A+zBFUksfQG7IavaW6l5ibiQFjXXFl8SV8v4d13K0i4N+AbO4w9
rMaClUXTmhzaCMjFyW/qci9HJnmfIofZ9eaVeJw6RC3nGMF9LnfkG1HX+hFRYJvP
79w8cFY/3zoUgsV1wej2yXWbx/c4joUjPIMU1WCpIPxPFNZ5gM9i6x05g6YoyGRj
NR9JiLWJFzNroLscE3+sorJsoxOKIpgJltr2J7rTzvt3yy0pHAg+Ki+qH/xVL61T
87ZdkNhdD6Mnrv91uP+HwqIHBYHh9xaV4B15h99O/L0XTO7PuALTo6SMxP2iiAt9
1gw9BIq8NMceX6Uu+NwswC/kFrW0kaU/h2QjdCDilYCzeGh8CShp2GweM3ZHk9rU
NcJdo+PISKA7EQsymJpqF+PK+ZWp6d8pe69ey7NEUvhSWdLZLxJ3ZX7bIhYbOMYx
brm/RDTQddPnYyWuvBwe3bdmKXU2H4F+l1Pe3LF23RBdb7tdamkkJwaadGu+ekqG
biY5icxhX9I+lghsBGtMX2TDYufH48eaYEo/isCe7gyYF4djPngiJh4=
-----END ENCRYPTED PRIVATE KEY-----
"#;
    const RSA2048_ENCRYPTED_PKCS1_PEM: &str = r#"-----BEGIN RSA PRIVATE KEY-----
Proc-Type: 4,ENCRYPTED
DEK-Info: AES-256-CBC,1AAA95E3092FFF9C987D187EE36C085A

aPejyWigxPGlx0cfBwukKBZy8MrJr+semft4GCINpCpXrpS/7cyGRa9FhIVE4Iuf
SrZOfNzX322iUkywUrg8XoqisrzMXYkLdq9rKFIy1MCmpJvp9/OtZeqKIAosJTWn
ra1KBSDakeifSJE4pjFnvO8Xn6d6K9vjRFibVCZFeFU6+AW6Uo+S7cmyQXYzjkol
Eb9Ux5mlam+7vGSU5C3Cs1vhuOqWNSGw8c18+mcVrA6zJdtg+L+L33rAsq4PwGRu
/qAiznW9jXaVwGRo/C68YH8VNvQhgcox/JqHnvd254KUChwZtvWZIrvuR+scpsPF
RYFiaxF5npWRGynhhMh9qgK7OtkhgPexHzahScvrO/G1C9YXjFY8SKc0gVFAfN9P
OS4w5uvFVuyN6C3tCeJEaPJNTr1DR581QtM6gmuVS7oYcOLyiuSjKLPohZ1JgBZH
RCEb2myNHLbj+Rtmx0Kp3d9VDMXSgt0n7mDh7tP7n3mBUM13UO47XyyZx8YPAo6M
0lLEl11SlXZkv/rveJN+hDGEn9oKMikP7SppeJz5dDrfEwkqKEol+6REa02AZxGk
4hdBSQdTTRIft1vNma49kafTzDBVTGU7UhQedRRMSGtButHdHbtq6I/C/iNHNny+
3wsTjiWabBsWs3nmENXH6T+bOMy8h0sDPPfBgmEp1fx07CC8xfpu3Pl/1Mt2xyDs
iVzto7vIRnnzXmTeq9GJ5l61kz2zkWqEpdafNR5tJLXR0OEaBe9ZLTwG97AUAlLc
1pABdgiU36XNZ9p245/VyaUWs7aQ+nx0N0dMlLM3/3GerXoMtmHnTb0w5dLqSSPD
+l2fYCaB6ZH9WF23qVyk6Voe+YqXBKUxdnEc2148JAMnWHcnUEP583Ofhc3tkmQA
4S8b97MnTT50D5U4z1OorVSLbs3MSZyOOYmP6zm8Zmpt/BY+EpU1Zwjft/mflSsX
sxeKS7Zf50uSvvbpL3s8dtSI4NNfCGppYP1WLr4AG9JkOvYpqO5+smaM33NlhWHe
6mpFtHQP4D4SqOSRixEzvF3W7oA3HoSGqcesTU2gRHb2h9enJVU3CwWYtto0Vt9d
7hYsGUH7AZfcF+jc1JBp4D3CH7kx2pKBqIbmMDMtjcrk7gIlE1PwWZbq7K7ITpld
1O90eQtckkFsK70sRDSWM38aQAxDK8UO+Mwize6MnaKB6eJ4RaLYRPlQUMNqnQW5
tqgzjHlrKpL4f5CBG/cPYVOtT2U31553E6j9j9N8pw960JyK1zsgX7cnSyNfavMu
vUX1+WI0n1LV9sAyyBrIlRXl1KbjCfEKR+VeMpNsKqb86AnrK8UAWQTlsdAWtQMj
u5Hu8IUV8wMJHRlMgy3zFsCGftAWov7Ao0PiUyS4ID1uGT3JfhkKF/WApVZYM25U
A3SbSSeJygvPDx9SG2bDSDMaDFp4Ivhg3jdhNRNShB6ysc8z1SqGDMRxyuGwNSW0
BuEza2OOblSxpzxroXrlsnJL709fTT38PJBOZpGrGYvpW9txDDoAFaQbQJG0WG30
41NgNi5cjLRSx6ax1QJs8mQeBWsPOMdhpxgIvDifxtF7msPSuxEn7sbqjT/Kjy46
-----END RSA PRIVATE KEY-----
"#;
    const P256_SPKI_PEM: &str = r#"-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEQLAZ7YevPM9rWXkvgk8/lcAh9LVL
wP0ys3rWAeOnoZKhD+UQRUBZqJgJWJGVqs2Ffcz1X+ZOydktJ4SacQSHjA==
-----END PUBLIC KEY-----
"#;
    const P256_SEC1_NO_PUBLIC_DER: &str = r#"
MDECAQEEIHoxUrL3AmoqcCgyVxG1O6fr7Ij+uaTdbAt8Ss6ghvFUoAoGCCqGSM49AwEH
"#;
    const P384_SEC1_NO_PUBLIC_DER: &str = r#"
MD4CAQEEMBP774G1cfZ3ZBghnyeWu/7sPuUQz5RU8BZ+IM8TzbcOPQ9VPdibupGF3r9giAXIEaAH
BgUrgQQAIg==
"#;
    const P521_SEC1_NO_PUBLIC_DER: &str = r#"
MFACAQEEQgD/rrgdb8DspyS7ij+HRbafu4bLMwH2AP7pZ7WkMG5iNa8yB5HBBRnGLrvCQAU4f2j+
no73yt8l1KM7MgTYRKSG4aAHBgUrgQQAIw==
"#;
    const SECP256K1_SEC1_PEM: &str = r#"-----BEGIN EC PRIVATE KEY-----
MHQCAQEEIMujIImIMWSFyOED1MMAzmjkZjqHXeUMWdJv7UufGGc+oAcGBSuBBAAK
oUQDQgAEQsuzjxFX77CeIEFAtgQmgUN7fAfcDlevkz7DdvRpzAPEE1FxlJ1rXFLG
QvHvnw3aksUoGvKVSB0Oid7UgOyS+A==
-----END EC PRIVATE KEY-----
"#;
    const SECP256K1_PKCS8_PEM: &str = r#"-----BEGIN PRIVATE KEY-----
MIGEAgEAMBAGByqGSM49AgEGBSuBBAAKBG0wawIBAQQgy6MgiYgxZIXI4QPUwwDO
aORmOodd5QxZ0m/tS58YZz6hRANCAARCy7OPEVfvsJ4gQUC2BCaBQ3t8B9wOV6+T
PsN29GnMA8QTUXGUnWtcUsZC8e+fDdqSxSga8pVIHQ6J3tSA7JL4
-----END PRIVATE KEY-----
"#;
    const ED25519_PKCS8_PEM: &str = r#"-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIMDetxpeqjomn7rS5i++VejgVv5WiFHzlBm/nB3bZWjH
-----END PRIVATE KEY-----
"#;
    /// Quay's test key (quay-golden/test_rsa_key.jwk.json).
    const QUAY_JWK: &str = r#"{
  "kty": "RSA",
  "n": "0oJr_FhoKjRhyTzA6Fi-HXpXYWonZvidgBBCiRJiU1ZYStlnSbqCrP0MF5MAD9yAvIfEY8-avbcer7gpGgxkM6sCJMWZV_o7QEqbBmSF3iFfHZpVx1W4YWbPPwMIXcU3msTtqsXB1BE5EH_Q4gAP7-90ASsUsohxccgn0Fs2svvco_X6h1tPTnPprJMSsAR3yA6hsiINOujGMx33YAsz9K46uENkFz5nL-YWk8LoHDRUdppqkARYHyGwQPul4cTJV35AsiIYH1zRIWQ8q11hpXREmBuB8FjUnsuE7XR_WlvaXu5u5anod_8hXgis0YqrpiBhIvwM0W2K8tNcyrGXfw",
  "e": "AQAB",
  "d": "A2BFwvjJ_8Sc9mvdn-4Ya1i4AQnIhMSGvwJR-KGUkgCWHSL4rQqHxInpuh9IlM3frZEI9jl_TPzVO-DFK_sNczvLJp5g4gkogKn1Mtv996BrRnwZHGpZzX2nOVhtYjMp5qGWrDKh144eC6vcqAXldG0IhtsooabQNS0ciz2fssl1BstOpHcq_uv6jAuG2dfQzzY4q6SUiIGYvkF8QBEtBhsUlQ8GZlT3F2CUSwz1Ofb0r70FpIdditPLKqle4e-Pn484R2Mr3T6H9vHbzhED-D8Ik0mdL5ck0Q1PuSIU4xyoz2S6fpM3V10W7jg-im1N7_cZ5pipyS_IckPyKAgd_Q",
  "p": "_UpsRUcUkGUXTGFUIeuDiGxaxDYoUs2CGDjtWmBwclkTNigkN9kG_PBHgFSHxY7nSl_AKgIMbVRPpK6XJitksp6IGpz3_F7msXGT0L0xoQL7XUiJ7O_lGbiTGpSro3RdpctAM-JO24e7xGRF5EjtE6iV70vsoJQ1s5dCpkh5EtM",
  "q": "1MLaPC_ostjHTafx4Kt_aM8hl7j3zfISVPoRCwlMJNiQ55lZ4c0dExqxAI7zZ8UuhDQEF9OH_tNtAgeUJUZ4m1PhOmFz9Jlaq__ayyDV4xpcBFauP3lsZEOta_vs_w9VYUITt05V-DdR1ndUetXdAfhV2pQzHsScGnYj28sFRSU",
  "dp": "OZcTWQkZVt91VauHipLW_EzOsnAx6OnLG6DN7s-goY85PAYSfhQ9b4NeboJJwJSGaDWvJp4Cn1UdKq97tHUHV0mOXqa0B9C4GT5ewoZR428fIg2dNp8w8xExeUi2YdrSdCDrfyCEl4ucGMJH1ejy5pZdSOR1b-li8GuC_vXZeXs",
  "dq": "oiwL8MiL1JcMA5M5-Qh_y0Hm1yE0MZSMiJ07lG_3zDYO7ZmkO0r_GGrF9CkCO1y_QiHr5MVl6cT6WAuyzl7S24KqMLfLjOu_g084VJCot7yF2wC_PL6u8hXsAF08noXvjHyzTou1V8fC53h5uk99cFz8A-nmtVMjsb_PQV-Umsk",
  "qi": "z-zpgINRUOKhBVCZpJlruBtH5P5z7ho3GvNCG_OSoRzErQzNJS97g2o0WURlbwKDes5JVKh7smOl6gPsvVzC7AJdWXVWHTgqKX94gfaulqZjiw1Ibc_PJguBveJIu7cdKWAswtHG3g588fLbUFW3OKtkm6goTI89PgrRrMMrmyo"
}"#;
    const QUAY_KID: &str = "GZPQ:GQ2L:JHD2:YKIB:QHAS:CL2K:UJVH:TALW:HNA7:FYJC:TTQW:RRYH";
    /// (id, signed document as base64, protected, signature) of golden builder records.
    const QUAY_SIGNED: &[(&str, &str, &str, &str)] = &[
        (
            "quay_unencoded_unicode/signed/utf8",
            r#"
ewogICAidGFnIjogInNvbWV0YWciLAogICAibmFtZSI6ICJzb21lbmFtZXNwYWNlL3NvbWVyZXBv
IiwKICAgImFyY2hpdGVjdHVyZSI6ICJhbWQ2NCIsCiAgICJzY2hlbWFWZXJzaW9uIjogMSwKICAg
Imhpc3RvcnkiOiBbCiAgICAgIHsKICAgICAgICAgInYxQ29tcGF0aWJpbGl0eSI6ICJ7XCJpZFwi
OiBcInNvbWVpZFwiLCBcImF1dGhvclwiOiBcIlPDtG3DqSBndXlcIn0iCiAgICAgIH0KICAgXSwK
ICAgImZzTGF5ZXJzIjogWwogICAgICB7CiAgICAgICAgICJibG9iU3VtIjogInNoYTI1NjphYmNk
ZSIKICAgICAgfQogICBdLAogICAic2lnbmF0dXJlcyI6IFsKICAgICAgewogICAgICAgICAiaGVh
ZGVyIjogewogICAgICAgICAgICAiandrIjogewogICAgICAgICAgICAgICAibiI6ICIwb0pyX0Zo
b0tqUmh5VHpBNkZpLUhYcFhZV29uWnZpZGdCQkNpUkppVTFaWVN0bG5TYnFDclAwTUY1TUFEOXlB
dklmRVk4LWF2YmNlcjdncEdneGtNNnNDSk1XWlZfbzdRRXFiQm1TRjNpRmZIWnBWeDFXNFlXYlBQ
d01JWGNVM21zVHRxc1hCMUJFNUVIX1E0Z0FQNy05MEFTc1Vzb2h4Y2NnbjBGczJzdnZjb19YNmgx
dFBUblBwckpNU3NBUjN5QTZoc2lJTk91akdNeDMzWUFzejlLNDZ1RU5rRno1bkwtWVdrOExvSERS
VWRwcHFrQVJZSHlHd1FQdWw0Y1RKVjM1QXNpSVlIMXpSSVdROHExMWhwWFJFbUJ1QjhGalVuc3VF
N1hSX1dsdmFYdTV1NWFub2RfOGhYZ2lzMFlxcnBpQmhJdndNMFcySzh0TmN5ckdYZnciLAogICAg
ICAgICAgICAgICAiZSI6ICJBUUFCIiwKICAgICAgICAgICAgICAgImtpZCI6ICJHWlBROkdRMkw6
SkhEMjpZS0lCOlFIQVM6Q0wySzpVSlZIOlRBTFc6SE5BNzpGWUpDOlRUUVc6UlJZSCIsCiAgICAg
ICAgICAgICAgICJrdHkiOiAiUlNBIgogICAgICAgICAgICB9LAogICAgICAgICAgICAiYWxnIjog
IlJTMjU2IgogICAgICAgICB9LAogICAgICAgICAic2lnbmF0dXJlIjogIklvTjJqTmNlMjhvenlV
a1MzdzNfYktFS3dxZ2drTmEtNVExeVZCYUdtTlRhMlNwWE9FQ3FDOHZHX0N2Nk5aRnZGZkFhWW44
UmtQT2hQYnF5V3NkUG40cmhMVWpQNDFLYnVsLTZZZ1RSTWp0T1JxV1lFYzBlMEhDcjU3WDlRa1BJ
N1pYcmU3ajgyZUVIeXNDd01Jc0NIWUFzVzhsbkVvbFE4c3JiN0VpTl96dlB5aEw1MUlVRTJnSUxy
LXBZOFJ0dWtZMjlkQkhYdzhLbk45UFJOUGR3YzZxYVlSQlYwZlNIME9BdVJpTmx4VDNkWWphY0xf
M0d5M3ZUX0NablVLR1FnZlVSUGVXMHdvN1hhWDQzLXB2a1dlWFd3NzNGckdzZVRwdE5CbU81eXBx
Q0xwTkR3aTlCNWtTMDY2YlFkWVBhUi1CMU9wMUVsX1JIM2VLRklYNFRvQSIsCiAgICAgICAgICJw
cm90ZWN0ZWQiOiAiZXlKbWIzSnRZWFJVWVdsc0lqb2lRMjR3SWl3aVptOXliV0YwVEdWdVozUm9J
am96TURBc0luUnBiV1VpT2lJeU1ERTVMVEF5TFRJd1ZERXlPakF3T2pBd1dpSjkiCiAgICAgIH0K
ICAgXQp9
"#,
            "eyJmb3JtYXRUYWlsIjoiQ24wIiwiZm9ybWF0TGVuZ3RoIjozMDAsInRpbWUiOiIyMDE5LTAyLTIwVDEyOjAwOjAwWiJ9",
            "IoN2jNce28ozyUkS3w3_bKEKwqggkNa-5Q1yVBaGmNTa2SpXOECqC8vG_Cv6NZFvFfAaYn8RkPOhPbqyWsdPn4rhLUjP41Kbul-6YgTRMjtORqWYEc0e0HCr57X9QkPI7ZXre7j82eEHysCwMIsCHYAsW8lnEolQ8srb7EiN_zvPyhL51IUE2gILr-pY8RtukY29dBHXw8KnN9PRNPdwc6qaYRBV0fSH0OAuRiNlxT3dYjacL_3Gy3vT_CZnUKGQgfURPeW0wo7XaX43-pvkWeXWw73FrGseTptNBmO5ypqCLpNDwi9B5kS066bQdYPaR-B1Op1El_RH3eKFIX4ToA",
        ),
        (
            "single_minimal/signed/ascii",
            r#"
ewogICAidGFnIjogInNvbWV0YWciLAogICAibmFtZSI6ICJzb21lbmFtZXNwYWNlL3NvbWVyZXBv
IiwKICAgImFyY2hpdGVjdHVyZSI6ICJhbWQ2NCIsCiAgICJzY2hlbWFWZXJzaW9uIjogMSwKICAg
Imhpc3RvcnkiOiBbCiAgICAgIHsKICAgICAgICAgInYxQ29tcGF0aWJpbGl0eSI6ICJ7XCJpZFwi
OlwiYVwifSIKICAgICAgfQogICBdLAogICAiZnNMYXllcnMiOiBbCiAgICAgIHsKICAgICAgICAg
ImJsb2JTdW0iOiAic2hhMjU2Ojc5MDI2OTliZTQyYzhhOGU0NmZiYmI0NTAxNzI2NTE3ZTg2YjIy
YzU2YTE4OWY3NjI1YTZkYTQ5MDgxYjI0NTEiCiAgICAgIH0KICAgXSwKICAgInNpZ25hdHVyZXMi
OiBbCiAgICAgIHsKICAgICAgICAgImhlYWRlciI6IHsKICAgICAgICAgICAgImp3ayI6IHsKICAg
ICAgICAgICAgICAgIm4iOiAiMG9Kcl9GaG9LalJoeVR6QTZGaS1IWHBYWVdvblp2aWRnQkJDaVJK
aVUxWllTdGxuU2JxQ3JQME1GNU1BRDl5QXZJZkVZOC1hdmJjZXI3Z3BHZ3hrTTZzQ0pNV1pWX283
UUVxYkJtU0YzaUZmSFpwVngxVzRZV2JQUHdNSVhjVTNtc1R0cXNYQjFCRTVFSF9RNGdBUDctOTBB
U3NVc29oeGNjZ24wRnMyc3Z2Y29fWDZoMXRQVG5QcHJKTVNzQVIzeUE2aHNpSU5PdWpHTXgzM1lB
c3o5SzQ2dUVOa0Z6NW5MLVlXazhMb0hEUlVkcHBxa0FSWUh5R3dRUHVsNGNUSlYzNUFzaUlZSDF6
UklXUThxMTFocFhSRW1CdUI4RmpVbnN1RTdYUl9XbHZhWHU1dTVhbm9kXzhoWGdpczBZcXJwaUJo
SXZ3TTBXMks4dE5jeXJHWGZ3IiwKICAgICAgICAgICAgICAgImUiOiAiQVFBQiIsCiAgICAgICAg
ICAgICAgICJraWQiOiAiR1pQUTpHUTJMOkpIRDI6WUtJQjpRSEFTOkNMMks6VUpWSDpUQUxXOkhO
QTc6RllKQzpUVFFXOlJSWUgiLAogICAgICAgICAgICAgICAia3R5IjogIlJTQSIKICAgICAgICAg
ICAgfSwKICAgICAgICAgICAgImFsZyI6ICJSUzI1NiIKICAgICAgICAgfSwKICAgICAgICAgInNp
Z25hdHVyZSI6ICJSV0xZbE0xbHNrZnUtbnR1c1E3MGl2SXNTRDh1YmFONnNhTTREUUZySHRDU19f
alBaMUx6alVNcDl3OUpxUnB5YlpLMjYycVhIT0tqRlR6Q0VtS0duaExqajNQNGJWejdid1V4VC00
QlJWZGwyUHlJc0V4LThuSU1KNTdkeC1rRVBLSE1OT2h6aTFJVjQ4WWhwWU9jbklJT2s5UWhqZDNS
YlJqRUhid0xJcHVkUi1Qdk1WVlE4ekJSc3FNTkl2VHpqb2pGWU03NVdCTnU1QlFKZkR6b0ZOMDBi
VExJX0hObTEwWmMzSkg5TzNlV1NVQVFPN2JlaDN4S3VPakRBWHdUVTJ0eGNVQlhBV2hQWl9jS1ZR
d2tKQWtjenJiMGZnYnIzQmxPWDl3anhGUTlnQjJPaVRCRkRQOGJMZ190d2dFUy03bFR1QUJBTEN6
TDJHcllKNGdzRXciLAogICAgICAgICAicHJvdGVjdGVkIjogImV5Sm1iM0p0WVhSVVlXbHNJam9p
UTI0d0lpd2labTl5YldGMFRHVnVaM1JvSWpvek1qVXNJblJwYldVaU9pSXlNREU1TFRBeUxUSXdW
REV5T2pBd09qQXdXaUo5IgogICAgICB9CiAgIF0KfQ==
"#,
            "eyJmb3JtYXRUYWlsIjoiQ24wIiwiZm9ybWF0TGVuZ3RoIjozMjUsInRpbWUiOiIyMDE5LTAyLTIwVDEyOjAwOjAwWiJ9",
            "RWLYlM1lskfu-ntusQ70ivIsSD8ubaN6saM4DQFrHtCS__jPZ1LzjUMp9w9JqRpybZK262qXHOKjFTzCEmKGnhLjj3P4bVz7bwUxT-4BRVdl2PyIsEx-8nIMJ57dx-kEPKHMNOhzi1IV48YhpYOcnIIOk9Qhjd3RbRjEHbwLIpudR-PvMVVQ8zBRsqMNIvTzjojFYM75WBNu5BQJfDzoFN00bTLI_HNm10Zc3JH9O3eWSUAQO7beh3xKuOjDAXwTU2txcUBXAWhPZ_cKVQwkJAkczrb0fgbr3BlOX9wjxFQ9gB2OiTBFDP8bLg_twgES-7lTuABALCzL2GrYJ4gsEw",
        ),
        (
            "zero_layers/signed/ascii",
            r#"
ewogICAidGFnIjogInNvbWV0YWciLAogICAibmFtZSI6ICJzb21lbmFtZXNwYWNlL3NvbWVyZXBv
IiwKICAgImFyY2hpdGVjdHVyZSI6ICJhbWQ2NCIsCiAgICJzY2hlbWFWZXJzaW9uIjogMSwKICAg
Imhpc3RvcnkiOiBbXSwKICAgImZzTGF5ZXJzIjogW10sCiAgICJzaWduYXR1cmVzIjogWwogICAg
ICB7CiAgICAgICAgICJoZWFkZXIiOiB7CiAgICAgICAgICAgICJqd2siOiB7CiAgICAgICAgICAg
ICAgICJuIjogIjBvSnJfRmhvS2pSaHlUekE2RmktSFhwWFlXb25admlkZ0JCQ2lSSmlVMVpZU3Rs
blNicUNyUDBNRjVNQUQ5eUF2SWZFWTgtYXZiY2VyN2dwR2d4a002c0NKTVdaVl9vN1FFcWJCbVNG
M2lGZkhacFZ4MVc0WVdiUFB3TUlYY1UzbXNUdHFzWEIxQkU1RUhfUTRnQVA3LTkwQVNzVXNvaHhj
Y2duMEZzMnN2dmNvX1g2aDF0UFRuUHBySk1Tc0FSM3lBNmhzaUlOT3VqR014MzNZQXN6OUs0NnVF
TmtGejVuTC1ZV2s4TG9IRFJVZHBwcWtBUllIeUd3UVB1bDRjVEpWMzVBc2lJWUgxelJJV1E4cTEx
aHBYUkVtQnVCOEZqVW5zdUU3WFJfV2x2YVh1NXU1YW5vZF84aFhnaXMwWXFycGlCaEl2d00wVzJL
OHROY3lyR1hmdyIsCiAgICAgICAgICAgICAgICJlIjogIkFRQUIiLAogICAgICAgICAgICAgICAi
a2lkIjogIkdaUFE6R1EyTDpKSEQyOllLSUI6UUhBUzpDTDJLOlVKVkg6VEFMVzpITkE3OkZZSkM6
VFRRVzpSUllIIiwKICAgICAgICAgICAgICAgImt0eSI6ICJSU0EiCiAgICAgICAgICAgIH0sCiAg
ICAgICAgICAgICJhbGciOiAiUlMyNTYiCiAgICAgICAgIH0sCiAgICAgICAgICJzaWduYXR1cmUi
OiAiWDZGQ0ZOaE9RejZfQnl0clZRVXRmcVg4U2tiaFNXSFhJemwxekYxWEUtYUhFbE5qZWZLSHdV
M3lYeFI4UHZBNUduSkh0bHV0d2U4cklPR0toR3I0NFU1QUxSUFl0QUhzMVU1YTR2NnF6RlBMVEE2
R2hoWERWbUhLQXk2RlZ5SXIyaDJ5cllXeGxEZVZJSkFvREZHd05jVjhiNEstR2JDNnlGbDNrUF91
TkQzNXlNVnRKbHN4TW9veHBKZlNjb0plNndKWGFpbUNQMFdWTHA0WGc4azMwWE5ITXJJdGRYanpB
Y0FTVC05ZERHRlYybDlMT2l1bUhHQk1hUHRKZGFldG1keDBNeURtMjhvRm1Mc0NxYl96bXFmYVp1
dkZoc2c4b3lmZlVYcDhiUDVva1NhQ0JRQ0VJWXV1TE5SdGJrSzNsNlUzdW9EUDFZNEZaVGdPWVUy
bjBRIiwKICAgICAgICAgInByb3RlY3RlZCI6ICJleUptYjNKdFlYUlVZV2xzSWpvaVEyNHdJaXdp
Wm05eWJXRjBUR1Z1WjNSb0lqb3hORFlzSW5ScGJXVWlPaUl5TURFNUxUQXlMVEl3VkRFeU9qQXdP
akF3V2lKOSIKICAgICAgfQogICBdCn0=
"#,
            "eyJmb3JtYXRUYWlsIjoiQ24wIiwiZm9ybWF0TGVuZ3RoIjoxNDYsInRpbWUiOiIyMDE5LTAyLTIwVDEyOjAwOjAwWiJ9",
            "X6FCFNhOQz6_BytrVQUtfqX8SkbhSWHXIzl1zF1XE-aHElNjefKHwU3yXxR8PvA5GnJHtlutwe8rIOGKhGr44U5ALRPYtAHs1U5a4v6qzFPLTA6GhhXDVmHKAy6FVyIr2h2yrYWxlDeVIJAoDFGwNcV8b4K-GbC6yFl3kP_uND35yMVtJlsxMooxpJfScoJe6wJXaimCP0WVLp4Xg8k30XNHMrItdXjzAcAST-9dDGFV2l9LOiumHGBMaPtJdaetmdx0MyDm28oFmLsCqb_zmqfaZuvFhsg8oyffUXp8bP5okSaCBQCEIYuuLNRtbkK3l6U3uoDP1Y4FZTgOYU2n0Q",
        ),
    ];
    /// (name, key, DER given as base64, alg, key id).
    const KEYS: &[(&str, &str, bool, &str, &str)] = &[
        (
            "rsa2048 pkcs8_pem",
            RSA2048_PKCS8_PEM,
            false,
            "RS256",
            RSA2048_KID,
        ),
        (
            "rsa2048 pkcs1_pem",
            RSA2048_PKCS1_PEM,
            false,
            "RS256",
            RSA2048_KID,
        ),
        (
            "rsa2048 pkcs8_der",
            RSA2048_PKCS8_DER,
            true,
            "RS256",
            RSA2048_KID,
        ),
        (
            "rsa2048 pkcs1_der",
            RSA2048_PKCS1_DER,
            true,
            "RS256",
            RSA2048_KID,
        ),
        ("rsa2048 jwk", RSA2048_JWK, false, "RS256", RSA2048_KID),
        (
            "rsa4096 pkcs8_pem",
            RSA4096_PKCS8_PEM,
            false,
            "RS256",
            RSA4096_KID,
        ),
        (
            "rsa4096 pkcs1_der",
            RSA4096_PKCS1_DER,
            true,
            "RS256",
            RSA4096_KID,
        ),
        ("rsa4096 jwk", RSA4096_JWK, false, "RS256", RSA4096_KID),
        ("p256 pkcs8_pem", P256_PKCS8_PEM, false, "ES256", P256_KID),
        ("p256 sec1_pem", P256_SEC1_PEM, false, "ES256", P256_KID),
        ("p256 pkcs8_der", P256_PKCS8_DER, true, "ES256", P256_KID),
        ("p256 sec1_der", P256_SEC1_DER, true, "ES256", P256_KID),
        ("p256 jwk", P256_JWK, false, "ES256", P256_KID),
        ("p384 pkcs8_pem", P384_PKCS8_PEM, false, "ES384", P384_KID),
        ("p384 sec1_pem", P384_SEC1_PEM, false, "ES384", P384_KID),
        ("p384 pkcs8_der", P384_PKCS8_DER, true, "ES384", P384_KID),
        ("p384 sec1_der", P384_SEC1_DER, true, "ES384", P384_KID),
        ("p384 jwk", P384_JWK, false, "ES384", P384_KID),
        ("p521 pkcs8_pem", P521_PKCS8_PEM, false, "ES512", P521_KID),
        ("p521 sec1_pem", P521_SEC1_PEM, false, "ES512", P521_KID),
        ("p521 pkcs8_der", P521_PKCS8_DER, true, "ES512", P521_KID),
        ("p521 sec1_der", P521_SEC1_DER, true, "ES512", P521_KID),
        ("p521 jwk", P521_JWK, false, "ES512", P521_KID),
        ("quay jwk", QUAY_JWK, false, "RS256", QUAY_KID),
    ];

    fn input(text: &str, der: bool) -> Vec<u8> {
        if der {
            b64(text)
        } else {
            text.as_bytes().to_vec()
        }
    }

    fn parse(text: &str, der: bool) -> SigningKey {
        SigningKey::from_bytes(&input(text, der)).unwrap()
    }

    fn member<'a>(jwk: &'a Object, name: &str) -> &'a str {
        jwk.get(name)
            .and_then(Value::as_str)
            .and_then(PyStr::as_str)
            .unwrap()
    }

    fn names(jwk: &Object) -> Vec<&str> {
        jwk.iter().map(|(k, _)| k.as_str().unwrap()).collect()
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
        let key = parse(QUAY_JWK, false);
        let jwk = key.public_jwk();
        assert_eq!(names(&jwk), ["n", "e", "kid", "kty"]);
        let expected = crate::json::parse(
            format!(
                r#"{{"n": "{}", "e": "AQAB", "kid": "{QUAY_KID}", "kty": "RSA"}}"#,
                jwk_member(QUAY_JWK, "n")
            )
            .as_bytes(),
        )
        .unwrap();
        assert_eq!(Value::Object(jwk), expected);
    }

    #[test]
    fn quay_rs256_signatures_reproduced() {
        let key = parse(QUAY_JWK, false);
        for &(id, document, protected, signature) in QUAY_SIGNED {
            let document = b64(document);
            let header = base64url::decode(protected.as_bytes()).unwrap();
            let header = crate::json::parse(&header).unwrap();
            let Some(Value::Int(format_length)) = header.as_object().unwrap().get("formatLength")
            else {
                panic!("{id}: no formatLength");
            };
            let mut payload = document[..*format_length as usize].to_vec();
            payload.extend_from_slice(b"\n}");
            let mut signing_input = protected.as_bytes().to_vec();
            signing_input.push(b'.');
            base64url::encode_into(&payload, &mut signing_input);
            let signed = key.sign(&signing_input).unwrap();
            assert_eq!(base64url::encode(&signed), signature, "{id}");
            // RS256 is deterministic.
            assert_eq!(key.sign(&signing_input).unwrap(), signed, "{id}");
            // The document carries this very signature.
            let text = String::from_utf8(document).unwrap();
            assert!(text.contains(signature), "{id}");
        }
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
                edit_jwk(RSA2048_JWK, &[("p", Some(&jwk_member(QUAY_JWK, "p")))]),
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
                "unsupported key type Ed25519: signing needs an RSA or EC key".into(),
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
                edit_jwk(P256_JWK, &[("x", Some(&jwk_member(QUAY_JWK, "e")))]),
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
                "unrecognised key: SEC1 ECPrivateKey version 0".into(),
            ),
            (
                "truncated DER",
                b64(RSA2048_PKCS8_DER)[..100].to_vec(),
                "unrecognised key: malformed DER: truncated or bad length".into(),
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
    fn oid_text_reads_dotted_form() {
        assert_eq!(
            oid_text(&[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]),
            "1.2.840.10045.3.1.7"
        );
        assert_eq!(oid_text(&[0x2b, 0x81, 0x04, 0x00, 0x23]), "1.3.132.0.35");
        assert_eq!(oid_text(&[]), "(invalid OID)");
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
