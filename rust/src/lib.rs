//! Core of `docker-schema1`: Python-compatible JSON, Docker image manifests of schema 1
//! (libtrust "pretty JWS"), their digests and signatures. Plain Rust; the pyo3 binding lives in
//! `python.rs` behind the `python` feature.

pub mod base64url;
pub mod build;
pub mod docker_time;
pub mod error;
pub mod floor;
pub mod json;
pub mod key_formats;
pub mod keys;
pub mod layers;
pub mod manifest;
pub mod rewrite;
pub mod schema;
pub mod sign;
pub mod signing_key;
pub mod verify;

// Conversion to schema 2 / OCI and layer diff IDs.
pub mod convert;
pub mod gojson;
pub mod layer_info;
// Batches: many manifests on all cores, Arrow buffers in and out.
pub mod arrow_layout;
pub mod backfill;
pub mod batch;

#[cfg(test)]
mod test_edits;
#[cfg(test)]
mod test_keys;

#[cfg(feature = "python")]
mod python;

pub use error::{Error, Result};
