//! The fields Quay reads from each layer: the blobSum and the v1Compatibility metadata.

use crate::error::{Error, Result};
use crate::json::{self, PyStr, Select, Value};

/// One layer's fields, as Quay's `Schema1V1Metadata` and `Schema1Layer` hold them.
/// A member that is absent reads as `Value::Null`, as `dict.get` gives `None`.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerFields {
    pub image_id: Value,
    pub parent_image_id: Value,
    pub created: Value,
    pub comment: Value,
    /// Canonical JSON of `container_config.Cmd` when that is truthy.
    pub command: Option<String>,
    pub author: Value,
    /// `config.Labels` when truthy, else an empty object.
    pub labels: Value,
    pub size: Value,
}

/// Whether `blob_sum` is `algorithm:hex` as Quay's `Digest.parse_digest` accepts it.
pub fn is_digest(blob_sum: &[u8]) -> bool {
    let Some(colon) = blob_sum.iter().position(|&b| b == b':') else {
        return false;
    };
    let (algorithm, hex) = (&blob_sum[..colon], &blob_sum[colon + 1..]);
    !algorithm.is_empty()
        && !hex.is_empty()
        && algorithm
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'+' | b'.' | b'-'))
        && hex.iter().all(u8::is_ascii_hexdigit)
}

/// The fields of the layer at document index `index` (`fsLayers[index]`/`history[index]`).
pub fn layer_fields(
    index: usize,
    blob_sum: &PyStr,
    v1_compatibility: &PyStr,
    allow_missing_ids: bool,
) -> Result<LayerFields> {
    let fail =
        |what: String| Error::malformed(format!("layer {index} (fsLayers[{index}]): {what}"));
    if !is_digest(blob_sum.as_bytes()) {
        return Err(fail(format!(
            "could not parse manifest digest: {}",
            String::from_utf8_lossy(blob_sum.as_bytes())
        )));
    }
    // Only the members the model reads are built; the rest is validated all the same.
    let metadata = json::parse_only(v1_compatibility.as_bytes(), &MODEL)
        .map_err(|e| fail(format!("Could not parse metadata string: {}", e.message())))?;
    // A falsy value (null, 0, "", [], {}) reads as {}, as Quay's `or {}` does.
    let mut metadata = match metadata {
        Value::Object(object) => object,
        other if !other.is_truthy() => json::Object::default(),
        other => {
            return Err(fail(format!(
                "v1Compatibility is {}, not a JSON object",
                other.type_name()
            )))
        }
    };
    check_key_spellings(&metadata, "v1Compatibility", &TOP_KEYS).map_err(fail)?;
    for key in ["id", "parent"] {
        match metadata.get(key) {
            None | Some(Value::Null | Value::Str(_)) => {}
            Some(other) => {
                return Err(fail(format!(
                    "v1Compatibility \"{key}\" is {}, not a string",
                    other.type_name()
                )))
            }
        }
    }

    let command = match metadata.get("container_config") {
        Some(Value::Object(config)) => {
            check_key_spellings(config, "container_config", &["Cmd"]).map_err(fail)?;
            match config.get("Cmd") {
                Some(cmd) if cmd.is_truthy() => {
                    let mut out = Vec::new();
                    json::write_canonical(cmd, true, &mut out);
                    // ensure_ascii output is ASCII, so this never replaces anything.
                    Some(
                        String::from_utf8(out)
                            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
                    )
                }
                _ => None,
            }
        }
        Some(other) if other.is_truthy() => {
            return Err(fail(format!(
                "container_config is {}, not an object",
                other.type_name()
            )))
        }
        _ => None,
    };
    if !allow_missing_ids && !metadata.contains_key("id") {
        return Err(fail(
            "id field missing from v1Compatibility JSON".to_owned(),
        ));
    }
    let labels = match metadata.0.iter_mut().find(|(k, _)| k == "config") {
        None => Value::Object(json::Object::default()),
        Some((_, Value::Object(config))) => {
            check_key_spellings(config, "config", &["Labels"]).map_err(fail)?;
            // Moved out, not copied: nothing else reads it.
            match config.0.iter_mut().find(|(k, _)| k == "Labels") {
                Some((_, labels)) if labels.is_truthy() => std::mem::replace(labels, Value::Null),
                _ => Value::Object(json::Object::default()),
            }
        }
        Some((_, other)) => {
            return Err(fail(format!(
                "config is {}, not an object",
                other.type_name()
            )))
        }
    };
    // The values are moved out, not copied (a comment may be large).
    let mut get = |key: &str| {
        metadata
            .0
            .iter_mut()
            .find(|(k, _)| k.as_bytes() == key.as_bytes())
            .map_or(Value::Null, |(_, value)| {
                std::mem::replace(value, Value::Null)
            })
    };
    Ok(LayerFields {
        image_id: get("id"),
        parent_image_id: get("parent"),
        created: get("created"),
        comment: get("comment"),
        command,
        author: get("author"),
        labels,
        size: get("Size"),
    })
}

