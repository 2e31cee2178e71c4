//! JSON output exactly as CPython 3.11's `json.dumps` writes it, as generalized UTF-8.
//! Iterative, so no input depth can overflow the stack.

use super::float::write_float;
use super::parse::{load_word, special_mask, HI, LO};
use super::value::{PyStr, Value};

/// `json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=...)`, except that
/// when `value` itself is a string, `<`, `>` and `&` are written as `\u003c`, `\u003e` and
/// `\u0026` (Quay's `to_canonical_json`). Keys sort by code point.
pub fn write_canonical(value: &Value, ensure_ascii: bool, out: &mut Vec<u8>) {
    if let Value::Str(s) = value {
        write_str(s.as_bytes(), ensure_ascii, true, out);
        return;
    }
    let style = Style {
        item_sep: b",",
        key_sep: b":",
        indent: None,
        sort_keys: true,
        ensure_ascii,
    };
    write_value(value, &style, out);
}

/// `json.dumps(value, indent=indent, ensure_ascii=...)`: items end lines with `,`, keys are
/// followed by `": "`, insertion order, no trailing newline.
pub fn write_indented(value: &Value, indent: usize, ensure_ascii: bool, out: &mut Vec<u8>) {
    let style = Style {
        item_sep: b",",
        key_sep: b": ",
        indent: Some(indent),
        sort_keys: false,
        ensure_ascii,
    };
    write_value(value, &style, out);
}

/// `json.dumps(value, ensure_ascii=...)`: separators `", "` and `": "`, insertion order.
pub fn write_compact_default(value: &Value, ensure_ascii: bool, out: &mut Vec<u8>) {
    let style = Style {
        item_sep: b", ",
        key_sep: b": ",
        indent: None,
        sort_keys: false,
        ensure_ascii,
    };
    write_value(value, &style, out);
}

/// A JSON string literal for `s` (generalized UTF-8), escaped as `json.dumps` does.
pub fn write_string(s: &PyStr, ensure_ascii: bool, out: &mut Vec<u8>) {
    write_str(s.as_bytes(), ensure_ascii, false, out);
}

struct Style {
    item_sep: &'static [u8],
    key_sep: &'static [u8],
    indent: Option<usize>,
    sort_keys: bool,
    ensure_ascii: bool,
}

