//! Converting a schema 1 manifest to a schema 2 or an OCI image (config and manifest), byte for
//! byte as containers/image 5.23.1 (skopeo 1.9.3 `copy --format v2s2|oci`) does it:
//!
//! * the history is read and checked as `manifest.Schema1FromManifest` does: every
//!   v1Compatibility must decode, ids are 64 lower-case hex digits, the base has no parent,
//!   each entry's parent is the next one's id, and an entry repeating the id of the one below it
//!   is dropped together with its fsLayer;
//! * the config is history[0]'s v1Compatibility with `id`, `parent`, `parent_id`, `layer_id`,
//!   `throwaway` and `Size` removed and `rootfs` (the diff IDs) and `history` (one entry per
//!   v1Compatibility, base first, `empty_layer` for throw-away ones) added, its members sorted
//!   by key as Go writes a map;
//! * the layers are the fsLayers that are not throw-away, base first, each with the size and
//!   diff ID of its blob; throw-away layers (the empty gzip layer, usually) are left out of the
//!   manifest and of `rootfs`, but keep their history entry;
//! * the OCI config is that schema 2 config read into image-spec's `Image` and written again.
//!
//! Images from Docker older than 1.8.3 (whose config Go re-encodes in full) are refused.

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::gojson::{self, field_index, write_raw, write_str, write_time, Go, Node, Time};
use crate::json::PyStr;
use crate::manifest::sha256_hex;

pub const SCHEMA2_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
pub const SCHEMA2_CONFIG: &str = "application/vnd.docker.container.image.v1+json";
pub const SCHEMA2_LAYER: &str = "application/vnd.docker.image.rootfs.diff.tar.gzip";
pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub const OCI_CONFIG: &str = "application/vnd.oci.image.config.v1+json";
pub const OCI_LAYER: &str = "application/vnd.oci.image.layer.v1.tar+gzip";

/// The target format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Schema2,
    Oci,
}

/// What the conversion needs to know of a layer blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerData {
    pub size: u64,
    /// `sha256:<hex>` of the uncompressed layer.
    pub diff_id: String,
}

/// The converted image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Converted {
    pub config: Vec<u8>,
    pub manifest: Vec<u8>,
    pub config_digest: String,
    pub manifest_digest: String,
    /// The layer blobs the manifest names, base first.
    pub layers: Vec<String>,
}

/// One v1Compatibility as `manifest.Schema1V1Compatibility` reads it.
#[derive(Debug, Default)]
struct Compat {
    id: String,
    parent: String,
    comment: String,
    created: Time,
    cmd: Option<Vec<String>>,
    author: String,
    throwaway: bool,
}

struct Entry {
    blob_sum: String,
    v1: String,
    compat: Compat,
}

fn malformed(msg: impl Into<String>) -> Error {
    Error::malformed(msg.into())
}