/// The members of a v1Compatibility object that the layer model reads.
const TOP_KEYS: [&str; 8] = [
    "id",
    "parent",
    "created",
    "comment",
    "container_config",
    "author",
    "config",
    "Size",
];

const fn whole(key: &'static str) -> json::Member {
    json::Member {
        key,
        select: Select::All,
        required: false,
    }
}

/// Of an object, only `key` (and the keys that differ from it only in case); any other value
/// whole (its type and truth are read).
macro_rules! only {
    ($key:literal) => {
        Select::OrWhole(&Select::Object {
            members: &[whole($key)],
            also: &[],
        })
    };
}

/// What [`layer_fields`] builds of a v1Compatibility text: the members of [`TOP_KEYS`] (of
/// `container_config` only `Cmd`, of `config` only `Labels`) and the keys that differ from one
/// of them only in case; a value that is not an object is built whole.
static MODEL: Select = Select::OrWhole(&Select::Object {
    members: &[
        whole("id"),
        whole("parent"),
        whole("created"),
        whole("comment"),
        json::Member {
            key: "container_config",
            select: only!("Cmd"),
            required: false,
        },
        whole("author"),
        json::Member {
            key: "config",
            select: only!("Labels"),
            required: false,
        },
        whole("Size"),
    ],
    also: &[],
});

/// DESIGN 6.8: Go's `encoding/json` takes a member whose key equals a field name
/// case-insensitively (Unicode simple folding) for that field, so a key that matches one of
/// `keys` that way but is not spelled exactly as it would read differently there: rejected.
fn check_key_spellings(
    object: &json::Object,
    what: &str,
    keys: &[&str],
) -> std::result::Result<(), String> {
    for (key, _) in object.iter() {
        let bytes = key.as_bytes();
        // ASCII keys (nearly all): equal length and ASCII case-insensitive; others may hold the
        // Kelvin sign or the long s, which are longer in UTF-8.
        let ascii = bytes.is_ascii();
        for target in keys {
            let candidate = if ascii {
                bytes.len() == target.len() && bytes.eq_ignore_ascii_case(target.as_bytes())
            } else {
                key.as_str().is_some_and(|text| folds_to(text, target))
            };
            if candidate && bytes != target.as_bytes() {
                let text = String::from_utf8_lossy(bytes);
                return Err(format!(
                    "{what} key \"{text}\" differs from \"{target}\" only in case \
                     (Go's readers would take one for the other)"
                ));
            }
        }
    }
    Ok(())
}

