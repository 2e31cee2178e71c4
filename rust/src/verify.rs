//! JWS signature verification for the algorithms libtrust and JOSE use.
//!
//! - `RS256`/`RS384`/`RS512` (RSASSA-PKCS1-v1_5) and `PS256`/`PS384`/`PS512` (RSASSA-PSS, MGF1
//!   with the same hash, salt as long as the hash) need an RSA key of 2048 to 8192 bits. Smaller
//!   keys are rejected even though libtrust would accept them: they are too weak to trust, and
//!   `ring` does not verify with them.
//! - `ES256`, `ES384`, `ES512` need a P-256, P-384, P-521 key; the signature is raw `r || s`,
//!   each exactly the curve size (32, 48, 66 bytes).
//! - `EdDSA` needs an Ed25519 key (RFC 8037).
//!
//! `none`, every HMAC algorithm and anything else is refused by [`Algorithm::from_name`].

use crate::error::{Error, Result};
use crate::keys::{ec_point, quoted, strip_leading_zeros, Curve, PublicKey};
use ring::signature as rs;

/// A JWS `alg` this crate verifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Algorithm {
    RS256,
    RS384,
    RS512,
    PS256,
    PS384,
    PS512,
    ES256,
    ES384,
    ES512,
    EdDSA,
}

const ALL: [Algorithm; 10] = [
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
    Algorithm::ES256,
    Algorithm::ES384,
    Algorithm::ES512,
    Algorithm::EdDSA,
];

/// The RSA modulus sizes accepted, in bits (the range `ring` verifies).
const RSA_MIN_BITS: usize = 2048;
const RSA_MAX_BITS: usize = 8192;

impl Algorithm {
    /// The algorithm of a JWS `alg` name: exact and case-sensitive. `none` (in any case), HMAC
    /// (`HS*`, in any case) and unknown names are errors.
    pub fn from_name(name: &str) -> Result<Algorithm> {
        if let Some(alg) = ALL.iter().find(|a| a.name() == name) {
            return Ok(*alg);
        }
        if name.eq_ignore_ascii_case("none") {
            return Err(Error::signature(format!(
                "alg {} is not allowed",
                quoted(name)
            )));
        }
        let is_hmac = name.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("HS"));
        if is_hmac {
            return Err(Error::signature(format!(
                "HMAC alg {} is not allowed",
                plain_or_quoted(name)
            )));
        }
        Err(Error::signature(format!(
            "unsupported alg {}",
            quoted(name)
        )))
    }

    /// The JWS `alg` name.
    pub fn name(&self) -> &'static str {
        match self {
            Algorithm::RS256 => "RS256",
            Algorithm::RS384 => "RS384",
            Algorithm::RS512 => "RS512",
            Algorithm::PS256 => "PS256",
            Algorithm::PS384 => "PS384",
            Algorithm::PS512 => "PS512",
            Algorithm::ES256 => "ES256",
            Algorithm::ES384 => "ES384",
            Algorithm::ES512 => "ES512",
            Algorithm::EdDSA => "EdDSA",
        }
    }
}

/// Short names made of letters and digits as they are, anything else quoted.
fn plain_or_quoted(name: &str) -> String {
    if name.len() <= 16 && name.bytes().all(|b| b.is_ascii_alphanumeric()) {
        name.to_string()
    } else {
        quoted(name)
    }
}

fn does_not_verify() -> Error {
    Error::signature("signature does not verify")
}

fn mismatch(alg: Algorithm, needs: &str, key: &PublicKey) -> Error {
    Error::signature(format!(
        "alg {} needs {needs} key, got {}",
        alg.name(),
        key.kind()
    ))
}

/// Checks `signature` over `signing_input` (`protected "." payload`, as base64url text) with
/// `key` under `alg`. The algorithm must fit the key.
pub fn verify(
    alg: Algorithm,
    key: &PublicKey,
    signing_input: &[u8],
    signature: &[u8],
) -> Result<()> {
    use Algorithm::*;
    match alg {
        RS256 | RS384 | RS512 | PS256 | PS384 | PS512 => {
            let PublicKey::Rsa { n, e } = key else {
                return Err(mismatch(alg, "an RSA", key));
            };
            let params: &rs::RsaParameters = match alg {
                RS256 => &rs::RSA_PKCS1_2048_8192_SHA256,
                RS384 => &rs::RSA_PKCS1_2048_8192_SHA384,
                RS512 => &rs::RSA_PKCS1_2048_8192_SHA512,
                PS256 => &rs::RSA_PSS_2048_8192_SHA256,
                PS384 => &rs::RSA_PSS_2048_8192_SHA384,
                _ => &rs::RSA_PSS_2048_8192_SHA512,
            };
            verify_rsa(params, n, e, signing_input, signature)
        }
        ES256 | ES384 | ES512 => {
            let want = match alg {
                ES256 => Curve::P256,
                ES384 => Curve::P384,
                _ => Curve::P521,
            };
            let (x, y) = match key {
                PublicKey::Ec { curve, x, y } if *curve == want => (x, y),
                _ => return Err(mismatch(alg, &format!("a {}", want.name()), key)),
            };
            verify_ec(alg, want, x, y, signing_input, signature)
        }
        EdDSA => {
            let PublicKey::Ed25519(k) = key else {
                return Err(mismatch(alg, "an Ed25519", key));
            };
            if signature.len() != 64 {
                return Err(Error::signature(format!(
                    "EdDSA signature must be 64 bytes, got {}",
                    signature.len()
                )));
            }
            rs::UnparsedPublicKey::new(&rs::ED25519, k)
                .verify(signing_input, signature)
                .map_err(|_| does_not_verify())
        }
    }
}

