//! What the manifest reader builds of a document (DESIGN 6.9: members the schema never reads
//! are checked as JSON, not built) and the key-case rule of DESIGN 6.8.
//!
//! Go's `encoding/json` (docker/distribution, moby, containers/image) matches object keys to
//! struct fields case-insensitively, the last match winning, so `"TAG"` beside `"tag"` reads
//! as one tag in Python and another in Go. With `validate`, a key that equals, but for case,
//! a key this library or Go's reader uses is rejected at every level listed here.

use crate::error::Error;
use crate::json::{case_variant_of, Member, Object, Select, Value};

/// The most signatures a manifest may carry. Docker writes one, libtrust tools a few; each one
/// costs a pass over the payload, so the count is bounded.
pub const MAX_SIGNATURES: usize = 64;

const fn member(key: &'static str, select: Select, required: bool) -> Member {
    Member {
        key,
        select,
        required,
    }
}

const FS_LAYER: Select = Select::Object {
    members: &[member("blobSum", Select::Str, true)],
    also: &[],
};

/// `v1Compatibility` is decoded when it is first read (most never are).
const HISTORY_ENTRY: Select = Select::Object {
    members: &[member("v1Compatibility", Select::RawStr, true)],
    also: &[],
};

/// A public JWK: every member a libtrust or JOSE key of ours has.
pub const JWK: Select = Select::Object {
    members: &[
        member("kty", Select::Str, false),
        member("crv", Select::Str, false),
        member("kid", Select::Str, false),
        member("x", Select::Str, false),
        member("y", Select::Str, false),
        member("n", Select::Str, false),
        member("e", Select::Str, false),
    ],
    also: &[],
};

const HEADER: Select = Select::Object {
    members: &[member("alg", Select::Str, true), member("jwk", JWK, true)],
    // libtrust's jsHeader also reads the certificate chain.
    also: &["x5c"],
};

const SIGNATURE: Select = Select::Object {
    members: &[
        member("header", HEADER, true),
        member("signature", Select::Str, true),
        member("protected", Select::Str, true),
    ],
    also: &[],
};

/// The manifest document. `architecture` is built only when it is a string; anything else,
/// like a `signatures` value that held more than is built, is read again when asked for.
pub static DOCUMENT: Select = Select::Object {
    members: &[
        member("tag", Select::Str, true),
        member("name", Select::Str, true),
        member("architecture", Select::Str, false),
        member(
            "fsLayers",
            Select::Array {
                items: &FS_LAYER,
                max: usize::MAX,
            },
            true,
        ),
        member(
            "history",
            Select::Array {
                items: &HISTORY_ENTRY,
                max: usize::MAX,
            },
            true,
        ),
        member(
            "signatures",
            Select::Array {
                items: &SIGNATURE,
                max: MAX_SIGNATURES,
            },
            false,
        ),
    ],
    // docker/distribution's Versioned and containers/image read these too.
    also: &["schemaVersion", "mediaType"],
};

/// A signature's protected header (libtrust reads it as a map, we read these members).
pub static PROTECTED: Select = Select::Object {
    members: &[
        member("formatLength", Select::Scalar, false),
        member("formatTail", Select::Str, false),
        member("alg", Select::Str, false),
        member("crit", Select::Kind, false),
    ],
    also: &["time"],
};

/// One top-level member of the document, everything else dropped.
pub fn only(key: &str) -> Option<&'static Select> {
    static ARCHITECTURE: Select = Select::Object {
        members: &[member("architecture", Select::All, false)],
        also: &[],
    };
    static SIGNATURES: Select = Select::Object {
        members: &[member("signatures", Select::All, false)],
        also: &[],
    };
    match key {
        "architecture" => Some(&ARCHITECTURE),
        "signatures" => Some(&SIGNATURES),
        _ => None,
    }
}

/// DESIGN 6.8 for `object` read through `select`: the first key (in document order) that is
/// a known key in another case.
/// `place` names the object in the message (made only when there is one).
pub fn case_clash(object: &Object, select: &Select, place: impl Fn() -> String) -> Option<Error> {
    object.iter().find_map(|(key, _)| {
        case_variant_of(select, key.as_bytes()).map(|known| {
            Error::malformed(format!(
                "{}: key \"{}\" differs from \"{known}\" only in case (Go's encoding/json \
                 reads it as \"{known}\")",
                place(),
                String::from_utf8_lossy(key.as_bytes())
            ))
        })
    })
}

/// DESIGN 6.8 over a document read through [`DOCUMENT`], in a fixed order: the top level, the
/// `fsLayers` entries, the `history` entries, then each signature, its `header` and `jwk`.
/// (Protected headers are checked as they are read.)
pub fn document_case_clash(document: &Object) -> Option<Error> {
    let items_of = |key: &str| -> &[Value] {
        document
            .get(key)
            .and_then(Value::as_array)
            .unwrap_or_default()
    };
    if let Some(error) = case_clash(document, &DOCUMENT, || "manifest".to_owned()) {
        return Some(error);
    }
    for (list, entry) in [("fsLayers", &FS_LAYER), ("history", &HISTORY_ENTRY)] {
        for (i, item) in items_of(list).iter().enumerate() {
            if let Some(error) = item
                .as_object()
                .and_then(|o| case_clash(o, entry, || format!("{list}[{i}]")))
            {
                return Some(error);
            }
        }
    }
    for (i, signature) in items_of("signatures").iter().enumerate() {
        let Some(signature) = signature.as_object() else {
            continue;
        };
        let place = || format!("signatures[{i}]");
        if let Some(error) = case_clash(signature, &SIGNATURE, place) {
            return Some(error);
        }
        let Some(header) = signature.get("header").and_then(Value::as_object) else {
            continue;
        };
        if let Some(error) = case_clash(header, &HEADER, || format!("{}.header", place())) {
            return Some(error);
        }
        if let Some(jwk) = header.get("jwk").and_then(Value::as_object) {
            if let Some(error) = case_clash(jwk, &JWK, || format!("{}.header.jwk", place())) {
                return Some(error);
            }
        }
    }
    None
}
