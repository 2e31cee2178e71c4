//! The fields Quay reads from each layer: the blobSum and the v1Compatibility metadata.

use std::ops::Range;

use crate::error::{Error, Result};
use crate::json::{self, LazyStr, Members, PyStr, Select, Value};

/// One layer's fields, as Quay's `Schema1V1Metadata` and `Schema1Layer` hold them.
/// A member that is absent reads as `Value::Null`, as `dict.get` gives `None`.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerFields {
    pub image_id: Text,
    pub parent_image_id: Text,
    pub created: Text,
    pub comment: Text,
    /// Canonical JSON of `container_config.Cmd` when that is truthy.
    pub command: Option<String>,
    pub author: Text,
    /// `config.Labels` when truthy, else an empty object.
    pub labels: Value,
    pub size: Value,
}

/// A string field as read: a value, or, for a string without escapes, where it lies in the
/// v1Compatibility text (the binding makes its Python string from there, or slices it from the
/// text's own Python string, without a copy in between).
#[derive(Debug, Clone, PartialEq)]
pub enum Text {
    Value(Value),
    Span(Range<usize>),
}

impl Text {
    /// The value, given the layer's v1Compatibility text.
    pub fn value(&self, v1_compatibility: &[u8]) -> Value {
        match self {
            Text::Value(value) => value.clone(),
            Text::Span(span) => Value::Str(PyStr(v1_compatibility[span.clone()].to_vec())),
        }
    }

    /// The string's text (generalized UTF-8) when it is a string, given the layer's
    /// v1Compatibility text.
    pub fn string<'a>(&'a self, v1_compatibility: &'a [u8]) -> Option<&'a [u8]> {
        match self {
            Text::Value(Value::Str(s)) => Some(s.as_bytes()),
            Text::Value(_) => None,
            Text::Span(span) => Some(&v1_compatibility[span.clone()]),
        }
    }
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
    v1_compatibility: &LazyStr,
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
    let text = v1_compatibility.get().as_bytes();
    let control_free = v1_compatibility.control_free();
    if let Some(fields) = plain_fields(text, allow_missing_ids, control_free) {
        return Ok(fields);
    }
    model_fields(text, allow_missing_ids).map_err(fail)
}

/// The fields of a v1Compatibility text in the plain case, read in place with
/// [`json::Members`]: an object whose model keys (see [`TOP_KEYS`]) each appear once, spelled
/// exactly, none of them unescaped differently (no escapes in keys), with ids, parents,
/// `created`, `comment` and `author` strings or null, `Size` a number or literal,
/// `container_config` an object or falsy literal and `config` an object. `None` for anything
/// else, which [`model_fields`] then reads (it gives the same fields, or the error).
///
/// Why a second reader: most layers are plain, and building the members of a tree, keys and
/// all, to move five strings out of it cost half of `layers`' time.
///
/// `control_free`: the text is known to hold no control byte (a string's end is then found
/// in one pass instead of two).
fn plain_fields(text: &[u8], allow_missing_ids: bool, control_free: bool) -> Option<LayerFields> {
    // Strings or null, in TOP_KEYS' order (as far as they go): id, parent, created.
    let mut strings: [Option<Text>; 3] = Default::default();
    let mut comment = None;
    let mut author = None;
    let mut size = None;
    let mut command: Option<Option<String>> = None;
    let mut labels: Option<Value> = None;
    let mut members = if control_free {
        Members::control_free_document(text)?
    } else {
        Members::document(text)?
    };
    while let Some(key) = members.next_key()? {
        let slot = match key {
            b"id" => &mut strings[0],
            b"parent" => &mut strings[1],
            b"created" => &mut strings[2],
            b"comment" => {
                if comment.is_some() {
                    return None;
                }
                comment = Some(string_text(&mut members)?);
                continue;
            }
            b"author" => &mut author,
            b"Size" => {
                if size.is_some() {
                    return None;
                }
                size = Some(members.scalar()?);
                continue;
            }
            b"container_config" => {
                if command.is_some() {
                    return None;
                }
                let cmd = if members.peek()? == b'{' {
                    members.object(|config| only_member(config, "Cmd", plain_command))?
                } else if members.scalar()?.is_truthy() {
                    return None; // not an object: an error, worded by model_fields
                } else {
                    None // a falsy literal: no command
                };
                command = Some(cmd.flatten());
                continue;
            }
            b"config" => {
                if labels.is_some() || members.peek()? != b'{' {
                    return None;
                }
                let found =
                    members.object(|config| only_member(config, "Labels", Members::whole))?;
                labels = Some(found.filter(Value::is_truthy).unwrap_or_else(empty_object));
                continue;
            }
            other => {
                if is_case_variant(other, &TOP_KEYS) {
                    return None;
                }
                members.skip()?;
                continue;
            }
        };
        if slot.is_some() {
            return None;
        }
        *slot = Some(string_text(&mut members)?);
    }
    if !members.at_end() || (!allow_missing_ids && strings[0].is_none()) {
        return None;
    }
    // Not `strings.map(..)`: that moved the values through the stack with stalls, 80 ns a layer.
    let [image_id, parent_image_id, created] = strings;
    Some(LayerFields {
        image_id: image_id.unwrap_or(Text::Value(Value::Null)),
        parent_image_id: parent_image_id.unwrap_or(Text::Value(Value::Null)),
        created: created.unwrap_or(Text::Value(Value::Null)),
        comment: comment.unwrap_or(Text::Value(Value::Null)),
        command: command.flatten(),
        author: author.unwrap_or(Text::Value(Value::Null)),
        labels: labels.unwrap_or_else(empty_object),
        size: size.unwrap_or(Value::Null),
    })
}

