//! Parsing a schema 1 manifest: the structure check, the signed payload and its digest, and
//! (with `validate`) the verification of every signature.
//!
//! The payload is what libtrust signs and what the digest covers: the document's first
//! `formatLength` bytes followed by the decoded `formatTail`, both taken from the protected
//! headers. Every signature must carry the same pair and verify over the same payload.

use crate::base64url;
use crate::error::{Error, Result};
use crate::json::{self, LazyStr, MemberSpan, Object, PyStr, Value};
use crate::keys::PublicKey;
use crate::schema::{self, MAX_SIGNATURES};
use crate::verify::{self, Algorithm};

/// A signature that verified: its algorithm and the libtrust key id of its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signer {
    pub alg: Algorithm,
    pub key_id: String,
}

/// What the public class needs of a parsed manifest.
#[derive(Debug, Clone)]
pub struct Manifest {
    pub name: PyStr,
    pub tag: PyStr,
    /// The raw `architecture` value; `None` when absent. Only a string is built: anything
    /// else is listed in `unread` (and this holds a placeholder of its type).
    pub architecture: Option<Value>,
    /// `fsLayers[i].blobSum`, document order (leaf first).
    pub blob_sums: Vec<PyStr>,
    /// `history[i].v1Compatibility`, document order (leaf first), decoded on first read.
    pub v1_compat: Vec<LazyStr>,
    /// The `signatures` array as far as it was built (see `schema::DOCUMENT`); `None` when
    /// the member is absent. When it held more than that, `"signatures"` is in `unread`.
    pub signatures: Option<Value>,
    /// Top-level members whose raw value was not built: read them with [`member`].
    pub unread: Vec<&'static str>,
    /// `sha256:<hex>` of the payload.
    pub digest: String,
    /// One per signature when verified; empty when unsigned or not validated.
    pub signers: Vec<Signer>,
}

/// From this size on, the digest is computed on a second thread during verification: a thread
/// costs tens of microseconds, hashing half a megabyte costs hundreds.
const PARALLEL_FROM: usize = 512 * 1024;

/// Parse `raw`, check its structure and compute its digest; with `validate`, verify every
/// signature and require that nothing but the `signatures` member lies outside the payload.
pub fn parse(raw: &[u8], validate: bool) -> Result<Manifest> {
    let decoded = json::decode(raw).map_err(|e| malformed_data(&e))?;
    let json::Selected { value: doc, spans } =
        json::parse_select(&decoded.text, &schema::DOCUMENT).map_err(|e| malformed_data(&e))?;
    let Value::Object(doc) = doc else {
        return Err(schema_error(format!(
            "{} is not of type 'object'",
            doc.type_name()
        )));
    };
    // DESIGN 6.8, reported once the schema holds.
    let case_clash = if validate {
        schema::document_case_clash(&doc)
    } else {
        None
    };
    let lossy = |key: &str| {
        spans
            .iter()
            .rev()
            .find(|s| s.key == *key)
            .is_some_and(|s| s.lossy)
    };
    let mut unread = Vec::new();
    if lossy("signatures") {
        unread.push("signatures");
    }
    let Object(members) = doc;
    let mut fields = Fields::default();
    for (key, value) in members {
        match key.as_bytes() {
            b"tag" => fields.tag = Some(value),
            b"name" => fields.name = Some(value),
            b"architecture" => fields.architecture = Some(value),
            b"fsLayers" => fields.fs_layers = Some(value),
            b"history" => fields.history = Some(value),
            b"signatures" => fields.signatures = Some(value),
            _ => {}
        }
    }
    let tag = required_string(fields.tag, "tag")?;
    let name = required_string(fields.name, "name")?;
    let blob_sums = string_members(fields.fs_layers, "fsLayers", "blobSum")?;
    let v1_compat: Vec<LazyStr> = string_members(fields.history, "history", "v1Compatibility")?
        .into_iter()
        .map(LazyStr::from_json)
        .collect();
    if let Some(signatures) = &fields.signatures {
        check_signatures_schema(signatures)?;
    }
    if let Some(error) = case_clash {
        return Err(error);
    }
    if fields
        .architecture
        .as_ref()
        .is_some_and(|a| !matches!(a, Value::Str(_)))
    {
        unread.push("architecture");
    }
    if blob_sums.len() != v1_compat.len() {
        return Err(Error::malformed(format!(
            "fsLayers has {} entries but history has {}",
            blob_sums.len(),
            v1_compat.len()
        )));
    }

    let signature_list = fields.signatures.as_ref().and_then(Value::as_array);
    let (digest, signers) = match signature_list {
        None => (sha256_hex(&[raw]), Vec::new()),
        Some([]) => return Err(Error::malformed("signatures is empty")),
        Some(list) => {
            let format = Format::of(&list[0], raw.len())
                .map_err(|e| Error::malformed(format!("signature 0: {}", e.message())))?;
            let payload: [&[u8]; 2] = [&raw[..format.length], &format.tail];
            if !validate {
                (sha256_hex(&payload), Vec::new())
            } else {
                format.check_case(0)?;
                check_other_formats(list, raw.len(), &format)?;
                check_signed_region(raw, &decoded, &spans, &format)?;
                if raw.len() < PARALLEL_FROM {
                    (sha256_hex(&payload), verify_all(raw, list, &format)?)
                } else {
                    // Large documents: hash the payload for the digest on a second core while
                    // this one hashes and checks the signing input.
                    let (digest, signers) = beside(
                        || sha256_hex(&payload),
                        || verify_all(raw, list, &format),
                        true,
                    );
                    (digest, signers?)
                }
            }
        }
    };
    Ok(Manifest {
        name,
        tag,
        architecture: fields.architecture,
        blob_sums,
        v1_compat,
        signatures: fields.signatures,
        unread,
        digest,
        signers,
    })
}