/// Convert the manifest whose fsLayers blobSums and history v1Compatibility strings (leaf
/// first, as in the document) are given; `layer` gives the size and diff ID of a blob.
pub fn convert(
    blob_sums: &[PyStr],
    v1_compat: &[PyStr],
    layer: &dyn Fn(&str) -> Option<LayerData>,
    format: Format,
) -> Result<Converted> {
    if blob_sums.len() != v1_compat.len() {
        return Err(malformed("length of history not equal to number of layers"));
    }
    if blob_sums.is_empty() {
        return Err(malformed("no FSLayers in manifest"));
    }
    let mut entries = Vec::with_capacity(blob_sums.len());
    for (i, (sum, v1)) in blob_sums.iter().zip(v1_compat).enumerate() {
        let v1 = gojson::go_text(v1.as_bytes());
        let compat = read_compat(&v1)
            .map_err(|e| malformed(format!("parsing v2s1 history entry {i}: {e}")))?;
        entries.push(Entry {
            blob_sum: gojson::go_text(sum.as_bytes()),
            v1,
            compat,
        });
    }
    fix_layers(&mut entries)?;

    let top = gojson::parse(entries[0].v1.as_bytes())?;
    let docker_version = check_v1_image(&top)?;
    if !docker_version.is_empty() && version_less(&docker_version, "1.8.3") {
        return Err(malformed(format!(
            "images made by Docker {docker_version:?} (before 1.8.3) are not supported"
        )));
    }

    let mut layers = Vec::new();
    let mut diff_ids = Vec::new();
    for entry in entries.iter().rev().filter(|e| !e.compat.throwaway) {
        let data = layer(&entry.blob_sum).ok_or_else(|| {
            malformed(format!(
                "no size and diff ID given for layer {}",
                entry.blob_sum
            ))
        })?;
        layers.push((entry.blob_sum.clone(), data.size));
        diff_ids.push(data.diff_id);
    }
    let config = schema2_config(&top, &entries, &diff_ids)?;
    let config = match format {
        Format::Schema2 => config,
        Format::Oci => oci_config(&config)?,
    };
    let config_digest = sha256_hex(&[&config]);
    let manifest = match format {
        Format::Schema2 => schema2_manifest(&config, &config_digest, &layers),
        Format::Oci => oci_manifest(&config, &config_digest, &layers),
    };
    Ok(Converted {
        manifest_digest: sha256_hex(&[&manifest]),
        config,
        manifest,
        config_digest,
        layers: layers.into_iter().map(|(d, _)| d).collect(),
    })
}

// ------------------------------------------------------------------ decoding, Go's way

/// Call `f` with each member of an object whose key selects one of `fields`; `null` is no
/// value at all; anything else is a type error.
fn each_field<'n>(
    node: &'n Node<'_>,
    fields: &[&str],
    what: &str,
    mut f: impl FnMut(usize, &'n Node<'_>) -> Result<()>,
) -> Result<()> {
    match &node.value {
        Go::Null => Ok(()),
        Go::Object(members) => {
            for (key, value) in members {
                if let Some(i) = field_index(key, fields) {
                    f(i, value).map_err(|e| malformed(format!("{key}: {e}")))?;
                }
            }
            Ok(())
        }
        _ => Err(type_error(node, what)),
    }
}

fn type_error(node: &Node<'_>, want: &str) -> Error {
    malformed(format!("cannot unmarshal {} into {want}", node.kind()))
}

fn dec_str(node: &Node<'_>, into: &mut String) -> Result<()> {
    match &node.value {
        Go::Null => Ok(()),
        Go::Str(s) => {
            into.clone_from(s);
            Ok(())
        }
        _ => Err(type_error(node, "a string")),
    }
}

fn dec_bool(node: &Node<'_>, into: &mut bool) -> Result<()> {
    match node.value {
        Go::Null => Ok(()),
        Go::Bool(b) => {
            *into = b;
            Ok(())
        }
        _ => Err(type_error(node, "a bool")),
    }
}

fn dec_int(node: &Node<'_>) -> Result<()> {
    match node.value {
        Go::Null => Ok(()),
        Go::Number(text) => std::str::from_utf8(text)
            .ok()
            .and_then(|t| t.parse::<i64>().ok())
            .map(|_| ())
            .ok_or_else(|| {
                malformed(format!(
                    "cannot unmarshal number {} into an int64",
                    gojson::go_text(text)
                ))
            }),
        _ => Err(type_error(node, "an int64")),
    }
}

/// A `time.Time`; `ptr`: a `*time.Time`, which `null` resets.
fn dec_time(node: &Node<'_>, into: &mut Option<Time>, ptr: bool) -> Result<()> {
    match node.value {
        Go::Null if ptr => {
            *into = None;
            Ok(())
        }
        Go::Null => Ok(()),
        _ => {
            *into = Some(gojson::parse_time(node.raw)?);
            Ok(())
        }
    }
}

