//! JSON the way Go's `encoding/json` (Go 1.19, what skopeo 1.9.3 is built with) reads and
//! writes it, for the conversions in `convert`: a syntax tree that keeps each value's raw text
//! (a `json.RawMessage`), Go's string decoding (bad UTF-8 and lone surrogates become U+FFFD),
//! its HTML-safe string encoding, `Compact` with HTML escaping (what `json.Marshal` does to a
//! `RawMessage`), the case-insensitive matching of object keys to struct fields, and
//! `time.Time`'s RFC 3339 text.

use crate::error::{Error, Result};

/// Deeper nesting is refused (Go allows 10000; a v1Compatibility never comes close, and this
/// parser recurses): the limit of the core's own JSON parser.
pub const MAX_DEPTH: usize = crate::json::MAX_DEPTH;

/// A parsed value and the exact bytes it was parsed from.
#[derive(Debug, Clone, PartialEq)]
pub struct Node<'a> {
    pub value: Go<'a>,
    pub raw: &'a [u8],
}

#[derive(Debug, Clone, PartialEq)]
pub enum Go<'a> {
    Null,
    Bool(bool),
    /// The number's text, as written.
    Number(&'a [u8]),
    Str(String),
    Array(Vec<Node<'a>>),
    /// Members in document order, repeated keys included.
    Object(Vec<(String, Node<'a>)>),
}

impl Node<'_> {
    pub fn is_null(&self) -> bool {
        matches!(self.value, Go::Null)
    }

    /// Go's name for the JSON kind, for error messages.
    pub fn kind(&self) -> &'static str {
        match self.value {
            Go::Null => "null",
            Go::Bool(_) => "bool",
            Go::Number(_) => "number",
            Go::Str(_) => "string",
            Go::Array(_) => "array",
            Go::Object(_) => "object",
        }
    }
}

/// Parse one JSON document as `json.Unmarshal` does (whitespace is space, tab, CR and LF only).
pub fn parse(text: &[u8]) -> Result<Node<'_>> {
    let mut p = Parser { s: text, i: 0 };
    p.ws();
    let node = p.value(0)?;
    p.ws();
    if p.i != text.len() {
        return Err(p.error("invalid character after top-level value"));
    }
    Ok(node)
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl<'a> Parser<'a> {
    fn error(&self, what: &str) -> Error {
        Error::malformed(format!("{what} at offset {}", self.i))
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\r' | b'\n') = self.s.get(self.i) {
            self.i += 1;
        }
    }

    fn literal(&mut self, word: &[u8], value: Go<'a>) -> Result<Go<'a>> {
        if self.s[self.i..].starts_with(word) {
            self.i += word.len();
            Ok(value)
        } else {
            Err(self.error("invalid literal"))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node<'a>> {
        if depth >= MAX_DEPTH {
            return Err(self.error("JSON nested too deeply"));
        }
        let start = self.i;
        let value = match self.s.get(self.i) {
            None => return Err(self.error("unexpected end of JSON input")),
            Some(b'n') => self.literal(b"null", Go::Null)?,
            Some(b't') => self.literal(b"true", Go::Bool(true))?,
            Some(b'f') => self.literal(b"false", Go::Bool(false))?,
            Some(b'"') => Go::Str(self.string()?),
            Some(b'-' | b'0'..=b'9') => Go::Number(self.number()?),
            Some(b'[') => {
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if self.s.get(self.i) == Some(&b']') {
                    self.i += 1;
                } else {
                    loop {
                        self.ws();
                        items.push(self.value(depth + 1)?);
                        self.ws();
                        match self.s.get(self.i) {
                            Some(b',') => self.i += 1,
                            Some(b']') => {
                                self.i += 1;
                                break;
                            }
                            _ => return Err(self.error("expected ',' or ']'")),
                        }
                    }
                }
                Go::Array(items)
            }
            Some(b'{') => {
                self.i += 1;
                let mut members = Vec::new();
                self.ws();
                if self.s.get(self.i) == Some(&b'}') {
                    self.i += 1;
                } else {
                    loop {
                        self.ws();
                        if self.s.get(self.i) != Some(&b'"') {
                            return Err(self.error("expected an object key"));
                        }
                        let key = self.string()?;
                        self.ws();
                        if self.s.get(self.i) != Some(&b':') {
                            return Err(self.error("expected ':'"));
                        }
                        self.i += 1;
                        self.ws();
                        members.push((key, self.value(depth + 1)?));
                        self.ws();
                        match self.s.get(self.i) {
                            Some(b',') => self.i += 1,
                            Some(b'}') => {
                                self.i += 1;
                                break;
                            }
                            _ => return Err(self.error("expected ',' or '}'")),
                        }
                    }
                }
                Go::Object(members)
            }
            Some(_) => return Err(self.error("invalid character looking for a value")),
        };
        Ok(Node {
            value,
            raw: &self.s[start..self.i],
        })
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while let Some(b'0'..=b'9') = self.s.get(self.i) {
            self.i += 1;
        }
        self.i - start
    }

    fn number(&mut self) -> Result<&'a [u8]> {
        let start = self.i;
        if self.s[self.i] == b'-' {
            self.i += 1;
        }
        match self.s.get(self.i) {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.error("invalid number")),
        }
        if self.s.get(self.i) == Some(&b'.') {
            self.i += 1;
            if self.digits() == 0 {
                return Err(self.error("invalid number"));
            }
        }
        if let Some(b'e' | b'E') = self.s.get(self.i) {
            self.i += 1;
            if let Some(b'+' | b'-') = self.s.get(self.i) {
                self.i += 1;
            }
            if self.digits() == 0 {
                return Err(self.error("invalid number"));
            }
        }
        Ok(&self.s[start..self.i])
    }

    fn hex4(&self, at: usize) -> Option<u32> {
        let h = self.s.get(at..at + 4)?;
        let text = std::str::from_utf8(h).ok()?;
        if !text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        u32::from_str_radix(text, 16).ok()
    }

    /// A string literal, decoded as Go does: escapes resolved, a surrogate pair joined, a lone
    /// surrogate and any byte that is not UTF-8 replaced by U+FFFD.
    fn string(&mut self) -> Result<String> {
        self.i += 1; // the opening quote
        let mut out: Vec<u8> = Vec::new();
        loop {
            let Some(&b) = self.s.get(self.i) else {
                return Err(self.error("unexpected end of JSON input in a string"));
            };
            match b {
                b'"' => {
                    self.i += 1;
                    break;
                }
                b'\\' => {
                    let Some(&e) = self.s.get(self.i + 1) else {
                        return Err(self.error("unexpected end of JSON input in a string"));
                    };
                    self.i += 2;
                    let c = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let Some(u) = self.hex4(self.i) else {
                                return Err(self.error("invalid \\u escape in a string"));
                            };
                            self.i += 4;
                            if (0xD800..0xDC00).contains(&u)
                                && self.s.get(self.i..self.i + 2) == Some(b"\\u")
                            {
                                match self.hex4(self.i + 2) {
                                    Some(low @ 0xDC00..=0xDFFF) => {
                                        self.i += 6;
                                        let joined =
                                            0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
                                        char::from_u32(joined).unwrap_or('\u{FFFD}')
                                    }
                                    _ => '\u{FFFD}',
                                }
                            } else {
                                char::from_u32(u).unwrap_or('\u{FFFD}')
                            }
                        }
                        _ => return Err(self.error("invalid escape in a string")),
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                0..=0x1f => return Err(self.error("control character in a string")),
                _ => {
                    let start = self.i;
                    while let Some(&c) = self.s.get(self.i) {
                        if c == b'"' || c == b'\\' || c < 0x20 {
                            break;
                        }
                        self.i += 1;
                    }
                    out.extend_from_slice(&self.s[start..self.i]);
                }
            }
        }
        Ok(match String::from_utf8(out) {
            Ok(s) => s,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        })
    }
}