/// One top-level member of the document `raw` as Python's `json.loads` would give it (`None`
/// when absent): what [`parse`] left in `unread`.
pub fn member(raw: &[u8], key: &str) -> Result<Option<Value>> {
    let select = schema::only(key)
        .ok_or_else(|| Error::malformed(format!("no raw member {key:?} to read")))?;
    let decoded = json::decode(raw).map_err(|e| malformed_data(&e))?;
    let selected = json::parse_select(&decoded.text, select).map_err(|e| malformed_data(&e))?;
    Ok(match selected.value {
        Value::Object(Object(members)) => members
            .into_iter()
            .find(|(k, _)| k == key)
            .map(|(_, value)| value),
        _ => None,
    })
}

/// `(side(), main())`, with `side` on a second thread when `threads` and one can be started:
/// `std::thread::Builder::spawn_scoped` returns the failure where `thread::scope`'s own
/// `spawn` would panic, so a process out of threads only loses the parallelism.
fn beside<A: Send, B>(
    side: impl FnOnce() -> A + Send + Clone,
    main: impl FnOnce() -> B,
    threads: bool,
) -> (A, B) {
    std::thread::scope(|scope| {
        let handle = if threads {
            std::thread::Builder::new()
                .spawn_scoped(scope, side.clone())
                .ok()
        } else {
            None
        };
        let b = main();
        let a = match handle.map(std::thread::ScopedJoinHandle::join) {
            Some(Ok(a)) => a,
            _ => side(),
        };
        (a, b)
    })
}

/// The manifest `build::build_manifest` just wrote from `document` (its payload digest and
/// signature block), without parsing its bytes again; `None` when `document` is not the
/// builder's plain shape (then parse the bytes). The signature was made here, so it is listed
/// as verified.
pub fn from_built(document: &Value, digest: &str, signature: Option<&Object>) -> Option<Manifest> {
    let members = document.as_object()?;
    if members.contains_key("signatures") {
        return None;
    }
    let string = |key: &str| members.get(key)?.as_str().cloned();
    let blob_sums = string_members(members.get("fsLayers").cloned(), "fsLayers", "blobSum").ok()?;
    let v1_compat: Vec<LazyStr> = string_members(
        members.get("history").cloned(),
        "history",
        "v1Compatibility",
    )
    .ok()?
    .into_iter()
    .map(LazyStr::decoded)
    .collect();
    if blob_sums.len() != v1_compat.len() {
        return None;
    }
    let signers = match signature {
        None => Vec::new(),
        Some(block) => {
            let header = block.get("header")?.as_object()?;
            let alg = Algorithm::from_name(header.get("alg")?.as_str()?.as_str()?).ok()?;
            let key_id = header
                .get("jwk")?
                .as_object()?
                .get("kid")?
                .as_str()?
                .as_str()?;
            vec![Signer {
                alg,
                key_id: key_id.to_owned(),
            }]
        }
    };
    Some(Manifest {
        name: string("name")?,
        tag: string("tag")?,
        architecture: members.get("architecture").cloned(),
        blob_sums,
        v1_compat,
        signatures: signature.map(|block| Value::Array(vec![Value::Object(block.clone())])),
        unread: Vec::new(),
        digest: digest.to_owned(),
        signers,
    })
}

