//! Keys shared by the core's unit tests, and helpers to read them. The keys are files under
//! `rust/testdata/keys/`, made with Python `cryptography` for these tests.

use base64::Engine as _;

use crate::json::{Object, PyStr, Value};
use crate::signing_key::SigningKey;

/// The RSA-2048 key of Quay's golden vectors (`quay-golden/test_rsa_key.jwk.json`), which
/// signed every signed golden record, as PKCS#8 DER in standard base64 (converted with
/// Python's `cryptography`).
pub const QUAY_RSA_PKCS8_B64: &str = concat!(
    "MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDSgmv8WGgqNGHJPMDoWL4deldhaidm+J2AEEKJEmJTVlhK",
    "2WdJuoKs/QwXkwAP3IC8h8Rjz5q9tx6vuCkaDGQzqwIkxZlX+jtASpsGZIXeIV8dmlXHVbhhZs8/AwhdxTeaxO2qxcHUETkQ",
    "f9DiAA/v73QBKxSyiHFxyCfQWzay+9yj9fqHW09Oc+mskxKwBHfIDqGyIg066MYzHfdgCzP0rjq4Q2QXPmcv5haTwugcNFR2",
    "mmqQBFgfIbBA+6XhxMlXfkCyIhgfXNEhZDyrXWGldESYG4HwWNSey4TtdH9aW9pe7m7lqeh3/yFeCKzRiqumIGEi/AzRbYry",
    "01zKsZd/AgMBAAECggEAA2BFwvjJ/8Sc9mvdn+4Ya1i4AQnIhMSGvwJR+KGUkgCWHSL4rQqHxInpuh9IlM3frZEI9jl/TPzV",
    "O+DFK/sNczvLJp5g4gkogKn1Mtv996BrRnwZHGpZzX2nOVhtYjMp5qGWrDKh144eC6vcqAXldG0IhtsooabQNS0ciz2fssl1",
    "BstOpHcq/uv6jAuG2dfQzzY4q6SUiIGYvkF8QBEtBhsUlQ8GZlT3F2CUSwz1Ofb0r70FpIdditPLKqle4e+Pn484R2Mr3T6H",
    "9vHbzhED+D8Ik0mdL5ck0Q1PuSIU4xyoz2S6fpM3V10W7jg+im1N7/cZ5pipyS/IckPyKAgd/QKBgQD9SmxFRxSQZRdMYVQh",
    "64OIbFrENihSzYIYOO1aYHByWRM2KCQ32Qb88EeAVIfFjudKX8AqAgxtVE+krpcmK2SynoganPf8XuaxcZPQvTGhAvtdSIns",
    "7+UZuJMalKujdF2ly0Az4k7bh7vEZEXkSO0TqJXvS+yglDWzl0KmSHkS0wKBgQDUwto8L+iy2MdNp/Hgq39ozyGXuPfN8hJU",
    "+hELCUwk2JDnmVnhzR0TGrEAjvNnxS6ENAQX04f+020CB5QlRnibU+E6YXP0mVqr/9rLINXjGlwEVq4/eWxkQ61r++z/D1Vh",
    "QhO3TlX4N1HWd1R61d0B+FXalDMexJwadiPbywVFJQKBgDmXE1kJGVbfdVWrh4qS1vxMzrJwMejpyxugze7PoKGPOTwGEn4U",
    "PW+DXm6CScCUhmg1ryaeAp9VHSqve7R1B1dJjl6mtAfQuBk+XsKGUeNvHyINnTafMPMRMXlItmHa0nQg638ghJeLnBjCR9Xo",
    "8uaWXUjkdW/pYvBrgv712Xl7AoGBAKIsC/DIi9SXDAOTOfkIf8tB5tchNDGUjIidO5Rv98w2Du2ZpDtK/xhqxfQpAjtcv0Ih",
    "6+TFZenE+lgLss5e0tuCqjC3y4zrv4NPOFSQqLe8hdsAvzy+rvIV7ABdPJ6F74x8s06LtVfHwud4ebpPfXBc/APp5rVTI7G/",
    "z0FflJrJAoGBAM/s6YCDUVDioQVQmaSZa7gbR+T+c+4aNxrzQhvzkqEcxK0MzSUve4NqNFlEZW8Cg3rOSVSoe7JjpeoD7L1c",
    "wuwCXVl1Vh04Kil/eIH2rpamY4sNSG3PzyYLgb3iSLu3HSlgLMLRxt4OfPHy21BVtzirZJuoKEyPPT4K0azDK5sq",
);

/// Standard base64 with line breaks, as the DER literals below are written.
pub fn b64(text: &str) -> Vec<u8> {
    let compact: String = text.split_whitespace().collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact)
        .unwrap()
}