/// The string or null at the reader: where it lies when it holds no escape, else its value.
fn string_text(members: &mut Members<'_>) -> Option<Text> {
    Some(match members.plain_string()? {
        Some(span) => Text::Span(span),
        None => Text::Value(members.string_or_null()?),
    })
}

/// The value of the member `key` of the object at `members` as `read` reads it (`Some(None)`
/// when absent); `None` when the key appears twice or in another case.
fn only_member<'a, T>(
    members: &mut Members<'a>,
    key: &'static str,
    read: impl Fn(&mut Members<'a>) -> Option<T>,
) -> Option<Option<T>> {
    let mut found = None;
    while let Some(other) = members.next_key()? {
        if other == key.as_bytes() {
            if found.is_some() {
                return None;
            }
            found = Some(read(members)?);
        } else if is_case_variant(other, &[key]) {
            return None;
        } else {
            members.skip()?;
        }
    }
    Some(found)
}

/// Whether `key` (not one of `keys`) might equal one of them under Go's case folding: equal
/// ignoring ASCII case, or not ASCII at all (left to [`check_key_spellings`]).
fn is_case_variant(key: &[u8], keys: &[&str]) -> bool {
    !key.is_ascii() || keys.iter().any(|k| key.eq_ignore_ascii_case(k.as_bytes()))
}

/// The command of a `container_config.Cmd` at the reader: `Some(None)` when it is falsy. An
/// array (Docker's) is written canonically as it is read, anything else built first.
fn plain_command(members: &mut Members<'_>) -> Option<Option<String>> {
    if members.peek()? != b'[' {
        let cmd = members.whole()?;
        return Some(cmd.is_truthy().then(|| command_text(&cmd)));
    }
    let mut out = Vec::with_capacity(128);
    json::canonical::write_value(members, &mut out)?;
    if out == b"[]" {
        return Some(None);
    }
    String::from_utf8(out).ok().map(Some)
}

/// Canonical JSON of `container_config.Cmd`, as the model's `command` holds it.
fn command_text(cmd: &Value) -> String {
    let mut out = Vec::with_capacity(128);
    json::write_canonical(cmd, true, &mut out);
    // ensure_ascii output is ASCII, so this never replaces anything.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn empty_object() -> Value {
    Value::Object(json::Object::default())
}