enum Level<'a> {
    Array(std::slice::Iter<'a, Value>),
    Object(std::slice::Iter<'a, (PyStr, Value)>),
    Sorted(std::vec::IntoIter<&'a (PyStr, Value)>),
}

fn newline_indent(out: &mut Vec<u8>, spaces: usize) {
    out.push(b'\n');
    out.resize(out.len() + spaces, b' ');
}

fn write_value(root: &Value, style: &Style, out: &mut Vec<u8>) {
    // Each level: its remaining items and whether none has been written yet.
    let mut stack: Vec<(Level<'_>, bool)> = Vec::new();
    let mut next = Some(root);
    loop {
        if let Some(v) = next.take() {
            match v {
                Value::Array(a) if !a.is_empty() => {
                    out.push(b'[');
                    stack.push((Level::Array(a.iter()), true));
                }
                Value::Object(o) if !o.is_empty() => {
                    out.push(b'{');
                    let level = if style.sort_keys {
                        let mut members: Vec<&(PyStr, Value)> = o.0.iter().collect();
                        members.sort_unstable_by(|a, b| a.0.cmp(&b.0));
                        Level::Sorted(members.into_iter())
                    } else {
                        Level::Object(o.0.iter())
                    };
                    stack.push((level, true));
                }
                scalar => write_scalar(scalar, style.ensure_ascii, out),
            }
        }
        let depth = stack.len();
        let Some((level, first)) = stack.last_mut() else {
            return;
        };
        let item = match level {
            Level::Array(it) => it.next().map(|v| (None, v)),
            Level::Object(it) => it.next().map(|(k, v)| (Some(k), v)),
            Level::Sorted(it) => it.next().map(|m| (Some(&m.0), &m.1)),
        };
        match item {
            Some((key, v)) => {
                if !*first {
                    out.extend_from_slice(style.item_sep);
                }
                *first = false;
                if let Some(indent) = style.indent {
                    newline_indent(out, indent * depth);
                }
                if let Some(k) = key {
                    write_str(k.as_bytes(), style.ensure_ascii, false, out);
                    out.extend_from_slice(style.key_sep);
                }
                next = Some(v);
            }
            None => {
                let close = if matches!(level, Level::Array(_)) {
                    b']'
                } else {
                    b'}'
                };
                stack.pop();
                if let Some(indent) = style.indent {
                    newline_indent(out, indent * (depth - 1));
                }
                out.push(close);
            }
        }
    }
}

/// Anything but a non-empty container.
fn write_scalar(v: &Value, ensure_ascii: bool, out: &mut Vec<u8>) {
    match v {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Int(i) => write_int(*i, out),
        Value::BigInt(t) => out.extend_from_slice(t.as_bytes()),
        Value::Float(f) => write_float(*f, out),
        Value::Str(s) => write_str(s.as_bytes(), ensure_ascii, false, out),
        Value::Array(_) => out.extend_from_slice(b"[]"),
        Value::Object(_) => out.extend_from_slice(b"{}"),
    }
}

fn write_int(i: i64, out: &mut Vec<u8>) {
    let mut buf = [0u8; 20];
    let mut n = i.unsigned_abs();
    let mut k = buf.len();
    loop {
        k -= 1;
        buf[k] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if i < 0 {
        out.push(b'-');
    }
    out.extend_from_slice(&buf[k..]);
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Which bytes stop a plain run: 1 = always escaped, 2 = DEL or a byte >= 0x80 (escaped only
/// with `ensure_ascii`), 0 = plain.
const CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = if i < 0x20 || i == b'"' as usize || i == b'\\' as usize {
            1
        } else if i >= 0x7F {
            2
        } else {
            0
        };
        i += 1;
    }
    t
};

fn push_u_escape(out: &mut Vec<u8>, u: u32) {
    out.extend_from_slice(&[
        b'\\',
        b'u',
        HEX[(u >> 12) as usize & 15],
        HEX[(u >> 8) as usize & 15],
        HEX[(u >> 4) as usize & 15],
        HEX[u as usize & 15],
    ]);
}

/// One code point of generalized UTF-8 at `s[i]` (`s[i] >= 0x80`): its value and length.
/// Malformed bytes never panic: a stray byte counts as one code point of its own value.
fn code_point_at(s: &[u8], i: usize) -> (u32, usize) {
    let lead = s[i];
    let (len, init) = match lead {
        0xC0..=0xDF => (2, u32::from(lead & 0x1F)),
        0xE0..=0xEF => (3, u32::from(lead & 0x0F)),
        0xF0..=0xF7 => (4, u32::from(lead & 0x07)),
        _ => return (u32::from(lead), 1),
    };
    if i + len > s.len() || !s[i + 1..i + len].iter().all(|&c| c & 0xC0 == 0x80) {
        return (u32::from(lead), 1);
    }
    let cp = s[i + 1..i + len]
        .iter()
        .fold(init, |acc, &c| (acc << 6) | u32::from(c & 0x3F));
    (cp, len)
}

/// `encode_basestring_ascii` (`ensure_ascii`) or `encode_basestring`, plus the `<>&`
/// escaping of a top-level string in canonical output when `html`.
pub(super) fn write_str(s: &[u8], ensure_ascii: bool, html: bool, out: &mut Vec<u8>) {
    out.reserve(s.len() + 2);
    out.push(b'"');
    let mut i = 0;
    loop {
        // Plain bytes: found a word at a time and copied as one run, then byte by byte for
        // the tail and in `html` mode.
        if !html {
            let start = i;
            while let Some(chunk) = s.get(i..i + 8) {
                let w = load_word(chunk).1;
                let mut m = special_mask(w);
                if ensure_ascii {
                    // DEL and every byte >= 0x80.
                    m |= (w | ((w & !HI) + LO)) & HI;
                }
                if m != 0 {
                    i += (m.trailing_zeros() / 8) as usize;
                    break;
                }
                i += 8;
            }
            out.extend_from_slice(&s[start..i]);
        }
        while let Some(&b) = s.get(i) {
            let stop = match CLASS[usize::from(b)] {
                0 => html && matches!(b, b'<' | b'>' | b'&'),
                1 => true,
                _ => ensure_ascii,
            };
            if stop {
                break;
            }
            out.push(b);
            i += 1;
        }
        let Some(&b) = s.get(i) else {
            break;
        };
        i += 1;
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0C => out.extend_from_slice(b"\\f"),
            0x80..=0xFF => {
                let (cp, len) = code_point_at(s, i - 1);
                if cp >= 0x10000 {
                    let v = cp - 0x10000;
                    push_u_escape(out, 0xD800 | (v >> 10));
                    push_u_escape(out, 0xDC00 | (v & 0x3FF));
                } else {
                    push_u_escape(out, cp);
                }
                i += len - 1;
            }
            _ => push_u_escape(out, u32::from(b)),
        }
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse::parse;
    use crate::json::value::Object;

    struct Case {
        input: &'static [u8],
        canonical_ascii: &'static [u8],
        canonical_utf8: &'static [u8],
        indent3_ascii: &'static [u8],
        indent2_utf8: &'static [u8],
        compact_ascii: &'static [u8],
        compact_utf8: &'static [u8],
    }

    /// Expected outputs are CPython 3.11's, for `v = json.loads(input)`:
    /// `to_canonical_json(v)` and `to_canonical_json(v, ensure_ascii=False)`,
    /// `json.dumps(v, indent=3)`, `json.dumps(v, indent=2, ensure_ascii=False)`,
    /// `json.dumps(v)` and `json.dumps(v, ensure_ascii=False)`, encoded with `surrogatepass`.
    /// Includes the inputs of the visible `canonical_json` golden vectors.
    const CASES: &[Case] = &[
        Case {
            input: b"null",
            canonical_ascii: b"null",
            canonical_utf8: b"null",
            indent3_ascii: b"null",
            indent2_utf8: b"null",
            compact_ascii: b"null",
            compact_utf8: b"null",
        },
        Case {
            input: b"true",
            canonical_ascii: b"true",
            canonical_utf8: b"true",
            indent3_ascii: b"true",
            indent2_utf8: b"true",
            compact_ascii: b"true",
            compact_utf8: b"true",
        },
        Case {
            input: b"false",
            canonical_ascii: b"false",
            canonical_utf8: b"false",
            indent3_ascii: b"false",
            indent2_utf8: b"false",
            compact_ascii: b"false",
            compact_utf8: b"false",
        },
        Case {
            input: b"0",
            canonical_ascii: b"0",
            canonical_utf8: b"0",
            indent3_ascii: b"0",
            indent2_utf8: b"0",
            compact_ascii: b"0",
            compact_utf8: b"0",
        },
        Case {
            input: b"-0",
            canonical_ascii: b"0",
            canonical_utf8: b"0",
            indent3_ascii: b"0",
            indent2_utf8: b"0",
            compact_ascii: b"0",
            compact_utf8: b"0",
        },
        Case {
            input: b"-1",
            canonical_ascii: b"-1",
            canonical_utf8: b"-1",
            indent3_ascii: b"-1",
            indent2_utf8: b"-1",
            compact_ascii: b"-1",
            compact_utf8: b"-1",
        },
        Case {
            input: b"123456789012345678",
            canonical_ascii: b"123456789012345678",
            canonical_utf8: b"123456789012345678",
            indent3_ascii: b"123456789012345678",
            indent2_utf8: b"123456789012345678",
            compact_ascii: b"123456789012345678",
            compact_utf8: b"123456789012345678",
        },
        Case {
            input: b"-9223372036854775808",
            canonical_ascii: b"-9223372036854775808",
            canonical_utf8: b"-9223372036854775808",
            indent3_ascii: b"-9223372036854775808",
            indent2_utf8: b"-9223372036854775808",
            compact_ascii: b"-9223372036854775808",
            compact_utf8: b"-9223372036854775808",
        },
        Case {
            input: b"18446744073709551616",
            canonical_ascii: b"18446744073709551616",
            canonical_utf8: b"18446744073709551616",
            indent3_ascii: b"18446744073709551616",
            indent2_utf8: b"18446744073709551616",
            compact_ascii: b"18446744073709551616",
            compact_utf8: b"18446744073709551616",
        },
        Case {
            input: b"-99999999999999999999999",
            canonical_ascii: b"-99999999999999999999999",
            canonical_utf8: b"-99999999999999999999999",
            indent3_ascii: b"-99999999999999999999999",
            indent2_utf8: b"-99999999999999999999999",
            compact_ascii: b"-99999999999999999999999",
            compact_utf8: b"-99999999999999999999999",
        },
        Case {
            input: b"0.0",
            canonical_ascii: b"0.0",
            canonical_utf8: b"0.0",
            indent3_ascii: b"0.0",
            indent2_utf8: b"0.0",
            compact_ascii: b"0.0",
            compact_utf8: b"0.0",
        },
        Case {
            input: b"-0.0",
            canonical_ascii: b"-0.0",
            canonical_utf8: b"-0.0",
            indent3_ascii: b"-0.0",
            indent2_utf8: b"-0.0",
            compact_ascii: b"-0.0",
            compact_utf8: b"-0.0",
        },
        Case {
            input: b"0.1",
            canonical_ascii: b"0.1",
            canonical_utf8: b"0.1",
            indent3_ascii: b"0.1",
            indent2_utf8: b"0.1",
            compact_ascii: b"0.1",
            compact_utf8: b"0.1",
        },
        Case {
            input: b"2.5",
            canonical_ascii: b"2.5",
            canonical_utf8: b"2.5",
            indent3_ascii: b"2.5",
            indent2_utf8: b"2.5",
            compact_ascii: b"2.5",
            compact_utf8: b"2.5",
        },
        Case {
            input: b"1e15",
            canonical_ascii: b"1000000000000000.0",
            canonical_utf8: b"1000000000000000.0",
            indent3_ascii: b"1000000000000000.0",
            indent2_utf8: b"1000000000000000.0",
            compact_ascii: b"1000000000000000.0",
            compact_utf8: b"1000000000000000.0",
        },
        Case {
            input: b"1e16",
            canonical_ascii: b"1e+16",
            canonical_utf8: b"1e+16",
            indent3_ascii: b"1e+16",
            indent2_utf8: b"1e+16",
            compact_ascii: b"1e+16",
            compact_utf8: b"1e+16",
        },
        Case {
            input: b"1e-4",
            canonical_ascii: b"0.0001",
            canonical_utf8: b"0.0001",
            indent3_ascii: b"0.0001",
            indent2_utf8: b"0.0001",
            compact_ascii: b"0.0001",
            compact_utf8: b"0.0001",
        },
        Case {
            input: b"1e-5",
            canonical_ascii: b"1e-05",
            canonical_utf8: b"1e-05",
            indent3_ascii: b"1e-05",
            indent2_utf8: b"1e-05",
            compact_ascii: b"1e-05",
            compact_utf8: b"1e-05",
        },
        Case {
            input: b"1E5",
            canonical_ascii: b"100000.0",
            canonical_utf8: b"100000.0",
            indent3_ascii: b"100000.0",
            indent2_utf8: b"100000.0",
            compact_ascii: b"100000.0",
            compact_utf8: b"100000.0",
        },
        Case {
            input: b"1e22",
            canonical_ascii: b"1e+22",
            canonical_utf8: b"1e+22",
            indent3_ascii: b"1e+22",
            indent2_utf8: b"1e+22",
            compact_ascii: b"1e+22",
            compact_utf8: b"1e+22",
        },
        Case {
            input: b"1e400",
            canonical_ascii: b"Infinity",
            canonical_utf8: b"Infinity",
            indent3_ascii: b"Infinity",
            indent2_utf8: b"Infinity",
            compact_ascii: b"Infinity",
            compact_utf8: b"Infinity",
        },
        Case {
            input: b"-1e400",
            canonical_ascii: b"-Infinity",
            canonical_utf8: b"-Infinity",
            indent3_ascii: b"-Infinity",
            indent2_utf8: b"-Infinity",
            compact_ascii: b"-Infinity",
            compact_utf8: b"-Infinity",
        },
        Case {
            input: b"5e-324",
            canonical_ascii: b"5e-324",
            canonical_utf8: b"5e-324",
            indent3_ascii: b"5e-324",
            indent2_utf8: b"5e-324",
            compact_ascii: b"5e-324",
            compact_utf8: b"5e-324",
        },
        Case {
            input: b"1.7976931348623157e308",
            canonical_ascii: b"1.7976931348623157e+308",
            canonical_utf8: b"1.7976931348623157e+308",
            indent3_ascii: b"1.7976931348623157e+308",
            indent2_utf8: b"1.7976931348623157e+308",
            compact_ascii: b"1.7976931348623157e+308",
            compact_utf8: b"1.7976931348623157e+308",
        },
        Case {
            input: b"9007199254740993.0",
            canonical_ascii: b"9007199254740992.0",
            canonical_utf8: b"9007199254740992.0",
            indent3_ascii: b"9007199254740992.0",
            indent2_utf8: b"9007199254740992.0",
            compact_ascii: b"9007199254740992.0",
            compact_utf8: b"9007199254740992.0",
        },
        Case {
            input: b"123.456",
            canonical_ascii: b"123.456",
            canonical_utf8: b"123.456",
            indent3_ascii: b"123.456",
            indent2_utf8: b"123.456",
            compact_ascii: b"123.456",
            compact_utf8: b"123.456",
        },
        Case {
            input: b"-1.3062677893341001e+246",
            canonical_ascii: b"-1.3062677893341001e+246",
            canonical_utf8: b"-1.3062677893341001e+246",
            indent3_ascii: b"-1.3062677893341001e+246",
            indent2_utf8: b"-1.3062677893341001e+246",
            compact_ascii: b"-1.3062677893341001e+246",
            compact_utf8: b"-1.3062677893341001e+246",
        },
        Case {
            input: b"NaN",
            canonical_ascii: b"NaN",
            canonical_utf8: b"NaN",
            indent3_ascii: b"NaN",
            indent2_utf8: b"NaN",
            compact_ascii: b"NaN",
            compact_utf8: b"NaN",
        },
        Case {
            input: b"Infinity",
            canonical_ascii: b"Infinity",
            canonical_utf8: b"Infinity",
            indent3_ascii: b"Infinity",
            indent2_utf8: b"Infinity",
            compact_ascii: b"Infinity",
            compact_utf8: b"Infinity",
        },
        Case {
            input: b"-Infinity",
            canonical_ascii: b"-Infinity",
            canonical_utf8: b"-Infinity",
            indent3_ascii: b"-Infinity",
            indent2_utf8: b"-Infinity",
            compact_ascii: b"-Infinity",
            compact_utf8: b"-Infinity",
        },
        Case {
            input: b"[NaN,Infinity,-Infinity]",
            canonical_ascii: b"[NaN,Infinity,-Infinity]",
            canonical_utf8: b"[NaN,Infinity,-Infinity]",
            indent3_ascii: b"[\n   NaN,\n   Infinity,\n   -Infinity\n]",
            indent2_utf8: b"[\n  NaN,\n  Infinity,\n  -Infinity\n]",
            compact_ascii: b"[NaN, Infinity, -Infinity]",
            compact_utf8: b"[NaN, Infinity, -Infinity]",
        },
        Case {
            input: b"\"\"",
            canonical_ascii: b"\"\"",
            canonical_utf8: b"\"\"",
            indent3_ascii: b"\"\"",
            indent2_utf8: b"\"\"",
            compact_ascii: b"\"\"",
            compact_utf8: b"\"\"",
        },
        Case {
            input: b"\"hello world\"",
            canonical_ascii: b"\"hello world\"",
            canonical_utf8: b"\"hello world\"",
            indent3_ascii: b"\"hello world\"",
            indent2_utf8: b"\"hello world\"",
            compact_ascii: b"\"hello world\"",
            compact_utf8: b"\"hello world\"",
        },
        Case {
            input: b"\"<>&\"",
            canonical_ascii: b"\"\\u003c\\u003e\\u0026\"",
            canonical_utf8: b"\"\\u003c\\u003e\\u0026\"",
            indent3_ascii: b"\"<>&\"",
            indent2_utf8: b"\"<>&\"",
            compact_ascii: b"\"<>&\"",
            compact_utf8: b"\"<>&\"",
        },
        Case {
            input: b"\"a<b>c&d\"",
            canonical_ascii: b"\"a\\u003cb\\u003ec\\u0026d\"",
            canonical_utf8: b"\"a\\u003cb\\u003ec\\u0026d\"",
            indent3_ascii: b"\"a<b>c&d\"",
            indent2_utf8: b"\"a<b>c&d\"",
            compact_ascii: b"\"a<b>c&d\"",
            compact_utf8: b"\"a<b>c&d\"",
        },
        Case {
            input: b"[\"<hey>\", \"&\"]",
            canonical_ascii: b"[\"<hey>\",\"&\"]",
            canonical_utf8: b"[\"<hey>\",\"&\"]",
            indent3_ascii: b"[\n   \"<hey>\",\n   \"&\"\n]",
            indent2_utf8: b"[\n  \"<hey>\",\n  \"&\"\n]",
            compact_ascii: b"[\"<hey>\", \"&\"]",
            compact_utf8: b"[\"<hey>\", \"&\"]",
        },
        Case {
            input: b"{\"<\":\">&\"}",
            canonical_ascii: b"{\"<\":\">&\"}",
            canonical_utf8: b"{\"<\":\">&\"}",
            indent3_ascii: b"{\n   \"<\": \">&\"\n}",
            indent2_utf8: b"{\n  \"<\": \">&\"\n}",
            compact_ascii: b"{\"<\": \">&\"}",
            compact_utf8: b"{\"<\": \">&\"}",
        },
        Case {
            input: b"\"/\"",
            canonical_ascii: b"\"/\"",
            canonical_utf8: b"\"/\"",
            indent3_ascii: b"\"/\"",
            indent2_utf8: b"\"/\"",
            compact_ascii: b"\"/\"",
            compact_utf8: b"\"/\"",
        },
        Case {
            input: b"\"\\u007f\\u0080\\u009f\\u00a0\"",
            canonical_ascii: b"\"\\u007f\\u0080\\u009f\\u00a0\"",
            canonical_utf8: b"\"\x7f\xc2\x80\xc2\x9f\xc2\xa0\"",
            indent3_ascii: b"\"\\u007f\\u0080\\u009f\\u00a0\"",
            indent2_utf8: b"\"\x7f\xc2\x80\xc2\x9f\xc2\xa0\"",
            compact_ascii: b"\"\\u007f\\u0080\\u009f\\u00a0\"",
            compact_utf8: b"\"\x7f\xc2\x80\xc2\x9f\xc2\xa0\"",
        },
        Case {
            input: b"\"\\u0000\\u0001\\u001f\\u0020\"",
            canonical_ascii: b"\"\\u0000\\u0001\\u001f \"",
            canonical_utf8: b"\"\\u0000\\u0001\\u001f \"",
            indent3_ascii: b"\"\\u0000\\u0001\\u001f \"",
            indent2_utf8: b"\"\\u0000\\u0001\\u001f \"",
            compact_ascii: b"\"\\u0000\\u0001\\u001f \"",
            compact_utf8: b"\"\\u0000\\u0001\\u001f \"",
        },
        Case {
            input: b"\"\\t\\n\\r\\b\\f\\\"\\\\\"",
            canonical_ascii: b"\"\\t\\n\\r\\b\\f\\\"\\\\\"",
            canonical_utf8: b"\"\\t\\n\\r\\b\\f\\\"\\\\\"",
            indent3_ascii: b"\"\\t\\n\\r\\b\\f\\\"\\\\\"",
            indent2_utf8: b"\"\\t\\n\\r\\b\\f\\\"\\\\\"",
            compact_ascii: b"\"\\t\\n\\r\\b\\f\\\"\\\\\"",
            compact_utf8: b"\"\\t\\n\\r\\b\\f\\\"\\\\\"",
        },
        Case {
            input: b"\"caf\\u00e9\"",
            canonical_ascii: b"\"caf\\u00e9\"",
            canonical_utf8: b"\"caf\xc3\xa9\"",
            indent3_ascii: b"\"caf\\u00e9\"",
            indent2_utf8: b"\"caf\xc3\xa9\"",
            compact_ascii: b"\"caf\\u00e9\"",
            compact_utf8: b"\"caf\xc3\xa9\"",
        },
        Case {
            input: b"\"\\ud83d\\ude31\"",
            canonical_ascii: b"\"\\ud83d\\ude31\"",
            canonical_utf8: b"\"\xf0\x9f\x98\xb1\"",
            indent3_ascii: b"\"\\ud83d\\ude31\"",
            indent2_utf8: b"\"\xf0\x9f\x98\xb1\"",
            compact_ascii: b"\"\\ud83d\\ude31\"",
            compact_utf8: b"\"\xf0\x9f\x98\xb1\"",
        },
        Case {
            input: b"\"\\ud800\"",
            canonical_ascii: b"\"\\ud800\"",
            canonical_utf8: b"\"\xed\xa0\x80\"",
            indent3_ascii: b"\"\\ud800\"",
            indent2_utf8: b"\"\xed\xa0\x80\"",
            compact_ascii: b"\"\\ud800\"",
            compact_utf8: b"\"\xed\xa0\x80\"",
        },
        Case {
            input: b"\"\\udc00\"",
            canonical_ascii: b"\"\\udc00\"",
            canonical_utf8: b"\"\xed\xb0\x80\"",
            indent3_ascii: b"\"\\udc00\"",
            indent2_utf8: b"\"\xed\xb0\x80\"",
            compact_ascii: b"\"\\udc00\"",
            compact_utf8: b"\"\xed\xb0\x80\"",
        },
        Case {
            input: b"\"x\\ud800y\\udfffz\"",
            canonical_ascii: b"\"x\\ud800y\\udfffz\"",
            canonical_utf8: b"\"x\xed\xa0\x80y\xed\xbf\xbfz\"",
            indent3_ascii: b"\"x\\ud800y\\udfffz\"",
            indent2_utf8: b"\"x\xed\xa0\x80y\xed\xbf\xbfz\"",
            compact_ascii: b"\"x\\ud800y\\udfffz\"",
            compact_utf8: b"\"x\xed\xa0\x80y\xed\xbf\xbfz\"",
        },
        Case {
            input: b"\"\\u2028\\u2029\\ufeff\\uffff\"",
            canonical_ascii: b"\"\\u2028\\u2029\\ufeff\\uffff\"",
            canonical_utf8: b"\"\xe2\x80\xa8\xe2\x80\xa9\xef\xbb\xbf\xef\xbf\xbf\"",
            indent3_ascii: b"\"\\u2028\\u2029\\ufeff\\uffff\"",
            indent2_utf8: b"\"\xe2\x80\xa8\xe2\x80\xa9\xef\xbb\xbf\xef\xbf\xbf\"",
            compact_ascii: b"\"\\u2028\\u2029\\ufeff\\uffff\"",
            compact_utf8: b"\"\xe2\x80\xa8\xe2\x80\xa9\xef\xbb\xbf\xef\xbf\xbf\"",
        },
        Case {
            input: b"\"\\u0055\"",
            canonical_ascii: b"\"U\"",
            canonical_utf8: b"\"U\"",
            indent3_ascii: b"\"U\"",
            indent2_utf8: b"\"U\"",
            compact_ascii: b"\"U\"",
            compact_utf8: b"\"U\"",
        },
        Case {
            input: b"{}",
            canonical_ascii: b"{}",
            canonical_utf8: b"{}",
            indent3_ascii: b"{}",
            indent2_utf8: b"{}",
            compact_ascii: b"{}",
            compact_utf8: b"{}",
        },
        Case {
            input: b"[]",
            canonical_ascii: b"[]",
            canonical_utf8: b"[]",
            indent3_ascii: b"[]",
            indent2_utf8: b"[]",
            compact_ascii: b"[]",
            compact_utf8: b"[]",
        },
        Case {
            input: b"[[]]",
            canonical_ascii: b"[[]]",
            canonical_utf8: b"[[]]",
            indent3_ascii: b"[\n   []\n]",
            indent2_utf8: b"[\n  []\n]",
            compact_ascii: b"[[]]",
            compact_utf8: b"[[]]",
        },
        Case {
            input: b"[{}]",
            canonical_ascii: b"[{}]",
            canonical_utf8: b"[{}]",
            indent3_ascii: b"[\n   {}\n]",
            indent2_utf8: b"[\n  {}\n]",
            compact_ascii: b"[{}]",
            compact_utf8: b"[{}]",
        },
        Case {
            input: b"{\"a\":{}}",
            canonical_ascii: b"{\"a\":{}}",
            canonical_utf8: b"{\"a\":{}}",
            indent3_ascii: b"{\n   \"a\": {}\n}",
            indent2_utf8: b"{\n  \"a\": {}\n}",
            compact_ascii: b"{\"a\": {}}",
            compact_utf8: b"{\"a\": {}}",
        },
        Case {
            input: b"{\"a\":[]}",
            canonical_ascii: b"{\"a\":[]}",
            canonical_utf8: b"{\"a\":[]}",
            indent3_ascii: b"{\n   \"a\": []\n}",
            indent2_utf8: b"{\n  \"a\": []\n}",
            compact_ascii: b"{\"a\": []}",
            compact_utf8: b"{\"a\": []}",
        },
        Case {
            input: b"[[], {}, [[]], {\"x\": []}]",
            canonical_ascii: b"[[],{},[[]],{\"x\":[]}]",
            canonical_utf8: b"[[],{},[[]],{\"x\":[]}]",
            indent3_ascii: b"[\n   [],\n   {},\n   [\n      []\n   ],\n   {\n      \"x\": []\n   }\n]",
            indent2_utf8: b"[\n  [],\n  {},\n  [\n    []\n  ],\n  {\n    \"x\": []\n  }\n]",
            compact_ascii: b"[[], {}, [[]], {\"x\": []}]",
            compact_utf8: b"[[], {}, [[]], {\"x\": []}]",
        },
        Case {
            input: b"[1,[2,[3,[4]]]]",
            canonical_ascii: b"[1,[2,[3,[4]]]]",
            canonical_utf8: b"[1,[2,[3,[4]]]]",
            indent3_ascii: b"[\n   1,\n   [\n      2,\n      [\n         3,\n         [\n            4\n         ]\n      ]\n   ]\n]",
            indent2_utf8: b"[\n  1,\n  [\n    2,\n    [\n      3,\n      [\n        4\n      ]\n    ]\n  ]\n]",
            compact_ascii: b"[1, [2, [3, [4]]]]",
            compact_utf8: b"[1, [2, [3, [4]]]]",
        },
        Case {
            input: b"{\"b\":2,\"a\":1}",
            canonical_ascii: b"{\"a\":1,\"b\":2}",
            canonical_utf8: b"{\"a\":1,\"b\":2}",
            indent3_ascii: b"{\n   \"b\": 2,\n   \"a\": 1\n}",
            indent2_utf8: b"{\n  \"b\": 2,\n  \"a\": 1\n}",
            compact_ascii: b"{\"b\": 2, \"a\": 1}",
            compact_utf8: b"{\"b\": 2, \"a\": 1}",
        },
        Case {
            input: b"{\"a\":1,\"a\":2}",
            canonical_ascii: b"{\"a\":2}",
            canonical_utf8: b"{\"a\":2}",
            indent3_ascii: b"{\n   \"a\": 2\n}",
            indent2_utf8: b"{\n  \"a\": 2\n}",
            compact_ascii: b"{\"a\": 2}",
            compact_utf8: b"{\"a\": 2}",
        },
        Case {
            input: b"{\"b\":1,\"a\":{\"d\":[1,2],\"c\":null},\"B\":true}",
            canonical_ascii: b"{\"B\":true,\"a\":{\"c\":null,\"d\":[1,2]},\"b\":1}",
            canonical_utf8: b"{\"B\":true,\"a\":{\"c\":null,\"d\":[1,2]},\"b\":1}",
            indent3_ascii: b"{\n   \"b\": 1,\n   \"a\": {\n      \"d\": [\n         1,\n         2\n      ],\n      \"c\": null\n   },\n   \"B\": true\n}",
            indent2_utf8: b"{\n  \"b\": 1,\n  \"a\": {\n    \"d\": [\n      1,\n      2\n    ],\n    \"c\": null\n  },\n  \"B\": true\n}",
            compact_ascii: b"{\"b\": 1, \"a\": {\"d\": [1, 2], \"c\": null}, \"B\": true}",
            compact_utf8: b"{\"b\": 1, \"a\": {\"d\": [1, 2], \"c\": null}, \"B\": true}",
        },
        Case {
            input: b"{\"\\uffff\":1,\"\\ud83d\\ude00\":2,\"\\ud800\":3,\"\\ue000\":4,\"z\":5,\"\":6,\"\\u00e9\":7}",
            canonical_ascii: b"{\"\":6,\"z\":5,\"\\u00e9\":7,\"\\ud800\":3,\"\\ue000\":4,\"\\uffff\":1,\"\\ud83d\\ude00\":2}",
            canonical_utf8: b"{\"\":6,\"z\":5,\"\xc3\xa9\":7,\"\xed\xa0\x80\":3,\"\xee\x80\x80\":4,\"\xef\xbf\xbf\":1,\"\xf0\x9f\x98\x80\":2}",
            indent3_ascii: b"{\n   \"\\uffff\": 1,\n   \"\\ud83d\\ude00\": 2,\n   \"\\ud800\": 3,\n   \"\\ue000\": 4,\n   \"z\": 5,\n   \"\": 6,\n   \"\\u00e9\": 7\n}",
            indent2_utf8: b"{\n  \"\xef\xbf\xbf\": 1,\n  \"\xf0\x9f\x98\x80\": 2,\n  \"\xed\xa0\x80\": 3,\n  \"\xee\x80\x80\": 4,\n  \"z\": 5,\n  \"\": 6,\n  \"\xc3\xa9\": 7\n}",
            compact_ascii: b"{\"\\uffff\": 1, \"\\ud83d\\ude00\": 2, \"\\ud800\": 3, \"\\ue000\": 4, \"z\": 5, \"\": 6, \"\\u00e9\": 7}",
            compact_utf8: b"{\"\xef\xbf\xbf\": 1, \"\xf0\x9f\x98\x80\": 2, \"\xed\xa0\x80\": 3, \"\xee\x80\x80\": 4, \"z\": 5, \"\": 6, \"\xc3\xa9\": 7}",
        },
        Case {
            input: b"{\"Cmd\":[\"/bin/sh\",\"-c\",\"#(nop) CMD [\\\"/bin/sh\\\"]\"]}",
            canonical_ascii: b"{\"Cmd\":[\"/bin/sh\",\"-c\",\"#(nop) CMD [\\\"/bin/sh\\\"]\"]}",
            canonical_utf8: b"{\"Cmd\":[\"/bin/sh\",\"-c\",\"#(nop) CMD [\\\"/bin/sh\\\"]\"]}",
            indent3_ascii: b"{\n   \"Cmd\": [\n      \"/bin/sh\",\n      \"-c\",\n      \"#(nop) CMD [\\\"/bin/sh\\\"]\"\n   ]\n}",
            indent2_utf8: b"{\n  \"Cmd\": [\n    \"/bin/sh\",\n    \"-c\",\n    \"#(nop) CMD [\\\"/bin/sh\\\"]\"\n  ]\n}",
            compact_ascii: b"{\"Cmd\": [\"/bin/sh\", \"-c\", \"#(nop) CMD [\\\"/bin/sh\\\"]\"]}",
            compact_utf8: b"{\"Cmd\": [\"/bin/sh\", \"-c\", \"#(nop) CMD [\\\"/bin/sh\\\"]\"]}",
        },
        Case {
            input: b"{\"Labels\":{\"com.example.vendor\":\"ACME & Co <x>\",\"version\":\"1.0\"}}",
            canonical_ascii: b"{\"Labels\":{\"com.example.vendor\":\"ACME & Co <x>\",\"version\":\"1.0\"}}",
            canonical_utf8: b"{\"Labels\":{\"com.example.vendor\":\"ACME & Co <x>\",\"version\":\"1.0\"}}",
            indent3_ascii: b"{\n   \"Labels\": {\n      \"com.example.vendor\": \"ACME & Co <x>\",\n      \"version\": \"1.0\"\n   }\n}",
            indent2_utf8: b"{\n  \"Labels\": {\n    \"com.example.vendor\": \"ACME & Co <x>\",\n    \"version\": \"1.0\"\n  }\n}",
            compact_ascii: b"{\"Labels\": {\"com.example.vendor\": \"ACME & Co <x>\", \"version\": \"1.0\"}}",
            compact_utf8: b"{\"Labels\": {\"com.example.vendor\": \"ACME & Co <x>\", \"version\": \"1.0\"}}",
        },
        Case {
            input: b"{\"id\":\"x\",\"parent\":null,\"created\":\"2018-08-13T19:19:53.358734Z\",\"container_config\":{\"Cmd\":[\"sh\"]},\"Size\":1024,\"nested\":{\"k\":[1,2.5,\"s\",{\"z\":true}]}}",
            canonical_ascii: b"{\"Size\":1024,\"container_config\":{\"Cmd\":[\"sh\"]},\"created\":\"2018-08-13T19:19:53.358734Z\",\"id\":\"x\",\"nested\":{\"k\":[1,2.5,\"s\",{\"z\":true}]},\"parent\":null}",
            canonical_utf8: b"{\"Size\":1024,\"container_config\":{\"Cmd\":[\"sh\"]},\"created\":\"2018-08-13T19:19:53.358734Z\",\"id\":\"x\",\"nested\":{\"k\":[1,2.5,\"s\",{\"z\":true}]},\"parent\":null}",
            indent3_ascii: b"{\n   \"id\": \"x\",\n   \"parent\": null,\n   \"created\": \"2018-08-13T19:19:53.358734Z\",\n   \"container_config\": {\n      \"Cmd\": [\n         \"sh\"\n      ]\n   },\n   \"Size\": 1024,\n   \"nested\": {\n      \"k\": [\n         1,\n         2.5,\n         \"s\",\n         {\n            \"z\": true\n         }\n      ]\n   }\n}",
            indent2_utf8: b"{\n  \"id\": \"x\",\n  \"parent\": null,\n  \"created\": \"2018-08-13T19:19:53.358734Z\",\n  \"container_config\": {\n    \"Cmd\": [\n      \"sh\"\n    ]\n  },\n  \"Size\": 1024,\n  \"nested\": {\n    \"k\": [\n      1,\n      2.5,\n      \"s\",\n      {\n        \"z\": true\n      }\n    ]\n  }\n}",
            compact_ascii: b"{\"id\": \"x\", \"parent\": null, \"created\": \"2018-08-13T19:19:53.358734Z\", \"container_config\": {\"Cmd\": [\"sh\"]}, \"Size\": 1024, \"nested\": {\"k\": [1, 2.5, \"s\", {\"z\": true}]}}",
            compact_utf8: b"{\"id\": \"x\", \"parent\": null, \"created\": \"2018-08-13T19:19:53.358734Z\", \"container_config\": {\"Cmd\": [\"sh\"]}, \"Size\": 1024, \"nested\": {\"k\": [1, 2.5, \"s\", {\"z\": true}]}}",
        },
        Case {
            input: b"9007199254740993",
            canonical_ascii: b"9007199254740993",
            canonical_utf8: b"9007199254740993",
            indent3_ascii: b"9007199254740993",
            indent2_utf8: b"9007199254740993",
            compact_ascii: b"9007199254740993",
            compact_utf8: b"9007199254740993",
        },
        Case {
            input: b"-9223372036854775809",
            canonical_ascii: b"-9223372036854775809",
            canonical_utf8: b"-9223372036854775809",
            indent3_ascii: b"-9223372036854775809",
            indent2_utf8: b"-9223372036854775809",
            compact_ascii: b"-9223372036854775809",
            compact_utf8: b"-9223372036854775809",
        },
        Case {
            input: b"[\"<hey>\"]",
            canonical_ascii: b"[\"<hey>\"]",
            canonical_utf8: b"[\"<hey>\"]",
            indent3_ascii: b"[\n   \"<hey>\"\n]",
            indent2_utf8: b"[\n  \"<hey>\"\n]",
            compact_ascii: b"[\"<hey>\"]",
            compact_utf8: b"[\"<hey>\"]",
        },
        Case {
            input: b"\"\xf0\x9f\x98\xb1\"",
            canonical_ascii: b"\"\\ud83d\\ude31\"",
            canonical_utf8: b"\"\xf0\x9f\x98\xb1\"",
            indent3_ascii: b"\"\\ud83d\\ude31\"",
            indent2_utf8: b"\"\xf0\x9f\x98\xb1\"",
            compact_ascii: b"\"\\ud83d\\ude31\"",
            compact_utf8: b"\"\xf0\x9f\x98\xb1\"",
        },
        Case {
            input: b"\"\\u0000\\u0001\\u001f\"",
            canonical_ascii: b"\"\\u0000\\u0001\\u001f\"",
            canonical_utf8: b"\"\\u0000\\u0001\\u001f\"",
            indent3_ascii: b"\"\\u0000\\u0001\\u001f\"",
            indent2_utf8: b"\"\\u0000\\u0001\\u001f\"",
            compact_ascii: b"\"\\u0000\\u0001\\u001f\"",
            compact_utf8: b"\"\\u0000\\u0001\\u001f\"",
        },
        Case {
            input: b"\"\\u2028\\u2029\"",
            canonical_ascii: b"\"\\u2028\\u2029\"",
            canonical_utf8: b"\"\xe2\x80\xa8\xe2\x80\xa9\"",
            indent3_ascii: b"\"\\u2028\\u2029\"",
            indent2_utf8: b"\"\xe2\x80\xa8\xe2\x80\xa9\"",
            compact_ascii: b"\"\\u2028\\u2029\"",
            compact_utf8: b"\"\xe2\x80\xa8\xe2\x80\xa9\"",
        },
        Case {
            input: b"\"\\t\\n\\r\\b\\f\"",
            canonical_ascii: b"\"\\t\\n\\r\\b\\f\"",
            canonical_utf8: b"\"\\t\\n\\r\\b\\f\"",
            indent3_ascii: b"\"\\t\\n\\r\\b\\f\"",
            indent2_utf8: b"\"\\t\\n\\r\\b\\f\"",
            compact_ascii: b"\"\\t\\n\\r\\b\\f\"",
            compact_utf8: b"\"\\t\\n\\r\\b\\f\"",
        },
        Case {
            input: b"\"\\\\\"",
            canonical_ascii: b"\"\\\\\"",
            canonical_utf8: b"\"\\\\\"",
            indent3_ascii: b"\"\\\\\"",
            indent2_utf8: b"\"\\\\\"",
            compact_ascii: b"\"\\\\\"",
            compact_utf8: b"\"\\\\\"",
        },
        Case {
            input: b"[1,[2,[3,[4,[5,[6,[7,[8]]]]]]]]",
            canonical_ascii: b"[1,[2,[3,[4,[5,[6,[7,[8]]]]]]]]",
            canonical_utf8: b"[1,[2,[3,[4,[5,[6,[7,[8]]]]]]]]",
            indent3_ascii: b"[\n   1,\n   [\n      2,\n      [\n         3,\n         [\n            4,\n            [\n               5,\n               [\n                  6,\n                  [\n                     7,\n                     [\n                        8\n                     ]\n                  ]\n               ]\n            ]\n         ]\n      ]\n   ]\n]",
            indent2_utf8: b"[\n  1,\n  [\n    2,\n    [\n      3,\n      [\n        4,\n        [\n          5,\n          [\n            6,\n            [\n              7,\n              [\n                8\n              ]\n            ]\n          ]\n        ]\n      ]\n    ]\n  ]\n]",
            compact_ascii: b"[1, [2, [3, [4, [5, [6, [7, [8]]]]]]]]",
            compact_utf8: b"[1, [2, [3, [4, [5, [6, [7, [8]]]]]]]]",
        },
        Case {
            input: b"{\"x\":NaN}",
            canonical_ascii: b"{\"x\":NaN}",
            canonical_utf8: b"{\"x\":NaN}",
            indent3_ascii: b"{\n   \"x\": NaN\n}",
            indent2_utf8: b"{\n  \"x\": NaN\n}",
            compact_ascii: b"{\"x\": NaN}",
            compact_utf8: b"{\"x\": NaN}",
        },
        Case {
            input: b"218959.0",
            canonical_ascii: b"218959.0",
            canonical_utf8: b"218959.0",
            indent3_ascii: b"218959.0",
            indent2_utf8: b"218959.0",
            compact_ascii: b"218959.0",
            compact_utf8: b"218959.0",
        },
        Case {
            input: b"880628.2017347312",
            canonical_ascii: b"880628.2017347312",
            canonical_utf8: b"880628.2017347312",
            indent3_ascii: b"880628.2017347312",
            indent2_utf8: b"880628.2017347312",
            compact_ascii: b"880628.2017347312",
            compact_utf8: b"880628.2017347312",
        },
        Case {
            input: b"{\"7\xe8\xaa\x9e\xc2\x80\\\\w\\u0001\xc3\xbcl\": 1, \"\xf0\x9f\x98\x80a\xe2\x82\xac\xef\xbf\xbf\xe6\x96\x87\xe2\x82\xac\xc3\xa7>\": \"\xe2\x9c\x93\xc3\x9f\xf0\x9d\x84\x9e\", \"\xe2\x98\x83\xc3\xa9\xc3\xa9\xe2\x98\x83c\xe2\x9c\x93\xe2\x9c\x93\": \"\xef\xbb\xbf.\xc3\xb1\xf0\x9f\x8e\x89\xf0\x9d\x84\x9eZ\", \"<e\\u0000\xc3\xb1<:.\": true, \"\xec\x96\xb41\xf0\x9d\x84\x9e\xef\xbb\xbf\": 0.1}",
            canonical_ascii: b"{\"7\\u8a9e\\u0080\\\\w\\u0001\\u00fcl\":1,\"<e\\u0000\\u00f1<:.\":true,\"\\u2603\\u00e9\\u00e9\\u2603c\\u2713\\u2713\":\"\\ufeff.\\u00f1\\ud83c\\udf89\\ud834\\udd1eZ\",\"\\uc5b41\\ud834\\udd1e\\ufeff\":0.1,\"\\ud83d\\ude00a\\u20ac\\uffff\\u6587\\u20ac\\u00e7>\":\"\\u2713\\u00df\\ud834\\udd1e\"}",
            canonical_utf8: b"{\"7\xe8\xaa\x9e\xc2\x80\\\\w\\u0001\xc3\xbcl\":1,\"<e\\u0000\xc3\xb1<:.\":true,\"\xe2\x98\x83\xc3\xa9\xc3\xa9\xe2\x98\x83c\xe2\x9c\x93\xe2\x9c\x93\":\"\xef\xbb\xbf.\xc3\xb1\xf0\x9f\x8e\x89\xf0\x9d\x84\x9eZ\",\"\xec\x96\xb41\xf0\x9d\x84\x9e\xef\xbb\xbf\":0.1,\"\xf0\x9f\x98\x80a\xe2\x82\xac\xef\xbf\xbf\xe6\x96\x87\xe2\x82\xac\xc3\xa7>\":\"\xe2\x9c\x93\xc3\x9f\xf0\x9d\x84\x9e\"}",
            indent3_ascii: b"{\n   \"7\\u8a9e\\u0080\\\\w\\u0001\\u00fcl\": 1,\n   \"\\ud83d\\ude00a\\u20ac\\uffff\\u6587\\u20ac\\u00e7>\": \"\\u2713\\u00df\\ud834\\udd1e\",\n   \"\\u2603\\u00e9\\u00e9\\u2603c\\u2713\\u2713\": \"\\ufeff.\\u00f1\\ud83c\\udf89\\ud834\\udd1eZ\",\n   \"<e\\u0000\\u00f1<:.\": true,\n   \"\\uc5b41\\ud834\\udd1e\\ufeff\": 0.1\n}",
            indent2_utf8: b"{\n  \"7\xe8\xaa\x9e\xc2\x80\\\\w\\u0001\xc3\xbcl\": 1,\n  \"\xf0\x9f\x98\x80a\xe2\x82\xac\xef\xbf\xbf\xe6\x96\x87\xe2\x82\xac\xc3\xa7>\": \"\xe2\x9c\x93\xc3\x9f\xf0\x9d\x84\x9e\",\n  \"\xe2\x98\x83\xc3\xa9\xc3\xa9\xe2\x98\x83c\xe2\x9c\x93\xe2\x9c\x93\": \"\xef\xbb\xbf.\xc3\xb1\xf0\x9f\x8e\x89\xf0\x9d\x84\x9eZ\",\n  \"<e\\u0000\xc3\xb1<:.\": true,\n  \"\xec\x96\xb41\xf0\x9d\x84\x9e\xef\xbb\xbf\": 0.1\n}",
            compact_ascii: b"{\"7\\u8a9e\\u0080\\\\w\\u0001\\u00fcl\": 1, \"\\ud83d\\ude00a\\u20ac\\uffff\\u6587\\u20ac\\u00e7>\": \"\\u2713\\u00df\\ud834\\udd1e\", \"\\u2603\\u00e9\\u00e9\\u2603c\\u2713\\u2713\": \"\\ufeff.\\u00f1\\ud83c\\udf89\\ud834\\udd1eZ\", \"<e\\u0000\\u00f1<:.\": true, \"\\uc5b41\\ud834\\udd1e\\ufeff\": 0.1}",
            compact_utf8: b"{\"7\xe8\xaa\x9e\xc2\x80\\\\w\\u0001\xc3\xbcl\": 1, \"\xf0\x9f\x98\x80a\xe2\x82\xac\xef\xbf\xbf\xe6\x96\x87\xe2\x82\xac\xc3\xa7>\": \"\xe2\x9c\x93\xc3\x9f\xf0\x9d\x84\x9e\", \"\xe2\x98\x83\xc3\xa9\xc3\xa9\xe2\x98\x83c\xe2\x9c\x93\xe2\x9c\x93\": \"\xef\xbb\xbf.\xc3\xb1\xf0\x9f\x8e\x89\xf0\x9d\x84\x9eZ\", \"<e\\u0000\xc3\xb1<:.\": true, \"\xec\x96\xb41\xf0\x9d\x84\x9e\xef\xbb\xbf\": 0.1}",
        },
        Case {
            input: b"\"\xf0\x9f\x98\x80gt\"",
            canonical_ascii: b"\"\\ud83d\\ude00gt\"",
            canonical_utf8: b"\"\xf0\x9f\x98\x80gt\"",
            indent3_ascii: b"\"\\ud83d\\ude00gt\"",
            indent2_utf8: b"\"\xf0\x9f\x98\x80gt\"",
            compact_ascii: b"\"\\ud83d\\ude00gt\"",
            compact_utf8: b"\"\xf0\x9f\x98\x80gt\"",
        },
        Case {
            input: b"\"\xe6\x96\x87\xf0\x9f\x8e\x89\xc3\x9f\xe2\x9c\x93\xe2\x9c\x93u\xf0\x9f\x98\x80\\\\\\r&\xe6\x97\xa5\xe2\x98\x83\"",
            canonical_ascii: b"\"\\u6587\\ud83c\\udf89\\u00df\\u2713\\u2713u\\ud83d\\ude00\\\\\\r\\u0026\\u65e5\\u2603\"",
            canonical_utf8: b"\"\xe6\x96\x87\xf0\x9f\x8e\x89\xc3\x9f\xe2\x9c\x93\xe2\x9c\x93u\xf0\x9f\x98\x80\\\\\\r\\u0026\xe6\x97\xa5\xe2\x98\x83\"",
            indent3_ascii: b"\"\\u6587\\ud83c\\udf89\\u00df\\u2713\\u2713u\\ud83d\\ude00\\\\\\r&\\u65e5\\u2603\"",
            indent2_utf8: b"\"\xe6\x96\x87\xf0\x9f\x8e\x89\xc3\x9f\xe2\x9c\x93\xe2\x9c\x93u\xf0\x9f\x98\x80\\\\\\r&\xe6\x97\xa5\xe2\x98\x83\"",
            compact_ascii: b"\"\\u6587\\ud83c\\udf89\\u00df\\u2713\\u2713u\\ud83d\\ude00\\\\\\r&\\u65e5\\u2603\"",
            compact_utf8: b"\"\xe6\x96\x87\xf0\x9f\x8e\x89\xc3\x9f\xe2\x9c\x93\xe2\x9c\x93u\xf0\x9f\x98\x80\\\\\\r&\xe6\x97\xa5\xe2\x98\x83\"",
        },
        Case {
            input: b"{\n  \"\xc2\x80\\\"\\bt\xe2\x98\x83\xef\xbf\xbf\xe2\x9c\x93\": \"\xed\x95\x9c\xc3\xb1\"\n}",
            canonical_ascii: b"{\"\\u0080\\\"\\bt\\u2603\\uffff\\u2713\":\"\\ud55c\\u00f1\"}",
            canonical_utf8: b"{\"\xc2\x80\\\"\\bt\xe2\x98\x83\xef\xbf\xbf\xe2\x9c\x93\":\"\xed\x95\x9c\xc3\xb1\"}",
            indent3_ascii: b"{\n   \"\\u0080\\\"\\bt\\u2603\\uffff\\u2713\": \"\\ud55c\\u00f1\"\n}",
            indent2_utf8: b"{\n  \"\xc2\x80\\\"\\bt\xe2\x98\x83\xef\xbf\xbf\xe2\x9c\x93\": \"\xed\x95\x9c\xc3\xb1\"\n}",
            compact_ascii: b"{\"\\u0080\\\"\\bt\\u2603\\uffff\\u2713\": \"\\ud55c\\u00f1\"}",
            compact_utf8: b"{\"\xc2\x80\\\"\\bt\xe2\x98\x83\xef\xbf\xbf\xe2\x9c\x93\": \"\xed\x95\x9c\xc3\xb1\"}",
        },
        Case {
            input: b"\"\\u2029\\ud83d\\ude001\\u20ac\\ud83c\\udf89\\u8a9e\\r\"",
            canonical_ascii: b"\"\\u2029\\ud83d\\ude001\\u20ac\\ud83c\\udf89\\u8a9e\\r\"",
            canonical_utf8: b"\"\xe2\x80\xa9\xf0\x9f\x98\x801\xe2\x82\xac\xf0\x9f\x8e\x89\xe8\xaa\x9e\\r\"",
            indent3_ascii: b"\"\\u2029\\ud83d\\ude001\\u20ac\\ud83c\\udf89\\u8a9e\\r\"",
            indent2_utf8: b"\"\xe2\x80\xa9\xf0\x9f\x98\x801\xe2\x82\xac\xf0\x9f\x8e\x89\xe8\xaa\x9e\\r\"",
            compact_ascii: b"\"\\u2029\\ud83d\\ude001\\u20ac\\ud83c\\udf89\\u8a9e\\r\"",
            compact_utf8: b"\"\xe2\x80\xa9\xf0\x9f\x98\x801\xe2\x82\xac\xf0\x9f\x8e\x89\xe8\xaa\x9e\\r\"",
        },
        Case {
            input: b"\"\xc3\x9f<7r\xe2\x9c\x93\xe4\xb8\xadg\\u0001\xc3\xa9pus\"",
            canonical_ascii: b"\"\\u00df\\u003c7r\\u2713\\u4e2dg\\u0001\\u00e9pus\"",
            canonical_utf8: b"\"\xc3\x9f\\u003c7r\xe2\x9c\x93\xe4\xb8\xadg\\u0001\xc3\xa9pus\"",
            indent3_ascii: b"\"\\u00df<7r\\u2713\\u4e2dg\\u0001\\u00e9pus\"",
            indent2_utf8: b"\"\xc3\x9f<7r\xe2\x9c\x93\xe4\xb8\xadg\\u0001\xc3\xa9pus\"",
            compact_ascii: b"\"\\u00df<7r\\u2713\\u4e2dg\\u0001\\u00e9pus\"",
            compact_utf8: b"\"\xc3\x9f<7r\xe2\x9c\x93\xe4\xb8\xadg\\u0001\xc3\xa9pus\"",
        },
        Case {
            input: b"\"\xe6\x9c\xac\xe4\xb8\xad\xf0\x9f\x98\xb1\xef\xbb\xbf\xf0\x9f\x98\x80m7\"",
            canonical_ascii: b"\"\\u672c\\u4e2d\\ud83d\\ude31\\ufeff\\ud83d\\ude00m7\"",
            canonical_utf8: b"\"\xe6\x9c\xac\xe4\xb8\xad\xf0\x9f\x98\xb1\xef\xbb\xbf\xf0\x9f\x98\x80m7\"",
            indent3_ascii: b"\"\\u672c\\u4e2d\\ud83d\\ude31\\ufeff\\ud83d\\ude00m7\"",
            indent2_utf8: b"\"\xe6\x9c\xac\xe4\xb8\xad\xf0\x9f\x98\xb1\xef\xbb\xbf\xf0\x9f\x98\x80m7\"",
            compact_ascii: b"\"\\u672c\\u4e2d\\ud83d\\ude31\\ufeff\\ud83d\\ude00m7\"",
            compact_utf8: b"\"\xe6\x9c\xac\xe4\xb8\xad\xf0\x9f\x98\xb1\xef\xbb\xbf\xf0\x9f\x98\x80m7\"",
        },
        Case {
            input: b"[\n  true,\n  {\n    \"\xc3\xa7\xe2\x82\xac\xe2\x9c\x93\": 651841.0,\n    \"b\xc2\x80w\xc3\x9f\xc2\x80\xe6\x97\xa5\xc3\x9f<\xc2\x80A\\\\\": \"\\u001fZ\",\n    \"\xc3\xa9.\xe6\x96\x875\xe6\x97\xa5\xc3\xbc&\xf0\x9f\x8e\x89\xe2\x9c\x93\\u001f\\b\xe2\x98\x83\": {\n      \"XB\\\\\xf0\x9d\x84\x9e5:\xc3\xbc\xf0\x9f\x98\xb1Z<\": \"r\xe2\x82\xac\xe6\x97\xa5\x7f\\\\\",\n      \"\xe2\x80\xa9\\br\xc3\x9f>6\": \"0\xe2\x9c\x93\\\"\xe2\x9c\x93\xef\xbb\xbf\\r/\",\n      \"\\te\xe2\x9c\x93\xe6\x9c\xac\\\"q\xc2\x80\\u001f\xea\xb5\xad\xef\xbb\xbf\xc2\x80\xe2\x9c\x93\": -8.38412074256991e-257,\n      \"\xe2\x82\xac\xec\x96\xb4\xe6\x9c\xac\xc3\xb1\": \"\xf0\x9d\x84\x9e\xe6\x97\xa57\\n\xf0\x9f\x98\x802\xf0\x9d\x84\x9e\"\n    },\n    \"\xe2\x9c\x93\xf0\x9f\x98\x80\xe6\x96\x87\xc2\x80\\u0000sh\xf0\x9f\x98\xb1\xe6\x96\x87\": \"\xe2\x98\x83\xc3\xb1\xe2\x98\x83\xf0\x9d\x84\x9e\xe2\x80\xa8\\u0000\xc2\x80r\xf0\x9f\x98\xb1\\r \"\n  }\n]",
            canonical_ascii: b"[true,{\"b\\u0080w\\u00df\\u0080\\u65e5\\u00df<\\u0080A\\\\\":\"\\u001fZ\",\"\\u00e7\\u20ac\\u2713\":651841.0,\"\\u00e9.\\u65875\\u65e5\\u00fc&\\ud83c\\udf89\\u2713\\u001f\\b\\u2603\":{\"\\te\\u2713\\u672c\\\"q\\u0080\\u001f\\uad6d\\ufeff\\u0080\\u2713\":-8.38412074256991e-257,\"XB\\\\\\ud834\\udd1e5:\\u00fc\\ud83d\\ude31Z<\":\"r\\u20ac\\u65e5\\u007f\\\\\",\"\\u2029\\br\\u00df>6\":\"0\\u2713\\\"\\u2713\\ufeff\\r/\",\"\\u20ac\\uc5b4\\u672c\\u00f1\":\"\\ud834\\udd1e\\u65e57\\n\\ud83d\\ude002\\ud834\\udd1e\"},\"\\u2713\\ud83d\\ude00\\u6587\\u0080\\u0000sh\\ud83d\\ude31\\u6587\":\"\\u2603\\u00f1\\u2603\\ud834\\udd1e\\u2028\\u0000\\u0080r\\ud83d\\ude31\\r \"}]",
            canonical_utf8: b"[true,{\"b\xc2\x80w\xc3\x9f\xc2\x80\xe6\x97\xa5\xc3\x9f<\xc2\x80A\\\\\":\"\\u001fZ\",\"\xc3\xa7\xe2\x82\xac\xe2\x9c\x93\":651841.0,\"\xc3\xa9.\xe6\x96\x875\xe6\x97\xa5\xc3\xbc&\xf0\x9f\x8e\x89\xe2\x9c\x93\\u001f\\b\xe2\x98\x83\":{\"\\te\xe2\x9c\x93\xe6\x9c\xac\\\"q\xc2\x80\\u001f\xea\xb5\xad\xef\xbb\xbf\xc2\x80\xe2\x9c\x93\":-8.38412074256991e-257,\"XB\\\\\xf0\x9d\x84\x9e5:\xc3\xbc\xf0\x9f\x98\xb1Z<\":\"r\xe2\x82\xac\xe6\x97\xa5\x7f\\\\\",\"\xe2\x80\xa9\\br\xc3\x9f>6\":\"0\xe2\x9c\x93\\\"\xe2\x9c\x93\xef\xbb\xbf\\r/\",\"\xe2\x82\xac\xec\x96\xb4\xe6\x9c\xac\xc3\xb1\":\"\xf0\x9d\x84\x9e\xe6\x97\xa57\\n\xf0\x9f\x98\x802\xf0\x9d\x84\x9e\"},\"\xe2\x9c\x93\xf0\x9f\x98\x80\xe6\x96\x87\xc2\x80\\u0000sh\xf0\x9f\x98\xb1\xe6\x96\x87\":\"\xe2\x98\x83\xc3\xb1\xe2\x98\x83\xf0\x9d\x84\x9e\xe2\x80\xa8\\u0000\xc2\x80r\xf0\x9f\x98\xb1\\r \"}]",
            indent3_ascii: b"[\n   true,\n   {\n      \"\\u00e7\\u20ac\\u2713\": 651841.0,\n      \"b\\u0080w\\u00df\\u0080\\u65e5\\u00df<\\u0080A\\\\\": \"\\u001fZ\",\n      \"\\u00e9.\\u65875\\u65e5\\u00fc&\\ud83c\\udf89\\u2713\\u001f\\b\\u2603\": {\n         \"XB\\\\\\ud834\\udd1e5:\\u00fc\\ud83d\\ude31Z<\": \"r\\u20ac\\u65e5\\u007f\\\\\",\n         \"\\u2029\\br\\u00df>6\": \"0\\u2713\\\"\\u2713\\ufeff\\r/\",\n         \"\\te\\u2713\\u672c\\\"q\\u0080\\u001f\\uad6d\\ufeff\\u0080\\u2713\": -8.38412074256991e-257,\n         \"\\u20ac\\uc5b4\\u672c\\u00f1\": \"\\ud834\\udd1e\\u65e57\\n\\ud83d\\ude002\\ud834\\udd1e\"\n      },\n      \"\\u2713\\ud83d\\ude00\\u6587\\u0080\\u0000sh\\ud83d\\ude31\\u6587\": \"\\u2603\\u00f1\\u2603\\ud834\\udd1e\\u2028\\u0000\\u0080r\\ud83d\\ude31\\r \"\n   }\n]",
            indent2_utf8: b"[\n  true,\n  {\n    \"\xc3\xa7\xe2\x82\xac\xe2\x9c\x93\": 651841.0,\n    \"b\xc2\x80w\xc3\x9f\xc2\x80\xe6\x97\xa5\xc3\x9f<\xc2\x80A\\\\\": \"\\u001fZ\",\n    \"\xc3\xa9.\xe6\x96\x875\xe6\x97\xa5\xc3\xbc&\xf0\x9f\x8e\x89\xe2\x9c\x93\\u001f\\b\xe2\x98\x83\": {\n      \"XB\\\\\xf0\x9d\x84\x9e5:\xc3\xbc\xf0\x9f\x98\xb1Z<\": \"r\xe2\x82\xac\xe6\x97\xa5\x7f\\\\\",\n      \"\xe2\x80\xa9\\br\xc3\x9f>6\": \"0\xe2\x9c\x93\\\"\xe2\x9c\x93\xef\xbb\xbf\\r/\",\n      \"\\te\xe2\x9c\x93\xe6\x9c\xac\\\"q\xc2\x80\\u001f\xea\xb5\xad\xef\xbb\xbf\xc2\x80\xe2\x9c\x93\": -8.38412074256991e-257,\n      \"\xe2\x82\xac\xec\x96\xb4\xe6\x9c\xac\xc3\xb1\": \"\xf0\x9d\x84\x9e\xe6\x97\xa57\\n\xf0\x9f\x98\x802\xf0\x9d\x84\x9e\"\n    },\n    \"\xe2\x9c\x93\xf0\x9f\x98\x80\xe6\x96\x87\xc2\x80\\u0000sh\xf0\x9f\x98\xb1\xe6\x96\x87\": \"\xe2\x98\x83\xc3\xb1\xe2\x98\x83\xf0\x9d\x84\x9e\xe2\x80\xa8\\u0000\xc2\x80r\xf0\x9f\x98\xb1\\r \"\n  }\n]",
            compact_ascii: b"[true, {\"\\u00e7\\u20ac\\u2713\": 651841.0, \"b\\u0080w\\u00df\\u0080\\u65e5\\u00df<\\u0080A\\\\\": \"\\u001fZ\", \"\\u00e9.\\u65875\\u65e5\\u00fc&\\ud83c\\udf89\\u2713\\u001f\\b\\u2603\": {\"XB\\\\\\ud834\\udd1e5:\\u00fc\\ud83d\\ude31Z<\": \"r\\u20ac\\u65e5\\u007f\\\\\", \"\\u2029\\br\\u00df>6\": \"0\\u2713\\\"\\u2713\\ufeff\\r/\", \"\\te\\u2713\\u672c\\\"q\\u0080\\u001f\\uad6d\\ufeff\\u0080\\u2713\": -8.38412074256991e-257, \"\\u20ac\\uc5b4\\u672c\\u00f1\": \"\\ud834\\udd1e\\u65e57\\n\\ud83d\\ude002\\ud834\\udd1e\"}, \"\\u2713\\ud83d\\ude00\\u6587\\u0080\\u0000sh\\ud83d\\ude31\\u6587\": \"\\u2603\\u00f1\\u2603\\ud834\\udd1e\\u2028\\u0000\\u0080r\\ud83d\\ude31\\r \"}]",
            compact_utf8: b"[true, {\"\xc3\xa7\xe2\x82\xac\xe2\x9c\x93\": 651841.0, \"b\xc2\x80w\xc3\x9f\xc2\x80\xe6\x97\xa5\xc3\x9f<\xc2\x80A\\\\\": \"\\u001fZ\", \"\xc3\xa9.\xe6\x96\x875\xe6\x97\xa5\xc3\xbc&\xf0\x9f\x8e\x89\xe2\x9c\x93\\u001f\\b\xe2\x98\x83\": {\"XB\\\\\xf0\x9d\x84\x9e5:\xc3\xbc\xf0\x9f\x98\xb1Z<\": \"r\xe2\x82\xac\xe6\x97\xa5\x7f\\\\\", \"\xe2\x80\xa9\\br\xc3\x9f>6\": \"0\xe2\x9c\x93\\\"\xe2\x9c\x93\xef\xbb\xbf\\r/\", \"\\te\xe2\x9c\x93\xe6\x9c\xac\\\"q\xc2\x80\\u001f\xea\xb5\xad\xef\xbb\xbf\xc2\x80\xe2\x9c\x93\": -8.38412074256991e-257, \"\xe2\x82\xac\xec\x96\xb4\xe6\x9c\xac\xc3\xb1\": \"\xf0\x9d\x84\x9e\xe6\x97\xa57\\n\xf0\x9f\x98\x802\xf0\x9d\x84\x9e\"}, \"\xe2\x9c\x93\xf0\x9f\x98\x80\xe6\x96\x87\xc2\x80\\u0000sh\xf0\x9f\x98\xb1\xe6\x96\x87\": \"\xe2\x98\x83\xc3\xb1\xe2\x98\x83\xf0\x9d\x84\x9e\xe2\x80\xa8\\u0000\xc2\x80r\xf0\x9f\x98\xb1\\r \"}]",
        },
        Case {
            input: b"[1, \"\xe2\x82\xac\\r<\xc2\x80\xef\xbb\xbfY\", [[null, null], {\"\": \"C\xe6\x9c\xac\xea\xb5\xad\", \"\\u001f/\xc3\x9f\xc3\xa7\": -9223372036854775808, \"\xf0\x9d\x84\x9e\\\\\": -9223372036854775808}, 725128.0, 0.1], \"\xc3\xa9\xe2\x82\xac\xe6\x96\x87\xe2\x82\xac\xf0\x9f\x98\x80\xe8\xaa\x9e\xf0\x9f\x98\x80\xf0\x9f\x8e\x89\xf0\x9f\x98\xb1\"]",
            canonical_ascii: b"[1,\"\\u20ac\\r<\\u0080\\ufeffY\",[[null,null],{\"\":\"C\\u672c\\uad6d\",\"\\u001f/\\u00df\\u00e7\":-9223372036854775808,\"\\ud834\\udd1e\\\\\":-9223372036854775808},725128.0,0.1],\"\\u00e9\\u20ac\\u6587\\u20ac\\ud83d\\ude00\\u8a9e\\ud83d\\ude00\\ud83c\\udf89\\ud83d\\ude31\"]",
            canonical_utf8: b"[1,\"\xe2\x82\xac\\r<\xc2\x80\xef\xbb\xbfY\",[[null,null],{\"\":\"C\xe6\x9c\xac\xea\xb5\xad\",\"\\u001f/\xc3\x9f\xc3\xa7\":-9223372036854775808,\"\xf0\x9d\x84\x9e\\\\\":-9223372036854775808},725128.0,0.1],\"\xc3\xa9\xe2\x82\xac\xe6\x96\x87\xe2\x82\xac\xf0\x9f\x98\x80\xe8\xaa\x9e\xf0\x9f\x98\x80\xf0\x9f\x8e\x89\xf0\x9f\x98\xb1\"]",
            indent3_ascii: b"[\n   1,\n   \"\\u20ac\\r<\\u0080\\ufeffY\",\n   [\n      [\n         null,\n         null\n      ],\n      {\n         \"\": \"C\\u672c\\uad6d\",\n         \"\\u001f/\\u00df\\u00e7\": -9223372036854775808,\n         \"\\ud834\\udd1e\\\\\": -9223372036854775808\n      },\n      725128.0,\n      0.1\n   ],\n   \"\\u00e9\\u20ac\\u6587\\u20ac\\ud83d\\ude00\\u8a9e\\ud83d\\ude00\\ud83c\\udf89\\ud83d\\ude31\"\n]",
            indent2_utf8: b"[\n  1,\n  \"\xe2\x82\xac\\r<\xc2\x80\xef\xbb\xbfY\",\n  [\n    [\n      null,\n      null\n    ],\n    {\n      \"\": \"C\xe6\x9c\xac\xea\xb5\xad\",\n      \"\\u001f/\xc3\x9f\xc3\xa7\": -9223372036854775808,\n      \"\xf0\x9d\x84\x9e\\\\\": -9223372036854775808\n    },\n    725128.0,\n    0.1\n  ],\n  \"\xc3\xa9\xe2\x82\xac\xe6\x96\x87\xe2\x82\xac\xf0\x9f\x98\x80\xe8\xaa\x9e\xf0\x9f\x98\x80\xf0\x9f\x8e\x89\xf0\x9f\x98\xb1\"\n]",
            compact_ascii: b"[1, \"\\u20ac\\r<\\u0080\\ufeffY\", [[null, null], {\"\": \"C\\u672c\\uad6d\", \"\\u001f/\\u00df\\u00e7\": -9223372036854775808, \"\\ud834\\udd1e\\\\\": -9223372036854775808}, 725128.0, 0.1], \"\\u00e9\\u20ac\\u6587\\u20ac\\ud83d\\ude00\\u8a9e\\ud83d\\ude00\\ud83c\\udf89\\ud83d\\ude31\"]",
            compact_utf8: b"[1, \"\xe2\x82\xac\\r<\xc2\x80\xef\xbb\xbfY\", [[null, null], {\"\": \"C\xe6\x9c\xac\xea\xb5\xad\", \"\\u001f/\xc3\x9f\xc3\xa7\": -9223372036854775808, \"\xf0\x9d\x84\x9e\\\\\": -9223372036854775808}, 725128.0, 0.1], \"\xc3\xa9\xe2\x82\xac\xe6\x96\x87\xe2\x82\xac\xf0\x9f\x98\x80\xe8\xaa\x9e\xf0\x9f\x98\x80\xf0\x9f\x8e\x89\xf0\x9f\x98\xb1\"]",
        },
        Case {
            input: b"{\"\":\"\\r\\ud55c\\u2603\\ud834\\udd1e\\f>><\\ud83d\\ude00\\u2028\",\"0\\u007fg'\\u6587'\\u20ac\\\\\\u0080\\u00f1\":[]}",
            canonical_ascii: b"{\"\":\"\\r\\ud55c\\u2603\\ud834\\udd1e\\f>><\\ud83d\\ude00\\u2028\",\"0\\u007fg'\\u6587'\\u20ac\\\\\\u0080\\u00f1\":[]}",
            canonical_utf8: b"{\"\":\"\\r\xed\x95\x9c\xe2\x98\x83\xf0\x9d\x84\x9e\\f>><\xf0\x9f\x98\x80\xe2\x80\xa8\",\"0\x7fg'\xe6\x96\x87'\xe2\x82\xac\\\\\xc2\x80\xc3\xb1\":[]}",
            indent3_ascii: b"{\n   \"\": \"\\r\\ud55c\\u2603\\ud834\\udd1e\\f>><\\ud83d\\ude00\\u2028\",\n   \"0\\u007fg'\\u6587'\\u20ac\\\\\\u0080\\u00f1\": []\n}",
            indent2_utf8: b"{\n  \"\": \"\\r\xed\x95\x9c\xe2\x98\x83\xf0\x9d\x84\x9e\\f>><\xf0\x9f\x98\x80\xe2\x80\xa8\",\n  \"0\x7fg'\xe6\x96\x87'\xe2\x82\xac\\\\\xc2\x80\xc3\xb1\": []\n}",
            compact_ascii: b"{\"\": \"\\r\\ud55c\\u2603\\ud834\\udd1e\\f>><\\ud83d\\ude00\\u2028\", \"0\\u007fg'\\u6587'\\u20ac\\\\\\u0080\\u00f1\": []}",
            compact_utf8: b"{\"\": \"\\r\xed\x95\x9c\xe2\x98\x83\xf0\x9d\x84\x9e\\f>><\xf0\x9f\x98\x80\xe2\x80\xa8\", \"0\x7fg'\xe6\x96\x87'\xe2\x82\xac\\\\\xc2\x80\xc3\xb1\": []}",
        },
        Case {
            input: b"10000000000000000000000000",
            canonical_ascii: b"10000000000000000000000000",
            canonical_utf8: b"10000000000000000000000000",
            indent3_ascii: b"10000000000000000000000000",
            indent2_utf8: b"10000000000000000000000000",
            compact_ascii: b"10000000000000000000000000",
            compact_utf8: b"10000000000000000000000000",
        },
        Case {
            input: b"-595371.0",
            canonical_ascii: b"-595371.0",
            canonical_utf8: b"-595371.0",
            indent3_ascii: b"-595371.0",
            indent2_utf8: b"-595371.0",
            compact_ascii: b"-595371.0",
            compact_utf8: b"-595371.0",
        },
        Case {
            input: b"\"\xe2\x82\xac\\\"\xf0\x9f\x98\x80\xe8\xaa\x9e\xf0\x9f\x8e\x89\xf0\x9f\x98\xb1\xe2\x98\x83\xe2\x98\x83\"",
            canonical_ascii: b"\"\\u20ac\\\"\\ud83d\\ude00\\u8a9e\\ud83c\\udf89\\ud83d\\ude31\\u2603\\u2603\"",
            canonical_utf8: b"\"\xe2\x82\xac\\\"\xf0\x9f\x98\x80\xe8\xaa\x9e\xf0\x9f\x8e\x89\xf0\x9f\x98\xb1\xe2\x98\x83\xe2\x98\x83\"",
            indent3_ascii: b"\"\\u20ac\\\"\\ud83d\\ude00\\u8a9e\\ud83c\\udf89\\ud83d\\ude31\\u2603\\u2603\"",
            indent2_utf8: b"\"\xe2\x82\xac\\\"\xf0\x9f\x98\x80\xe8\xaa\x9e\xf0\x9f\x8e\x89\xf0\x9f\x98\xb1\xe2\x98\x83\xe2\x98\x83\"",
            compact_ascii: b"\"\\u20ac\\\"\\ud83d\\ude00\\u8a9e\\ud83c\\udf89\\ud83d\\ude31\\u2603\\u2603\"",
            compact_utf8: b"\"\xe2\x82\xac\\\"\xf0\x9f\x98\x80\xe8\xaa\x9e\xf0\x9f\x8e\x89\xf0\x9f\x98\xb1\xe2\x98\x83\xe2\x98\x83\"",
        },
        Case {
            input: b"{\"\xc3\xbc<\\n\xf0\x9f\x8e\x89u\xe6\x9c\xac\xc3\x9f\xe2\x80\xa9\xf0\x9f\x98\xb1\xe2\x98\x83n\": \"j\xe2\x9c\x93\", \"\xe2\x98\x83\": \"d\xe6\x96\x87\\t\\u001f:\xc2\x80\xe2\x9c\x93\", \".\xc2\x80& 6\xed\x95\x9c\xf0\x9f\x98\xb1\xea\xb5\xada\\r\": {\"\xed\x95\x9c\xe6\x97\xa5<\xf0\x9d\x84\x9eg\xe2\x82\xac\xef\xbf\xbf\\r\xe2\x98\x83&\\t\": true, \"\xc3\xa9\xef\xbf\xbf\xe2\x9c\x93\xef\xbf\xbf\xed\x95\x9c\xf0\x9f\x98\x80\xe2\x82\xac\xf0\x9d\x84\x9e<\xe2\x82\xac\": {\"\xc3\xa7<\": \"\\ba\xe4\xb8\xad\\b\xf0\x9f\x98\x80\xc3\x9f\", \"\xe2\x9c\x93\\tb4\xe2\x82\xac\xc3\xa9\": \"\xc3\xbc\\\"7\\n\xc3\xa9p\xe2\x98\x83x\xe6\x9c\xac\", \"\xe2\x80\xa8\xf0\x9f\x98\xb1\\ro&\xe4\xb8\xad\xf0\x9f\x8e\x89\": \"\", \"\xe6\x97\xa5r\xf0\x9d\x84\x9e\x7f\\u0000\xf0\x9f\x98\x80\xc3\xa7\xe2\x9c\x93\": 142670.71942473552}, \"\xf0\x9f\x8e\x89\x7f\": -5.8254626471478425e-257, \"\xe6\x96\x87\xe2\x98\x83\": 2515999845.03896}, \"X\xf0\x9f\x98\xb1\xf0\x9f\x8e\x89\": false, \"\\\"5Xt\xe8\xaa\x9eu\": -4.484835192942738e+253}",
            canonical_ascii: b"{\"\\\"5Xt\\u8a9eu\":-4.484835192942738e+253,\".\\u0080& 6\\ud55c\\ud83d\\ude31\\uad6da\\r\":{\"\\u00e9\\uffff\\u2713\\uffff\\ud55c\\ud83d\\ude00\\u20ac\\ud834\\udd1e<\\u20ac\":{\"\\u00e7<\":\"\\ba\\u4e2d\\b\\ud83d\\ude00\\u00df\",\"\\u2028\\ud83d\\ude31\\ro&\\u4e2d\\ud83c\\udf89\":\"\",\"\\u2713\\tb4\\u20ac\\u00e9\":\"\\u00fc\\\"7\\n\\u00e9p\\u2603x\\u672c\",\"\\u65e5r\\ud834\\udd1e\\u007f\\u0000\\ud83d\\ude00\\u00e7\\u2713\":142670.71942473552},\"\\u6587\\u2603\":2515999845.03896,\"\\ud55c\\u65e5<\\ud834\\udd1eg\\u20ac\\uffff\\r\\u2603&\\t\":true,\"\\ud83c\\udf89\\u007f\":-5.8254626471478425e-257},\"X\\ud83d\\ude31\\ud83c\\udf89\":false,\"\\u00fc<\\n\\ud83c\\udf89u\\u672c\\u00df\\u2029\\ud83d\\ude31\\u2603n\":\"j\\u2713\",\"\\u2603\":\"d\\u6587\\t\\u001f:\\u0080\\u2713\"}",
            canonical_utf8: b"{\"\\\"5Xt\xe8\xaa\x9eu\":-4.484835192942738e+253,\".\xc2\x80& 6\xed\x95\x9c\xf0\x9f\x98\xb1\xea\xb5\xada\\r\":{\"\xc3\xa9\xef\xbf\xbf\xe2\x9c\x93\xef\xbf\xbf\xed\x95\x9c\xf0\x9f\x98\x80\xe2\x82\xac\xf0\x9d\x84\x9e<\xe2\x82\xac\":{\"\xc3\xa7<\":\"\\ba\xe4\xb8\xad\\b\xf0\x9f\x98\x80\xc3\x9f\",\"\xe2\x80\xa8\xf0\x9f\x98\xb1\\ro&\xe4\xb8\xad\xf0\x9f\x8e\x89\":\"\",\"\xe2\x9c\x93\\tb4\xe2\x82\xac\xc3\xa9\":\"\xc3\xbc\\\"7\\n\xc3\xa9p\xe2\x98\x83x\xe6\x9c\xac\",\"\xe6\x97\xa5r\xf0\x9d\x84\x9e\x7f\\u0000\xf0\x9f\x98\x80\xc3\xa7\xe2\x9c\x93\":142670.71942473552},\"\xe6\x96\x87\xe2\x98\x83\":2515999845.03896,\"\xed\x95\x9c\xe6\x97\xa5<\xf0\x9d\x84\x9eg\xe2\x82\xac\xef\xbf\xbf\\r\xe2\x98\x83&\\t\":true,\"\xf0\x9f\x8e\x89\x7f\":-5.8254626471478425e-257},\"X\xf0\x9f\x98\xb1\xf0\x9f\x8e\x89\":false,\"\xc3\xbc<\\n\xf0\x9f\x8e\x89u\xe6\x9c\xac\xc3\x9f\xe2\x80\xa9\xf0\x9f\x98\xb1\xe2\x98\x83n\":\"j\xe2\x9c\x93\",\"\xe2\x98\x83\":\"d\xe6\x96\x87\\t\\u001f:\xc2\x80\xe2\x9c\x93\"}",
            indent3_ascii: b"{\n   \"\\u00fc<\\n\\ud83c\\udf89u\\u672c\\u00df\\u2029\\ud83d\\ude31\\u2603n\": \"j\\u2713\",\n   \"\\u2603\": \"d\\u6587\\t\\u001f:\\u0080\\u2713\",\n   \".\\u0080& 6\\ud55c\\ud83d\\ude31\\uad6da\\r\": {\n      \"\\ud55c\\u65e5<\\ud834\\udd1eg\\u20ac\\uffff\\r\\u2603&\\t\": true,\n      \"\\u00e9\\uffff\\u2713\\uffff\\ud55c\\ud83d\\ude00\\u20ac\\ud834\\udd1e<\\u20ac\": {\n         \"\\u00e7<\": \"\\ba\\u4e2d\\b\\ud83d\\ude00\\u00df\",\n         \"\\u2713\\tb4\\u20ac\\u00e9\": \"\\u00fc\\\"7\\n\\u00e9p\\u2603x\\u672c\",\n         \"\\u2028\\ud83d\\ude31\\ro&\\u4e2d\\ud83c\\udf89\": \"\",\n         \"\\u65e5r\\ud834\\udd1e\\u007f\\u0000\\ud83d\\ude00\\u00e7\\u2713\": 142670.71942473552\n      },\n      \"\\ud83c\\udf89\\u007f\": -5.8254626471478425e-257,\n      \"\\u6587\\u2603\": 2515999845.03896\n   },\n   \"X\\ud83d\\ude31\\ud83c\\udf89\": false,\n   \"\\\"5Xt\\u8a9eu\": -4.484835192942738e+253\n}",
            indent2_utf8: b"{\n  \"\xc3\xbc<\\n\xf0\x9f\x8e\x89u\xe6\x9c\xac\xc3\x9f\xe2\x80\xa9\xf0\x9f\x98\xb1\xe2\x98\x83n\": \"j\xe2\x9c\x93\",\n  \"\xe2\x98\x83\": \"d\xe6\x96\x87\\t\\u001f:\xc2\x80\xe2\x9c\x93\",\n  \".\xc2\x80& 6\xed\x95\x9c\xf0\x9f\x98\xb1\xea\xb5\xada\\r\": {\n    \"\xed\x95\x9c\xe6\x97\xa5<\xf0\x9d\x84\x9eg\xe2\x82\xac\xef\xbf\xbf\\r\xe2\x98\x83&\\t\": true,\n    \"\xc3\xa9\xef\xbf\xbf\xe2\x9c\x93\xef\xbf\xbf\xed\x95\x9c\xf0\x9f\x98\x80\xe2\x82\xac\xf0\x9d\x84\x9e<\xe2\x82\xac\": {\n      \"\xc3\xa7<\": \"\\ba\xe4\xb8\xad\\b\xf0\x9f\x98\x80\xc3\x9f\",\n      \"\xe2\x9c\x93\\tb4\xe2\x82\xac\xc3\xa9\": \"\xc3\xbc\\\"7\\n\xc3\xa9p\xe2\x98\x83x\xe6\x9c\xac\",\n      \"\xe2\x80\xa8\xf0\x9f\x98\xb1\\ro&\xe4\xb8\xad\xf0\x9f\x8e\x89\": \"\",\n      \"\xe6\x97\xa5r\xf0\x9d\x84\x9e\x7f\\u0000\xf0\x9f\x98\x80\xc3\xa7\xe2\x9c\x93\": 142670.71942473552\n    },\n    \"\xf0\x9f\x8e\x89\x7f\": -5.8254626471478425e-257,\n    \"\xe6\x96\x87\xe2\x98\x83\": 2515999845.03896\n  },\n  \"X\xf0\x9f\x98\xb1\xf0\x9f\x8e\x89\": false,\n  \"\\\"5Xt\xe8\xaa\x9eu\": -4.484835192942738e+253\n}",
            compact_ascii: b"{\"\\u00fc<\\n\\ud83c\\udf89u\\u672c\\u00df\\u2029\\ud83d\\ude31\\u2603n\": \"j\\u2713\", \"\\u2603\": \"d\\u6587\\t\\u001f:\\u0080\\u2713\", \".\\u0080& 6\\ud55c\\ud83d\\ude31\\uad6da\\r\": {\"\\ud55c\\u65e5<\\ud834\\udd1eg\\u20ac\\uffff\\r\\u2603&\\t\": true, \"\\u00e9\\uffff\\u2713\\uffff\\ud55c\\ud83d\\ude00\\u20ac\\ud834\\udd1e<\\u20ac\": {\"\\u00e7<\": \"\\ba\\u4e2d\\b\\ud83d\\ude00\\u00df\", \"\\u2713\\tb4\\u20ac\\u00e9\": \"\\u00fc\\\"7\\n\\u00e9p\\u2603x\\u672c\", \"\\u2028\\ud83d\\ude31\\ro&\\u4e2d\\ud83c\\udf89\": \"\", \"\\u65e5r\\ud834\\udd1e\\u007f\\u0000\\ud83d\\ude00\\u00e7\\u2713\": 142670.71942473552}, \"\\ud83c\\udf89\\u007f\": -5.8254626471478425e-257, \"\\u6587\\u2603\": 2515999845.03896}, \"X\\ud83d\\ude31\\ud83c\\udf89\": false, \"\\\"5Xt\\u8a9eu\": -4.484835192942738e+253}",
            compact_utf8: b"{\"\xc3\xbc<\\n\xf0\x9f\x8e\x89u\xe6\x9c\xac\xc3\x9f\xe2\x80\xa9\xf0\x9f\x98\xb1\xe2\x98\x83n\": \"j\xe2\x9c\x93\", \"\xe2\x98\x83\": \"d\xe6\x96\x87\\t\\u001f:\xc2\x80\xe2\x9c\x93\", \".\xc2\x80& 6\xed\x95\x9c\xf0\x9f\x98\xb1\xea\xb5\xada\\r\": {\"\xed\x95\x9c\xe6\x97\xa5<\xf0\x9d\x84\x9eg\xe2\x82\xac\xef\xbf\xbf\\r\xe2\x98\x83&\\t\": true, \"\xc3\xa9\xef\xbf\xbf\xe2\x9c\x93\xef\xbf\xbf\xed\x95\x9c\xf0\x9f\x98\x80\xe2\x82\xac\xf0\x9d\x84\x9e<\xe2\x82\xac\": {\"\xc3\xa7<\": \"\\ba\xe4\xb8\xad\\b\xf0\x9f\x98\x80\xc3\x9f\", \"\xe2\x9c\x93\\tb4\xe2\x82\xac\xc3\xa9\": \"\xc3\xbc\\\"7\\n\xc3\xa9p\xe2\x98\x83x\xe6\x9c\xac\", \"\xe2\x80\xa8\xf0\x9f\x98\xb1\\ro&\xe4\xb8\xad\xf0\x9f\x8e\x89\": \"\", \"\xe6\x97\xa5r\xf0\x9d\x84\x9e\x7f\\u0000\xf0\x9f\x98\x80\xc3\xa7\xe2\x9c\x93\": 142670.71942473552}, \"\xf0\x9f\x8e\x89\x7f\": -5.8254626471478425e-257, \"\xe6\x96\x87\xe2\x98\x83\": 2515999845.03896}, \"X\xf0\x9f\x98\xb1\xf0\x9f\x8e\x89\": false, \"\\\"5Xt\xe8\xaa\x9eu\": -4.484835192942738e+253}",
        },
        Case {
            input: b"[\"\\r\xe2\x9c\x93\xe2\x82\xac\xc3\xa9xvm\xf0\x9f\x98\x80\xf0\x9f\x8e\x89\"]",
            canonical_ascii: b"[\"\\r\\u2713\\u20ac\\u00e9xvm\\ud83d\\ude00\\ud83c\\udf89\"]",
            canonical_utf8: b"[\"\\r\xe2\x9c\x93\xe2\x82\xac\xc3\xa9xvm\xf0\x9f\x98\x80\xf0\x9f\x8e\x89\"]",
            indent3_ascii: b"[\n   \"\\r\\u2713\\u20ac\\u00e9xvm\\ud83d\\ude00\\ud83c\\udf89\"\n]",
            indent2_utf8: b"[\n  \"\\r\xe2\x9c\x93\xe2\x82\xac\xc3\xa9xvm\xf0\x9f\x98\x80\xf0\x9f\x8e\x89\"\n]",
            compact_ascii: b"[\"\\r\\u2713\\u20ac\\u00e9xvm\\ud83d\\ude00\\ud83c\\udf89\"]",
            compact_utf8: b"[\"\\r\xe2\x9c\x93\xe2\x82\xac\xc3\xa9xvm\xf0\x9f\x98\x80\xf0\x9f\x8e\x89\"]",
        },
        Case {
            input: b"{\n  \"\xc3\x9f\xf0\x9f\x98\xb1\xe2\x82\xac\\\"\xe2\x98\x83'\xc3\xb1<\xf0\x9f\x8e\x89\": [\n    \"\\u001f\xe2\x80\xa8\xe2\x80\xa9\",\n    [\n      true,\n      null,\n      null\n    ]\n  ],\n  \"\": \"3\xc3\xb1\xc2\x80\\b\xf0\x9f\x98\xb1d\xc3\xa9\x7f\xc3\x9fu\x7f9\",\n  \"\xef\xbf\xbf\\bh\xf0\x9f\x8e\x89X\xc3\xa7\xe2\x98\x83e\xe2\x9c\x93b\xed\x95\x9c\xf0\x9f\x98\x80\": {\n    \"\xe6\x96\x877\": [\n      \"\\u001fZ\\u0001\"\n    ],\n    \"<\xf0\x9f\x98\xb1\xe2\x82\xac\\b\xe2\x82\xac\xe4\xb8\xad\": false,\n    \"\xe2\x82\xacn\": \"\\\"&\xe6\x9c\xac\",\n    \"z\xc3\x9f\\u0000\xc3\xa9\xe2\x98\x83\xf0\x9f\x98\xb1\x7f\\bb\xc2\x80\xc3\x9f\": 1,\n    \"\xf0\x9f\x8e\x89\xe2\x9c\x93\\t/\": [\n      \"\xe2\x82\xacdf\xe2\x80\xa8\\\\\xc3\xb1\xed\x95\x9c\xe2\x98\x83\xe2\x9c\x93_e\",\n      \"\\u0001\xc3\xb1B8\xc3\xa9\\b\xe2\x82\xac\\t\"\n    ]\n  },\n  \"y\\r\x7f\\f\xef\xbb\xbf<\": -115111.0\n}",
            canonical_ascii: b"{\"\":\"3\\u00f1\\u0080\\b\\ud83d\\ude31d\\u00e9\\u007f\\u00dfu\\u007f9\",\"y\\r\\u007f\\f\\ufeff<\":-115111.0,\"\\u00df\\ud83d\\ude31\\u20ac\\\"\\u2603'\\u00f1<\\ud83c\\udf89\":[\"\\u001f\\u2028\\u2029\",[true,null,null]],\"\\uffff\\bh\\ud83c\\udf89X\\u00e7\\u2603e\\u2713b\\ud55c\\ud83d\\ude00\":{\"<\\ud83d\\ude31\\u20ac\\b\\u20ac\\u4e2d\":false,\"z\\u00df\\u0000\\u00e9\\u2603\\ud83d\\ude31\\u007f\\bb\\u0080\\u00df\":1,\"\\u20acn\":\"\\\"&\\u672c\",\"\\u65877\":[\"\\u001fZ\\u0001\"],\"\\ud83c\\udf89\\u2713\\t/\":[\"\\u20acdf\\u2028\\\\\\u00f1\\ud55c\\u2603\\u2713_e\",\"\\u0001\\u00f1B8\\u00e9\\b\\u20ac\\t\"]}}",
            canonical_utf8: b"{\"\":\"3\xc3\xb1\xc2\x80\\b\xf0\x9f\x98\xb1d\xc3\xa9\x7f\xc3\x9fu\x7f9\",\"y\\r\x7f\\f\xef\xbb\xbf<\":-115111.0,\"\xc3\x9f\xf0\x9f\x98\xb1\xe2\x82\xac\\\"\xe2\x98\x83'\xc3\xb1<\xf0\x9f\x8e\x89\":[\"\\u001f\xe2\x80\xa8\xe2\x80\xa9\",[true,null,null]],\"\xef\xbf\xbf\\bh\xf0\x9f\x8e\x89X\xc3\xa7\xe2\x98\x83e\xe2\x9c\x93b\xed\x95\x9c\xf0\x9f\x98\x80\":{\"<\xf0\x9f\x98\xb1\xe2\x82\xac\\b\xe2\x82\xac\xe4\xb8\xad\":false,\"z\xc3\x9f\\u0000\xc3\xa9\xe2\x98\x83\xf0\x9f\x98\xb1\x7f\\bb\xc2\x80\xc3\x9f\":1,\"\xe2\x82\xacn\":\"\\\"&\xe6\x9c\xac\",\"\xe6\x96\x877\":[\"\\u001fZ\\u0001\"],\"\xf0\x9f\x8e\x89\xe2\x9c\x93\\t/\":[\"\xe2\x82\xacdf\xe2\x80\xa8\\\\\xc3\xb1\xed\x95\x9c\xe2\x98\x83\xe2\x9c\x93_e\",\"\\u0001\xc3\xb1B8\xc3\xa9\\b\xe2\x82\xac\\t\"]}}",
            indent3_ascii: b"{\n   \"\\u00df\\ud83d\\ude31\\u20ac\\\"\\u2603'\\u00f1<\\ud83c\\udf89\": [\n      \"\\u001f\\u2028\\u2029\",\n      [\n         true,\n         null,\n         null\n      ]\n   ],\n   \"\": \"3\\u00f1\\u0080\\b\\ud83d\\ude31d\\u00e9\\u007f\\u00dfu\\u007f9\",\n   \"\\uffff\\bh\\ud83c\\udf89X\\u00e7\\u2603e\\u2713b\\ud55c\\ud83d\\ude00\": {\n      \"\\u65877\": [\n         \"\\u001fZ\\u0001\"\n      ],\n      \"<\\ud83d\\ude31\\u20ac\\b\\u20ac\\u4e2d\": false,\n      \"\\u20acn\": \"\\\"&\\u672c\",\n      \"z\\u00df\\u0000\\u00e9\\u2603\\ud83d\\ude31\\u007f\\bb\\u0080\\u00df\": 1,\n      \"\\ud83c\\udf89\\u2713\\t/\": [\n         \"\\u20acdf\\u2028\\\\\\u00f1\\ud55c\\u2603\\u2713_e\",\n         \"\\u0001\\u00f1B8\\u00e9\\b\\u20ac\\t\"\n      ]\n   },\n   \"y\\r\\u007f\\f\\ufeff<\": -115111.0\n}",
            indent2_utf8: b"{\n  \"\xc3\x9f\xf0\x9f\x98\xb1\xe2\x82\xac\\\"\xe2\x98\x83'\xc3\xb1<\xf0\x9f\x8e\x89\": [\n    \"\\u001f\xe2\x80\xa8\xe2\x80\xa9\",\n    [\n      true,\n      null,\n      null\n    ]\n  ],\n  \"\": \"3\xc3\xb1\xc2\x80\\b\xf0\x9f\x98\xb1d\xc3\xa9\x7f\xc3\x9fu\x7f9\",\n  \"\xef\xbf\xbf\\bh\xf0\x9f\x8e\x89X\xc3\xa7\xe2\x98\x83e\xe2\x9c\x93b\xed\x95\x9c\xf0\x9f\x98\x80\": {\n    \"\xe6\x96\x877\": [\n      \"\\u001fZ\\u0001\"\n    ],\n    \"<\xf0\x9f\x98\xb1\xe2\x82\xac\\b\xe2\x82\xac\xe4\xb8\xad\": false,\n    \"\xe2\x82\xacn\": \"\\\"&\xe6\x9c\xac\",\n    \"z\xc3\x9f\\u0000\xc3\xa9\xe2\x98\x83\xf0\x9f\x98\xb1\x7f\\bb\xc2\x80\xc3\x9f\": 1,\n    \"\xf0\x9f\x8e\x89\xe2\x9c\x93\\t/\": [\n      \"\xe2\x82\xacdf\xe2\x80\xa8\\\\\xc3\xb1\xed\x95\x9c\xe2\x98\x83\xe2\x9c\x93_e\",\n      \"\\u0001\xc3\xb1B8\xc3\xa9\\b\xe2\x82\xac\\t\"\n    ]\n  },\n  \"y\\r\x7f\\f\xef\xbb\xbf<\": -115111.0\n}",
            compact_ascii: b"{\"\\u00df\\ud83d\\ude31\\u20ac\\\"\\u2603'\\u00f1<\\ud83c\\udf89\": [\"\\u001f\\u2028\\u2029\", [true, null, null]], \"\": \"3\\u00f1\\u0080\\b\\ud83d\\ude31d\\u00e9\\u007f\\u00dfu\\u007f9\", \"\\uffff\\bh\\ud83c\\udf89X\\u00e7\\u2603e\\u2713b\\ud55c\\ud83d\\ude00\": {\"\\u65877\": [\"\\u001fZ\\u0001\"], \"<\\ud83d\\ude31\\u20ac\\b\\u20ac\\u4e2d\": false, \"\\u20acn\": \"\\\"&\\u672c\", \"z\\u00df\\u0000\\u00e9\\u2603\\ud83d\\ude31\\u007f\\bb\\u0080\\u00df\": 1, \"\\ud83c\\udf89\\u2713\\t/\": [\"\\u20acdf\\u2028\\\\\\u00f1\\ud55c\\u2603\\u2713_e\", \"\\u0001\\u00f1B8\\u00e9\\b\\u20ac\\t\"]}, \"y\\r\\u007f\\f\\ufeff<\": -115111.0}",
            compact_utf8: b"{\"\xc3\x9f\xf0\x9f\x98\xb1\xe2\x82\xac\\\"\xe2\x98\x83'\xc3\xb1<\xf0\x9f\x8e\x89\": [\"\\u001f\xe2\x80\xa8\xe2\x80\xa9\", [true, null, null]], \"\": \"3\xc3\xb1\xc2\x80\\b\xf0\x9f\x98\xb1d\xc3\xa9\x7f\xc3\x9fu\x7f9\", \"\xef\xbf\xbf\\bh\xf0\x9f\x8e\x89X\xc3\xa7\xe2\x98\x83e\xe2\x9c\x93b\xed\x95\x9c\xf0\x9f\x98\x80\": {\"\xe6\x96\x877\": [\"\\u001fZ\\u0001\"], \"<\xf0\x9f\x98\xb1\xe2\x82\xac\\b\xe2\x82\xac\xe4\xb8\xad\": false, \"\xe2\x82\xacn\": \"\\\"&\xe6\x9c\xac\", \"z\xc3\x9f\\u0000\xc3\xa9\xe2\x98\x83\xf0\x9f\x98\xb1\x7f\\bb\xc2\x80\xc3\x9f\": 1, \"\xf0\x9f\x8e\x89\xe2\x9c\x93\\t/\": [\"\xe2\x82\xacdf\xe2\x80\xa8\\\\\xc3\xb1\xed\x95\x9c\xe2\x98\x83\xe2\x9c\x93_e\", \"\\u0001\xc3\xb1B8\xc3\xa9\\b\xe2\x82\xac\\t\"]}, \"y\\r\x7f\\f\xef\xbb\xbf<\": -115111.0}",
        },
        Case {
            input: b"{\n  \"\xf0\x9f\x8e\x89\": \"\xc3\x9fj\xe2\x80\xa8\",\n  \"<\xe6\x9c\xac\xe2\x80\xa8\xef\xbf\xbf\xe6\x97\xa5\\b\xf0\x9f\x98\xb1\\u0001\": -0.0,\n  \"\xe2\x98\x83w\\u0000s\xe8\xaa\x9e\\r\xc2\x80\\f\xea\xb5\xadm\xe8\xaa\x9e\": null,\n  \"\xe2\x82\xac\xf0\x9f\x98\x80t\xef\xbf\xbf\xf0\x9f\x8e\x89\xc3\xbc\xc3\xbcu\xc2\x80\xe6\x97\xa5 \xe6\x96\x87\": 1e+16,\n  \"\xc3\x9f\\u0001\": {\n    \"iZ\xe2\x80\xa9\\b:\xc3\x9f\\u0001\xf0\x9d\x84\x9e\\\"\": \"\xe2\x98\x83\\u001f\xe6\x97\xa5\\u001fY\xe2\x80\xa9\\\\\xc3\x9f\xe2\x82\xac\xe8\xaa\x9e\",\n    \".\xc3\x9f\xe2\x80\xa9\\u0000\xe2\x9c\x93\": {\n      \"\xc3\xa9\xe2\x80\xa8n\": \"\xe4\xb8\xad\",\n      \"\xef\xbf\xbfw\xf0\x9f\x8e\x89\": \"\\r\\u001f\xf0\x9d\x84\x9e\xf0\x9f\x98\x80<4\xe2\x82\xac\\\\t\xe6\x96\x87\",\n      \"\xc3\x9f\xe2\x80\xa8\xf0\x9f\x98\x80\\n/\xc3\x9fn\": \"'\xc3\xb1Z\xef\xbf\xbf\xc3\xa9ko\\f\",\n      \"\xc3\xbc\xef\xbb\xbf\xec\x96\xb4\": \">\xc2\x80.\xea\xb5\xad\"\n    }\n  }\n}",
            canonical_ascii: b"{\"<\\u672c\\u2028\\uffff\\u65e5\\b\\ud83d\\ude31\\u0001\":-0.0,\"\\u00df\\u0001\":{\".\\u00df\\u2029\\u0000\\u2713\":{\"\\u00df\\u2028\\ud83d\\ude00\\n/\\u00dfn\":\"'\\u00f1Z\\uffff\\u00e9ko\\f\",\"\\u00e9\\u2028n\":\"\\u4e2d\",\"\\u00fc\\ufeff\\uc5b4\":\">\\u0080.\\uad6d\",\"\\uffffw\\ud83c\\udf89\":\"\\r\\u001f\\ud834\\udd1e\\ud83d\\ude00<4\\u20ac\\\\t\\u6587\"},\"iZ\\u2029\\b:\\u00df\\u0001\\ud834\\udd1e\\\"\":\"\\u2603\\u001f\\u65e5\\u001fY\\u2029\\\\\\u00df\\u20ac\\u8a9e\"},\"\\u20ac\\ud83d\\ude00t\\uffff\\ud83c\\udf89\\u00fc\\u00fcu\\u0080\\u65e5 \\u6587\":1e+16,\"\\u2603w\\u0000s\\u8a9e\\r\\u0080\\f\\uad6dm\\u8a9e\":null,\"\\ud83c\\udf89\":\"\\u00dfj\\u2028\"}",
            canonical_utf8: b"{\"<\xe6\x9c\xac\xe2\x80\xa8\xef\xbf\xbf\xe6\x97\xa5\\b\xf0\x9f\x98\xb1\\u0001\":-0.0,\"\xc3\x9f\\u0001\":{\".\xc3\x9f\xe2\x80\xa9\\u0000\xe2\x9c\x93\":{\"\xc3\x9f\xe2\x80\xa8\xf0\x9f\x98\x80\\n/\xc3\x9fn\":\"'\xc3\xb1Z\xef\xbf\xbf\xc3\xa9ko\\f\",\"\xc3\xa9\xe2\x80\xa8n\":\"\xe4\xb8\xad\",\"\xc3\xbc\xef\xbb\xbf\xec\x96\xb4\":\">\xc2\x80.\xea\xb5\xad\",\"\xef\xbf\xbfw\xf0\x9f\x8e\x89\":\"\\r\\u001f\xf0\x9d\x84\x9e\xf0\x9f\x98\x80<4\xe2\x82\xac\\\\t\xe6\x96\x87\"},\"iZ\xe2\x80\xa9\\b:\xc3\x9f\\u0001\xf0\x9d\x84\x9e\\\"\":\"\xe2\x98\x83\\u001f\xe6\x97\xa5\\u001fY\xe2\x80\xa9\\\\\xc3\x9f\xe2\x82\xac\xe8\xaa\x9e\"},\"\xe2\x82\xac\xf0\x9f\x98\x80t\xef\xbf\xbf\xf0\x9f\x8e\x89\xc3\xbc\xc3\xbcu\xc2\x80\xe6\x97\xa5 \xe6\x96\x87\":1e+16,\"\xe2\x98\x83w\\u0000s\xe8\xaa\x9e\\r\xc2\x80\\f\xea\xb5\xadm\xe8\xaa\x9e\":null,\"\xf0\x9f\x8e\x89\":\"\xc3\x9fj\xe2\x80\xa8\"}",
            indent3_ascii: b"{\n   \"\\ud83c\\udf89\": \"\\u00dfj\\u2028\",\n   \"<\\u672c\\u2028\\uffff\\u65e5\\b\\ud83d\\ude31\\u0001\": -0.0,\n   \"\\u2603w\\u0000s\\u8a9e\\r\\u0080\\f\\uad6dm\\u8a9e\": null,\n   \"\\u20ac\\ud83d\\ude00t\\uffff\\ud83c\\udf89\\u00fc\\u00fcu\\u0080\\u65e5 \\u6587\": 1e+16,\n   \"\\u00df\\u0001\": {\n      \"iZ\\u2029\\b:\\u00df\\u0001\\ud834\\udd1e\\\"\": \"\\u2603\\u001f\\u65e5\\u001fY\\u2029\\\\\\u00df\\u20ac\\u8a9e\",\n      \".\\u00df\\u2029\\u0000\\u2713\": {\n         \"\\u00e9\\u2028n\": \"\\u4e2d\",\n         \"\\uffffw\\ud83c\\udf89\": \"\\r\\u001f\\ud834\\udd1e\\ud83d\\ude00<4\\u20ac\\\\t\\u6587\",\n         \"\\u00df\\u2028\\ud83d\\ude00\\n/\\u00dfn\": \"'\\u00f1Z\\uffff\\u00e9ko\\f\",\n         \"\\u00fc\\ufeff\\uc5b4\": \">\\u0080.\\uad6d\"\n      }\n   }\n}",
            indent2_utf8: b"{\n  \"\xf0\x9f\x8e\x89\": \"\xc3\x9fj\xe2\x80\xa8\",\n  \"<\xe6\x9c\xac\xe2\x80\xa8\xef\xbf\xbf\xe6\x97\xa5\\b\xf0\x9f\x98\xb1\\u0001\": -0.0,\n  \"\xe2\x98\x83w\\u0000s\xe8\xaa\x9e\\r\xc2\x80\\f\xea\xb5\xadm\xe8\xaa\x9e\": null,\n  \"\xe2\x82\xac\xf0\x9f\x98\x80t\xef\xbf\xbf\xf0\x9f\x8e\x89\xc3\xbc\xc3\xbcu\xc2\x80\xe6\x97\xa5 \xe6\x96\x87\": 1e+16,\n  \"\xc3\x9f\\u0001\": {\n    \"iZ\xe2\x80\xa9\\b:\xc3\x9f\\u0001\xf0\x9d\x84\x9e\\\"\": \"\xe2\x98\x83\\u001f\xe6\x97\xa5\\u001fY\xe2\x80\xa9\\\\\xc3\x9f\xe2\x82\xac\xe8\xaa\x9e\",\n    \".\xc3\x9f\xe2\x80\xa9\\u0000\xe2\x9c\x93\": {\n      \"\xc3\xa9\xe2\x80\xa8n\": \"\xe4\xb8\xad\",\n      \"\xef\xbf\xbfw\xf0\x9f\x8e\x89\": \"\\r\\u001f\xf0\x9d\x84\x9e\xf0\x9f\x98\x80<4\xe2\x82\xac\\\\t\xe6\x96\x87\",\n      \"\xc3\x9f\xe2\x80\xa8\xf0\x9f\x98\x80\\n/\xc3\x9fn\": \"'\xc3\xb1Z\xef\xbf\xbf\xc3\xa9ko\\f\",\n      \"\xc3\xbc\xef\xbb\xbf\xec\x96\xb4\": \">\xc2\x80.\xea\xb5\xad\"\n    }\n  }\n}",
            compact_ascii: b"{\"\\ud83c\\udf89\": \"\\u00dfj\\u2028\", \"<\\u672c\\u2028\\uffff\\u65e5\\b\\ud83d\\ude31\\u0001\": -0.0, \"\\u2603w\\u0000s\\u8a9e\\r\\u0080\\f\\uad6dm\\u8a9e\": null, \"\\u20ac\\ud83d\\ude00t\\uffff\\ud83c\\udf89\\u00fc\\u00fcu\\u0080\\u65e5 \\u6587\": 1e+16, \"\\u00df\\u0001\": {\"iZ\\u2029\\b:\\u00df\\u0001\\ud834\\udd1e\\\"\": \"\\u2603\\u001f\\u65e5\\u001fY\\u2029\\\\\\u00df\\u20ac\\u8a9e\", \".\\u00df\\u2029\\u0000\\u2713\": {\"\\u00e9\\u2028n\": \"\\u4e2d\", \"\\uffffw\\ud83c\\udf89\": \"\\r\\u001f\\ud834\\udd1e\\ud83d\\ude00<4\\u20ac\\\\t\\u6587\", \"\\u00df\\u2028\\ud83d\\ude00\\n/\\u00dfn\": \"'\\u00f1Z\\uffff\\u00e9ko\\f\", \"\\u00fc\\ufeff\\uc5b4\": \">\\u0080.\\uad6d\"}}}",
            compact_utf8: b"{\"\xf0\x9f\x8e\x89\": \"\xc3\x9fj\xe2\x80\xa8\", \"<\xe6\x9c\xac\xe2\x80\xa8\xef\xbf\xbf\xe6\x97\xa5\\b\xf0\x9f\x98\xb1\\u0001\": -0.0, \"\xe2\x98\x83w\\u0000s\xe8\xaa\x9e\\r\xc2\x80\\f\xea\xb5\xadm\xe8\xaa\x9e\": null, \"\xe2\x82\xac\xf0\x9f\x98\x80t\xef\xbf\xbf\xf0\x9f\x8e\x89\xc3\xbc\xc3\xbcu\xc2\x80\xe6\x97\xa5 \xe6\x96\x87\": 1e+16, \"\xc3\x9f\\u0001\": {\"iZ\xe2\x80\xa9\\b:\xc3\x9f\\u0001\xf0\x9d\x84\x9e\\\"\": \"\xe2\x98\x83\\u001f\xe6\x97\xa5\\u001fY\xe2\x80\xa9\\\\\xc3\x9f\xe2\x82\xac\xe8\xaa\x9e\", \".\xc3\x9f\xe2\x80\xa9\\u0000\xe2\x9c\x93\": {\"\xc3\xa9\xe2\x80\xa8n\": \"\xe4\xb8\xad\", \"\xef\xbf\xbfw\xf0\x9f\x8e\x89\": \"\\r\\u001f\xf0\x9d\x84\x9e\xf0\x9f\x98\x80<4\xe2\x82\xac\\\\t\xe6\x96\x87\", \"\xc3\x9f\xe2\x80\xa8\xf0\x9f\x98\x80\\n/\xc3\x9fn\": \"'\xc3\xb1Z\xef\xbf\xbf\xc3\xa9ko\\f\", \"\xc3\xbc\xef\xbb\xbf\xec\x96\xb4\": \">\xc2\x80.\xea\xb5\xad\"}}}",
        },
        Case {
            input: b"\"\xed\x95\x9c\"",
            canonical_ascii: b"\"\\ud55c\"",
            canonical_utf8: b"\"\xed\x95\x9c\"",
            indent3_ascii: b"\"\\ud55c\"",
            indent2_utf8: b"\"\xed\x95\x9c\"",
            compact_ascii: b"\"\\ud55c\"",
            compact_utf8: b"\"\xed\x95\x9c\"",
        },
        Case {
            input: b"\"\\t\\\"\\u0080\\uffff&\"",
            canonical_ascii: b"\"\\t\\\"\\u0080\\uffff\\u0026\"",
            canonical_utf8: b"\"\\t\\\"\xc2\x80\xef\xbf\xbf\\u0026\"",
            indent3_ascii: b"\"\\t\\\"\\u0080\\uffff&\"",
            indent2_utf8: b"\"\\t\\\"\xc2\x80\xef\xbf\xbf&\"",
            compact_ascii: b"\"\\t\\\"\\u0080\\uffff&\"",
            compact_utf8: b"\"\\t\\\"\xc2\x80\xef\xbf\xbf&\"",
        },
        Case {
            input: b"[\"\\u2028'\\u0080x\\u2713'\\u00f1r\\u20ac5\\u00e7\", -813138393]",
            canonical_ascii: b"[\"\\u2028'\\u0080x\\u2713'\\u00f1r\\u20ac5\\u00e7\",-813138393]",
            canonical_utf8: b"[\"\xe2\x80\xa8'\xc2\x80x\xe2\x9c\x93'\xc3\xb1r\xe2\x82\xac5\xc3\xa7\",-813138393]",
            indent3_ascii: b"[\n   \"\\u2028'\\u0080x\\u2713'\\u00f1r\\u20ac5\\u00e7\",\n   -813138393\n]",
            indent2_utf8: b"[\n  \"\xe2\x80\xa8'\xc2\x80x\xe2\x9c\x93'\xc3\xb1r\xe2\x82\xac5\xc3\xa7\",\n  -813138393\n]",
            compact_ascii: b"[\"\\u2028'\\u0080x\\u2713'\\u00f1r\\u20ac5\\u00e7\", -813138393]",
            compact_utf8: b"[\"\xe2\x80\xa8'\xc2\x80x\xe2\x9c\x93'\xc3\xb1r\xe2\x82\xac5\xc3\xa7\", -813138393]",
        },
        Case {
            input: b"487646.0",
            canonical_ascii: b"487646.0",
            canonical_utf8: b"487646.0",
            indent3_ascii: b"487646.0",
            indent2_utf8: b"487646.0",
            compact_ascii: b"487646.0",
            compact_utf8: b"487646.0",
        },
        Case {
            input: b"{\n  \"\xe2\x82\xac\\b>\xe8\xaa\x9e\xe6\x9c\xac\xe2\x80\xa9\xf0\x9d\x84\x9e\xf0\x9f\x98\xb1\": null,\n  \"\\fq\xf0\x9d\x84\x9e\xf0\x9f\x98\xb1\xe2\x98\x83t\xc2\x80\xf0\x9f\x98\xb1\": \"\xc2\x80\xed\x95\x9c\xe6\x96\x87\xf0\x9f\x8e\x89dA/Z&\xf0\x9d\x84\x9e\"\n}",
            canonical_ascii: b"{\"\\fq\\ud834\\udd1e\\ud83d\\ude31\\u2603t\\u0080\\ud83d\\ude31\":\"\\u0080\\ud55c\\u6587\\ud83c\\udf89dA/Z&\\ud834\\udd1e\",\"\\u20ac\\b>\\u8a9e\\u672c\\u2029\\ud834\\udd1e\\ud83d\\ude31\":null}",
            canonical_utf8: b"{\"\\fq\xf0\x9d\x84\x9e\xf0\x9f\x98\xb1\xe2\x98\x83t\xc2\x80\xf0\x9f\x98\xb1\":\"\xc2\x80\xed\x95\x9c\xe6\x96\x87\xf0\x9f\x8e\x89dA/Z&\xf0\x9d\x84\x9e\",\"\xe2\x82\xac\\b>\xe8\xaa\x9e\xe6\x9c\xac\xe2\x80\xa9\xf0\x9d\x84\x9e\xf0\x9f\x98\xb1\":null}",
            indent3_ascii: b"{\n   \"\\u20ac\\b>\\u8a9e\\u672c\\u2029\\ud834\\udd1e\\ud83d\\ude31\": null,\n   \"\\fq\\ud834\\udd1e\\ud83d\\ude31\\u2603t\\u0080\\ud83d\\ude31\": \"\\u0080\\ud55c\\u6587\\ud83c\\udf89dA/Z&\\ud834\\udd1e\"\n}",
            indent2_utf8: b"{\n  \"\xe2\x82\xac\\b>\xe8\xaa\x9e\xe6\x9c\xac\xe2\x80\xa9\xf0\x9d\x84\x9e\xf0\x9f\x98\xb1\": null,\n  \"\\fq\xf0\x9d\x84\x9e\xf0\x9f\x98\xb1\xe2\x98\x83t\xc2\x80\xf0\x9f\x98\xb1\": \"\xc2\x80\xed\x95\x9c\xe6\x96\x87\xf0\x9f\x8e\x89dA/Z&\xf0\x9d\x84\x9e\"\n}",
            compact_ascii: b"{\"\\u20ac\\b>\\u8a9e\\u672c\\u2029\\ud834\\udd1e\\ud83d\\ude31\": null, \"\\fq\\ud834\\udd1e\\ud83d\\ude31\\u2603t\\u0080\\ud83d\\ude31\": \"\\u0080\\ud55c\\u6587\\ud83c\\udf89dA/Z&\\ud834\\udd1e\"}",
            compact_utf8: b"{\"\xe2\x82\xac\\b>\xe8\xaa\x9e\xe6\x9c\xac\xe2\x80\xa9\xf0\x9d\x84\x9e\xf0\x9f\x98\xb1\": null, \"\\fq\xf0\x9d\x84\x9e\xf0\x9f\x98\xb1\xe2\x98\x83t\xc2\x80\xf0\x9f\x98\xb1\": \"\xc2\x80\xed\x95\x9c\xe6\x96\x87\xf0\x9f\x8e\x89dA/Z&\xf0\x9d\x84\x9e\"}",
        },
        Case {
            input: b"\"\\t\\u8a9e4\\ud83d\\ude00>\\u0000\\\\r1k\\ud83c\\udf89\\u00e9\"",
            canonical_ascii: b"\"\\t\\u8a9e4\\ud83d\\ude00\\u003e\\u0000\\\\r1k\\ud83c\\udf89\\u00e9\"",
            canonical_utf8: b"\"\\t\xe8\xaa\x9e4\xf0\x9f\x98\x80\\u003e\\u0000\\\\r1k\xf0\x9f\x8e\x89\xc3\xa9\"",
            indent3_ascii: b"\"\\t\\u8a9e4\\ud83d\\ude00>\\u0000\\\\r1k\\ud83c\\udf89\\u00e9\"",
            indent2_utf8: b"\"\\t\xe8\xaa\x9e4\xf0\x9f\x98\x80>\\u0000\\\\r1k\xf0\x9f\x8e\x89\xc3\xa9\"",
            compact_ascii: b"\"\\t\\u8a9e4\\ud83d\\ude00>\\u0000\\\\r1k\\ud83c\\udf89\\u00e9\"",
            compact_utf8: b"\"\\t\xe8\xaa\x9e4\xf0\x9f\x98\x80>\\u0000\\\\r1k\xf0\x9f\x8e\x89\xc3\xa9\"",
        },
        Case {
            input: b"{\"\xe2\x9c\x93\xe2\x98\x83\": \"f0\"}",
            canonical_ascii: b"{\"\\u2713\\u2603\":\"f0\"}",
            canonical_utf8: b"{\"\xe2\x9c\x93\xe2\x98\x83\":\"f0\"}",
            indent3_ascii: b"{\n   \"\\u2713\\u2603\": \"f0\"\n}",
            indent2_utf8: b"{\n  \"\xe2\x9c\x93\xe2\x98\x83\": \"f0\"\n}",
            compact_ascii: b"{\"\\u2713\\u2603\": \"f0\"}",
            compact_utf8: b"{\"\xe2\x9c\x93\xe2\x98\x83\": \"f0\"}",
        },
    ];
    #[test]
    fn writers_match_python() {
        for case in CASES {
            let v = parse(case.input).unwrap();
            let show = |b: &[u8]| b.escape_ascii().to_string();
            let run = |f: &dyn Fn(&mut Vec<u8>)| {
                let mut out = b"prefix".to_vec();
                f(&mut out);
                assert!(out.starts_with(b"prefix"), "writers append");
                out.split_off(6)
            };
            let outputs: [(&str, Vec<u8>, &[u8]); 6] = [
                (
                    "canonical ascii",
                    run(&|o| write_canonical(&v, true, o)),
                    case.canonical_ascii,
                ),
                (
                    "canonical utf8",
                    run(&|o| write_canonical(&v, false, o)),
                    case.canonical_utf8,
                ),
                (
                    "indent 3 ascii",
                    run(&|o| write_indented(&v, 3, true, o)),
                    case.indent3_ascii,
                ),
                (
                    "indent 2 utf8",
                    run(&|o| write_indented(&v, 2, false, o)),
                    case.indent2_utf8,
                ),
                (
                    "compact ascii",
                    run(&|o| write_compact_default(&v, true, o)),
                    case.compact_ascii,
                ),
                (
                    "compact utf8",
                    run(&|o| write_compact_default(&v, false, o)),
                    case.compact_utf8,
                ),
            ];
            for (name, got, want) in outputs {
                assert_eq!(show(&got), show(want), "{name} of {}", show(case.input));
            }
        }
    }

    #[test]
    fn values_built_directly() {
        let v = Value::Array(vec![
            Value::Int(i64::MIN),
            Value::Int(i64::MAX),
            Value::BigInt("-123456789012345678901234567890".into()),
            Value::Float(f64::NAN),
            Value::Float(-0.0),
            Value::Str(PyStr(b"\xed\xb0\x80\x7f".to_vec())),
            Value::Object(Object(vec![
                (PyStr::from("b"), Value::Null),
                (PyStr::from("a"), Value::Bool(true)),
            ])),
        ]);
        let mut out = Vec::new();
        write_canonical(&v, true, &mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "[-9223372036854775808,9223372036854775807,-123456789012345678901234567890,\
             NaN,-0.0,\"\\udc00\\u007f\",{\"a\":true,\"b\":null}]"
        );
        let mut out = Vec::new();
        write_canonical(&v, false, &mut out);
        assert_eq!(
            out,
            b"[-9223372036854775808,9223372036854775807,-123456789012345678901234567890,\
              NaN,-0.0,\"\xed\xb0\x80\x7f\",{\"a\":true,\"b\":null}]"
        );
        let mut out = Vec::new();
        write_string(&PyStr::from("<\u{1F600}\n"), true, &mut out);
        assert_eq!(out, b"\"<\\ud83d\\ude00\\n\"");
    }

    #[test]
    fn malformed_strings_do_not_panic() {
        // Not generalized UTF-8: stray bytes are escaped one by one, nothing panics.
        for bytes in [
            &b"\xff"[..],
            b"\xc3",
            b"\xe2\x82",
            b"\x80abc",
            b"\xf0\x9f\x98",
        ] {
            let v = Value::Str(PyStr(bytes.to_vec()));
            let mut out = Vec::new();
            write_canonical(&v, true, &mut out);
            assert!(out.is_ascii());
            write_indented(&v, 3, false, &mut out);
        }
    }

    #[test]
    fn deep_values_do_not_overflow() {
        let mut v = Value::Int(1);
        for _ in 0..100_000 {
            v = Value::Array(vec![v]);
        }
        let mut out = Vec::new();
        write_canonical(&v, true, &mut out);
        assert_eq!(out.len(), 200_001);
        out.clear();
        write_indented(&v, 0, true, &mut out);
        assert!(out.starts_with(b"[\n[\n"));
        // Dropping this value recursively would overflow; unwind it by hand.
        let mut cur = v;
        while let Value::Array(mut items) = cur {
            cur = items.pop().unwrap_or(Value::Null);
        }
    }
}
