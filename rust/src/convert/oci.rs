//! The OCI side: image-spec's `Image` read from the schema 2 config and written again, as
//! containers/image's `convertToManifestOCI1` does, and the OCI manifest.

use std::collections::BTreeMap;

use super::decode::{
    dec_bool, dec_empty, dec_map, dec_str, dec_strs, dec_time, dec_vec, each_field, malformed,
};
use super::{key, write_str_map, write_strs, OCI_CONFIG, OCI_LAYER, OCI_MANIFEST};
use crate::error::Result;
use crate::gojson::{self, write_str, write_time, Node, Time};

pub(super) fn oci_manifest(
    config: &[u8],
    config_digest: &str,
    layers: &[(String, u64)],
) -> Vec<u8> {
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
pub(super) fn oci_config(schema2: &[u8]) -> Result<Vec<u8>> {
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
        write_str_map(m, o);
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