/// Bytes as text for messages, every ill-formed sequence replaced by U+FFFD.
pub fn go_text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// `json.Marshal` of a string: `"`, `\` and control characters escaped (`\n`, `\r`, `\t`,
/// else `\u00XX`), and `<`, `>`, `&`, U+2028, U+2029 as `\u` escapes.
pub fn write_str(s: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    for c in s.chars() {
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\r' => out.extend_from_slice(b"\\r"),
            '\t' => out.extend_from_slice(b"\\t"),
            '\u{0}'..='\u{1f}' | '<' | '>' | '&' => {
                let b = c as u8;
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(b >> 4)]);
                out.push(HEX[usize::from(b & 0xf)]);
            }
            '\u{2028}' => out.extend_from_slice(b"\\u2028"),
            '\u{2029}' => out.extend_from_slice(b"\\u2029"),
            _ => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    out.push(b'"');
}

/// `json.Marshal` of a `json.RawMessage` (`json.Compact` with HTML escaping): whitespace
/// outside strings dropped, `<`, `>`, `&`, U+2028 and U+2029 escaped, all else kept as written.
/// `raw` must be valid JSON (a span `parse` returned).
pub fn write_raw(raw: &[u8], out: &mut Vec<u8>) {
    let mut in_string = false;
    let mut escaped = false;
    let mut i = 0;
    while i < raw.len() {
        let b = raw[i];
        if b == 0xE2 && raw.get(i + 1) == Some(&0x80) && matches!(raw.get(i + 2), Some(0xA8 | 0xA9))
        {
            out.extend_from_slice(b"\\u202");
            out.push(HEX[usize::from(raw[i + 2] & 0xf)]);
            i += 3;
            escaped = false;
            continue;
        }
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else if b == b'"' {
            in_string = true;
        } else if matches!(b, b' ' | b'\t' | b'\r' | b'\n') {
            i += 1;
            continue;
        }
        if matches!(b, b'<' | b'>' | b'&') {
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 0xf)]);
        } else {
            out.push(b);
        }
        i += 1;
    }
}

