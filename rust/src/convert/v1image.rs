//! The top v1Compatibility read as containers/image's `Schema2V1Image` (with docker's
//! `Schema2Config`), which both checks its types as Go does and, for images from Docker before
//! 1.8.3, gives the config Go re-encodes in full (`json.Marshal(&s1)`, struct field order,
//! `omitempty` where the struct has it).

use std::collections::BTreeMap;

use super::decode::{
    dec_bool, dec_empty, dec_int, dec_map, dec_str, dec_strs, dec_time, each_field, malformed,
};
use super::{key, write_str_map, write_strs};
use crate::error::Result;
use crate::gojson::{write_str, write_time, Go, Node, Time, ZERO_TIME};

type Strs = Option<Vec<String>>;
type Set = Option<BTreeMap<String, ()>>;

#[derive(Default)]
struct Health {
    test: Strs,
    start_period: i64,
    interval: i64,
    timeout: i64,
    retries: i64,
}

/// docker's container config as `Schema2Config`.
#[derive(Default)]
struct Config {
    hostname: String,
    domainname: String,
    user: String,
    attach_stdin: bool,
    attach_stdout: bool,
    attach_stderr: bool,
    exposed_ports: Set,
    tty: bool,
    open_stdin: bool,
    stdin_once: bool,
    env: Strs,
    cmd: Strs,
    healthcheck: Option<Health>,
    args_escaped: bool,
    image: String,
    volumes: Set,
    working_dir: String,
    entrypoint: Strs,
    network_disabled: bool,
    mac_address: String,
    on_build: Strs,
    labels: Option<BTreeMap<String, String>>,
    stop_signal: String,
    stop_timeout: Option<i64>,
    shell: Strs,
}

