//! Public keys from JWKs, their DER SubjectPublicKeyInfo and their libtrust key ids.
//!
//! `from_jwk` reads the key members only: `d` and other private members, `kid`, `use`, `alg`
//! and unknown members are ignored (the caller decides what to do with `kid`).

use const_oid::db::{rfc5912, rfc8410};
use der::asn1::{AnyRef, BitStringRef, Null, ObjectIdentifier, UintRef};
use der::Encode as _;
use spki::{AlgorithmIdentifierRef, SubjectPublicKeyInfoRef};

use crate::base64url;
use crate::error::{Error, Result};
use crate::json::{Object, Value};

/// A NIST curve of an `EC` JWK.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Curve {
    P256,
    P384,
    P521,
}

impl Curve {
    /// Bytes of one coordinate (and of one of `r`, `s` in a signature).
    pub fn size(&self) -> usize {
        match self {
            Curve::P256 => 32,
            Curve::P384 => 48,
            Curve::P521 => 66,
        }
    }

    /// The JWK `crv` name.
    pub fn name(&self) -> &'static str {
        match self {
            Curve::P256 => "P-256",
            Curve::P384 => "P-384",
            Curve::P521 => "P-521",
        }
    }

    /// The curve of a JWK `crv` name (exact, case-sensitive).
    pub fn from_name(name: &str) -> Option<Curve> {
        match name {
            "P-256" => Some(Curve::P256),
            "P-384" => Some(Curve::P384),
            "P-521" => Some(Curve::P521),
            _ => None,
        }
    }

    /// The named curve's OID.
    pub fn oid(&self) -> ObjectIdentifier {
        match self {
            Curve::P256 => rfc5912::SECP_256_R_1,
            Curve::P384 => rfc5912::SECP_384_R_1,
            Curve::P521 => rfc5912::SECP_521_R_1,
        }
    }
}

/// A public key that can verify a libtrust/JOSE signature.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PublicKey {
    /// Modulus and public exponent, big-endian, without leading zero bytes.
    Rsa { n: Vec<u8>, e: Vec<u8> },
    /// An affine point; each coordinate exactly `curve.size()` bytes, left-padded with zeros.
    Ec {
        curve: Curve,
        x: Vec<u8>,
        y: Vec<u8>,
    },
    /// The 32-byte Ed25519 public key.
    Ed25519([u8; 32]),
}

impl PublicKey {
    /// Reads a public JWK (RFC 7517/7518/8037): `kty` `RSA` (`n`, `e`), `EC` (`crv` `P-256`,
    /// `P-384` or `P-521`, `x`, `y`) or `OKP` (`crv` `Ed25519`, `x`).
    ///
    /// RSA numbers may carry leading zero bytes (they are dropped) but must not be zero. EC
    /// coordinates longer than the curve size are rejected; shorter ones are left-padded with
    /// zeros, as Quay's JOSE library reads them (libtrust itself insists on the exact size).
    /// Whether an EC point lies on its curve, and whether an RSA key is usable, is checked when
    /// a signature is verified.
    pub fn from_jwk(jwk: &Object) -> Result<PublicKey> {
        let kty = str_member(jwk, "kty")?;
        match kty {
            "RSA" => {
                let n = strip_leading_zeros(&b64_member(jwk, "n")?).to_vec();
                let e = strip_leading_zeros(&b64_member(jwk, "e")?).to_vec();
                if n.is_empty() {
                    return Err(jwk_err("RSA modulus \"n\" is zero"));
                }
                if e.is_empty() {
                    return Err(jwk_err("RSA exponent \"e\" is zero"));
                }
                Ok(PublicKey::Rsa { n, e })
            }
            "EC" => {
                let crv = str_member(jwk, "crv")?;
                let curve = Curve::from_name(crv)
                    .ok_or_else(|| jwk_err(&format!("unsupported EC curve {}", quoted(crv))))?;
                let x = ec_coordinate(jwk, "x", curve)?;
                let y = ec_coordinate(jwk, "y", curve)?;
                Ok(PublicKey::Ec { curve, x, y })
            }
            "OKP" => {
                let crv = str_member(jwk, "crv")?;
                if crv != "Ed25519" {
                    return Err(jwk_err(&format!("unsupported OKP curve {}", quoted(crv))));
                }
                let x = b64_member(jwk, "x")?;
                let key: [u8; 32] = x.as_slice().try_into().map_err(|_| {
                    jwk_err(&format!(
                        "Ed25519 key \"x\" must be 32 bytes, got {}",
                        x.len()
                    ))
                })?;
                if let Some(problem) = ed25519_key_problem(&key) {
                    return Err(jwk_err(&format!("Ed25519 key is {problem}")));
                }
                Ok(PublicKey::Ed25519(key))
            }
            other => Err(jwk_err(&format!("unsupported kty {}", quoted(other)))),
        }
    }