/// Whether an object key selects the struct field `name` (ASCII) the way Go 1.19 matches keys:
/// exactly, or equal under Unicode case folding (which lets U+212A KELVIN SIGN stand for `k`
/// and U+017F LONG S for `s`).
pub fn key_matches(key: &str, name: &str) -> bool {
    let mut k = key.chars();
    for n in name.chars() {
        let Some(c) = k.next() else { return false };
        let n = n.to_ascii_lowercase();
        let ok = c.to_ascii_lowercase() == n
            || (c == '\u{212A}' && n == 'k')
            || (c == '\u{17F}' && n == 's');
        if !ok {
            return false;
        }
    }
    k.next().is_none()
}

/// Go's field lookup for one key among a struct's `fields`: the exact name first, then the
/// first that matches under case folding.
pub fn field_index(key: &str, fields: &[&str]) -> Option<usize> {
    fields
        .iter()
        .position(|f| *f == key)
        .or_else(|| fields.iter().position(|f| key_matches(key, f)))
}

/// A `time.Time` as RFC 3339 text gives it: the wall clock and its UTC offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Time {
    pub year: u32,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub nanos: u32,
    /// Seconds east of UTC.
    pub offset: i32,
}

/// Go's zero time, `0001-01-01T00:00:00Z`.
pub const ZERO_TIME: Time = Time {
    year: 1,
    month: 1,
    day: 1,
    hour: 0,
    minute: 0,
    second: 0,
    nanos: 0,
    offset: 0,
};

