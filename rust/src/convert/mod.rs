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
//! For images from Docker older than 1.8.3 the config starts from history[0] as Go re-encodes
//! it in full (see `v1image`).

mod decode;
mod oci;
mod v1image;

use std::collections::BTreeMap;

use crate::error::Result;
use crate::gojson::{self, write_raw, write_str, write_time, Go, Node, Time};
use crate::manifest::sha256_hex;
use decode::{dec_bool, dec_int, dec_str, dec_strs, dec_time, dec_vec, each_field, malformed};
use oci::{oci_config, oci_manifest};

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

/// Convert the manifest document `raw` (the bytes as served; signatures are ignored); `layer`
/// gives the size and diff ID of a blob. The document is read as Go reads it into
/// containers/image's `manifest.Schema1`, with the same checks.
pub fn convert_document(
    raw: &[u8],
    layer: &dyn Fn(&str) -> Option<LayerData>,
    format: Format,
) -> Result<Converted> {
    let doc = gojson::parse(raw)?;
    let fields = [
        "name",
        "tag",
        "architecture",
        "fsLayers",
        "history",
        "schemaVersion",
    ];
    let mut blob_sums: Option<Vec<String>> = None;
    let mut v1_compat: Option<Vec<String>> = None;
    let mut version = 0i64;
    let member = |node: &Node<'_>, name: &'static str, into: &mut String| {
        each_field(node, &[name], "a struct", |_, v| dec_str(v, into))
    };
    each_field(&doc, &fields, "a schema 1 manifest", |i, v| match i {
        0..=2 => dec_str(v, &mut String::new()),
        3 => dec_vec(v, &mut blob_sums, |n, s| member(n, "blobSum", s)),
        4 => dec_vec(v, &mut v1_compat, |n, s| member(n, "v1Compatibility", s)),
        _ => {
            if let Some(n) = dec_int(v)? {
                version = n;
            }
            Ok(())
        }
    })?;
    if version != 1 {
        return Err(malformed(format!("unsupported schema version {version}")));
    }
    // containers/image refuses a document that could be read as another kind of manifest
    let kinds = ["config", "layers", "manifests"];
    let mut present = [false; 3];
    each_field(&doc, &kinds, "a schema 1 manifest", |i, v| {
        present[i] = !v.is_null();
        Ok(())
    })?;
    let unexpected: Vec<&str> = kinds
        .iter()
        .zip(present)
        .filter(|(_, p)| *p)
        .map(|(k, _)| *k)
        .collect();
    if !unexpected.is_empty() {
        return Err(malformed(format!(
            "rejecting ambiguous manifest, unexpected fields {unexpected:?} in a schema 1 manifest"
        )));
    }
    convert(
        &blob_sums.unwrap_or_default(),
        &v1_compat.unwrap_or_default(),
        layer,
        format,
    )
}

/// Convert the manifest whose fsLayers blobSums and history v1Compatibility strings (leaf
/// first, as in the document) are given; `layer` gives the size and diff ID of a blob.
pub fn convert(
    blob_sums: &[String],
    v1_compat: &[String],
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
        let compat = read_compat(v1)
            .map_err(|e| malformed(format!("parsing v2s1 history entry {i}: {e}")))?;
        entries.push(Entry {
            blob_sum: sum.clone(),
            v1: v1.clone(),
            compat,
        });
    }
    fix_layers(&mut entries)?;

    // history[0] as Go types it; Docker before 1.8.3 left fields out that Go then writes
    let top = gojson::parse(entries[0].v1.as_bytes())?;
    let image = v1image::read(&top)?;
    let reencoded: Vec<u8>;
    let top = if !image.docker_version.is_empty()
        && v1image::version_less(&image.docker_version, "1.8.3")
    {
        reencoded = v1image::write(&image);
        gojson::parse(&reencoded)?
    } else {
        top
    };

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

// ------------------------------------------------------------------ writing

pub(super) fn key(out: &mut Vec<u8>, first: &mut bool, name: &str) {
    if !*first {
        out.push(b',');
    }
    *first = false;
    write_str(name, out);
    out.push(b':');
}

/// A string-to-string map (labels) as Go writes a `map[string]string`: keys in order.
pub(super) fn write_str_map(map: &BTreeMap<String, String>, out: &mut Vec<u8>) {
    out.push(b'{');
    for (i, (k, v)) in map.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_str(k, out);
        out.push(b':');
        write_str(v, out);
    }
    out.push(b'}');
}