/// Whether `key` equals the ASCII `target` under Go's `strings.EqualFold`: ASCII letters
/// without case, and the two non-ASCII letters that fold to ASCII ones (the Kelvin sign to
/// `k`, the long s to `s`).
fn folds_to(key: &str, target: &str) -> bool {
    let mut target = target.bytes();
    for c in key.chars() {
        let folded = match c {
            '\u{212a}' => b'k',
            '\u{17f}' => b's',
            c if c.is_ascii() => (c as u8).to_ascii_lowercase(),
            _ => return false,
        };
        match target.next() {
            Some(t) if t.to_ascii_lowercase() == folded => {}
            _ => return false,
        }
    }
    target.next().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests() {
        const CASES: &[(&str, bool)] = &[
            ("sha256:abcdef0123456789", true),
            ("sha256:abcde", true),
            ("SHA256:FF", true),
            ("tarsum.v1+sha256:00", true),
            ("sha256", false),
            (":ab", false),
            ("sha256:", false),
            ("sha256:xyz", false),
            ("sha256:abc\n", false),
            (" sha256:abc", false),
            ("sha256:ab:cd", false),
            ("sha2\u{e9}56:ab", false),
        ];
        for (input, ok) in CASES {
            assert_eq!(is_digest(input.as_bytes()), *ok, "{input:?}");
        }
    }

    fn fields(v1: &str) -> Result<LayerFields> {
        layer_fields(0, &PyStr::from("sha256:00"), &PyStr::from(v1), false)
    }

    #[test]
    fn metadata_rules() {
        let ok = fields(r#"{"id":"a","parent":"b","created":"c","author":"d","comment":"e","Size":7,"container_config":{"Cmd":["sh","<&>"]},"config":{"Labels":{"k":"v"}}}"#).unwrap();
        assert_eq!(ok.image_id, Value::Str(PyStr::from("a")));
        assert_eq!(ok.parent_image_id, Value::Str(PyStr::from("b")));
        assert_eq!(ok.size, Value::Int(7));
        assert_eq!(ok.command.as_deref(), Some(r#"["sh","<&>"]"#));
        assert!(matches!(ok.labels, Value::Object(ref o) if o.len() == 1));

        let cmd_string = fields(r#"{"id":"1","container_config":{"Cmd":"a<b"}}"#).unwrap();
        assert_eq!(cmd_string.command.as_deref(), Some(r#""a\u003cb""#));

        const ERRORS: &[(&str, &str)] = &[
            ("{nope", "Could not parse metadata string"),
            ("[1]", "not a JSON object"),
            (r#"{"id":"1","container_config":[1]}"#, "container_config"),
            (r#"{"parent":"x"}"#, "id field missing"),
            (r#"{"id":"1","config":null}"#, "config is null"),
            (r#"{"id":"1","config":[]}"#, "config is array"),
            // DESIGN 6.7: ids and parents are strings or null.
            (
                r#"{"id":1}"#,
                "v1Compatibility \"id\" is integer, not a string",
            ),
            (
                r#"{"id":"a","parent":1.5}"#,
                "\"parent\" is number, not a string",
            ),
            (r#"{"id":["a"]}"#, "\"id\" is array, not a string"),
            (
                r#"{"id":"a","parent":{}}"#,
                "\"parent\" is object, not a string",
            ),
            (r#"{"id":true}"#, "\"id\" is boolean, not a string"),
            // DESIGN 6.8: keys the layer model reads, spelled in another case.
            (
                r#"{"id":"a","ID":"b"}"#,
                "key \"ID\" differs from \"id\" only in case",
            ),
            (r#"{"Id":"b"}"#, "key \"Id\" differs from \"id\""),
            (
                r#"{"id":"a","size":1}"#,
                "key \"size\" differs from \"Size\"",
            ),
            (
                r#"{"id":"a","Parent":"p"}"#,
                "key \"Parent\" differs from \"parent\"",
            ),
            (
                "{\"id\":\"a\",\"\u{17f}ize\":1}",
                "key \"\u{17f}ize\" differs from \"Size\"",
            ),
            (
                r#"{"id":"a","container_config":{"cmd":["x"]}}"#,
                "container_config key \"cmd\" differs from \"Cmd\"",
            ),
            (
                r#"{"id":"a","config":{"labels":{}}}"#,
                "config key \"labels\" differs from \"Labels\"",
            ),
            (
                r#"{"id":"a","Container_Config":{}}"#,
                "differs from \"container_config\"",
            ),
        ];
        for (input, message) in ERRORS {
            let e = fields(input).unwrap_err();
            assert!(e.message().contains(message), "{input}: {e}");
        }
        const FALSY: &[&str] = &["null", "0", "false", "\"\"", "[]", "{}"];
        for input in FALSY {
            let e = fields(input).unwrap_err();
            assert!(e.message().contains("id field missing"), "{input}: {e}");
            let lenient = layer_fields(0, &PyStr::from("a:0"), &PyStr::from(*input), true);
            assert_eq!(lenient.unwrap().image_id, Value::Null);
        }
        // Keys that only look alike stay allowed, as do the keys the model does not read.
        let ok = fields("{\"id\":\"a\",\"\u{131}d\":1,\"sizes\":2,\"AUTHORS\":3,\"Os\":4}");
        assert!(ok.is_ok(), "{ok:?}");
        let ok = fields(r#"{"id":"a","container_config":{"Image":"x","image":"y","CMD_":1}}"#);
        assert!(ok.is_ok(), "{ok:?}");
        let nothing = fields(r#"{"id":null,"container_config":null,"config":{"Labels":null}}"#);
        let nothing = nothing.unwrap();
        assert_eq!(nothing.command, None);
        assert_eq!(nothing.labels, Value::Object(json::Object::default()));
    }
}