#[derive(Default)]
struct Fields {
    tag: Option<Value>,
    name: Option<Value>,
    architecture: Option<Value>,
    fs_layers: Option<Value>,
    history: Option<Value>,
    signatures: Option<Value>,
}

fn malformed_data(e: &Error) -> Error {
    Error::malformed(format!("malformed manifest data: {}", e.message()))
}

fn schema_error(detail: String) -> Error {
    Error::malformed(format!("manifest data does not match schema: {detail}"))
}

fn required_string(value: Option<Value>, key: &str) -> Result<PyStr> {
    match value {
        None => Err(schema_error(format!("'{key}' is a required property"))),
        Some(Value::Str(s)) => Ok(s),
        Some(other) => Err(schema_error(format!(
            "{key}: {} is not of type 'string'",
            other.type_name()
        ))),
    }
}

/// `fsLayers`/`history`: an array of objects, each with a string `member`.
fn string_members(value: Option<Value>, key: &str, member: &str) -> Result<Vec<PyStr>> {
    let items = match value {
        None => return Err(schema_error(format!("'{key}' is a required property"))),
        Some(Value::Array(items)) => items,
        Some(other) => {
            return Err(schema_error(format!(
                "{key}: {} is not of type 'array'",
                other.type_name()
            )))
        }
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let Value::Object(Object(entries)) = item else {
                return Err(schema_error(format!(
                    "{key}[{i}]: {} is not of type 'object'",
                    item.type_name()
                )));
            };
            // A repeated key keeps its last value, which the parser already applied.
            match entries.into_iter().find(|(k, _)| k == member) {
                Some((_, Value::Str(s))) => Ok(s),
                Some((_, other)) => Err(schema_error(format!(
                    "{key}[{i}].{member}: {} is not of type 'string'",
                    other.type_name()
                ))),
                None => Err(schema_error(format!(
                    "{key}[{i}]: '{member}' is a required property"
                ))),
            }
        })
        .collect()
}

/// Quay's schema for `signatures`: an array of objects with string `protected` and
/// `signature` and a `header` object holding a string `alg` and an object `jwk`.
fn check_signatures_schema(signatures: &Value) -> Result<()> {
    let Some(list) = signatures.as_array() else {
        return Err(schema_error(format!(
            "signatures: {} is not of type 'array'",
            signatures.type_name()
        )));
    };
    for (i, signature) in list.iter().enumerate() {
        if i == MAX_SIGNATURES {
            return Err(too_many_signatures());
        }
        let Some(signature) = signature.as_object() else {
            return Err(schema_error(format!(
                "signatures[{i}]: {} is not of type 'object'",
                signature.type_name()
            )));
        };
        expect_member(signature, "protected", "string", i, "")?;
        expect_member(signature, "signature", "string", i, "")?;
        let header = expect_member(signature, "header", "object", i, "")?;
        let header = header.as_object().unwrap_or(signature);
        expect_member(header, "alg", "string", i, ".header")?;
        expect_member(header, "jwk", "object", i, ".header")?;
    }
    Ok(())
}

/// DESIGN 6.9: each signature costs a pass over the payload, so their number is bounded.
fn too_many_signatures() -> Error {
    Error::signature(format!(
        "more than {MAX_SIGNATURES} signatures: at most {MAX_SIGNATURES} are accepted"
    ))
}

fn expect_member<'a>(
    object: &'a Object,
    key: &str,
    type_name: &str,
    index: usize,
    path: &str,
) -> Result<&'a Value> {
    match object.get(key) {
        None => Err(schema_error(format!(
            "signatures[{index}]{path}: '{key}' is a required property"
        ))),
        Some(value) if value.type_name() == type_name => Ok(value),
        Some(value) => Err(schema_error(format!(
            "signatures[{index}]{path}.{key}: {} is not of type '{type_name}'",
            value.type_name()
        ))),
    }
}