// Test keys made with Python `cryptography` 48; the key ids with its DER SubjectPublicKeyInfo
// and the libtrust recipe (SHA-256, first 30 bytes, base32, 12 groups of 4).
pub const RSA2048_KID: &str = "SWIE:2MIC:AT3Y:GK3U:PUCV:BDZ6:RH5T:XGAX:SAYA:U5JY:M7E5:THPJ";
pub const RSA2048_PKCS8_PEM: &str = include_str!("../testdata/keys/rsa2048_pkcs8.pem");
pub const RSA2048_PKCS1_PEM: &str = include_str!("../testdata/keys/rsa2048_pkcs1.pem");
pub const RSA2048_PKCS8_DER: &str = include_str!("../testdata/keys/rsa2048_pkcs8.der.b64");
pub const RSA2048_PKCS1_DER: &str = include_str!("../testdata/keys/rsa2048_pkcs1.der.b64");
pub const RSA2048_JWK: &str = include_str!("../testdata/keys/rsa2048.jwk.json");
pub const RSA4096_KID: &str = "FK2A:SLMI:NCMY:ZRCH:GFNA:7AIZ:LDJG:HVTK:P2KF:UDIA:HB43:NRP3";
pub const RSA4096_PKCS8_PEM: &str = include_str!("../testdata/keys/rsa4096_pkcs8.pem");
pub const RSA4096_PKCS1_DER: &str = include_str!("../testdata/keys/rsa4096_pkcs1.der.b64");
pub const RSA4096_JWK: &str = include_str!("../testdata/keys/rsa4096.jwk.json");
pub const P256_KID: &str = "MX3P:BKIB:C5VO:D2IM:ISSS:5UED:GFQ7:IFDC:XLVH:XAOR:RM6L:TZN6";
pub const P256_PKCS8_PEM: &str = include_str!("../testdata/keys/p256_pkcs8.pem");
pub const P256_SEC1_PEM: &str = include_str!("../testdata/keys/p256_sec1.pem");
pub const P256_PKCS8_DER: &str = include_str!("../testdata/keys/p256_pkcs8.der.b64");
pub const P256_SEC1_DER: &str = include_str!("../testdata/keys/p256_sec1.der.b64");
pub const P256_JWK: &str = include_str!("../testdata/keys/p256.jwk.json");
pub const P384_KID: &str = "OYGP:RSZM:D6Z7:FDX7:SPOW:D5VR:KO67:WNFK:BUUP:24WJ:S2XZ:OCMD";
pub const P384_PKCS8_PEM: &str = include_str!("../testdata/keys/p384_pkcs8.pem");
pub const P384_SEC1_PEM: &str = include_str!("../testdata/keys/p384_sec1.pem");
pub const P384_PKCS8_DER: &str = include_str!("../testdata/keys/p384_pkcs8.der.b64");
pub const P384_SEC1_DER: &str = include_str!("../testdata/keys/p384_sec1.der.b64");
pub const P384_JWK: &str = include_str!("../testdata/keys/p384.jwk.json");
pub const P521_KID: &str = "PONT:7AFV:K2XY:T2SM:XCKZ:L43Z:BO4T:3TSY:DXDT:SP5N:X7VX:KU2X";
pub const P521_PKCS8_PEM: &str = include_str!("../testdata/keys/p521_pkcs8.pem");
pub const P521_SEC1_PEM: &str = include_str!("../testdata/keys/p521_sec1.pem");
pub const P521_PKCS8_DER: &str = include_str!("../testdata/keys/p521_pkcs8.der.b64");
pub const P521_SEC1_DER: &str = include_str!("../testdata/keys/p521_sec1.der.b64");
pub const P521_JWK: &str = include_str!("../testdata/keys/p521.jwk.json");
pub const RSA1024_PKCS8_PEM: &str = include_str!("../testdata/keys/rsa1024_pkcs8.pem");
pub const RSA1024_JWK: &str = include_str!("../testdata/keys/rsa1024.jwk.json");
pub const RSA2048_SPKI_PEM: &str = include_str!("../testdata/keys/rsa2048_spki.pem");
pub const RSA2048_PKCS1_PUBLIC_PEM: &str =
    include_str!("../testdata/keys/rsa2048_pkcs1_public.pem");
pub const RSA2048_ENCRYPTED_PKCS8_PEM: &str =
    include_str!("../testdata/keys/rsa2048_encrypted_pkcs8.pem");
pub const RSA2048_ENCRYPTED_PKCS1_PEM: &str =
    include_str!("../testdata/keys/rsa2048_encrypted_pkcs1.pem");
pub const P256_SPKI_PEM: &str = include_str!("../testdata/keys/p256_spki.pem");
pub const P256_SEC1_NO_PUBLIC_DER: &str =
    include_str!("../testdata/keys/p256_sec1_no_public.der.b64");
pub const P384_SEC1_NO_PUBLIC_DER: &str =
    include_str!("../testdata/keys/p384_sec1_no_public.der.b64");
pub const P521_SEC1_NO_PUBLIC_DER: &str =
    include_str!("../testdata/keys/p521_sec1_no_public.der.b64");
pub const SECP256K1_SEC1_PEM: &str = include_str!("../testdata/keys/secp256k1_sec1.pem");
pub const SECP256K1_PKCS8_PEM: &str = include_str!("../testdata/keys/secp256k1_pkcs8.pem");
pub const ED25519_PKCS8_PEM: &str = include_str!("../testdata/keys/ed25519_pkcs8.pem");
pub const QUAY_KID: &str = "GZPQ:GQ2L:JHD2:YKIB:QHAS:CL2K:UJVH:TALW:HNA7:FYJC:TTQW:RRYH";
/// (name, key, DER given as base64, alg, key id).
pub const KEYS: &[(&str, &str, bool, &str, &str)] = &[
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
    (
        "quay pkcs8_der",
        crate::test_keys::QUAY_RSA_PKCS8_B64,
        true,
        "RS256",
        QUAY_KID,
    ),
];

pub fn input(text: &str, der: bool) -> Vec<u8> {
    if der {
        b64(text)
    } else {
        text.as_bytes().to_vec()
    }
}

pub fn parse(text: &str, der: bool) -> SigningKey {
    SigningKey::from_bytes(&input(text, der)).unwrap()
}

pub fn member<'a>(jwk: &'a Object, name: &str) -> &'a str {
    jwk.get(name)
        .and_then(Value::as_str)
        .and_then(PyStr::as_str)
        .unwrap()
}

pub fn names(jwk: &Object) -> Vec<&str> {
    jwk.iter().map(|(k, _)| k.as_str().unwrap()).collect()
}