pub(super) fn write_strs(items: &[String], out: &mut Vec<u8>) {
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

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const B: &str = "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    fn id(n: u8) -> String {
        format!("{n:02x}").repeat(32)
    }

    /// A manifest document, leaf first; `extra` is added to the top object.
    fn doc(entries: &[(&str, String)], extra: &str) -> Vec<u8> {
        let mut out = br#"{"name":"a/b","tag":"t","architecture":"amd64","fsLayers":["#.to_vec();
        for (i, (sum, _)) in entries.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(format!(r#"{{"blobSum":"{sum}"}}"#).as_bytes());
        }
        out.extend_from_slice(br#"],"history":["#);
        for (i, (_, v1)) in entries.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(br#"{"v1Compatibility":"#);
            write_str(v1, &mut out);
            out.push(b'}');
        }
        out.extend_from_slice(format!(r#"],"schemaVersion":1{extra}}}"#).as_bytes());
        out
    }

    fn two_layers(top_extra: &str) -> Vec<(&'static str, String)> {
        vec![
            (
                A,
                format!(
                    r#"{{"id":"{}","parent":"{}","created":"2024-01-02T03:04:05Z","throwaway":true,"Size":0,"config":{{"Cmd":["x"]}},"os":"linux"{top_extra}}}"#,
                    id(2),
                    id(1)
                ),
            ),
            (
                B,
                format!(
                    r#"{{"id":"{}","container_config":{{"Cmd":["a","<b>"]}}}}"#,
                    id(1)
                ),
            ),
        ]
    }

    fn layer(digest: &str) -> Option<LayerData> {
        (digest == B).then(|| LayerData {
            size: 7,
            diff_id: "sha256:d".into(),
        })
    }

    fn run(raw: &[u8], format: Format) -> Result<Converted> {
        convert_document(raw, &layer, format)
    }

    #[test]
    fn schema2_drops_throwaway_layers_and_keeps_their_history() {
        let out = run(&doc(&two_layers(""), ""), Format::Schema2).unwrap();
        let config = String::from_utf8(out.config.clone()).unwrap();
        assert_eq!(
            config,
            r#"{"config":{"Cmd":["x"]},"created":"2024-01-02T03:04:05Z","history":[{"created":"0001-01-01T00:00:00Z","created_by":"a \u003cb\u003e"},{"created":"2024-01-02T03:04:05Z","empty_layer":true}],"os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:d"]}}"#
        );
        let manifest = String::from_utf8(out.manifest.clone()).unwrap();
        assert!(manifest.ends_with(&format!(
            r#""layers":[{{"mediaType":"{SCHEMA2_LAYER}","size":7,"digest":"{B}"}}]}}"#
        )));
        assert_eq!(out.layers, vec![B.to_string()]);
        assert_eq!(out.config_digest, sha256_hex(&[&out.config]));
    }

    #[test]
    fn only_throwaway_layers_give_null_layers_and_diff_ids() {
        let v1 = format!(r#"{{"id":"{}","throwaway":true}}"#, id(1));
        let raw = doc(&[(A, v1)], "");
        let s2 = run(&raw, Format::Schema2).unwrap();
        assert!(s2.manifest.ends_with(br#""layers":null}"#));
        assert!(s2.config.ends_with(br#""rootfs":{"type":"layers"}}"#));
        let oci = run(&raw, Format::Oci).unwrap();
        assert!(oci.manifest.ends_with(br#""layers":[]}"#));
        let config = String::from_utf8(oci.config).unwrap();
        assert!(
            config.contains(r#""config":{},"rootfs":{"type":"layers","diff_ids":null}"#),
            "{config}"
        );
    }

    #[test]
    fn a_repeated_id_is_one_layer() {
        let mut entries = two_layers("");
        entries.insert(1, (B, entries[1].1.clone()));
        let out = run(&doc(&entries, ""), Format::Schema2).unwrap();
        assert_eq!(out.layers, vec![B.to_string()]);
        let config = String::from_utf8(out.config).unwrap();
        assert_eq!(config.matches("created_by").count(), 1);
    }

    #[test]
    fn what_containers_image_refuses_is_refused() {
        let good = two_layers("");
        let mut bad_parent = two_layers("");
        bad_parent[0].1 = bad_parent[0].1.replace(&id(1), &id(3));
        let mut bad_id = two_layers("");
        bad_id[1].1 = bad_id[1].1.replace(&id(1), "x");
        let mut bad_cmd = two_layers("");
        bad_cmd[1].1 = format!(r#"{{"id":"{}","container_config":{{"Cmd":"a"}}}}"#, id(1));
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (doc(&good, r#","layers":[]"#), "ambiguous"),
            (doc(&good, r#","Manifests":{}"#), "ambiguous"),
            (doc(&good, "").replace_schema_version(), "schema version"),
            (doc(&bad_parent, ""), "parent"),
            (doc(&bad_id, ""), "invalid"),
            (doc(&bad_cmd, ""), "Cmd"),
            (doc(&two_layers(r#","config":{"Env":"x"}"#), ""), "Env"),
            (
                doc(&two_layers(r#","created":"2024-13-01T00:00:00Z""#), ""),
                "RFC 3339",
            ),
            (doc(&[], ""), "no FSLayers"),
            (b"[]".to_vec(), "cannot unmarshal"),
        ];
        for (raw, want) in cases {
            let e = run(&raw, Format::Schema2).unwrap_err();
            assert!(e.message().contains(want), "{want}: {e}");
        }
        assert!(run(&doc(&good, r#","layers":null"#), Format::Schema2).is_ok());
        assert!(run(
            &doc(&two_layers(r#","docker_version":"1.9.0""#), ""),
            Format::Schema2
        )
        .is_ok());
        let no_data = convert_document(&doc(&good, ""), &|_| None, Format::Oci).unwrap_err();
        assert!(
            no_data.message().contains("no size and diff ID"),
            "{no_data}"
        );
    }

    #[test]
    fn docker_before_1_8_3_gets_its_config_written_in_full() {
        let old = two_layers(r#","docker_version":"1.8.2","container_config":{"Entrypoint":"sh"}"#);
        let out = run(&doc(&old, ""), Format::Schema2).unwrap();
        let config = String::from_utf8(out.config).unwrap();
        let want = r#"{"config":{"Hostname":"","Domainname":"","User":"","AttachStdin":false,"AttachStdout":false,"AttachStderr":false,"Tty":false,"OpenStdin":false,"StdinOnce":false,"Env":null,"Cmd":["x"],"Image":"","Volumes":null,"WorkingDir":"","Entrypoint":null,"OnBuild":null,"Labels":null},"container_config":{"Hostname":"""#;
        assert!(config.starts_with(want), "{config}");
        assert!(config.contains(r#""Entrypoint":["sh"]"#), "{config}");
        assert!(config.contains(r#""docker_version":"1.8.2""#), "{config}");
    }

    trait SchemaVersion {
        fn replace_schema_version(self) -> Vec<u8>;
    }

    impl SchemaVersion for Vec<u8> {
        fn replace_schema_version(self) -> Vec<u8> {
            String::from_utf8(self)
                .unwrap()
                .replace(r#""schemaVersion":1"#, r#""schemaVersion":2"#)
                .into_bytes()
        }
    }

    #[test]
    fn oci_reads_the_config_as_image_spec_does() {
        let extra = r#","config":{"Cmd":"sh","Env":[],"Labels":{"z":"1","a":null},"Volumes":{"/v":{}}},"Config":{"User":"u"},"variant":"v8""#;
        let out = run(&doc(&two_layers(extra), ""), Format::Oci);
        // config.Cmd a string: image-spec's []string refuses it, as Go does
        assert!(out.unwrap_err().message().contains("Cmd"));
        let extra = r#","config":{"Cmd":["sh"],"Env":[],"Labels":{"z":"1","a":null},"Volumes":{"/v":{}}},"Config":{"User":"u"},"variant":"v8""#;
        let out = run(&doc(&two_layers(extra), ""), Format::Oci).unwrap();
        let config = String::from_utf8(out.config).unwrap();
        // "Config" sorts before "config" and both fill the one struct; empty lists are left out
        assert!(
            config.contains(r#""variant":"v8","os":"linux","config":{"User":"u","Cmd":["sh"],"Volumes":{"/v":{}},"Labels":{"a":"","z":"1"}}"#),
            "{config}"
        );
    }
}