/// `formatLength` and decoded `formatTail` of one signature's protected header.
#[derive(Debug)]
struct Format {
    length: usize,
    tail: Vec<u8>,
    header: Object,
}

impl Format {
    /// Read from a signature that passed the schema check; `len` is the document's size.
    fn of(signature: &Value, len: usize) -> Result<Format> {
        let protected = signature
            .as_object()
            .and_then(|s| s.get("protected"))
            .and_then(Value::as_str)
            .ok_or_else(|| Error::malformed("missing protected header"))?;
        let bytes = base64url::decode(protected.as_bytes())
            .ok_or_else(|| Error::malformed("protected header is not base64url"))?;
        // Read as Python's json.loads(bytes) reads it: encoding detection, BOM, strict UTF-8;
        // only the members we read are built.
        let header = match json::loads_select(&bytes, &schema::PROTECTED) {
            Ok(Value::Object(header)) => header,
            Ok(other) => {
                return Err(Error::malformed(format!(
                    "protected header is {}, not an object",
                    other.type_name()
                )))
            }
            Err(e) => {
                return Err(Error::malformed(format!(
                    "protected header is not JSON: {}",
                    e.message()
                )))
            }
        };
        let length = match header.get("formatLength") {
            None => return Err(Error::malformed("protected header has no formatLength")),
            Some(value) => format_length(value, len)?,
        };
        let tail = match header.get("formatTail") {
            None => return Err(Error::malformed("protected header has no formatTail")),
            Some(Value::Str(tail)) => base64url::decode(tail.as_bytes())
                .ok_or_else(|| Error::malformed("formatTail is not base64url"))?,
            Some(other) => {
                return Err(Error::malformed(format!(
                    "formatTail is {}, not a string",
                    other.type_name()
                )))
            }
        };
        Ok(Format {
            length,
            tail,
            header,
        })
    }