fn days_in(month: u32, year: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `time.Time.UnmarshalJSON` (Go 1.19): the raw JSON text, quotes included, parsed with the
/// layout `"2006-01-02T15:04:05Z07:00"` as `time.Parse` does (a one-digit hour and a
/// fractional second are accepted). Escapes are not decoded first, as in Go.
pub fn parse_time(raw: &[u8]) -> Result<Time> {
    let bad = || Error::malformed(format!("cannot parse {:?} as RFC 3339", go_text(raw)));
    let v = raw
        .strip_prefix(b"\"")
        .and_then(|r| r.strip_suffix(b"\""))
        .ok_or_else(bad)?;
    let digit = |i: usize| v.get(i).is_some_and(u8::is_ascii_digit);
    let num = |from: usize, len: usize| -> u32 {
        v[from..from + len]
            .iter()
            .fold(0, |n, d| n * 10 + u32::from(d - b'0'))
    };
    if !(0..4).all(digit) || v.get(4) != Some(&b'-') {
        return Err(bad());
    }
    let year = num(0, 4);
    if !(digit(5) && digit(6)) || v.get(7) != Some(&b'-') || !(digit(8) && digit(9)) {
        return Err(bad());
    }
    let (month, day) = (num(5, 2), num(8, 2));
    if v.get(10) != Some(&b'T') || !digit(11) {
        return Err(bad());
    }
    let mut i = 11;
    let hour = if digit(12) {
        i += 2;
        num(11, 2)
    } else {
        i += 1;
        num(11, 1)
    };
    if v.get(i) != Some(&b':') || !(digit(i + 1) && digit(i + 2)) {
        return Err(bad());
    }
    let minute = num(i + 1, 2);
    i += 3;
    if v.get(i) != Some(&b':') || !(digit(i + 1) && digit(i + 2)) {
        return Err(bad());
    }
    let second = num(i + 1, 2);
    i += 3;
    let mut nanos = 0;
    if matches!(v.get(i), Some(b'.' | b',')) && digit(i + 1) {
        let mut n = i + 1;
        while digit(n) {
            n += 1;
        }
        let kept = (n - i - 1).min(9);
        nanos = num(i + 1, kept) * 10u32.pow(9 - kept as u32);
        i = n;
    }
    let offset = match v.get(i) {
        Some(b'Z') => {
            i += 1;
            0
        }
        Some(sign @ (b'+' | b'-')) => {
            if v.len() < i + 6 || v[i + 3] != b':' || !(1..3).chain(4..6).all(|k| digit(i + k)) {
                return Err(bad());
            }
            let (hh, mm) = (num(i + 1, 2), num(i + 4, 2));
            if hh > 24 || mm > 60 {
                return Err(bad());
            }
            let seconds = ((hh * 60 + mm) * 60) as i32;
            i += 6;
            if *sign == b'-' {
                -seconds
            } else {
                seconds
            }
        }
        _ => return Err(bad()),
    };
    if i != v.len()
        || !(1..=12).contains(&month)
        || day < 1
        || day > days_in(month, year)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return Err(bad());
    }
    Ok(Time {
        year,
        month,
        day,
        hour,
        minute,
        second,
        nanos,
        offset,
    })
}