/// A `[]T`: `null` resets it, an array is decoded element by element into what is there.
fn dec_vec<T: Default>(
    node: &Node<'_>,
    into: &mut Option<Vec<T>>,
    mut elem: impl FnMut(&Node<'_>, &mut T) -> Result<()>,
) -> Result<()> {
    match &node.value {
        Go::Null => {
            *into = None;
            Ok(())
        }
        Go::Array(items) => {
            let v = into.get_or_insert_with(Vec::new);
            for (i, item) in items.iter().enumerate() {
                if i >= v.len() {
                    v.push(T::default());
                }
                elem(item, &mut v[i])?;
            }
            v.truncate(items.len());
            Ok(())
        }
        _ => Err(type_error(node, "a slice")),
    }
}

fn dec_strs(node: &Node<'_>, into: &mut Option<Vec<String>>) -> Result<()> {
    dec_vec(node, into, dec_str)
}

/// A `map[string]V`: `null` resets it, an object adds its members (each from a zero value).
fn dec_map<V: Default>(
    node: &Node<'_>,
    into: &mut Option<BTreeMap<String, V>>,
    mut elem: impl FnMut(&Node<'_>, &mut V) -> Result<()>,
) -> Result<()> {
    match &node.value {
        Go::Null => {
            *into = None;
            Ok(())
        }
        Go::Object(members) => {
            let map = into.get_or_insert_with(BTreeMap::new);
            for (key, value) in members {
                let mut v = V::default();
                elem(value, &mut v)?;
                map.insert(key.clone(), v);
            }
            Ok(())
        }
        _ => Err(type_error(node, "a map")),
    }
}

/// A `struct{}` value: any object (its members ignored) or `null`.
fn dec_empty(node: &Node<'_>, _: &mut ()) -> Result<()> {
    match node.value {
        Go::Null | Go::Object(_) => Ok(()),
        _ => Err(type_error(node, "a struct")),
    }
}

/// docker's `strslice.StrSlice`: a list of strings or one string.
fn check_strslice(node: &Node<'_>) -> Result<()> {
    match node.value {
        Go::Str(_) => Ok(()),
        _ => dec_strs(node, &mut None),
    }
}

fn read_compat(v1: &str) -> Result<Compat> {
    let node = gojson::parse(v1.as_bytes())?;
    let mut c = Compat::default();
    let mut created = None;
    let fields = [
        "id",
        "parent",
        "comment",
        "created",
        "container_config",
        "author",
        "throwaway",
    ];
    each_field(&node, &fields, "a v1Compatibility struct", |i, v| match i {
        0 => dec_str(v, &mut c.id),
        1 => dec_str(v, &mut c.parent),
        2 => dec_str(v, &mut c.comment),
        3 => dec_time(v, &mut created, false),
        4 => each_field(v, &["Cmd"], "a container_config struct", |_, cmd| {
            dec_strs(cmd, &mut c.cmd)
        }),
        5 => dec_str(v, &mut c.author),
        _ => dec_bool(v, &mut c.throwaway),
    })?;
    c.created = created.unwrap_or(gojson::ZERO_TIME);
    Ok(c)
}

/// `Schema1.fixManifestLayers`.
fn fix_layers(entries: &mut Vec<Entry>) -> Result<()> {
    for e in entries.iter() {
        let id = &e.compat.id;
        if id.len() != 64 || !id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return Err(malformed(format!("image ID {id:?} is invalid")));
        }
    }
    if !entries[entries.len() - 1].compat.parent.is_empty() {
        return Err(malformed(
            "Invalid parent ID in the base layer of the image",
        ));
    }
    let mut seen = std::collections::HashSet::new();
    let mut last: &str = "";
    for e in entries.iter() {
        if e.compat.id != last && seen.contains(e.compat.id.as_str()) {
            return Err(malformed(format!(
                "ID {} appears multiple times in manifest",
                e.compat.id
            )));
        }
        last = &e.compat.id;
        seen.insert(e.compat.id.as_str());
    }
    for i in (0..entries.len().saturating_sub(1)).rev() {
        if entries[i].compat.id == entries[i + 1].compat.id {
            entries.remove(i);
        } else if entries[i].compat.parent != entries[i + 1].compat.id {
            return Err(malformed(format!(
                "Invalid parent ID. Expected {}, got {}",
                entries[i + 1].compat.id,
                entries[i].compat.parent
            )));
        }
    }
    Ok(())
}

const CONFIG_FIELDS: &[&str] = &[
    "Hostname",
    "Domainname",
    "User",
    "AttachStdin",
    "AttachStdout",
    "AttachStderr",
    "ExposedPorts",
    "Tty",
    "OpenStdin",
    "StdinOnce",
    "Env",
    "Cmd",
    "Healthcheck",
    "ArgsEscaped",
    "Image",
    "Volumes",
    "WorkingDir",
    "Entrypoint",
    "NetworkDisabled",
    "MacAddress",
    "OnBuild",
    "Labels",
    "StopSignal",
    "StopTimeout",
    "Shell",
];

/// Type-check a `Schema2Config` as `json.Unmarshal` would.
fn check_config(node: &Node<'_>) -> Result<()> {
    each_field(
        node,
        CONFIG_FIELDS,
        "a config struct",
        |i, v| match CONFIG_FIELDS[i] {
            "Hostname" | "Domainname" | "User" | "Image" | "WorkingDir" | "MacAddress"
            | "StopSignal" => dec_str(v, &mut String::new()),
            "AttachStdin" | "AttachStdout" | "AttachStderr" | "Tty" | "OpenStdin" | "StdinOnce"
            | "ArgsEscaped" | "NetworkDisabled" => dec_bool(v, &mut false),
            "ExposedPorts" | "Volumes" => dec_map(v, &mut None, dec_empty),
            "Env" | "OnBuild" => dec_strs(v, &mut None),
            "Cmd" | "Entrypoint" | "Shell" => check_strslice(v),
            "Labels" => dec_map(v, &mut None, dec_str),
            "StopTimeout" => dec_int(v),
            _ => {
                let fields = ["Test", "StartPeriod", "Interval", "Timeout", "Retries"];
                each_field(v, &fields, "a healthcheck struct", |j, h| match j {
                    0 => dec_strs(h, &mut None),
                    _ => dec_int(h),
                })
            }
        },
    )
}

/// Type-check history[0] as a `Schema2V1Image`; its `docker_version`.
fn check_v1_image(node: &Node<'_>) -> Result<String> {
    let fields = [
        "id",
        "parent",
        "comment",
        "created",
        "container",
        "container_config",
        "docker_version",
        "author",
        "config",
        "architecture",
        "variant",
        "os",
        "Size",
    ];
    let mut docker_version = String::new();
    each_field(node, &fields, "a v1 image struct", |i, v| match fields[i] {
        "created" => dec_time(v, &mut None, false),
        "container_config" | "config" => check_config(v),
        "docker_version" => dec_str(v, &mut docker_version),
        "Size" => dec_int(v),
        _ => dec_str(v, &mut String::new()),
    })
    .map_err(|e| malformed(format!("decoding configuration: {e}")))?;
    Ok(docker_version)
}

/// docker's `versions.LessThan`: dot-separated numbers compared one by one (a part that is not
/// a number counts as 0, a missing one too).
fn version_less(a: &str, b: &str) -> bool {
    let parts = |s: &str| -> Vec<i64> { s.split('.').map(|p| p.parse().unwrap_or(0)).collect() };
    let (a, b) = (parts(a), parts(b));
    for i in 0..a.len().max(b.len()) {
        let (x, y) = (
            a.get(i).copied().unwrap_or(0),
            b.get(i).copied().unwrap_or(0),
        );
        if x != y {
            return x < y;
        }
    }
    false
}

// ------------------------------------------------------------------ writing

fn key(out: &mut Vec<u8>, first: &mut bool, name: &str) {
    if !*first {
        out.push(b',');
    }
    *first = false;
    write_str(name, out);
    out.push(b':');
}

fn write_strs(items: &[String], out: &mut Vec<u8>) {
    out.push(b'[');
    for (i, s) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_str(s, out);
    }
    out.push(b']');
}