    /// A short description for error messages: `RSA`, `P-256`, `P-384`, `P-521`, `Ed25519`.
    pub fn kind(&self) -> &'static str {
        match self {
            PublicKey::Rsa { .. } => "RSA",
            PublicKey::Ec { curve, .. } => curve.name(),
            PublicKey::Ed25519(_) => "Ed25519",
        }
    }

    /// The DER SubjectPublicKeyInfo, byte for byte as Go's `x509.MarshalPKIXPublicKey`
    /// writes it (the input of libtrust's key id), encoded by `spki`/`pkcs1`.
    ///
    /// Encoding fails only for a key of more than `der`'s 256 MiB length limit; keys are
    /// verified (RSA up to 8192 bits) before their ids are asked for, so that cannot happen
    /// here, and the result would be empty rather than a panic.
    pub fn spki_der(&self) -> Vec<u8> {
        self.try_spki_der().unwrap_or_default()
    }

    fn try_spki_der(&self) -> der::Result<Vec<u8>> {
        let curve_oid;
        let (oid, parameters, key) = match self {
            PublicKey::Rsa { n, e } => {
                let key = pkcs1::RsaPublicKey {
                    modulus: UintRef::new(n)?,
                    public_exponent: UintRef::new(e)?,
                };
                (
                    rfc5912::RSA_ENCRYPTION,
                    Some(AnyRef::from(Null)),
                    key.to_der()?,
                )
            }
            PublicKey::Ec { curve, x, y } => {
                curve_oid = curve.oid();
                let parameters = AnyRef::from(&curve_oid);
                (
                    rfc5912::ID_EC_PUBLIC_KEY,
                    Some(parameters),
                    ec_point(*curve, x, y),
                )
            }
            PublicKey::Ed25519(k) => (rfc8410::ID_ED_25519, None, k.to_vec()),
        };
        SubjectPublicKeyInfoRef {
            algorithm: AlgorithmIdentifierRef { oid, parameters },
            subject_public_key: BitStringRef::from_bytes(&key)?,
        }
        .to_der()
    }

    /// libtrust's key id: the SHA-256 of the DER SubjectPublicKeyInfo, cut to 240 bits,
    /// base32 (RFC 4648, `A-Z2-7`), in 12 groups of 4 joined by `:`.
    pub fn key_id(&self) -> String {
        let digest = ring::digest::digest(&ring::digest::SHA256, &self.spki_der());
        let b32 = base32(digest.as_ref().get(..30).unwrap_or_default());
        let mut out = String::with_capacity(59);
        for (i, c) in b32.chars().enumerate() {
            if i > 0 && i % 4 == 0 {
                out.push(':');
            }
            out.push(c);
        }
        out
    }
}

/// `04 || x || y`, each coordinate left-padded to the curve size (longer ones kept as they are:
/// the value is then invalid and verification will say so).
pub(crate) fn ec_point(curve: Curve, x: &[u8], y: &[u8]) -> Vec<u8> {
    let size = curve.size();
    let mut out = Vec::with_capacity(1 + 2 * size);
    out.push(0x04);
    for c in [x, y] {
        out.resize(out.len() + size.saturating_sub(c.len()), 0);
        out.extend_from_slice(c);
    }
    out
}

pub(crate) fn strip_leading_zeros(b: &[u8]) -> &[u8] {
    let first = b.iter().position(|&v| v != 0).unwrap_or(b.len());
    b.get(first..).unwrap_or_default()
}

/// A name from attacker data, quoted for an error message: at most 64 characters, escaped.
pub(crate) fn quoted(s: &str) -> String {
    const MAX: usize = 64;
    match s.char_indices().nth(MAX) {
        None => format!("{s:?}"),
        Some((cut, _)) => {
            let head = s.get(..cut).unwrap_or_default();
            format!("{head:?}...")
        }
    }
}

