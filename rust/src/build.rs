//! Writing manifests as Quay's builder does (being written).

use crate::error::Result;
use crate::json::Object;

/// A private key that signs manifests (implemented in `signing_key.rs`).
pub trait Signer {
    /// The JWS `alg` this key signs with: RS256 for RSA, ES256/ES384/ES512 by curve.
    fn alg(&self) -> &'static str;
    /// The public JWK as libtrust writes it: RSA `n, e, kid, kty`; EC `crv, kid, kty, x, y`.
    fn public_jwk(&self) -> Object;
    /// The raw JWS signature of `signing_input` (EC: `r || s`, each the curve size).
    fn sign(&self, signing_input: &[u8]) -> Result<Vec<u8>>;
}