    /// DESIGN 6.8 in the protected header of signature `index`.
    fn check_case(&self, index: usize) -> Result<()> {
        let place = || format!("signatures[{index}] protected header");
        match schema::case_clash(&self.header, &schema::PROTECTED, place) {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }
}

/// An integer (or an integral float, as libtrust accepts) from 1 to the document's length.
fn format_length(value: &Value, len: usize) -> Result<usize> {
    let n: i128 = match value {
        Value::Int(i) => i128::from(*i),
        Value::BigInt(text) if text.starts_with('-') => i128::MIN,
        Value::BigInt(_) => i128::MAX,
        Value::Float(f) if f.is_finite() && f.fract() == 0.0 => {
            if f.abs() > 1e30 {
                if *f < 0.0 {
                    i128::MIN
                } else {
                    i128::MAX
                }
            } else {
                // In range and integral: the conversion is exact.
                #[allow(clippy::cast_possible_truncation)]
                let n = *f as i128;
                n
            }
        }
        other => {
            return Err(Error::malformed(format!(
                "formatLength is {}, not an integer",
                other.type_name()
            )))
        }
    };
    if n < 1 {
        return Err(Error::malformed(match value {
            Value::Int(i) => format!("formatLength {i} is not positive"),
            _ => "formatLength is not positive".to_owned(),
        }));
    }

    usize::try_from(n)
        .ok()
        .filter(|&n| n <= len)
        .ok_or_else(|| {
            Error::malformed(format!(
                "formatLength is past the end of the {len}-byte document"
            ))
        })
}

/// Every other signature's protected header, in order: readable, the same format as
/// signature 0's, and (DESIGN 6.8) no key in another case. A block identical to an earlier
/// one is not read again.
fn check_other_formats(list: &[Value], len: usize, first: &Format) -> Result<()> {
    for (i, signature) in list.iter().enumerate().skip(1) {
        if list[..i].contains(signature) {
            continue;
        }
        let own = Format::of(signature, len)
            .map_err(|e| Error::signature(format!("signature {i}: {}", e.message())))?;
        if own.length != first.length || own.tail != first.tail {
            return Err(Error::signature(format!(
                "signature {i}: formatLength/formatTail differ from signature 0"
            )));
        }
        own.check_case(i)?;
    }
    Ok(())
}

/// DESIGN 6.3: every member but the one `signatures` member lies inside the signed head, and
/// the tail only closes the object, so whoever reads the whole document sees what was signed.
fn check_signed_region(
    raw: &[u8],
    decoded: &json::Decoded<'_>,
    spans: &[MemberSpan],
    format: &Format,
) -> Result<()> {
    let outside =
        |why: &str| Error::signature(format!("content outside the signed payload: {why}"));
    let Some(offset) = decoded.offset else {
        return Err(Error::signature("signed manifests must be UTF-8"));
    };
    if !is_closing(&format.tail) {
        return Err(outside("formatTail must be only the closing brace"));
    }
    let text = &raw[offset..];
    let head_end = format
        .length
        .checked_sub(offset)
        .ok_or_else(|| outside("formatLength ends inside the byte order mark"))?;
    let Some((last, rest)) = spans.split_last() else {
        return Err(outside("the document has no members"));
    };
    // The key must be spelled literally, so that a plain text search finds it too.
    let literal = text
        .get(last.key_start..)
        .is_some_and(|t| t.starts_with(b"\"signatures\""));
    if !literal || rest.iter().any(|s| s.key == *"signatures") {
        return Err(outside("signatures must be the last member, once"));
    }
    let between = text.get(head_end..last.key_start).unwrap_or_default();
    if last.key_start < head_end || !is_separator(between) {
        return Err(outside(
            "only the signatures member may follow formatLength",
        ));
    }
    let head_members_end = rest.last().map_or(0, |s| s.value_end);
    let gap = text.get(head_members_end..head_end);
    if rest.is_empty() || !gap.is_some_and(is_whitespace) {
        return Err(outside("a member is not wholly inside the signed head"));
    }
    Ok(())
}

fn is_whitespace(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
}

/// `ws "}" ws`, as libtrust's formatTail always is.
fn is_closing(tail: &[u8]) -> bool {
    only_around(tail, b'}')
}

/// Whether `bytes` is JSON whitespace around exactly one `byte`.
fn only_around(bytes: &[u8], byte: u8) -> bool {
    let mut rest = bytes
        .iter()
        .filter(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'));
    rest.next() == Some(&byte) && rest.next().is_none()
}

/// `ws "," ws`
fn is_separator(bytes: &[u8]) -> bool {
    only_around(bytes, b',')
}

/// Verify every signature over the payload; all must carry the same format as the first.
/// A block identical to an earlier one (as far as verification reads it) is verified once.
fn verify_all(raw: &[u8], signatures: &[Value], format: &Format) -> Result<Vec<Signer>> {
    if signatures.len() > MAX_SIGNATURES {
        return Err(too_many_signatures());
    }
    let mut input = SigningInput::new(raw, signatures, format)?;
    let mut signers: Vec<Signer> = Vec::with_capacity(signatures.len());
    for (i, signature) in signatures.iter().enumerate() {
        if let Some(same) = signatures[..i].iter().position(|s| s == signature) {
            signers.push(signers[same].clone());
            continue;
        }
        let signer = verify_one(signature, i, raw.len(), format, &mut input)
            .map_err(|e| Error::signature(format!("signature {i}: {}", e.message())))?;
        signers.push(signer);
    }
    Ok(signers)
}

/// The signing inputs `protected "." base64url(payload)` of all signatures in one buffer: the
/// encoded payload sits at its end, written once, and each signature's protected header is
/// written just before it. No copy of the payload is made (a manifest may be 60 MB).
struct SigningInput {
    buffer: Vec<u8>,
    payload_start: usize,
}

impl SigningInput {
    fn new(raw: &[u8], signatures: &[Value], format: &Format) -> Result<SigningInput> {
        let longest_protected = signatures
            .iter()
            .filter_map(|s| s.as_object()?.get("protected")?.as_str())
            .map(|p| p.as_bytes().len())
            .max()
            .unwrap_or(0);
        let payload_start = longest_protected + 1;
        let encoded = (format.length + format.tail.len()).div_ceil(3) * 4;
        let mut buffer = Vec::new();
        buffer
            .try_reserve_exact(payload_start + encoded)
            .map_err(|_| json::out_of_memory("the signing input"))?;
        buffer.resize(payload_start, b'.');
        base64url::encode_pair_into(&raw[..format.length], &format.tail, &mut buffer);
        Ok(SigningInput {
            buffer,
            payload_start,
        })
    }

    /// The signing input of a signature with this protected header.
    fn with_protected(&mut self, protected: &[u8]) -> &[u8] {
        let start = self.payload_start - 1 - protected.len();
        self.buffer[start..self.payload_start - 1].copy_from_slice(protected);
        &self.buffer[start..]
    }
}

fn verify_one(
    signature: &Value,
    index: usize,
    len: usize,
    first: &Format,
    input: &mut SigningInput,
) -> Result<Signer> {
    let own;
    let format = if index == 0 {
        first
    } else {
        own = Format::of(signature, len)?;
        if own.length != first.length || own.tail != first.tail {
            return Err(Error::signature(
                "formatLength/formatTail differ from signature 0",
            ));
        }
        &own
    };
    let signature = signature
        .as_object()
        .ok_or_else(|| Error::signature("not an object"))?;
    let header = signature
        .get("header")
        .and_then(Value::as_object)
        .ok_or_else(|| Error::signature("missing header"))?;
    let alg_name = header
        .get("alg")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::signature("missing alg"))?;
    let alg_text = alg_name.as_str().unwrap_or("\u{fffd}");
    let alg = Algorithm::from_name(alg_text)?;
    if let Some(protected_alg) = format.header.get("alg") {
        if protected_alg.as_str() != Some(alg_name) {
            return Err(Error::signature(format!(
                "protected header alg differs from header alg {alg_text}"
            )));
        }
    }
    if format.header.contains_key("crit") {
        return Err(Error::signature("crit header is not supported"));
    }
    let jwk = header
        .get("jwk")
        .and_then(Value::as_object)
        .ok_or_else(|| Error::signature("missing jwk"))?;
    let key = PublicKey::from_jwk(jwk)?;
    let value = signature
        .get("signature")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::signature("missing signature"))?;
    let bytes = base64url::decode(value.as_bytes())
        .filter(|b| !b.is_empty())
        .ok_or_else(|| Error::signature("signature value is empty or not base64url"))?;
    let protected = signature
        .get("protected")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::signature("missing protected header"))?;
    let key_id = key.key_id();
    verify::verify(
        alg,
        &key,
        input.with_protected(protected.as_bytes()),
        &bytes,
    )
    .map_err(|e| Error::signature(format!("{} (key {key_id})", e.message())))?;
    Ok(Signer { alg, key_id })
}