/// The y coordinates (little-endian) of Ed25519's points of order 8, `y8` and `p - y8`; with
/// `0` (order 4), `1` (order 1) and `p - 1` (order 2) they are all its points of small order,
/// the list libsodium's `has_small_order` blocks.
const ED25519_ORDER_8_Y: [[u8; 32]; 2] = [
    [
        0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89, 0xf2, 0xef, 0x98,
        0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53,
        0xfc, 0x05,
    ],
    [
        0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10, 0x67,
        0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac,
        0x03, 0x7a,
    ],
];

/// `2^255 - 19`, little-endian.
const ED25519_P: [u8; 32] = {
    let mut p = [0xff; 32];
    p[0] = 0xed;
    p[31] = 0x7f;
    p
};

/// Why an Ed25519 public key (RFC 8032 encoding) must not verify, if it must not: a point of
/// small order verifies some signature for every message (so anyone could sign under it), and
/// a non-canonical encoding names a point that has another, shorter name.
fn ed25519_key_problem(key: &[u8; 32]) -> Option<&'static str> {
    let mut y = *key;
    y[31] &= 0x7f;
    let negative_x = key[31] & 0x80 != 0;
    // Little-endian comparison with p: y must be below it.
    let below_p = y.iter().rev().cmp(ED25519_P.iter().rev()) == std::cmp::Ordering::Less;
    let mut p_minus_1 = ED25519_P;
    p_minus_1[0] -= 1;
    let mut one = [0; 32];
    one[0] = 1;
    // y = 1 and y = p - 1 have x = 0, which has no negative form.
    if !below_p || (negative_x && (y == one || y == p_minus_1)) {
        return Some("not canonically encoded");
    }
    if y == [0; 32] || y == one || y == p_minus_1 || ED25519_ORDER_8_Y.contains(&y) {
        return Some("of small order");
    }
    None
}

fn jwk_err(msg: &str) -> Error {
    Error::signature(format!("jwk: {msg}"))
}

fn member<'a>(jwk: &'a Object, name: &str) -> Result<&'a Value> {
    jwk.get(name)
        .ok_or_else(|| jwk_err(&format!("missing member \"{name}\"")))
}

fn str_member<'a>(jwk: &'a Object, name: &str) -> Result<&'a str> {
    let value = member(jwk, name)?;
    let s = value.as_str().ok_or_else(|| {
        jwk_err(&format!(
            "member \"{name}\" must be a string, got {}",
            value.type_name()
        ))
    })?;
    s.as_str()
        .ok_or_else(|| jwk_err(&format!("member \"{name}\" holds a lone surrogate")))
}

fn b64_member(jwk: &Object, name: &str) -> Result<Vec<u8>> {
    let s = str_member(jwk, name)?;
    base64url::decode(s.as_bytes())
        .ok_or_else(|| jwk_err(&format!("member \"{name}\" is not valid base64url")))
}

fn ec_coordinate(jwk: &Object, name: &str, curve: Curve) -> Result<Vec<u8>> {
    let raw = b64_member(jwk, name)?;
    let size = curve.size();
    if raw.is_empty() {
        return Err(jwk_err(&format!("EC coordinate \"{name}\" is empty")));
    }
    if raw.len() > size {
        return Err(jwk_err(&format!(
            "EC coordinate \"{name}\" is {} bytes, {} allows at most {size}",
            raw.len(),
            curve.name()
        )));
    }
    let mut out = vec![0u8; size - raw.len()];
    out.extend_from_slice(&raw);
    Ok(out)
}