/// The fields of any v1Compatibility text, read with [`MODEL`], or what is wrong with it.
fn model_fields(text: &[u8], allow_missing_ids: bool) -> std::result::Result<LayerFields, String> {
    // Only the members the model reads are built; the rest is validated all the same.
    let metadata = json::parse_only(text, &MODEL)
        .map_err(|e| format!("Could not parse metadata string: {}", e.message()))?;
    // A falsy value (null, 0, "", [], {}) reads as {}, as Quay's `or {}` does.
    let mut metadata = match metadata {
        Value::Object(object) => object,
        other if !other.is_truthy() => json::Object::default(),
        other => {
            return Err(format!(
                "v1Compatibility is {}, not a JSON object",
                other.type_name()
            ))
        }
    };
    check_key_spellings(&metadata, "v1Compatibility", &TOP_KEYS)?;
    for key in ["id", "parent"] {
        match metadata.get(key) {
            None | Some(Value::Null | Value::Str(_)) => {}
            Some(other) => {
                return Err(format!(
                    "v1Compatibility \"{key}\" is {}, not a string",
                    other.type_name()
                ))
            }
        }
    }

    let command = match metadata.get("container_config") {
        Some(Value::Object(config)) => {
            check_key_spellings(config, "container_config", &["Cmd"])?;
            match config.get("Cmd") {
                Some(cmd) if cmd.is_truthy() => Some(command_text(cmd)),
                _ => None,
            }
        }
        Some(other) if other.is_truthy() => {
            return Err(format!(
                "container_config is {}, not an object",
                other.type_name()
            ))
        }
        _ => None,
    };
    if !allow_missing_ids && !metadata.contains_key("id") {
        return Err("id field missing from v1Compatibility JSON".to_owned());
    }
    let labels = match metadata.0.iter_mut().find(|(k, _)| k == "config") {
        None => Value::Object(json::Object::default()),
        Some((_, Value::Object(config))) => {
            check_key_spellings(config, "config", &["Labels"])?;
            // Moved out, not copied: nothing else reads it.
            match config.0.iter_mut().find(|(k, _)| k == "Labels") {
                Some((_, labels)) if labels.is_truthy() => std::mem::replace(labels, Value::Null),
                _ => Value::Object(json::Object::default()),
            }
        }
        Some((_, other)) => return Err(format!("config is {}, not an object", other.type_name())),
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
        image_id: Text::Value(get("id")),
        parent_image_id: Text::Value(get("parent")),
        created: Text::Value(get("created")),
        comment: Text::Value(get("comment")),
        command,
        author: Text::Value(get("author")),
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

    fn lazy(text: &str) -> LazyStr {
        LazyStr::decoded(PyStr::from(text))
    }

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
        layer_fields(0, &PyStr::from("sha256:00"), &lazy(v1), false)
    }

    #[test]
    fn metadata_rules() {
        let text = r#"{"id":"a","parent":"b","created":"c","author":"d","comment":"e","Size":7,"container_config":{"Cmd":["sh","<&>"]},"config":{"Labels":{"k":"v"}}}"#;
        let ok = fields(text).unwrap();
        assert_eq!(
            ok.image_id.value(text.as_bytes()),
            Value::Str(PyStr::from("a"))
        );
        assert_eq!(ok.parent_image_id.string(text.as_bytes()), Some(&b"b"[..]));
        assert_eq!(ok.author.string(text.as_bytes()), Some(&b"d"[..]));
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
            let lenient = layer_fields(0, &PyStr::from("a:0"), &lazy(input), true);
            assert_eq!(lenient.unwrap().image_id, Text::Value(Value::Null));
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

/// [`plain_fields`] against [`model_fields`]: the plain reader takes the common layers itself,
/// and never gives fields the model reader would not give (or would refuse).
#[cfg(test)]
mod plain_tests {
    use super::*;

    /// [`plain_fields`]; for a text without control bytes also told so, which must not change
    /// the result.
    fn plain(text: &[u8], allow_missing_ids: bool) -> Option<LayerFields> {
        let fields = plain_fields(text, allow_missing_ids, false);
        if !text.iter().any(|&b| b < 0x20) {
            assert_eq!(
                format!("{:?}", plain_fields(text, allow_missing_ids, true)),
                format!("{fields:?}"),
                "{}",
                String::from_utf8_lossy(text)
            );
        }
        fields
    }

    const PLAIN: &[&str] = &[
        r##"{"id":"a","parent":"b","created":"2018-08-13T19:00:00.1Z","comment":"x","author":"me","Size":12,"container_config":{"Cmd":["/bin/sh","-c","#(nop) \u003c"],"Env":["A=1"],"Image":""},"config":{"Labels":{"k":"v"},"Env":[]}}"##,
        r##" { "id" : "a" , "Size" : -1.5e3 , "container_config" : null , "config" : { } } "##,
        r##"{"id":null,"parent":null,"author":null,"Size":null,"container_config":{},"config":{"Labels":null}}"##,
        r##"{"id":"a","container_config":{"Cmd":null,"cmd_":1},"config":{"Labels":{}},"Os":"linux","throwaway":true}"##,
        r##"{"id":"a","container_config":false,"Size":NaN,"other":{"deep":[[[{"x":[1,2,{"y":null}]}]]]}}"##,
        r##"{"id":"\u00e9\ud83d\ude31","comment":"tab\tescaped \"quotes\" and \\ slash \/","created":"\ud800"}"##,
        r##"{"id":"a","Size":123456789012345678901234567890}"##,
        // Labels with a key twice (the last value wins) and a command of more than strings.
        r##"{"id":"a","config":{"Labels":{"a":"1","b":"2","a":"3"}},"container_config":{"Cmd":["a",["b"],{}]}}"##,
        r##"{"id":"a","config":{"Labels":{"a":1}},"container_config":{"Cmd":[ "a" , "b" ]}}"##,
        // An empty command is no command; a command's objects are written in key order.
        r##"{"id":"a","container_config":{"Cmd":[ ]},"config":{}}"##,
        r##"{"id":"a","container_config":{"Cmd":[{"b":1,"a":[2,{"d":3,"c":4}]},"\u00e9"]}}"##,
    ];

    /// Texts the plain reader leaves to the model reader.
    const NOT_PLAIN: &[&str] = &[
        r##"{"id":"a","id":"b"}"##,
        r##"{"i\u0064":"a"}"##,
        r##"{"id":"a","ID":"b"}"##,
        r##"{"id":1}"##,
        r##"{"id":"a","created":5}"##,
        r##"{"id":"a","Size":"5"}"##,
        r##"{"id":"a","config":null}"##,
        r##"{"id":"a","container_config":"x"}"##,
        r##"{"id":"a","container_config":{"Cmd":[1],"CMD":2}}"##,
        r##"{"id":"a","config":{"Labels":{},"Labels":{"a":"b"}}}"##,
        r##"{"id":"a","ſize":1}"##,
        r##"{"id":"a"} x"##,
        r##"{"id":"a",}"##,
        "\u{feff}{\"id\":\"a\"}",
        r##"{}"##,
        r##"{"parent":"p"}"##,
        r##"[]"##,
    ];

    fn model(text: &str) -> std::result::Result<LayerFields, String> {
        model_fields(text.as_bytes(), false)
    }

    /// The fields as written out, a comment span as its value (NaN is not equal to itself,
    /// hence text).
    fn written(fields: Option<LayerFields>, text: &str) -> String {
        let resolved = fields.map(|mut fields| {
            let text = text.as_bytes();
            for field in [
                &mut fields.image_id,
                &mut fields.parent_image_id,
                &mut fields.created,
                &mut fields.comment,
                &mut fields.author,
            ] {
                *field = Text::Value(field.value(text));
            }
            fields
        });
        format!("{resolved:?}")
    }

    /// A plain layer with a comment long enough to be kept as a span.
    fn long_comment() -> String {
        let comment = "a long comment ".repeat(100);
        format!(r#"{{"id":"a","comment":"{comment}","Size":1,"config":{{}}}}"#)
    }

    #[test]
    fn a_long_plain_comment_is_a_span() {
        let text = long_comment();
        let fields = plain(text.as_bytes(), false).unwrap();
        assert!(matches!(fields.comment, Text::Span(ref span) if span.len() == 1500));
        assert_eq!(
            written(Some(fields), &text),
            written(model(&text).ok(), &text)
        );
        // Escaped, it is read as a value.
        let escaped = text.replace("a long", "a\\\\long");
        let fields = plain(escaped.as_bytes(), false).unwrap();
        assert!(matches!(fields.comment, Text::Value(Value::Str(_))));
        assert_eq!(
            written(Some(fields), &escaped),
            written(model(&escaped).ok(), &escaped)
        );
    }

    #[test]
    fn plain_layers_read_alike() {
        for text in PLAIN {
            let plain = plain(text.as_bytes(), false);
            assert!(plain.is_some(), "not read as plain: {text}");
            assert_eq!(
                written(plain, text),
                written(model(text).ok(), text),
                "{text}"
            );
        }
    }

    #[test]
    fn others_are_left_to_the_model_reader() {
        for text in NOT_PLAIN {
            assert_eq!(plain(text.as_bytes(), false), None, "{text}");
        }
        // Without the id requirement, a layer without one is plain.
        assert!(plain(br##"{"parent":"p"}"##, true).is_some());
    }

    /// Random edits of the plain texts (bytes JSON cares about, inserted, replaced, removed):
    /// wherever the plain reader answers, the model reader gives the same fields.
    #[test]
    fn edited_texts_read_alike() {
        const ALPHABET: &[u8] = b"{}[]\",:\\ nulltrue0-1.5eEidCmdSizeLabels\t\x01\xc3\xa9";
        let (mut plain_count, mut total) = (0, 0);
        let long = long_comment();
        let texts: Vec<&str> = PLAIN.iter().copied().chain([long.as_str()]).collect();
        for text in crate::test_edits::edited_texts(&texts, ALPHABET, 0x2545_f491_4f6c_dd1d, 4000) {
            total += 1;
            for allow_missing_ids in [false, true] {
                if let Some(plain) = plain(text.as_bytes(), allow_missing_ids) {
                    plain_count += 1;
                    let model = model_fields(text.as_bytes(), allow_missing_ids);
                    // The model reader succeeds, with the same fields.
                    let model = model.map_err(|e| format!("{text}: {e}")).unwrap();
                    assert_eq!(written(Some(plain), &text), written(Some(model), &text));
                }
            }
        }
        // Both kinds were met: the edits keep some texts plain and break others.
        assert!(
            plain_count > total / 10 && plain_count < 2 * total,
            "{plain_count} of {total}"
        );
    }
}