/// `sha256:<hex>` of the concatenation of `parts`.
pub fn sha256_hex(parts: &[&[u8]]) -> String {
    let mut context = ring::digest::Context::new(&ring::digest::SHA256);
    for part in parts {
        context.update(part);
    }
    let digest = context.finish();
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
    for byte in digest.as_ref() {
        out.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
        out.push(char::from(b"0123456789abcdef"[usize::from(byte & 15)]));
    }
    out
}

/// The signed payload of `raw` split as its signatures have it: `formatLength` and the decoded
/// `formatTail`; `None` when `raw` is unsigned. The structure is checked, the signatures not
/// verified.
pub fn payload_parts(raw: &[u8]) -> Result<Option<(usize, Vec<u8>)>> {
    let parsed = parse(raw, false)?;
    match parsed.signatures.as_ref().and_then(Value::as_array) {
        Some([first, ..]) => {
            let format = Format::of(first, raw.len())
                .map_err(|e| Error::malformed(format!("signature 0: {}", e.message())))?;
            Ok(Some((format.length, format.tail)))
        }
        _ => Ok(None),
    }
}

/// The bytes the signatures of `raw` sign and its digest covers: its first `formatLength`
/// bytes and the decoded `formatTail`; the whole document when it is unsigned.
pub fn payload(raw: &[u8]) -> Result<Vec<u8>> {
    Ok(match payload_parts(raw)? {
        Some((length, tail)) => [&raw[..length], &tail[..]].concat(),
        None => raw.to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAYER: &str = r#""fsLayers": [{"blobSum": "sha256:00"}], "history": [{"v1Compatibility": "{\"id\": \"a\"}"}]"#;

    fn doc(extra: &str) -> Vec<u8> {
        format!(r#"{{"tag": "t", "name": "n/r", {LAYER}{extra}}}"#).into_bytes()
    }

    fn signatures(protected_json: &str) -> String {
        let protected = base64url::encode(protected_json.as_bytes());
        format!(
            r#", "signatures": [{{"header": {{"alg": "ES256", "jwk": {{}}}}, "signature": "AA", "protected": "{protected}"}}]"#
        )
    }

    #[test]
    fn structure_errors() {
        const CASES: &[(&str, &str)] = &[
            ("", "malformed manifest data"),
            ("[]", "array is not of type 'object'"),
            (
                r#"{"name": "n", "fsLayers": [], "history": []}"#,
                "'tag' is a required property",
            ),
            (
                r#"{"tag": 1, "name": "n", "fsLayers": [], "history": []}"#,
                "tag: integer",
            ),
            (
                r#"{"tag": "t", "name": "n", "fsLayers": {}, "history": []}"#,
                "fsLayers: object",
            ),
            (
                r#"{"tag": "t", "name": "n", "fsLayers": [1], "history": []}"#,
                "fsLayers[0]: integer",
            ),
            (
                r#"{"tag": "t", "name": "n", "fsLayers": [{}], "history": []}"#,
                "'blobSum' is a required",
            ),
            (
                r#"{"tag": "t", "name": "n", "fsLayers": [], "history": [{"v1Compatibility": 1}]}"#,
                "history[0].v1Compatibility",
            ),
            (
                r#"{"tag": "t", "name": "n", "fsLayers": [], "history": [{"v1Compatibility": "{}"}]}"#,
                "fsLayers has 0 entries but history has 1",
            ),
            (
                r#"{"tag": "t", "name": "n", "fsLayers": [], "history": [], "signatures": null}"#,
                "signatures: null",
            ),
            (
                r#"{"tag": "t", "name": "n", "fsLayers": [], "history": [], "signatures": []}"#,
                "signatures is empty",
            ),
            (
                r#"{"tag": "t", "name": "n", "fsLayers": [], "history": [], "signatures": [{}]}"#,
                "'protected' is a required",
            ),
            (
                r#"{"tag": "t", "name": "n", "fsLayers": [], "history": [], "signatures": [{"protected": "", "signature": "", "header": {"alg": "x"}}]}"#,
                "'jwk' is a required",
            ),
        ];
        for (input, message) in CASES {
            let error = parse(input.as_bytes(), false).unwrap_err();
            assert!(matches!(error, Error::Malformed(_)), "{input}");
            assert!(error.message().contains(message), "{input}: {error}");
        }
    }

    #[test]
    fn unsigned_documents_digest_their_bytes() {
        let data = doc("");
        let parsed = parse(&data, true).unwrap();
        assert_eq!(parsed.digest, sha256_hex(&[&data]));
        assert_eq!(parsed.name, PyStr::from("n/r"));
        assert!(parsed.signatures.is_none() && parsed.signers.is_empty());
    }

    #[test]
    fn format_length_rules() {
        let len = doc(&signatures(r#"{"formatLength": 10, "formatTail": "fQ"}"#)).len();
        let past = len + 1000; // the header itself grows the document by a few bytes
        let cases: &[(String, Option<&str>)] = &[
            (
                r#"{"formatLength": 10, "formatTail": "fQ"}"#.to_owned(),
                None,
            ),
            (
                r#"{"formatLength": 10.0, "formatTail": "fQ"}"#.to_owned(),
                None,
            ),
            (
                r#"{"formatLength": 0, "formatTail": "fQ"}"#.to_owned(),
                Some("not positive"),
            ),
            (
                r#"{"formatLength": -5, "formatTail": "fQ"}"#.to_owned(),
                Some("not positive"),
            ),
            (
                format!(r#"{{"formatLength": {past}, "formatTail": "fQ"}}"#),
                Some("past the end"),
            ),
            (
                r#"{"formatLength": 1e300, "formatTail": "fQ"}"#.to_owned(),
                Some("past the end"),
            ),
            (
                r#"{"formatLength": 99999999999999999999999, "formatTail": "fQ"}"#.to_owned(),
                Some("past the end"),
            ),
            (
                r#"{"formatLength": 10.5, "formatTail": "fQ"}"#.to_owned(),
                Some("number, not an integer"),
            ),
            (
                r#"{"formatLength": "10", "formatTail": "fQ"}"#.to_owned(),
                Some("string, not an integer"),
            ),
            (
                r#"{"formatLength": true, "formatTail": "fQ"}"#.to_owned(),
                Some("boolean, not an integer"),
            ),
            (
                r#"{"formatTail": "fQ"}"#.to_owned(),
                Some("no formatLength"),
            ),
            (r#"{"formatLength": 10}"#.to_owned(), Some("no formatTail")),
            (
                r#"{"formatLength": 10, "formatTail": 5}"#.to_owned(),
                Some("formatTail is integer"),
            ),
            (
                r#"{"formatLength": 10, "formatTail": "f+Q"}"#.to_owned(),
                Some("not base64url"),
            ),
            ("[1]".to_owned(), Some("not an object")),
            ("{".to_owned(), Some("not JSON")),
        ];
        for (header, expected) in cases {
            let data = doc(&signatures(header));
            let result = parse(&data, false);
            match expected {
                None => {
                    let digest = result.unwrap_or_else(|e| panic!("{header}: {e}")).digest;
                    assert_eq!(digest, sha256_hex(&[&data[..10], b"}"]), "{header}");
                }
                Some(message) => {
                    let error = result.unwrap_err();
                    assert!(matches!(error, Error::Malformed(_)), "{header}");
                    assert!(error.message().contains(message), "{header}: {error}");
                }
            }
        }
    }

    #[test]
    fn the_parallel_digest_falls_back_to_this_thread() {
        for threads in [true, false] {
            let (a, b) = beside(|| sha256_hex(&[b"x"]), || 7, threads);
            assert_eq!((a.as_str(), b), (sha256_hex(&[b"x"]).as_str(), 7));
        }
    }

    #[test]
    fn signature_limit_and_key_case_in_the_schema() {
        let block =
            r#"{"header": {"alg": "ES256", "jwk": {}}, "signature": "AA", "protected": "e30"}"#;
        let many = |n: usize| {
            doc(&format!(
                r#", "signatures": [{}]"#,
                vec![block; n].join(",")
            ))
        };
        let error = parse(&many(MAX_SIGNATURES + 1), false).unwrap_err();
        assert_eq!(
            error,
            Error::signature("more than 64 signatures: at most 64 are accepted")
        );
        // Up to the limit, the schema holds (the empty protected header fails later).
        assert!(parse(&many(MAX_SIGNATURES), false)
            .unwrap_err()
            .message()
            .contains("no formatLength"));
        let clash = doc(r#", "TAG": 1"#);
        assert!(parse(&clash, false).is_ok());
        assert_eq!(
            parse(&clash, true).unwrap_err().message(),
            "manifest: key \"TAG\" differs from \"tag\" only in case (Go's encoding/json reads it as \"tag\")"
        );
        let clash = doc(
            r#", "signatures": [{"header": {"alg": "ES256", "jwk": {"KTY": 1}}, "signature": "AA", "protected": "e30"}]"#,
        );
        assert!(parse(&clash, true)
            .unwrap_err()
            .message()
            .starts_with("signatures[0].header.jwk: key \"KTY\" differs from \"kty\""));
    }

    #[test]
    fn raw_members_that_were_not_built_are_read_again() {
        let data = doc(r#", "architecture": [[1, {"a": null}]], "junk": [[[]]]"#);
        let parsed = parse(&data, true).unwrap();
        assert_eq!(parsed.unread, ["architecture"]);
        assert_eq!(
            member(&data, "architecture").unwrap(),
            Some(json::parse(br#"[[1, {"a": null}]]"#).unwrap())
        );
        assert_eq!(member(&data, "signatures").unwrap(), None);
        assert!(member(&data, "junk").is_err());
    }

    #[test]
    fn closing_and_separator_shapes() {
        const CASES: &[(&[u8], bool, bool)] = &[
            (b"}", true, false),
            (b"\n}", true, false),
            (b" \t}\n", true, false),
            (b"", false, false),
            (b"}}", false, false),
            (b",", false, true),
            (b"\n   ,\n   ", false, true),
            (b",,", false, false),
            (b"x}", false, false),
        ];
        for (input, closing, separator) in CASES {
            assert_eq!(is_closing(input), *closing, "{input:?}");
            assert_eq!(is_separator(input), *separator, "{input:?}");
        }
    }
}