/// `Schema1.ToSchema2Config`.
fn schema2_config(top: &Node<'_>, entries: &[Entry], diff_ids: &[String]) -> Result<Vec<u8>> {
    let Go::Object(members) = &top.value else {
        return Err(malformed("the top v1Compatibility is not an object"));
    };
    let mut raw: BTreeMap<&str, Vec<u8>> = BTreeMap::new();
    for (k, v) in members {
        let mut text = Vec::new();
        write_raw(v.raw, &mut text);
        raw.insert(k, text);
    }
    for dropped in ["id", "parent", "parent_id", "layer_id", "throwaway", "Size"] {
        raw.remove(dropped);
    }
    let mut rootfs = br#"{"type":"layers""#.to_vec();
    if !diff_ids.is_empty() {
        rootfs.extend_from_slice(br#","diff_ids":"#);
        write_strs(diff_ids, &mut rootfs);
    }
    rootfs.push(b'}');
    raw.insert("rootfs", rootfs);
    let mut history = vec![b'['];
    for (i, e) in entries.iter().rev().enumerate() {
        if i > 0 {
            history.push(b',');
        }
        let c = &e.compat;
        history.extend_from_slice(br#"{"created":"#);
        write_time(&c.created, &mut history);
        let created_by = c.cmd.as_deref().unwrap_or_default().join(" ");
        for (name, value) in [
            ("author", &c.author),
            ("created_by", &created_by),
            ("comment", &c.comment),
        ] {
            if !value.is_empty() {
                history.push(b',');
                write_str(name, &mut history);
                history.push(b':');
                write_str(value, &mut history);
            }
        }
        if c.throwaway {
            history.extend_from_slice(br#","empty_layer":true"#);
        }
        history.push(b'}');
    }
    history.push(b']');
    raw.insert("history", history);
    let mut out = vec![b'{'];
    let mut first = true;
    for (k, v) in raw {
        key(&mut out, &mut first, k);
        out.extend_from_slice(&v);
    }
    out.push(b'}');
    Ok(out)
}

fn schema2_manifest(config: &[u8], config_digest: &str, layers: &[(String, u64)]) -> Vec<u8> {
    let mut out = format!(
        r#"{{"schemaVersion":2,"mediaType":"{SCHEMA2_MANIFEST}","config":{{"mediaType":"{SCHEMA2_CONFIG}","size":{},"digest":"#,
        config.len()
    )
    .into_bytes();
    write_str(config_digest, &mut out);
    out.extend_from_slice(br#"},"layers":"#);
    if layers.is_empty() {
        out.extend_from_slice(b"null");
    } else {
        out.push(b'[');
        for (i, (digest, size)) in layers.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(
                format!(r#"{{"mediaType":"{SCHEMA2_LAYER}","size":{size},"digest":"#).as_bytes(),
            );
            write_str(digest, &mut out);
            out.push(b'}');
        }
        out.push(b']');
    }
    out.push(b'}');
    out
}

fn oci_manifest(config: &[u8], config_digest: &str, layers: &[(String, u64)]) -> Vec<u8> {
    let mut out = format!(
        r#"{{"schemaVersion":2,"mediaType":"{OCI_MANIFEST}","config":{{"mediaType":"{OCI_CONFIG}","digest":"#
    )
    .into_bytes();
    write_str(config_digest, &mut out);
    out.extend_from_slice(format!(r#","size":{}}},"layers":["#, config.len()).as_bytes());
    for (i, (digest, size)) in layers.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(format!(r#"{{"mediaType":"{OCI_LAYER}","digest":"#).as_bytes());
        write_str(digest, &mut out);
        out.extend_from_slice(format!(r#","size":{size}}}"#).as_bytes());
    }
    out.extend_from_slice(b"]}");
    out
}

/// image-spec's `ImageConfig`.
#[derive(Default)]
struct OciConfig {
    user: String,
    exposed_ports: Option<BTreeMap<String, ()>>,
    env: Option<Vec<String>>,
    entrypoint: Option<Vec<String>>,
    cmd: Option<Vec<String>>,
    volumes: Option<BTreeMap<String, ()>>,
    working_dir: String,
    labels: Option<BTreeMap<String, String>>,
    stop_signal: String,
    args_escaped: bool,
}

/// image-spec's `History`.
#[derive(Default)]
struct OciHistory {
    created: Option<Time>,
    created_by: String,
    author: String,
    comment: String,
    empty_layer: bool,
}

/// image-spec's `Image`.
#[derive(Default)]
struct OciImage {
    created: Option<Time>,
    author: String,
    architecture: String,
    variant: String,
    os: String,
    os_version: String,
    os_features: Option<Vec<String>>,
    config: OciConfig,
    rootfs_type: String,
    diff_ids: Option<Vec<String>>,
    history: Option<Vec<OciHistory>>,
}

fn dec_oci_config(node: &Node<'_>, c: &mut OciConfig) -> Result<()> {
    let fields = [
        "User",
        "ExposedPorts",
        "Env",
        "Entrypoint",
        "Cmd",
        "Volumes",
        "WorkingDir",
        "Labels",
        "StopSignal",
        "ArgsEscaped",
    ];
    each_field(node, &fields, "an ImageConfig struct", |i, v| match i {
        0 => dec_str(v, &mut c.user),
        1 => dec_map(v, &mut c.exposed_ports, dec_empty),
        2 => dec_strs(v, &mut c.env),
        3 => dec_strs(v, &mut c.entrypoint),
        4 => dec_strs(v, &mut c.cmd),
        5 => dec_map(v, &mut c.volumes, dec_empty),
        6 => dec_str(v, &mut c.working_dir),
        7 => dec_map(v, &mut c.labels, dec_str),
        8 => dec_str(v, &mut c.stop_signal),
        _ => dec_bool(v, &mut c.args_escaped),
    })
}

fn dec_oci_history(node: &Node<'_>, h: &mut OciHistory) -> Result<()> {
    let fields = ["created", "created_by", "author", "comment", "empty_layer"];
    each_field(node, &fields, "a History struct", |i, v| match i {
        0 => dec_time(v, &mut h.created, true),
        1 => dec_str(v, &mut h.created_by),
        2 => dec_str(v, &mut h.author),
        3 => dec_str(v, &mut h.comment),
        _ => dec_bool(v, &mut h.empty_layer),
    })
}

/// The schema 2 config read into image-spec's `Image` and written again.
fn oci_config(schema2: &[u8]) -> Result<Vec<u8>> {
    let node = gojson::parse(schema2)?;
    let mut img = OciImage::default();
    let fields = [
        "created",
        "author",
        "architecture",
        "variant",
        "os",
        "os.version",
        "os.features",
        "config",
        "rootfs",
        "history",
    ];
    each_field(&node, &fields, "an Image struct", |i, v| match i {
        0 => dec_time(v, &mut img.created, true),
        1 => dec_str(v, &mut img.author),
        2 => dec_str(v, &mut img.architecture),
        3 => dec_str(v, &mut img.variant),
        4 => dec_str(v, &mut img.os),
        5 => dec_str(v, &mut img.os_version),
        6 => dec_strs(v, &mut img.os_features),
        7 => dec_oci_config(v, &mut img.config),
        8 => each_field(
            v,
            &["type", "diff_ids"],
            "a RootFS struct",
            |j, r| match j {
                0 => dec_str(r, &mut img.rootfs_type),
                _ => dec_strs(r, &mut img.diff_ids),
            },
        ),
        _ => dec_vec(v, &mut img.history, dec_oci_history),
    })
    .map_err(|e| malformed(format!("converting the config to OCI: {e}")))?;
    Ok(write_oci_image(&img))
}

fn write_set(map: &BTreeMap<String, ()>, out: &mut Vec<u8>) {
    out.push(b'{');
    for (i, k) in map.keys().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_str(k, out);
        out.extend_from_slice(b":{}");
    }
    out.push(b'}');
}

fn write_oci_image(img: &OciImage) -> Vec<u8> {
    let mut out = vec![b'{'];
    let o = &mut out;
    let mut first = true;
    let f = &mut first;
    if let Some(t) = &img.created {
        key(o, f, "created");
        write_time(t, o);
    }
    let opt_str = |o: &mut Vec<u8>, f: &mut bool, name: &str, v: &str, always: bool| {
        if always || !v.is_empty() {
            key(o, f, name);
            write_str(v, o);
        }
    };
    opt_str(o, f, "author", &img.author, false);
    opt_str(o, f, "architecture", &img.architecture, true);
    opt_str(o, f, "variant", &img.variant, false);
    opt_str(o, f, "os", &img.os, true);
    opt_str(o, f, "os.version", &img.os_version, false);
    if let Some(v) = img.os_features.as_ref().filter(|v| !v.is_empty()) {
        key(o, f, "os.features");
        write_strs(v, o);
    }
    key(o, f, "config");
    o.push(b'{');
    let c = &img.config;
    let mut cf = true;
    let g = &mut cf;
    opt_str(o, g, "User", &c.user, false);
    if let Some(m) = c.exposed_ports.as_ref().filter(|m| !m.is_empty()) {
        key(o, g, "ExposedPorts");
        write_set(m, o);
    }
    for (name, list) in [
        ("Env", &c.env),
        ("Entrypoint", &c.entrypoint),
        ("Cmd", &c.cmd),
    ] {
        if let Some(v) = list.as_ref().filter(|v| !v.is_empty()) {
            key(o, g, name);
            write_strs(v, o);
        }
    }
    if let Some(m) = c.volumes.as_ref().filter(|m| !m.is_empty()) {
        key(o, g, "Volumes");
        write_set(m, o);
    }
    opt_str(o, g, "WorkingDir", &c.working_dir, false);
    if let Some(m) = c.labels.as_ref().filter(|m| !m.is_empty()) {
        key(o, g, "Labels");
        o.push(b'{');
        for (i, (k, v)) in m.iter().enumerate() {
            if i > 0 {
                o.push(b',');
            }
            write_str(k, o);
            o.push(b':');
            write_str(v, o);
        }
        o.push(b'}');
    }
    opt_str(o, g, "StopSignal", &c.stop_signal, false);
    if c.args_escaped {
        key(o, g, "ArgsEscaped");
        o.extend_from_slice(b"true");
    }
    o.push(b'}');
    key(o, f, "rootfs");
    o.extend_from_slice(b"{\"type\":");
    write_str(&img.rootfs_type, o);
    o.extend_from_slice(b",\"diff_ids\":");
    match &img.diff_ids {
        Some(v) => write_strs(v, o),
        None => o.extend_from_slice(b"null"),
    }
    o.push(b'}');
    if let Some(h) = img.history.as_ref().filter(|h| !h.is_empty()) {
        key(o, f, "history");
        o.push(b'[');
        for (i, e) in h.iter().enumerate() {
            if i > 0 {
                o.push(b',');
            }
            o.push(b'{');
            let mut hf = true;
            if let Some(t) = &e.created {
                key(o, &mut hf, "created");
                write_time(t, o);
            }
            opt_str(o, &mut hf, "created_by", &e.created_by, false);
            opt_str(o, &mut hf, "author", &e.author, false);
            opt_str(o, &mut hf, "comment", &e.comment, false);
            if e.empty_layer {
                key(o, &mut hf, "empty_layer");
                o.extend_from_slice(b"true");
            }
            o.push(b'}');
        }
        o.push(b']');
    }
    o.push(b'}');
    out
}