fn verify_rsa(
    params: &'static rs::RsaParameters,
    n: &[u8],
    e: &[u8],
    signing_input: &[u8],
    signature: &[u8],
) -> Result<()> {
    // `ring` wants both numbers without leading zeros.
    let n = strip_leading_zeros(n);
    let e = strip_leading_zeros(e);
    let bits = match n.first() {
        Some(&high) => (n.len() - 1) * 8 + (8 - high.leading_zeros() as usize),
        None => 0,
    };
    if bits < RSA_MIN_BITS {
        return Err(Error::signature(format!(
            "RSA key of {bits} bits is too small, the minimum is {RSA_MIN_BITS}"
        )));
    }
    if bits > RSA_MAX_BITS {
        return Err(Error::signature(format!(
            "RSA key of {bits} bits is too large, the maximum is {RSA_MAX_BITS}"
        )));
    }
    rs::RsaPublicKeyComponents { n, e }
        .verify(params, signing_input, signature)
        .map_err(|_| does_not_verify())
}

fn verify_ec(
    alg: Algorithm,
    curve: Curve,
    x: &[u8],
    y: &[u8],
    signing_input: &[u8],
    signature: &[u8],
) -> Result<()> {
    let size = curve.size();
    if signature.len() != 2 * size {
        return Err(Error::signature(format!(
            "{} signature must be {} bytes, got {}",
            alg.name(),
            2 * size,
            signature.len()
        )));
    }
    if x.len() != size || y.len() != size {
        return Err(Error::signature(format!(
            "{} key coordinates must be {size} bytes",
            curve.name()
        )));
    }
    let point = ec_point(curve, x, y);
    match curve {
        Curve::P256 => rs::UnparsedPublicKey::new(&rs::ECDSA_P256_SHA256_FIXED, &point)
            .verify(signing_input, signature)
            .map_err(|_| does_not_verify()),
        Curve::P384 => rs::UnparsedPublicKey::new(&rs::ECDSA_P384_SHA384_FIXED, &point)
            .verify(signing_input, signature)
            .map_err(|_| does_not_verify()),
        Curve::P521 => {
            use p521::ecdsa::signature::Verifier as _;
            let key = p521::ecdsa::VerifyingKey::from_sec1_bytes(&point)
                .map_err(|_| Error::signature("P-521 key is not a point on the curve"))?;
            // Rejects r or s of zero or not below the group order.
            let sig =
                p521::ecdsa::Signature::from_slice(signature).map_err(|_| does_not_verify())?;
            key.verify(signing_input, &sig)
                .map_err(|_| does_not_verify())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::{Object, PyStr, Value};
    use base64::Engine as _;
    use ring::rand::SystemRandom;
    use ring::signature::{EcdsaKeyPair, Ed25519KeyPair, KeyPair, RsaKeyPair};

    fn b64(s: &str) -> Vec<u8> {
        crate::base64url::decode(s.as_bytes()).unwrap()
    }

    fn jwk(members: &[(&str, &str)]) -> PublicKey {
        let obj = Object(
            members
                .iter()
                .map(|(k, v)| (PyStr::from(*k), Value::Str(PyStr::from(*v))))
                .collect(),
        );
        PublicKey::from_jwk(&obj).unwrap()
    }

    fn sig_err(msg: &str) -> Result<()> {
        Err(Error::Signature(msg.to_string()))
    }

    /// The public half of quay-golden/test_rsa_key.jwk.json.
    const TEST_RSA_N: &str = "0oJr_FhoKjRhyTzA6Fi-HXpXYWonZvidgBBCiRJiU1ZYStlnSbqCrP0MF5MAD9yAvIfEY8-avbcer7gpGgxkM6sCJMWZV_o7QEqbBmSF3iFfHZpVx1W4YWbPPwMIXcU3msTtqsXB1BE5EH_Q4gAP7-90ASsUsohxccgn0Fs2svvco_X6h1tPTnPprJMSsAR3yA6hsiINOujGMx33YAsz9K46uENkFz5nL-YWk8LoHDRUdppqkARYHyGwQPul4cTJV35AsiIYH1zRIWQ8q11hpXREmBuB8FjUnsuE7XR_WlvaXu5u5anod_8hXgis0YqrpiBhIvwM0W2K8tNcyrGXfw";

    /// A fixed P-521 secret scalar (0x1234567890abcdef1234567890abcdef) and the public point
    /// Python's `cryptography` derives from it.
    const P521_SECRET_HEX: &str = "1234567890abcdef1234567890abcdef";
    const P521_X: &str =
        "AF8jSO2cMzqqYxyw8ZHhKp3N7FQLrjQ5V7HNS72h0SX2cetDmA8vYUF7-EfIfQUQOhBaUlUyzA0kY0LpSmIbarT6";
    const P521_Y: &str =
        "Ad9XdGioyGWODZnhHT4RswsCrxwDWeTl2zaGBzte8e6MpiHSfv8IjN6OYf0etcfj4zY29O6mDxBSXuEFq3-F8ra6";

    fn rsa_key() -> PublicKey {
        jwk(&[("kty", "RSA"), ("n", TEST_RSA_N), ("e", "AQAB")])
    }

    fn p521_signing_key() -> p521::ecdsa::SigningKey {
        let mut secret = [0u8; 66];
        let tail = (0..P521_SECRET_HEX.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&P521_SECRET_HEX[i..i + 2], 16).unwrap())
            .collect::<Vec<u8>>();
        secret[66 - tail.len()..].copy_from_slice(&tail);
        p521::ecdsa::SigningKey::from_slice(&secret).unwrap()
    }

    fn ec_key(curve: Curve, point: &[u8]) -> PublicKey {
        let size = curve.size();
        assert_eq!(point.len(), 1 + 2 * size);
        assert_eq!(point[0], 4);
        PublicKey::Ec {
            curve,
            x: point[1..1 + size].to_vec(),
            y: point[1 + size..].to_vec(),
        }
    }

    /// One fresh signature over `msg` for every algorithm: (alg, key, signature).
    fn sign_all(msg: &[u8]) -> Vec<(Algorithm, PublicKey, Vec<u8>)> {
        let rng = SystemRandom::new();
        let mut out = Vec::new();

        let pkcs8 = base64::engine::general_purpose::STANDARD
            .decode(crate::test_keys::QUAY_RSA_PKCS8_B64)
            .unwrap();
        let rsa = RsaKeyPair::from_pkcs8(&pkcs8).unwrap();
        let encodings: [(Algorithm, &'static dyn rs::RsaEncoding); 6] = [
            (Algorithm::RS256, &rs::RSA_PKCS1_SHA256),
            (Algorithm::RS384, &rs::RSA_PKCS1_SHA384),
            (Algorithm::RS512, &rs::RSA_PKCS1_SHA512),
            (Algorithm::PS256, &rs::RSA_PSS_SHA256),
            (Algorithm::PS384, &rs::RSA_PSS_SHA384),
            (Algorithm::PS512, &rs::RSA_PSS_SHA512),
        ];
        for (alg, encoding) in encodings {
            let mut sig = vec![0u8; rsa.public().modulus_len()];
            rsa.sign(encoding, &rng, msg, &mut sig).unwrap();
            out.push((alg, rsa_key(), sig));
        }

        for (alg, curve, signing) in [
            (
                Algorithm::ES256,
                Curve::P256,
                &rs::ECDSA_P256_SHA256_FIXED_SIGNING,
            ),
            (
                Algorithm::ES384,
                Curve::P384,
                &rs::ECDSA_P384_SHA384_FIXED_SIGNING,
            ),
        ] {
            let doc = EcdsaKeyPair::generate_pkcs8(signing, &rng).unwrap();
            let pair = EcdsaKeyPair::from_pkcs8(signing, doc.as_ref(), &rng).unwrap();
            let sig = pair.sign(&rng, msg).unwrap();
            out.push((
                alg,
                ec_key(curve, pair.public_key().as_ref()),
                sig.as_ref().to_vec(),
            ));
        }

        let p521 = p521_signing_key();
        let sig: p521::ecdsa::Signature = p521::ecdsa::signature::Signer::sign(&p521, msg);
        let point = p521.verifying_key().to_sec1_point(false);
        out.push((
            Algorithm::ES512,
            ec_key(Curve::P521, point.as_bytes()),
            sig.to_bytes().to_vec(),
        ));

        let doc = Ed25519KeyPair::generate_pkcs8(&rng).unwrap();
        let pair = Ed25519KeyPair::from_pkcs8(doc.as_ref()).unwrap();
        let key: [u8; 32] = pair.public_key().as_ref().try_into().unwrap();
        out.push((
            Algorithm::EdDSA,
            PublicKey::Ed25519(key),
            pair.sign(msg).as_ref().to_vec(),
        ));

        assert_eq!(out.len(), ALL.len());
        out
    }

    const MSG: &[u8] = b"eyJmb3JtYXRMZW5ndGgiOjEsImZvcm1hdFRhaWwiOiJmUSJ9.eyJhIjoxfQ";

    #[test]
    fn every_alg_verifies_its_own_signature() {
        for (alg, key, sig) in sign_all(MSG) {
            assert_eq!(verify(alg, &key, MSG, &sig), Ok(()), "{alg:?}");
        }
    }

    #[test]
    fn empty_and_large_inputs() {
        let big = vec![b'a'; 3 << 20];
        for msg in [&b""[..], &big[..]] {
            for (alg, key, sig) in sign_all(msg) {
                assert_eq!(verify(alg, &key, msg, &sig), Ok(()), "{alg:?}");
                assert_eq!(
                    verify(alg, &key, b"x", &sig),
                    sig_err("signature does not verify"),
                    "{alg:?}"
                );
            }
        }
    }

    #[test]
    fn flipped_bits_fail() {
        for (alg, key, sig) in sign_all(MSG) {
            for pos in [0, MSG.len() / 2, MSG.len() - 1] {
                for bit in [0x01u8, 0x80] {
                    let mut msg = MSG.to_vec();
                    msg[pos] ^= bit;
                    assert_eq!(
                        verify(alg, &key, &msg, &sig),
                        sig_err("signature does not verify"),
                        "{alg:?} input byte {pos} bit {bit:#x}"
                    );
                }
            }
            for pos in [0, sig.len() / 4, sig.len() / 2, sig.len() - 1] {
                for bit in [0x01u8, 0x80] {
                    let mut bad = sig.clone();
                    bad[pos] ^= bit;
                    assert_eq!(
                        verify(alg, &key, MSG, &bad),
                        sig_err("signature does not verify"),
                        "{alg:?} signature byte {pos} bit {bit:#x}"
                    );
                }
            }
            // Appended and truncated input.
            let longer = [MSG, b"."].concat();
            assert!(verify(alg, &key, &longer, &sig).is_err(), "{alg:?}");
            assert!(
                verify(alg, &key, &MSG[..MSG.len() - 1], &sig).is_err(),
                "{alg:?}"
            );
        }
    }

    #[test]
    fn signatures_do_not_cross_algorithms() {
        let all = sign_all(MSG);
        for (alg, key, _) in &all {
            for (other, other_key, sig) in &all {
                if alg == other || key != other_key {
                    continue;
                }
                // Same key, other hash or padding (RS* vs PS*).
                assert!(
                    verify(*alg, key, MSG, sig).is_err(),
                    "{alg:?} with {other:?}"
                );
            }
        }
        // A signature by another key of the same kind.
        let again = sign_all(MSG);
        for ((alg, key, _), (_, _, sig)) in all.iter().zip(&again) {
            if matches!(
                key,
                PublicKey::Ec {
                    curve: Curve::P256 | Curve::P384,
                    ..
                } | PublicKey::Ed25519(_)
            ) {
                assert_eq!(
                    verify(*alg, key, MSG, sig),
                    sig_err("signature does not verify")
                );
            }
        }
    }

    #[test]
    fn alg_must_fit_key() {
        let mut keys: Vec<PublicKey> = sign_all(MSG).into_iter().map(|(_, k, _)| k).collect();
        // RSA, P-256, P-384, P-521, Ed25519.
        keys.dedup();
        assert_eq!(keys.len(), 5);
        let needs = |alg: Algorithm| -> &'static str {
            match alg {
                Algorithm::ES256 => "a P-256",
                Algorithm::ES384 => "a P-384",
                Algorithm::ES512 => "a P-521",
                Algorithm::EdDSA => "an Ed25519",
                _ => "an RSA",
            }
        };
        let fits = |alg: Algorithm, key: &PublicKey| -> bool {
            matches!(
                (alg, key),
                (
                    Algorithm::RS256
                        | Algorithm::RS384
                        | Algorithm::RS512
                        | Algorithm::PS256
                        | Algorithm::PS384
                        | Algorithm::PS512,
                    PublicKey::Rsa { .. }
                ) | (
                    Algorithm::ES256,
                    PublicKey::Ec {
                        curve: Curve::P256,
                        ..
                    }
                ) | (
                    Algorithm::ES384,
                    PublicKey::Ec {
                        curve: Curve::P384,
                        ..
                    }
                ) | (
                    Algorithm::ES512,
                    PublicKey::Ec {
                        curve: Curve::P521,
                        ..
                    }
                ) | (Algorithm::EdDSA, PublicKey::Ed25519(_))
            )
        };
        let mut mismatches = 0;
        for alg in ALL {
            for key in &keys {
                if fits(alg, key) {
                    continue;
                }
                mismatches += 1;
                let want = format!(
                    "alg {} needs {} key, got {}",
                    alg.name(),
                    needs(alg),
                    key.kind()
                );
                // Whatever the signature.
                for sig in [&[][..], &[0u8; 64][..], &[0u8; 256][..]] {
                    assert_eq!(verify(alg, key, MSG, sig), sig_err(&want));
                }
            }
        }
        // 10 algs x 5 keys, 6 + 1 + 1 + 1 + 1 fits.
        assert_eq!(mismatches, 40);
        assert_eq!(
            verify(Algorithm::ES256, &keys[2], MSG, &[]),
            sig_err("alg ES256 needs a P-256 key, got P-384")
        );
        assert_eq!(
            verify(Algorithm::RS256, &keys[3], MSG, &[]),
            sig_err("alg RS256 needs an RSA key, got P-521")
        );
        assert_eq!(
            verify(Algorithm::EdDSA, &keys[0], MSG, &[]),
            sig_err("alg EdDSA needs an Ed25519 key, got RSA")
        );
    }

    #[test]
    fn signature_lengths() {
        let all = sign_all(MSG);
        let cases: &[(Algorithm, usize, &[usize])] = &[
            (Algorithm::ES256, 64, &[0, 1, 32, 63, 65, 70, 72, 128]),
            (Algorithm::ES384, 96, &[0, 48, 95, 97, 104, 192]),
            (Algorithm::ES512, 132, &[0, 66, 131, 133, 139, 264]),
            (Algorithm::EdDSA, 64, &[0, 32, 63, 65, 128]),
        ];
        for (alg, want, lens) in cases {
            let (_, key, sig) = all.iter().find(|(a, _, _)| a == alg).unwrap();
            assert_eq!(sig.len(), *want);
            for &len in *lens {
                let mut bad = sig.clone();
                bad.resize(len, 0);
                assert_eq!(
                    verify(*alg, key, MSG, &bad),
                    sig_err(&format!(
                        "{} signature must be {want} bytes, got {len}",
                        alg.name()
                    )),
                );
            }
        }
        // RSA: the signature must be as long as the modulus.
        let (_, key, sig) = &all[0];
        for len in [0, 1, 255, 257, 512] {
            let mut bad = sig.clone();
            bad.resize(len, 0);
            assert_eq!(
                verify(Algorithm::RS256, key, MSG, &bad),
                sig_err("signature does not verify")
            );
        }
        let mut padded = vec![0u8];
        padded.extend_from_slice(sig);
        assert_eq!(
            verify(Algorithm::RS256, key, MSG, &padded),
            sig_err("signature does not verify")
        );
    }

    #[test]
    fn zero_ecdsa_signatures_fail() {
        for (alg, key, sig) in sign_all(MSG) {
            if let PublicKey::Ec { .. } = key {
                let zeros = vec![0u8; sig.len()];
                let ones = vec![0xffu8; sig.len()];
                for bad in [zeros, ones] {
                    assert_eq!(
                        verify(alg, &key, MSG, &bad),
                        sig_err("signature does not verify"),
                        "{alg:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn rsa_key_sizes() {
        let all = sign_all(MSG);
        let (_, _, sig) = &all[0];
        let small = PublicKey::Rsa {
            n: vec![0xc1; 128],
            e: vec![1, 0, 1],
        };
        assert_eq!(
            verify(Algorithm::RS256, &small, MSG, &sig[..128]),
            sig_err("RSA key of 1024 bits is too small, the minimum is 2048")
        );
        let mut n = vec![0x7f];
        n.extend_from_slice(&[0xff; 255]);
        let just_under = PublicKey::Rsa {
            n,
            e: vec![1, 0, 1],
        };
        assert_eq!(
            verify(Algorithm::PS256, &just_under, MSG, sig),
            sig_err("RSA key of 2047 bits is too small, the minimum is 2048")
        );
        let big = PublicKey::Rsa {
            n: vec![0x01; 1026],
            e: vec![1, 0, 1],
        };
        assert_eq!(
            verify(Algorithm::RS512, &big, MSG, sig),
            sig_err("RSA key of 8201 bits is too large, the maximum is 8192")
        );
        let empty = PublicKey::Rsa {
            n: vec![],
            e: vec![1, 0, 1],
        };
        assert_eq!(
            verify(Algorithm::RS256, &empty, MSG, sig),
            sig_err("RSA key of 0 bits is too small, the minimum is 2048")
        );
        // Leading zeros in a hand-made key are fine; a bad exponent does not verify.
        let PublicKey::Rsa { n, e } = rsa_key() else {
            unreachable!()
        };
        let padded = PublicKey::Rsa {
            n: [&[0u8, 0][..], &n].concat(),
            e: [&[0u8][..], &e].concat(),
        };
        assert_eq!(verify(Algorithm::RS256, &padded, MSG, sig), Ok(()));
        for e in [vec![3u8], vec![1, 0, 3], vec![1, 0, 0], vec![0xff; 8]] {
            let key = PublicKey::Rsa { n: n.clone(), e };
            assert_eq!(
                verify(Algorithm::RS256, &key, MSG, sig),
                sig_err("signature does not verify")
            );
        }
    }

    #[test]
    fn ec_points_off_the_curve_fail() {
        for (alg, key, sig) in sign_all(MSG) {
            let PublicKey::Ec { curve, x, y } = key else {
                continue;
            };
            let mut bad_y = y.clone();
            if let Some(last) = bad_y.last_mut() {
                *last ^= 1;
            }
            let off = PublicKey::Ec {
                curve,
                x: x.clone(),
                y: bad_y,
            };
            let zero = PublicKey::Ec {
                curve,
                x: vec![0; curve.size()],
                y: vec![0; curve.size()],
            };
            let ff = PublicKey::Ec {
                curve,
                x: vec![0xff; curve.size()],
                y: vec![0xff; curve.size()],
            };
            for key in [off, zero, ff] {
                let got = verify(alg, &key, MSG, &sig);
                let want = if curve == Curve::P521 {
                    "P-521 key is not a point on the curve"
                } else {
                    "signature does not verify"
                };
                assert_eq!(got, sig_err(want), "{alg:?} {key:?}");
            }
            // Hand-made keys with wrong coordinate sizes.
            let short = PublicKey::Ec {
                curve,
                x: x[1..].to_vec(),
                y: y.clone(),
            };
            assert_eq!(
                verify(alg, &short, MSG, &sig),
                sig_err(&format!(
                    "{} key coordinates must be {} bytes",
                    curve.name(),
                    curve.size()
                ))
            );
        }
    }

    #[test]
    fn p521_fixed_key_matches_python() {
        let point = p521_signing_key().verifying_key().to_sec1_point(false);
        assert_eq!(
            ec_key(Curve::P521, point.as_bytes()),
            jwk(&[
                ("kty", "EC"),
                ("crv", "P-521"),
                ("x", P521_X),
                ("y", P521_Y)
            ])
        );
    }

    /// Signatures made by Python's `cryptography` (OpenSSL) over `PY_MSG`: interoperability.
    const PY_MSG: &[u8] = b"eyJhbGciOiJQUzI1NiJ9.cGF5bG9hZA";

    #[test]
    fn python_cryptography_signatures_verify() {
        let cases: Vec<(Algorithm, PublicKey, &str)> = vec![
            (
                Algorithm::PS256,
                rsa_key(),
                "Wr9Qe0bm2QdcCJzD19WChukv8wQSPMgjyZSwBIYWrZOUs4av7EFmfJthCXIjfRpdmdppTWywKoPuNxtv17VimBSvm5uffnw_07QJTg2dLBvTn0PV2GwmgLk_EYGgsCZmBawDxOu14mtE4fvxwZaETciSvV1DBV64bMEuLBQiCrsXXt0QuGLzrFAgq8b0_prZOwwL_I-evPXIEkMHoDAfYT3DtSXWTuuDQn3FSfjMgcYk6FJj3OBZ5xP5YyRHmH9hiadEB0Lpx6JWXmKJVRASaNnfRjL4taA3lXi11IrdJxllQsaEsAT7kV5mAoXDGjrW7D6yr85dWLKrMoCyFBKXyw",
            ),
            (
                Algorithm::ES256,
                jwk(&[("kty", "EC"), ("crv", "P-256"), ("x", "-evkZBR8wQLZIyTQmdknwaUOQtV6CKEW_-wKKYGdjGU"), ("y", "cLr30SiIkCpqDB1nrdEDEjyFmrab-OlDHJOEkw1Lfu4")]),
                "jOsf1VAvxBSQ8Wkic8ft5-AqFHdj97eCBHESZVIAjkUn7bIOjniiLtN8U2g4mj6uGJYrwDSE7_2R2MrZYmiy4g",
            ),
            (
                Algorithm::ES384,
                jwk(&[("kty", "EC"), ("crv", "P-384"), ("x", "v9FSRlRY5bnxqQPq_vAwlev9UsX56pe-dN6RlDVfz7QOwJcxWt9q_e-6IfRLYltI"), ("y", "FwWO_5oa0XWkZ16ccwywKOx2rsVE96VtWBZNjPwEArSJxOdMkY3Dp39cIZ0xuOJF")]),
                "NYIx9dZm2bsKRTGSXNUZc2j3lhbuTu9sD80ZOwTOdA648eg-8qrZKn-5fPw6ScwallMzFdLvxu6LGaz1RcaZk9L5zRYvFeuhwKGFYnEJYpi5W_GUgGKJnTPv8UM5bLuh",
            ),
            (
                Algorithm::ES512,
                jwk(&[("kty", "EC"), ("crv", "P-521"), ("x", P521_X), ("y", P521_Y)]),
                "Ab8LreftzdfDIHBmKpAAGWaSJls3yb24qADx2jceN5XRQI3W4LjFhnsy2fMZ87Ab_X64IrEB1zWPGcKTJdYrIDhjAPyrvCVtLiFgm9Y_cUTjl7iPUT_69dYLhKZKYjL-tCczpirjWOhW70ILkX1rw2xtc0PL5iCLkKdl4ClD5K6Whlsc",
            ),
            (
                Algorithm::EdDSA,
                jwk(&[("kty", "OKP"), ("crv", "Ed25519"), ("x", "A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg")]),
                "Ev5b7ccKC9hcl5ewUNIdW9knWBADFx0DlKZiPDXpFkVv1Anurw98ctLE4Q7TeqzCtuVPSnC_gVJlSpCRZbOmAQ",
            ),
        ];
        for (alg, key, sig) in cases {
            let sig = b64(sig);
            assert_eq!(verify(alg, &key, PY_MSG, &sig), Ok(()), "{alg:?}");
            assert_eq!(
                verify(alg, &key, MSG, &sig),
                sig_err("signature does not verify"),
                "{alg:?}"
            );
        }
    }

    /// Quay's RS256 signature of its `zero_layers/signed/ascii` builder vector (quay-golden).
    #[test]
    fn quay_rs256_vector_verifies() {
        let signing_input = b"eyJmb3JtYXRUYWlsIjoiQ24wIiwiZm9ybWF0TGVuZ3RoIjoxNDYsInRpbWUiOiIyMDE5LTAyLTIwVDEyOjAwOjAwWiJ9.ewogICAidGFnIjogInNvbWV0YWciLAogICAibmFtZSI6ICJzb21lbmFtZXNwYWNlL3NvbWVyZXBvIiwKICAgImFyY2hpdGVjdHVyZSI6ICJhbWQ2NCIsCiAgICJzY2hlbWFWZXJzaW9uIjogMSwKICAgImhpc3RvcnkiOiBbXSwKICAgImZzTGF5ZXJzIjogW10KfQ";
        let sig = b64("X6FCFNhOQz6_BytrVQUtfqX8SkbhSWHXIzl1zF1XE-aHElNjefKHwU3yXxR8PvA5GnJHtlutwe8rIOGKhGr44U5ALRPYtAHs1U5a4v6qzFPLTA6GhhXDVmHKAy6FVyIr2h2yrYWxlDeVIJAoDFGwNcV8b4K-GbC6yFl3kP_uND35yMVtJlsxMooxpJfScoJe6wJXaimCP0WVLp4Xg8k30XNHMrItdXjzAcAST-9dDGFV2l9LOiumHGBMaPtJdaetmdx0MyDm28oFmLsCqb_zmqfaZuvFhsg8oyffUXp8bP5okSaCBQCEIYuuLNRtbkK3l6U3uoDP1Y4FZTgOYU2n0Q");
        let key = rsa_key();
        assert_eq!(verify(Algorithm::RS256, &key, signing_input, &sig), Ok(()));
        assert_eq!(
            verify(Algorithm::PS256, &key, signing_input, &sig),
            sig_err("signature does not verify")
        );
        // RS256 is deterministic: ring signs the same bytes.
        let pkcs8 = base64::engine::general_purpose::STANDARD
            .decode(crate::test_keys::QUAY_RSA_PKCS8_B64)
            .unwrap();
        let pair = RsaKeyPair::from_pkcs8(&pkcs8).unwrap();
        let mut ours = vec![0u8; 256];
        pair.sign(
            &rs::RSA_PKCS1_SHA256,
            &SystemRandom::new(),
            signing_input,
            &mut ours,
        )
        .unwrap();
        assert_eq!(ours, sig);
    }

    /// moby's distribution/fixtures/validate_manifest/good_manifest (vectors/public): the
    /// signing input rebuilt from its protected header, its jwk and signature.
    const MOBY_SIGNING_INPUT: &str = concat!(
        "eyJmb3JtYXRMZW5ndGgiOjMxOTcsImZvcm1hdFRhaWwiOiJDbjAiLCJ0aW1lIjoiMjAxNS0wOS0xMVQwNDoxMzo0OFoifQ.e",
        "wogICAic2NoZW1hVmVyc2lvbiI6IDEsCiAgICJuYW1lIjogImxpYnJhcnkvaGVsbG8td29ybGQiLAogICAidGFnIjogImxhd",
        "GVzdCIsCiAgICJhcmNoaXRlY3R1cmUiOiAiYW1kNjQiLAogICAiZnNMYXllcnMiOiBbCiAgICAgIHsKICAgICAgICAgImJsb",
        "2JTdW0iOiAic2hhMjU2OmEzZWQ5NWNhZWIwMmZmZTY4Y2RkOWZkODQ0MDY2ODBhZTkzZDYzM2NiMTY0MjJkMDBlOGE3YzIyO",
        "TU1YjQ2ZDQiCiAgICAgIH0sCiAgICAgIHsKICAgICAgICAgImJsb2JTdW0iOiAic2hhMjU2OjAzZjQ2NThmOGI3ODJlMTIyM",
        "zBjMTc4MzQyNmJkM2JhY2NlNjUxY2U1ODJhNGZmYjZmYmJmYTIwNzk0MjhlY2IiCiAgICAgIH0KICAgXSwKICAgImhpc3Rvc",
        "nkiOiBbCiAgICAgIHsKICAgICAgICAgInYxQ29tcGF0aWJpbGl0eSI6ICJ7XCJpZFwiOlwiYWYzNDA1NDRlZDYyZGUwNjgwZ",
        "jQ0MWM3MWZhMWE4MGNiMDg0Njc4ZmVkNDJiYWUzOTNlNTQzZmFlYTNhNTcyY1wiLFwicGFyZW50XCI6XCI1MzUwMjBjM2U4Y",
        "WRkOWQ2YmIwNmU1YWMxNWEyNjFlNzNkOWIyMTNkNjJmYjJjMTRkNzUyYjhlMTg5YjJiOTEyXCIsXCJjcmVhdGVkXCI6XCIyM",
        "DE1LTA4LTA2VDIzOjUzOjIyLjYwODU3NzgxNFpcIixcImNvbnRhaW5lclwiOlwiYzJiNzE1MTU2ZjY0MGM3YWM3ZDk4NDcyZ",
        "WEyNDMzNWFiYTU0MzJhMTMyM2EzYmI3MjI2OTdlNmQzN2VmNzk0ZlwiLFwiY29udGFpbmVyX2NvbmZpZ1wiOntcIkhvc3RuY",
        "W1lXCI6XCI5YWViMDAwNmZmYTdcIixcIkRvbWFpbm5hbWVcIjpcIlwiLFwiVXNlclwiOlwiXCIsXCJBdHRhY2hTdGRpblwiO",
        "mZhbHNlLFwiQXR0YWNoU3Rkb3V0XCI6ZmFsc2UsXCJBdHRhY2hTdGRlcnJcIjpmYWxzZSxcIlBvcnRTcGVjc1wiOm51bGwsX",
        "CJFeHBvc2VkUG9ydHNcIjpudWxsLFwiVHR5XCI6ZmFsc2UsXCJPcGVuU3RkaW5cIjpmYWxzZSxcIlN0ZGluT25jZVwiOmZhb",
        "HNlLFwiRW52XCI6bnVsbCxcIkNtZFwiOltcIi9iaW4vc2hcIixcIi1jXCIsXCIjKG5vcCkgQ01EIFtcXFwiL2hlbGxvXFxcI",
        "l1cIl0sXCJJbWFnZVwiOlwiNTM1MDIwYzNlOGFkZDlkNmJiMDZlNWFjMTVhMjYxZTczZDliMjEzZDYyZmIyYzE0ZDc1MmI4Z",
        "TE4OWIyYjkxMlwiLFwiVm9sdW1lc1wiOm51bGwsXCJWb2x1bWVEcml2ZXJcIjpcIlwiLFwiV29ya2luZ0RpclwiOlwiXCIsX",
        "CJFbnRyeXBvaW50XCI6bnVsbCxcIk5ldHdvcmtEaXNhYmxlZFwiOmZhbHNlLFwiTWFjQWRkcmVzc1wiOlwiXCIsXCJPbkJ1a",
        "WxkXCI6bnVsbCxcIkxhYmVsc1wiOnt9fSxcImRvY2tlcl92ZXJzaW9uXCI6XCIxLjcuMVwiLFwiY29uZmlnXCI6e1wiSG9zd",
        "G5hbWVcIjpcIjlhZWIwMDA2ZmZhN1wiLFwiRG9tYWlubmFtZVwiOlwiXCIsXCJVc2VyXCI6XCJcIixcIkF0dGFjaFN0ZGluX",
        "CI6ZmFsc2UsXCJBdHRhY2hTdGRvdXRcIjpmYWxzZSxcIkF0dGFjaFN0ZGVyclwiOmZhbHNlLFwiUG9ydFNwZWNzXCI6bnVsb",
        "CxcIkV4cG9zZWRQb3J0c1wiOm51bGwsXCJUdHlcIjpmYWxzZSxcIk9wZW5TdGRpblwiOmZhbHNlLFwiU3RkaW5PbmNlXCI6Z",
        "mFsc2UsXCJFbnZcIjpudWxsLFwiQ21kXCI6W1wiL2hlbGxvXCJdLFwiSW1hZ2VcIjpcIjUzNTAyMGMzZThhZGQ5ZDZiYjA2Z",
        "TVhYzE1YTI2MWU3M2Q5YjIxM2Q2MmZiMmMxNGQ3NTJiOGUxODliMmI5MTJcIixcIlZvbHVtZXNcIjpudWxsLFwiVm9sdW1lR",
        "HJpdmVyXCI6XCJcIixcIldvcmtpbmdEaXJcIjpcIlwiLFwiRW50cnlwb2ludFwiOm51bGwsXCJOZXR3b3JrRGlzYWJsZWRcI",
        "jpmYWxzZSxcIk1hY0FkZHJlc3NcIjpcIlwiLFwiT25CdWlsZFwiOm51bGwsXCJMYWJlbHNcIjp7fX0sXCJhcmNoaXRlY3R1c",
        "mVcIjpcImFtZDY0XCIsXCJvc1wiOlwibGludXhcIixcIlNpemVcIjowfVxuIgogICAgICB9LAogICAgICB7CiAgICAgICAgI",
        "CJ2MUNvbXBhdGliaWxpdHkiOiAie1wiaWRcIjpcIjUzNTAyMGMzZThhZGQ5ZDZiYjA2ZTVhYzE1YTI2MWU3M2Q5YjIxM2Q2M",
        "mZiMmMxNGQ3NTJiOGUxODliMmI5MTJcIixcImNyZWF0ZWRcIjpcIjIwMTUtMDgtMDZUMjM6NTM6MjIuMjQxMzUyNzI3WlwiL",
        "FwiY29udGFpbmVyXCI6XCI5YWViMDAwNmZmYTcyYTgyODc1NjRjYWFlYTg3NjI1ODk2ODUzNzAxNDU5MjYxZDNiNTY5ZTMyM",
        "GMwYzlkNWRjXCIsXCJjb250YWluZXJfY29uZmlnXCI6e1wiSG9zdG5hbWVcIjpcIjlhZWIwMDA2ZmZhN1wiLFwiRG9tYWlub",
        "mFtZVwiOlwiXCIsXCJVc2VyXCI6XCJcIixcIkF0dGFjaFN0ZGluXCI6ZmFsc2UsXCJBdHRhY2hTdGRvdXRcIjpmYWxzZSxcI",
        "kF0dGFjaFN0ZGVyclwiOmZhbHNlLFwiUG9ydFNwZWNzXCI6bnVsbCxcIkV4cG9zZWRQb3J0c1wiOm51bGwsXCJUdHlcIjpmY",
        "WxzZSxcIk9wZW5TdGRpblwiOmZhbHNlLFwiU3RkaW5PbmNlXCI6ZmFsc2UsXCJFbnZcIjpudWxsLFwiQ21kXCI6W1wiL2Jpb",
        "i9zaFwiLFwiLWNcIixcIiMobm9wKSBDT1BZIGZpbGU6NGFiZDNiZmY2MDQ1OGNhM2IwNzlkN2IxMzFjZTI2YjI3MTkwNTVhM",
        "DMwZGZhOTZmZjgyN2RhMmI3YzcwMzhhNyBpbiAvXCJdLFwiSW1hZ2VcIjpcIlwiLFwiVm9sdW1lc1wiOm51bGwsXCJWb2x1b",
        "WVEcml2ZXJcIjpcIlwiLFwiV29ya2luZ0RpclwiOlwiXCIsXCJFbnRyeXBvaW50XCI6bnVsbCxcIk5ldHdvcmtEaXNhYmxlZ",
        "FwiOmZhbHNlLFwiTWFjQWRkcmVzc1wiOlwiXCIsXCJPbkJ1aWxkXCI6bnVsbCxcIkxhYmVsc1wiOm51bGx9LFwiZG9ja2VyX",
        "3ZlcnNpb25cIjpcIjEuNy4xXCIsXCJjb25maWdcIjp7XCJIb3N0bmFtZVwiOlwiOWFlYjAwMDZmZmE3XCIsXCJEb21haW5uY",
        "W1lXCI6XCJcIixcIlVzZXJcIjpcIlwiLFwiQXR0YWNoU3RkaW5cIjpmYWxzZSxcIkF0dGFjaFN0ZG91dFwiOmZhbHNlLFwiQ",
        "XR0YWNoU3RkZXJyXCI6ZmFsc2UsXCJQb3J0U3BlY3NcIjpudWxsLFwiRXhwb3NlZFBvcnRzXCI6bnVsbCxcIlR0eVwiOmZhb",
        "HNlLFwiT3BlblN0ZGluXCI6ZmFsc2UsXCJTdGRpbk9uY2VcIjpmYWxzZSxcIkVudlwiOm51bGwsXCJDbWRcIjpudWxsLFwiS",
        "W1hZ2VcIjpcIlwiLFwiVm9sdW1lc1wiOm51bGwsXCJWb2x1bWVEcml2ZXJcIjpcIlwiLFwiV29ya2luZ0RpclwiOlwiXCIsX",
        "CJFbnRyeXBvaW50XCI6bnVsbCxcIk5ldHdvcmtEaXNhYmxlZFwiOmZhbHNlLFwiTWFjQWRkcmVzc1wiOlwiXCIsXCJPbkJ1a",
        "WxkXCI6bnVsbCxcIkxhYmVsc1wiOm51bGx9LFwiYXJjaGl0ZWN0dXJlXCI6XCJhbWQ2NFwiLFwib3NcIjpcImxpbnV4XCIsX",
        "CJTaXplXCI6OTYwfVxuIgogICAgICB9CiAgIF0KfQ",
    );
    #[test]
    fn moby_good_manifest_verifies() {
        let key = jwk(&[
            ("crv", "P-256"),
            (
                "kid",
                "OIH7:HQFS:44FK:45VB:3B53:OIAG:TPL4:ATF5:6PNE:MGHN:NHQX:2GE4",
            ),
            ("kty", "EC"),
            ("x", "Cu_UyxwLgHzE9rvlYSmvVdqYCXY42E9eNhBb0xNv0SQ"),
            ("y", "zUsjWJkeKQ5tv7S-hl1Tg71cd-CqnrtiiLxSi6N_yc8"),
        ]);
        assert_eq!(
            key.key_id(),
            "OIH7:HQFS:44FK:45VB:3B53:OIAG:TPL4:ATF5:6PNE:MGHN:NHQX:2GE4"
        );
        let sig = b64("Y6xaFz9Sy-OtcnKQS1Ilq3Dh8cu4h3nBTJCpOTF1XF7vKtcxxA_xMP8-SgDo869SJ3VsvgPL9-Xn-OoYG2rb1A");
        let alg = Algorithm::from_name("ES256").unwrap();
        let input = MOBY_SIGNING_INPUT.as_bytes();
        assert_eq!(input.len(), 4361);
        assert_eq!(verify(alg, &key, input, &sig), Ok(()));
        let mut tampered = input.to_vec();
        tampered[200] ^= 0x20;
        assert_eq!(
            verify(alg, &key, &tampered, &sig),
            sig_err("signature does not verify")
        );
        assert_eq!(
            verify(Algorithm::ES384, &key, input, &sig),
            sig_err("alg ES384 needs a P-384 key, got P-256")
        );
    }

    #[test]
    fn alg_names() {
        for alg in ALL {
            assert_eq!(Algorithm::from_name(alg.name()), Ok(alg));
        }
        let bad: &[(&str, &str)] = &[
            ("none", "alg \"none\" is not allowed"),
            ("None", "alg \"None\" is not allowed"),
            ("NONE", "alg \"NONE\" is not allowed"),
            ("nOnE", "alg \"nOnE\" is not allowed"),
            ("HS256", "HMAC alg HS256 is not allowed"),
            ("HS384", "HMAC alg HS384 is not allowed"),
            ("HS512", "HMAC alg HS512 is not allowed"),
            ("hs256", "HMAC alg hs256 is not allowed"),
            ("HS", "HMAC alg HS is not allowed"),
            ("HS 256", "HMAC alg \"HS 256\" is not allowed"),
            ("XY", "unsupported alg \"XY\""),
            ("", "unsupported alg \"\""),
            ("rs256", "unsupported alg \"rs256\""),
            ("Rs256", "unsupported alg \"Rs256\""),
            ("RS256 ", "unsupported alg \"RS256 \""),
            (" RS256", "unsupported alg \" RS256\""),
            ("es256", "unsupported alg \"es256\""),
            ("ES256K", "unsupported alg \"ES256K\""),
            ("EDDSA", "unsupported alg \"EDDSA\""),
            ("eddsa", "unsupported alg \"eddsa\""),
            ("Ed25519", "unsupported alg \"Ed25519\""),
            ("RS1", "unsupported alg \"RS1\""),
            ("PS256\u{0}", "unsupported alg \"PS256\\0\""),
            ("ES\u{e9}", "unsupported alg \"ES\u{e9}\""),
            ("H", "unsupported alg \"H\""),
            ("\u{e9}S", "unsupported alg \"\u{e9}S\""),
        ];
        for (name, want) in bad {
            assert_eq!(
                Algorithm::from_name(name),
                Err(Error::Signature(want.to_string())),
                "{name:?}"
            );
        }
        let long = format!("HS{}", "9".repeat(1000));
        let err = Algorithm::from_name(&long).unwrap_err();
        assert_eq!(
            err.message(),
            format!("HMAC alg \"HS{}\"... is not allowed", "9".repeat(62))
        );
    }
}