/// RFC 4648 base32, standard alphabet, no padding.
fn base32(data: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::with_capacity(data.len().div_ceil(5) * 8);
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    for &b in data {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((acc >> bits) & 31) as usize]));
        }
        acc &= (1 << bits) - 1;
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((acc << (5 - bits)) & 31) as usize]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::PyStr;

    fn jwk(members: &[(&str, &str)]) -> Object {
        Object(
            members
                .iter()
                .map(|(k, v)| (PyStr::from(*k), Value::Str(PyStr::from(*v))))
                .collect(),
        )
    }

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// The public half of quay-golden/test_rsa_key.jwk.json.
    const TEST_RSA_N: &str = "0oJr_FhoKjRhyTzA6Fi-HXpXYWonZvidgBBCiRJiU1ZYStlnSbqCrP0MF5MAD9yAvIfEY8-avbcer7gpGgxkM6sCJMWZV_o7QEqbBmSF3iFfHZpVx1W4YWbPPwMIXcU3msTtqsXB1BE5EH_Q4gAP7-90ASsUsohxccgn0Fs2svvco_X6h1tPTnPprJMSsAR3yA6hsiINOujGMx33YAsz9K46uENkFz5nL-YWk8LoHDRUdppqkARYHyGwQPul4cTJV35AsiIYH1zRIWQ8q11hpXREmBuB8FjUnsuE7XR_WlvaXu5u5anod_8hXgis0YqrpiBhIvwM0W2K8tNcyrGXfw";

    #[test]
    fn key_id_of_quay_test_rsa_key() {
        let key = PublicKey::from_jwk(&jwk(&[
            ("kty", "RSA"),
            ("n", TEST_RSA_N),
            ("e", "AQAB"),
            ("d", "ignored"),
        ]))
        .unwrap();
        assert_eq!(
            key.key_id(),
            "GZPQ:GQ2L:JHD2:YKIB:QHAS:CL2K:UJVH:TALW:HNA7:FYJC:TTQW:RRYH"
        );
    }

    /// (kid, x, y) of the P-256 JWKs in the signed files of vectors/public/ (libtrust-made).
    const PUBLIC_VECTOR_KEYS: &[(&str, &str, &str)] = &[
        (
            "6QVR:5NTY:VIHC:W6IU:XYIN:CTKT:OG5R:XEEG:Z6XJ:2623:YCBP:36MA",
            "NAGHj6-IdNonuFoxlqJnNMjcrCCE1CBoq2r_1NDci68",
            "Kocqgj_Ey5J-wLXTjkuqLC-HjciAnWxsBEziAOTvSPc",
        ),
        (
            "AARA:PFUD:3V54:7F2S:2P7E:WMCU:WRE7:KUYD:CFKH:UHZ7:AZ4I:UQEX",
            "34N4h_uM7FedPw4k3_VabKlt7qoBWpHgpko7zE0RkeY",
            "LhxxtCYh_b1EwUbl3-tQFTbg1mTu34vMxj4UaKjWZk8",
        ),
        (
            "BTGA:CY7S:HZ7T:FEUS:DZJD:FNS5:O5U2:BTGQ:SGZZ:AY5P:R5MA:UJEY",
            "0xF2dZ_HLk8VVrqMLMm838LWFAi60P7V5fBjlhlt7xI",
            "niBqFvBqOvtABZSpMoQoSMT7H13Pb0POo00OX7Xsmvc",
        ),
        (
            "DB2X:GSG2:72H3:AE3R:KCMI:Y77E:W7TF:ERHK:V5HR:JJ2Y:YMS6:HFGJ",
            "jyr9-xZBorSC9fhqNsmfU_Ud31wbaZ-bVGz0HmySvbQ",
            "vkE6qZCCvYRWjSUwgAOvibQx_s8FipYkAiHS0VnAFNs",
        ),
        (
            "H4QD:5X6G:2G7T:QXGN:EH3X:3UQU:REXP:7LAH:SGCZ:4FBI:EUSI:3P7Z",
            "FowcV0YK1Dsn8FldhFJQJnxE247QUH43EchdZSmWrsQ",
            "4uUZBA9U1jC-AxmNzrwb1r9Oh2SXNXE3yqSpz7pwoiI",
        ),
        (
            "OIH7:HQFS:44FK:45VB:3B53:OIAG:TPL4:ATF5:6PNE:MGHN:NHQX:2GE4",
            "Cu_UyxwLgHzE9rvlYSmvVdqYCXY42E9eNhBb0xNv0SQ",
            "zUsjWJkeKQ5tv7S-hl1Tg71cd-CqnrtiiLxSi6N_yc8",
        ),
        (
            "ORN4:M47W:3KP3:TZRZ:C3UF:5MFQ:INZV:TCMY:LHNV:EYQU:IRGJ:IJLJ",
            "yJ0ZQ19NBZUQn8LV60sFEabhlgky9svozfK0VGVou7Y",
            "gOJScOkkLVY1f8aAx-6XXpVM5rJaDYLkCNJ1dvcQGMs",
        ),
        (
            "OZ45:U3IG:TDOI:PMBD:NGP2:LDIW:II2U:PSBI:MMCZ:YZUP:TUUO:XPZT",
            "ReC5c0J9tgXSdUL4_xzEt5RsD8kFt2wWSgJcpAcOQx8",
            "3sBGEqQ3ZMeqPKwQBAadN2toOUEASha18xa0WwsDF-M",
        ),
        (
            "Q3ZE:RPLV:YRWL:CJGY:3YUV:CVRB:KOZN:DPRO:QZKD:B7KB:4FJ5:XUDM",
            "iIJKPTtzobd73WmVmIoRSGkHWQB86bL5BBw9-YWcVjA",
            "3fiBd8u2fXRc5DZG20gQWQ8LUvTuPRqkU0e672ymn-8",
        ),
    ];

    #[test]
    fn key_ids_of_public_vectors() {
        for (kid, x, y) in PUBLIC_VECTOR_KEYS {
            let key = PublicKey::from_jwk(&jwk(&[
                ("crv", "P-256"),
                ("kid", kid),
                ("kty", "EC"),
                ("x", x),
                ("y", y),
            ]))
            .unwrap();
            assert_eq!(key.key_id(), *kid);
        }
    }

    /// SPKIs written by Python's `cryptography` (OpenSSL), which match Go's
    /// `x509.MarshalPKIXPublicKey`.
    #[test]
    fn spki_der_matches_openssl() {
        let cases: &[(&[(&str, &str)], &str)] = &[
            (
                &[("kty", "RSA"), ("n", TEST_RSA_N), ("e", "AQAB")],
                "30820122300d06092a864886f70d01010105000382010f003082010a0282010100d2826bfc58682a3461c93cc0e858be1d7a57616a2766f89d8010428912625356584ad96749ba82acfd0c1793000fdc80bc87c463cf9abdb71eafb8291a0c6433ab0224c59957fa3b404a9b066485de215f1d9a55c755b86166cf3f03085dc5379ac4edaac5c1d41139107fd0e2000fefef74012b14b2887171c827d05b36b2fbdca3f5fa875b4f4e73e9ac9312b00477c80ea1b2220d3ae8c6331df7600b33f4ae3ab84364173e672fe61693c2e81c3454769a6a9004581f21b040fba5e1c4c9577e40b222181f5cd121643cab5d61a57444981b81f058d49ecb84ed747f5a5bda5eee6ee5a9e877ff215e08acd18aaba6206122fc0cd16d8af2d35ccab1977f0203010001",
            ),
            (
                &[("kty", "EC"), ("crv", "P-256"), ("x", "-evkZBR8wQLZIyTQmdknwaUOQtV6CKEW_-wKKYGdjGU"), ("y", "cLr30SiIkCpqDB1nrdEDEjyFmrab-OlDHJOEkw1Lfu4")],
                "3059301306072a8648ce3d020106082a8648ce3d03010703420004f9ebe464147cc102d92324d099d927c1a50e42d57a08a116ffec0a29819d8c6570baf7d12888902a6a0c1d67add103123c859ab69bf8e9431c9384930d4b7eee",
            ),
            (
                &[("kty", "EC"), ("crv", "P-384"), ("x", "v9FSRlRY5bnxqQPq_vAwlev9UsX56pe-dN6RlDVfz7QOwJcxWt9q_e-6IfRLYltI"), ("y", "FwWO_5oa0XWkZ16ccwywKOx2rsVE96VtWBZNjPwEArSJxOdMkY3Dp39cIZ0xuOJF")],
                "3076301006072a8648ce3d020106052b8104002203620004bfd152465458e5b9f1a903eafef03095ebfd52c5f9ea97be74de9194355fcfb40ec097315adf6afdefba21f44b625b4817058eff9a1ad175a4675e9c730cb028ec76aec544f7a56d58164d8cfc0402b489c4e74c918dc3a77f5c219d31b8e245",
            ),
            (
                &[("kty", "EC"), ("crv", "P-521"), ("x", "AF8jSO2cMzqqYxyw8ZHhKp3N7FQLrjQ5V7HNS72h0SX2cetDmA8vYUF7-EfIfQUQOhBaUlUyzA0kY0LpSmIbarT6"), ("y", "Ad9XdGioyGWODZnhHT4RswsCrxwDWeTl2zaGBzte8e6MpiHSfv8IjN6OYf0etcfj4zY29O6mDxBSXuEFq3-F8ra6")],
                "30819b301006072a8648ce3d020106052b810400230381860004005f2348ed9c333aaa631cb0f191e12a9dcdec540bae343957b1cd4bbda1d125f671eb43980f2f61417bf847c87d05103a105a525532cc0d246342e94a621b6ab4fa01df577468a8c8658e0d99e11d3e11b30b02af1c0359e4e5db3686073b5ef1ee8ca621d27eff088cde8e61fd1eb5c7e3e33636f4eea60f10525ee105ab7f85f2b6ba",
            ),
            (
                // The P-521 key again, its x without the leading zero byte: left-padded.
                &[("kty", "EC"), ("crv", "P-521"), ("x", "XyNI7ZwzOqpjHLDxkeEqnc3sVAuuNDlXsc1LvaHRJfZx60OYDy9hQXv4R8h9BRA6EFpSVTLMDSRjQulKYhtqtPo"), ("y", "Ad9XdGioyGWODZnhHT4RswsCrxwDWeTl2zaGBzte8e6MpiHSfv8IjN6OYf0etcfj4zY29O6mDxBSXuEFq3-F8ra6")],
                "30819b301006072a8648ce3d020106052b810400230381860004005f2348ed9c333aaa631cb0f191e12a9dcdec540bae343957b1cd4bbda1d125f671eb43980f2f61417bf847c87d05103a105a525532cc0d246342e94a621b6ab4fa01df577468a8c8658e0d99e11d3e11b30b02af1c0359e4e5db3686073b5ef1ee8ca621d27eff088cde8e61fd1eb5c7e3e33636f4eea60f10525ee105ab7f85f2b6ba",
            ),
            (
                &[("kty", "OKP"), ("crv", "Ed25519"), ("x", "A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg")],
                "302a300506032b657003210003a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8",
            ),
        ];
        for (members, want) in cases {
            let key = PublicKey::from_jwk(&jwk(members)).unwrap();
            assert_eq!(key.spki_der(), hex(want), "{members:?}");
        }
    }

    #[test]
    fn from_jwk_reads_members() {
        let rsa =
            PublicKey::from_jwk(&jwk(&[("kty", "RSA"), ("n", "AACAAQ"), ("e", "AAEAAQ")])).unwrap();
        assert_eq!(
            rsa,
            PublicKey::Rsa {
                n: vec![0x80, 0x01],
                e: vec![0x01, 0x00, 0x01]
            }
        );
        // Minimal INTEGERs: 0x00 before a set high bit, leading zeros dropped.
        assert_eq!(
            rsa.spki_der(),
            hex("301e300d06092a864886f70d0101010500030d00300a02030080010203010001")
        );
        let ec = PublicKey::from_jwk(&jwk(&[
            ("kty", "EC"),
            ("crv", "P-256"),
            ("x", "AQ"),
            ("y", "Ag=="),
        ]))
        .unwrap();
        let mut x = vec![0u8; 32];
        x[31] = 1;
        let mut y = vec![0u8; 32];
        y[31] = 2;
        assert_eq!(
            ec,
            PublicKey::Ec {
                curve: Curve::P256,
                x,
                y
            }
        );
        assert_eq!(ec.kind(), "P-256");
    }

    #[test]
    fn ed25519_small_order_and_non_canonical_keys() {
        let le = |hex: &str| {
            let mut key = [0u8; 32];
            for (i, byte) in key.iter_mut().enumerate() {
                *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap();
            }
            key
        };
        let mut p = ED25519_P;
        let mut one = [0u8; 32];
        one[0] = 1;
        let mut p_minus_1 = ED25519_P;
        p_minus_1[0] -= 1;
        let with_sign = |mut k: [u8; 32]| {
            k[31] |= 0x80;
            k
        };
        let y8 = ED25519_ORDER_8_Y[0];
        let small = [
            [0u8; 32],
            with_sign([0u8; 32]),
            one,
            p_minus_1,
            y8,
            with_sign(y8),
            ED25519_ORDER_8_Y[1],
            with_sign(ED25519_ORDER_8_Y[1]),
        ];
        for key in small {
            assert_eq!(ed25519_key_problem(&key), Some("of small order"), "{key:?}");
        }
        let mut p_plus_1 = p;
        p_plus_1[0] += 1;
        let non_canonical = [
            p,
            p_plus_1,
            [0xff; 32],
            with_sign(one),
            with_sign(p_minus_1),
        ];
        for key in non_canonical {
            assert_eq!(
                ed25519_key_problem(&key),
                Some("not canonically encoded"),
                "{key:?}"
            );
        }
        // RFC 8032's first test key, and y = 2 (no point has it, which ring reports later).
        let honest = le("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        assert_eq!(ed25519_key_problem(&honest), None);
        p[0] = 2;
        p[31] = 0;
        assert_eq!(ed25519_key_problem(&p), None);
        let jwk_of = |key: &[u8; 32]| {
            jwk(&[
                ("kty", "OKP"),
                ("crv", "Ed25519"),
                ("x", &crate::base64url::encode(key)),
            ])
        };
        assert_eq!(
            PublicKey::from_jwk(&jwk_of(&one)).unwrap_err(),
            Error::signature("jwk: Ed25519 key is of small order")
        );
        assert!(PublicKey::from_jwk(&jwk_of(&honest)).is_ok());
    }

    #[test]
    fn from_jwk_rejects() {
        let p256 = "-evkZBR8wQLZIyTQmdknwaUOQtV6CKEW_-wKKYGdjGU";
        let p256_33 = "AP3r5GQUfMEC2SMk0JnZJ8GlDkLVegihFv_sCimBnYxl";
        let cases: &[(&[(&str, &str)], &str)] = &[
            (&[], "jwk: missing member \"kty\""),
            (&[("kty", "XYZ")], "jwk: unsupported kty \"XYZ\""),
            (&[("kty", "rsa")], "jwk: unsupported kty \"rsa\""),
            (
                &[("kty", "oct"), ("k", "AQAB")],
                "jwk: unsupported kty \"oct\"",
            ),
            (
                &[("kty", "RSA"), ("e", "AQAB")],
                "jwk: missing member \"n\"",
            ),
            (
                &[("kty", "RSA"), ("n", "AQAB")],
                "jwk: missing member \"e\"",
            ),
            (
                &[("kty", "RSA"), ("n", "AQ+B"), ("e", "AQAB")],
                "jwk: member \"n\" is not valid base64url",
            ),
            (
                &[("kty", "RSA"), ("n", "AAAA"), ("e", "AQAB")],
                "jwk: RSA modulus \"n\" is zero",
            ),
            (
                &[("kty", "RSA"), ("n", "AQAB"), ("e", "")],
                "jwk: RSA exponent \"e\" is zero",
            ),
            (
                &[("kty", "EC"), ("x", p256), ("y", p256)],
                "jwk: missing member \"crv\"",
            ),
            (
                &[("kty", "EC"), ("crv", "P-192"), ("x", p256), ("y", p256)],
                "jwk: unsupported EC curve \"P-192\"",
            ),
            (
                &[("kty", "EC"), ("crv", "p-256"), ("x", p256), ("y", p256)],
                "jwk: unsupported EC curve \"p-256\"",
            ),
            (
                &[
                    ("kty", "EC"),
                    ("crv", "secp256k1"),
                    ("x", p256),
                    ("y", p256),
                ],
                "jwk: unsupported EC curve \"secp256k1\"",
            ),
            (
                &[("kty", "EC"), ("crv", "P-256"), ("y", p256)],
                "jwk: missing member \"x\"",
            ),
            (
                &[("kty", "EC"), ("crv", "P-256"), ("x", p256)],
                "jwk: missing member \"y\"",
            ),
            (
                &[("kty", "EC"), ("crv", "P-256"), ("x", p256_33), ("y", p256)],
                "jwk: EC coordinate \"x\" is 33 bytes, P-256 allows at most 32",
            ),
            (
                &[("kty", "EC"), ("crv", "P-256"), ("x", p256), ("y", "")],
                "jwk: EC coordinate \"y\" is empty",
            ),
            (
                &[("kty", "EC"), ("crv", "P-256"), ("x", p256), ("y", "A")],
                "jwk: member \"y\" is not valid base64url",
            ),
            (
                &[("kty", "OKP"), ("x", "AQ")],
                "jwk: missing member \"crv\"",
            ),
            (
                &[("kty", "OKP"), ("crv", "X25519"), ("x", p256)],
                "jwk: unsupported OKP curve \"X25519\"",
            ),
            (
                &[("kty", "OKP"), ("crv", "Ed448"), ("x", p256)],
                "jwk: unsupported OKP curve \"Ed448\"",
            ),
            (
                &[("kty", "OKP"), ("crv", "Ed25519"), ("x", p256_33)],
                "jwk: Ed25519 key \"x\" must be 32 bytes, got 33",
            ),
            (
                &[("kty", "OKP"), ("crv", "Ed25519")],
                "jwk: missing member \"x\"",
            ),
        ];
        for (members, want) in cases {
            assert_eq!(
                PublicKey::from_jwk(&jwk(members)),
                Err(Error::Signature(want.to_string())),
                "{members:?}"
            );
        }
    }

    #[test]
    fn from_jwk_rejects_wrong_types() {
        let cases: Vec<(Value, Value, &str)> = vec![
            (
                Value::Int(1),
                Value::Null,
                "jwk: member \"kty\" must be a string, got integer",
            ),
            (
                Value::Null,
                Value::Null,
                "jwk: member \"kty\" must be a string, got null",
            ),
            (
                Value::Array(vec![]),
                Value::Null,
                "jwk: member \"kty\" must be a string, got array",
            ),
            (
                Value::Str("RSA".into()),
                Value::Float(1.0),
                "jwk: member \"n\" must be a string, got number",
            ),
            (
                Value::Str("RSA".into()),
                Value::Bool(true),
                "jwk: member \"n\" must be a string, got boolean",
            ),
            (
                Value::Str("RSA".into()),
                Value::Object(Object::default()),
                "jwk: member \"n\" must be a string, got object",
            ),
            (
                Value::Str("RSA".into()),
                Value::Str(PyStr(b"\xed\xa0\x80".to_vec())),
                "jwk: member \"n\" holds a lone surrogate",
            ),
            (
                Value::Str(PyStr(b"\xed\xa0\x80".to_vec())),
                Value::Null,
                "jwk: member \"kty\" holds a lone surrogate",
            ),
        ];
        for (kty, n, want) in cases {
            let obj = Object(vec![
                ("kty".into(), kty),
                ("n".into(), n),
                ("e".into(), Value::Str("AQAB".into())),
            ]);
            assert_eq!(
                PublicKey::from_jwk(&obj),
                Err(Error::Signature(want.to_string()))
            );
        }
    }

    #[test]
    fn long_names_are_cut_in_messages() {
        let long = "Z".repeat(10_000);
        let err = PublicKey::from_jwk(&jwk(&[("kty", &long)])).unwrap_err();
        assert_eq!(
            err.message(),
            format!("jwk: unsupported kty \"{}\"...", "Z".repeat(64))
        );
        assert_eq!(quoted("a\"b\n"), "\"a\\\"b\\n\"");
    }

    #[test]
    fn rsa_4096_spki_uses_long_form_lengths() {
        let mut n = vec![0xc5u8; 512];
        n[511] = 0x01;
        let key = PublicKey::Rsa {
            n: n.clone(),
            e: vec![1, 0, 1],
        };
        let der = key.spki_der();
        // SEQ (0x222 bytes) { SEQ { rsaEncryption, NULL }, BIT STRING (0x20f) { 00, SEQ (0x20a)
        // { INTEGER (0x201) 00 || n, INTEGER 010001 } } }
        let mut want = hex("30820222300d06092a864886f70d01010105000382020f003082020a02820201");
        want.push(0);
        want.extend_from_slice(&n);
        want.extend_from_slice(&hex("0203010001"));
        assert_eq!(der, want);
    }

    #[test]
    fn base32_rfc4648() {
        let cases: &[(&[u8], &str)] = &[
            (b"", ""),
            (b"f", "MY"),
            (b"fo", "MZXQ"),
            (b"foo", "MZXW6"),
            (b"foob", "MZXW6YQ"),
            (b"fooba", "MZXW6YTB"),
            (b"foobar", "MZXW6YTBOI"),
            (&[0xff; 5], "77777777"),
        ];
        for (data, want) in cases {
            assert_eq!(base32(data), *want);
        }
    }
}