/// `time.Time.MarshalJSON`: RFC 3339 with nanoseconds, trailing zeros of the fraction dropped,
/// `Z` for a zero offset.
pub fn write_time(t: &Time, out: &mut Vec<u8>) {
    let mut s = format!(
        "\"{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        t.year, t.month, t.day, t.hour, t.minute, t.second
    );
    if t.nanos != 0 {
        let frac = format!("{:09}", t.nanos);
        s.push('.');
        s.push_str(frac.trim_end_matches('0'));
    }
    if t.offset == 0 {
        s.push('Z');
    } else {
        let sign = if t.offset < 0 { '-' } else { '+' };
        let minutes = t.offset.unsigned_abs() / 60;
        s.push_str(&format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60));
    }
    s.push('"');
    out.extend_from_slice(s.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(f: impl FnOnce(&mut Vec<u8>)) -> String {
        let mut out = Vec::new();
        f(&mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn strings_are_written_html_safe() {
        const CASES: &[(&str, &str)] = &[
            ("a<b>&c", r#""a\u003cb\u003e\u0026c""#),
            ("q\"\\/", r#""q\"\\/""#),
            ("\n\r\t\u{8}\u{c}\u{1}", r#""\n\r\t\u0008\u000c\u0001""#),
            ("☃\u{2028}\u{2029}\u{7f}", "\"☃\\u2028\\u2029\u{7f}\""),
        ];
        for (input, want) in CASES {
            assert_eq!(text(|o| write_str(input, o)), *want, "{input:?}");
        }
    }

    #[test]
    fn raw_values_are_compacted_and_escaped() {
        const CASES: &[(&str, &str)] = &[
            (
                r#" { "a" : [ 1 , 2.50 ] , "b<" : "x > y & \"z\" \u003c" } "#,
                r#"{"a":[1,2.50],"b\u003c":"x \u003e y \u0026 \"z\" \u003c"}"#,
            ),
            ("\"\u{2028} \\\\\"", "\"\\u2028 \\\\\""),
            ("1e5", "1e5"),
        ];
        for (input, want) in CASES {
            let node = parse(input.as_bytes()).unwrap();
            assert_eq!(text(|o| write_raw(node.raw, o)), *want, "{input:?}");
        }
    }

    #[test]
    fn strings_decode_as_go_does() {
        const CASES: &[(&[u8], &str)] = &[
            (br#""\ud83d\ude00""#, "\u{1F600}"),
            (br#""\ud800x""#, "\u{FFFD}x"),
            (br#""\ud800\u0041""#, "\u{FFFD}A"),
            (b"\"\xff\"", "\u{FFFD}"),
            (br#""\u00e9\/""#, "é/"),
        ];
        for (input, want) in CASES {
            assert_eq!(parse(input).unwrap().value, Go::Str((*want).into()));
        }
    }

    #[test]
    fn syntax_errors_are_refused() {
        for bad in [
            "",
            "01",
            "1.",
            "[1,]",
            "{\"a\" 1}",
            "\"\u{1}\"",
            "nul",
            "{} x",
            "\u{feff}{}",
        ] {
            assert!(parse(bad.as_bytes()).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn keys_match_fields_case_insensitively() {
        assert_eq!(field_index("CREATED", &["created", "Created"]), Some(0));
        assert_eq!(field_index("Created", &["created", "Created"]), Some(1));
        assert_eq!(field_index("CreAted", &["created", "Created"]), Some(0));
        assert!(key_matches("\u{212A}ey", "key"));
        assert!(!key_matches("keys", "key"));
    }

    #[test]
    fn times_round_trip_as_go_writes_them() {
        const CASES: &[(&str, &str)] = &[
            ("2024-01-02T03:04:05Z", "2024-01-02T03:04:05Z"),
            ("2024-01-02T3:04:05.120000000Z", "2024-01-02T03:04:05.12Z"),
            (
                "2024-01-02T03:04:05,1234567891234+01:30",
                "2024-01-02T03:04:05.123456789+01:30",
            ),
            ("2024-02-29T03:04:05-00:00", "2024-02-29T03:04:05Z"),
        ];
        for (input, want) in CASES {
            let t = parse_time(format!("\"{input}\"").as_bytes()).unwrap();
            assert_eq!(text(|o| write_time(&t, o)), format!("\"{want}\""));
        }
        for bad in [
            "2023-02-29T00:00:00Z",
            "2024-01-02 03:04:05Z",
            "2024-01-02T03:04:05",
            "x",
        ] {
            assert!(
                parse_time(format!("\"{bad}\"").as_bytes()).is_err(),
                "{bad}"
            );
        }
        assert_eq!(
            text(|o| write_time(&ZERO_TIME, o)),
            "\"0001-01-01T00:00:00Z\""
        );
    }
}
