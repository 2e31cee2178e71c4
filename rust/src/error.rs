//! The one error type of the core. Every variant maps to one of the two public Python
//! exceptions: `Malformed` to `MalformedSchema1Manifest`, `Signature` to `InvalidSchema1Signature`
//! (and `Key`, a bad signing key, to `ValueError`).

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// Bad JSON, structure, digest or layer metadata.
    Malformed(String),
    /// Anything that only signature verification touches.
    Signature(String),
    /// A signing key that cannot be used (unparsable, public only, too small, unsupported).
    /// Not about a manifest, so Python sees a plain `ValueError`.
    Key(String),
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn malformed(msg: impl Into<String>) -> Self {
        Error::Malformed(msg.into())
    }

    pub fn signature(msg: impl Into<String>) -> Self {
        Error::Signature(msg.into())
    }

    pub fn key(msg: impl Into<String>) -> Self {
        Error::Key(msg.into())
    }

    pub fn message(&self) -> &str {
        match self {
            Error::Malformed(m) | Error::Signature(m) | Error::Key(m) => m,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for Error {}