/// `Schema2V1Image`.
#[derive(Default)]
pub(super) struct V1Image {
    id: String,
    parent: String,
    comment: String,
    created: Option<Time>,
    container: String,
    container_config: Config,
    pub(super) docker_version: String,
    author: String,
    config: Option<Config>,
    architecture: String,
    variant: String,
    os: String,
    size: i64,
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

fn int_into(node: &Node<'_>, into: &mut i64) -> Result<()> {
    if let Some(n) = dec_int(node)? {
        *into = n;
    }
    Ok(())
}

/// docker's `strslice.StrSlice`: its own `UnmarshalJSON` takes a list of strings or one
/// string, and replaces what was there.
fn dec_strslice(node: &Node<'_>, into: &mut Strs) -> Result<()> {
    if let Go::Str(s) = &node.value {
        *into = Some(vec![s.clone()]);
        return Ok(());
    }
    let mut fresh = None;
    dec_strs(node, &mut fresh)?;
    *into = fresh;
    Ok(())
}

fn dec_health(node: &Node<'_>, h: &mut Health) -> Result<()> {
    let fields = ["Test", "StartPeriod", "Interval", "Timeout", "Retries"];
    each_field(node, &fields, "a healthcheck struct", |i, v| match i {
        0 => dec_strs(v, &mut h.test),
        1 => int_into(v, &mut h.start_period),
        2 => int_into(v, &mut h.interval),
        3 => int_into(v, &mut h.timeout),
        _ => int_into(v, &mut h.retries),
    })
}

/// A pointer to a struct: `null` resets it, an object fills it (made when missing).
fn dec_ptr<T: Default>(
    node: &Node<'_>,
    into: &mut Option<T>,
    f: impl FnOnce(&Node<'_>, &mut T) -> Result<()>,
) -> Result<()> {
    if node.is_null() {
        *into = None;
        return Ok(());
    }
    f(node, into.get_or_insert_with(T::default))
}

fn dec_config(node: &Node<'_>, c: &mut Config) -> Result<()> {
    each_field(node, CONFIG_FIELDS, "a config struct", |i, v| match i {
        0 => dec_str(v, &mut c.hostname),
        1 => dec_str(v, &mut c.domainname),
        2 => dec_str(v, &mut c.user),
        3 => dec_bool(v, &mut c.attach_stdin),
        4 => dec_bool(v, &mut c.attach_stdout),
        5 => dec_bool(v, &mut c.attach_stderr),
        6 => dec_map(v, &mut c.exposed_ports, dec_empty),
        7 => dec_bool(v, &mut c.tty),
        8 => dec_bool(v, &mut c.open_stdin),
        9 => dec_bool(v, &mut c.stdin_once),
        10 => dec_strs(v, &mut c.env),
        11 => dec_strslice(v, &mut c.cmd),
        12 => dec_ptr(v, &mut c.healthcheck, dec_health),
        13 => dec_bool(v, &mut c.args_escaped),
        14 => dec_str(v, &mut c.image),
        15 => dec_map(v, &mut c.volumes, dec_empty),
        16 => dec_str(v, &mut c.working_dir),
        17 => dec_strslice(v, &mut c.entrypoint),
        18 => dec_bool(v, &mut c.network_disabled),
        19 => dec_str(v, &mut c.mac_address),
        20 => dec_strs(v, &mut c.on_build),
        21 => dec_map(v, &mut c.labels, dec_str),
        22 => dec_str(v, &mut c.stop_signal),
        23 => {
            if v.is_null() {
                c.stop_timeout = None;
            } else if let Some(n) = dec_int(v)? {
                c.stop_timeout = Some(n);
            }
            Ok(())
        }
        _ => dec_strslice(v, &mut c.shell),
    })
}

/// Read history[0] as `json.Unmarshal(config, &s1)` does.
pub(super) fn read(node: &Node<'_>) -> Result<V1Image> {
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
    let mut img = V1Image::default();
    each_field(node, &fields, "a v1 image struct", |i, v| match i {
        0 => dec_str(v, &mut img.id),
        1 => dec_str(v, &mut img.parent),
        2 => dec_str(v, &mut img.comment),
        3 => dec_time(v, &mut img.created, false),
        4 => dec_str(v, &mut img.container),
        5 => dec_config(v, &mut img.container_config),
        6 => dec_str(v, &mut img.docker_version),
        7 => dec_str(v, &mut img.author),
        8 => dec_ptr(v, &mut img.config, dec_config),
        9 => dec_str(v, &mut img.architecture),
        10 => dec_str(v, &mut img.variant),
        11 => dec_str(v, &mut img.os),
        _ => int_into(v, &mut img.size),
    })
    .map_err(|e| malformed(format!("decoding configuration: {e}")))?;
    Ok(img)
}

fn field_str(o: &mut Vec<u8>, f: &mut bool, name: &str, v: &str, omitempty: bool) {
    if !omitempty || !v.is_empty() {
        key(o, f, name);
        write_str(v, o);
    }
}

fn field_bool(o: &mut Vec<u8>, f: &mut bool, name: &str, v: bool, omitempty: bool) {
    if !omitempty || v {
        key(o, f, name);
        o.extend_from_slice(if v { b"true" } else { b"false" });
    }
}

fn field_int(o: &mut Vec<u8>, f: &mut bool, name: &str, v: i64) {
    if v != 0 {
        key(o, f, name);
        o.extend_from_slice(v.to_string().as_bytes());
    }
}

fn field_strs(o: &mut Vec<u8>, f: &mut bool, name: &str, v: &Strs, omitempty: bool) {
    match v {
        Some(list) if !(omitempty && list.is_empty()) => {
            key(o, f, name);
            write_strs(list, o);
        }
        None if !omitempty => {
            key(o, f, name);
            o.extend_from_slice(b"null");
        }
        _ => {}
    }
}

fn field_set(o: &mut Vec<u8>, f: &mut bool, name: &str, v: &Set, omitempty: bool) {
    match v {
        Some(map) if !(omitempty && map.is_empty()) => {
            key(o, f, name);
            o.push(b'{');
            for (i, k) in map.keys().enumerate() {
                if i > 0 {
                    o.push(b',');
                }
                write_str(k, o);
                o.extend_from_slice(b":{}");
            }
            o.push(b'}');
        }
        None if !omitempty => {
            key(o, f, name);
            o.extend_from_slice(b"null");
        }
        _ => {}
    }
}

fn write_config(c: &Config, o: &mut Vec<u8>) {
    o.push(b'{');
    let f = &mut true;
    field_str(o, f, "Hostname", &c.hostname, false);
    field_str(o, f, "Domainname", &c.domainname, false);
    field_str(o, f, "User", &c.user, false);
    field_bool(o, f, "AttachStdin", c.attach_stdin, false);
    field_bool(o, f, "AttachStdout", c.attach_stdout, false);
    field_bool(o, f, "AttachStderr", c.attach_stderr, false);
    field_set(o, f, "ExposedPorts", &c.exposed_ports, true);
    field_bool(o, f, "Tty", c.tty, false);
    field_bool(o, f, "OpenStdin", c.open_stdin, false);
    field_bool(o, f, "StdinOnce", c.stdin_once, false);
    field_strs(o, f, "Env", &c.env, false);
    field_strs(o, f, "Cmd", &c.cmd, false);
    if let Some(h) = &c.healthcheck {
        key(o, f, "Healthcheck");
        o.push(b'{');
        let g = &mut true;
        field_strs(o, g, "Test", &h.test, true);
        field_int(o, g, "StartPeriod", h.start_period);
        field_int(o, g, "Interval", h.interval);
        field_int(o, g, "Timeout", h.timeout);
        field_int(o, g, "Retries", h.retries);
        o.push(b'}');
    }
    field_bool(o, f, "ArgsEscaped", c.args_escaped, true);
    field_str(o, f, "Image", &c.image, false);
    field_set(o, f, "Volumes", &c.volumes, false);
    field_str(o, f, "WorkingDir", &c.working_dir, false);
    field_strs(o, f, "Entrypoint", &c.entrypoint, false);
    field_bool(o, f, "NetworkDisabled", c.network_disabled, true);
    field_str(o, f, "MacAddress", &c.mac_address, true);
    field_strs(o, f, "OnBuild", &c.on_build, false);
    match &c.labels {
        Some(m) => {
            key(o, f, "Labels");
            write_str_map(m, o);
        }
        None => {
            key(o, f, "Labels");
            o.extend_from_slice(b"null");
        }
    }
    field_str(o, f, "StopSignal", &c.stop_signal, true);
    if let Some(t) = c.stop_timeout {
        key(o, f, "StopTimeout");
        o.extend_from_slice(t.to_string().as_bytes());
    }
    field_strs(o, f, "Shell", &c.shell, true);
    o.push(b'}');
}

/// `json.Marshal(&s1)`.
pub(super) fn write(img: &V1Image) -> Vec<u8> {
    let mut out = vec![b'{'];
    let o = &mut out;
    let f = &mut true;
    field_str(o, f, "id", &img.id, true);
    field_str(o, f, "parent", &img.parent, true);
    field_str(o, f, "comment", &img.comment, true);
    key(o, f, "created");
    write_time(img.created.as_ref().unwrap_or(&ZERO_TIME), o);
    field_str(o, f, "container", &img.container, true);
    key(o, f, "container_config");
    write_config(&img.container_config, o);
    field_str(o, f, "docker_version", &img.docker_version, true);
    field_str(o, f, "author", &img.author, true);
    if let Some(c) = &img.config {
        key(o, f, "config");
        write_config(c, o);
    }
    field_str(o, f, "architecture", &img.architecture, true);
    field_str(o, f, "variant", &img.variant, true);
    field_str(o, f, "os", &img.os, true);
    field_int(o, f, "Size", img.size);
    out.push(b'}');
    out
}

/// docker's `versions.LessThan`: dot-separated numbers compared one by one, each read by Go's
/// `strconv.Atoi` (0 when it is not a number, clamped when too large), a missing one as 0.
pub(super) fn version_less(a: &str, b: &str) -> bool {
    fn atoi(p: &str) -> i64 {
        if let Ok(n) = p.parse() {
            return n;
        }
        let digits = p.strip_prefix(['+', '-']).unwrap_or(p);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            0
        } else if p.starts_with('-') {
            i64::MIN
        } else {
            i64::MAX
        }
    }
    let parts = |s: &str| -> Vec<i64> { s.split('.').map(atoi).collect() };
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_as_docker_does() {
        const CASES: &[(&str, &str, bool)] = &[
            ("1.8.2", "1.8.3", true),
            ("1.8.3", "1.8.3", false),
            ("1.8.3-rc1", "1.8.3", true),
            ("1.10.0", "1.8.3", false),
            ("1.8", "1.8.3", true),
            ("99999999999999999999", "1.8.3", false),
            ("x", "1.8.3", true),
        ];
        for (a, b, want) in CASES {
            assert_eq!(version_less(a, b), *want, "{a} < {b}");
        }
    }
}
