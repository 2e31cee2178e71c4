//! Reading only part of a JSON text: the rest is validated exactly as `json.loads` would
//! (same errors, same positions) but nothing of it is built.

use super::parse::{error_at, find_special, hex4, parse_number, skip_ws, MAX_DEPTH};
use crate::error::Result;

/// Which members [`super::parse_skimmed`] builds: the members of the top-level object named in
/// `top`, and, inside a top-level member named `nested[i].0` that is an object, only its member
/// `nested[i].1`. Everything below a built member is built. Every other member keeps its key,
/// with null for its value.
#[derive(Debug)]
pub struct Skim {
    pub top: &'static [&'static str],
    pub nested: &'static [(&'static str, &'static str)],
}

fn depth_error(s: &[u8], pos: usize) -> crate::error::Error {
    error_at(s, &format!("nesting deeper than {MAX_DEPTH} levels"), pos)
}

/// Checks the string whose opening quote is at `begin` as `parse_string` reads it; returns the
/// offset just past the closing quote.
fn skip_string(s: &[u8], begin: usize) -> Result<usize> {
    let mut j = find_special(s, begin + 1);
    loop {
        let Some(&c) = s.get(j) else {
            return Err(error_at(s, "Unterminated string starting at", begin));
        };
        let i = match c {
            b'"' => return Ok(j + 1),
            b'\\' => {
                let k = j + 1; // the escape letter
                let Some(&e) = s.get(k) else {
                    return Err(error_at(s, "Unterminated string starting at", begin));
                };
                match e {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => k + 1,
                    b'u' => {
                        let end = k + 5;
                        if end >= s.len() {
                            return Err(error_at(s, "Invalid \\uXXXX escape", k));
                        }
                        let Some(cp) = hex4(s, k + 1) else {
                            return Err(error_at(s, "Invalid \\uXXXX escape", k));
                        };
                        let mut next = end;
                        if (0xD800..0xDC00).contains(&cp)
                            && end + 6 < s.len()
                            && s[end] == b'\\'
                            && s[end + 1] == b'u'
                        {
                            let Some(c2) = hex4(s, end + 2) else {
                                return Err(error_at(s, "Invalid \\uXXXX escape", end + 1));
                            };
                            if (0xDC00..0xE000).contains(&c2) {
                                next = end + 6;
                            }
                        }
                        next
                    }
                    _ => return Err(error_at(s, "Invalid \\escape", j)),
                }
            }
            _ => return Err(error_at(s, "Invalid control character at", j)),
        };
        j = find_special(s, i);
    }
}

/// Checks `"key" :` at `pos` as `Parser::read_key` does; returns the offset of the value.
fn skip_key(s: &[u8], pos: usize) -> Result<usize> {
    if s.get(pos) != Some(&b'"') {
        return Err(error_at(
            s,
            "Expecting property name enclosed in double quotes",
            pos,
        ));
    }
    let end = skip_string(s, pos)?;
    let colon = skip_ws(s, end);
    if s.get(colon) != Some(&b':') {
        return Err(error_at(s, "Expecting ':' delimiter", colon));
    }
    Ok(skip_ws(s, colon + 1))
}

/// Checks the value at `pos` as `Parser::run` reads it, `depth` containers being open around
/// it; returns the offset just past it.
pub(super) fn skip_value(s: &[u8], mut pos: usize, depth: usize) -> Result<usize> {
    // Open containers: true for an object.
    let mut stack: Vec<bool> = Vec::new();
    'value: loop {
        match s.get(pos) {
            Some(b'"') => pos = skip_string(s, pos)?,
            Some(b'{') => {
                if depth + stack.len() >= MAX_DEPTH {
                    return Err(depth_error(s, pos));
                }
                let key_start = skip_ws(s, pos + 1);
                if s.get(key_start) == Some(&b'}') {
                    pos = key_start + 1;
                } else {
                    pos = skip_key(s, key_start)?;
                    stack.push(true);
                    continue 'value;
                }
            }
            Some(b'[') => {
                if depth + stack.len() >= MAX_DEPTH {
                    return Err(depth_error(s, pos));
                }
                let next = skip_ws(s, pos + 1);
                if s.get(next) == Some(&b']') {
                    pos = next + 1;
                } else {
                    stack.push(false);
                    pos = next;
                    continue 'value;
                }
            }
            Some(b'n') if s[pos..].starts_with(b"null") => pos += 4,
            Some(b't') if s[pos..].starts_with(b"true") => pos += 4,
            Some(b'f') if s[pos..].starts_with(b"false") => pos += 5,
            Some(b'N') if s[pos..].starts_with(b"NaN") => pos += 3,
            Some(b'I') if s[pos..].starts_with(b"Infinity") => pos += 8,
            Some(b'-') if s[pos..].starts_with(b"-Infinity") => pos += 9,
            _ => pos = parse_number(s, pos)?.1,
        }
        // Close the containers that end here.
        loop {
            let Some(&object) = stack.last() else {
                return Ok(pos);
            };
            pos = skip_ws(s, pos);
            match s.get(pos) {
                Some(b',') if object => {
                    pos = skip_key(s, skip_ws(s, pos + 1))?;
                    continue 'value;
                }
                Some(b',') => {
                    pos = skip_ws(s, pos + 1);
                    continue 'value;
                }
                Some(b'}') if object => {
                    pos += 1;
                    stack.pop();
                }
                Some(b']') if !object => {
                    pos += 1;
                    stack.pop();
                }
                _ => return Err(error_at(s, "Expecting ',' delimiter", pos)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{parse, parse_skimmed, Value};
    use super::*;

    static KEEP: Skim = Skim {
        top: &["id", "cc"],
        nested: &[("cc", "Cmd")],
    };

    /// Every text gives the same error as the full parse, or the same value with the left-out
    /// members as null.
    #[test]
    fn same_as_the_full_parse() {
        let texts: &[&str] = &[
            r#"{"id": "a", "x": [1, {"y": "\u00e9\ud83d\ude00\n"}, null, true, false, NaN, -Infinity, Infinity, 1e5, -0.5], "cc": {"Cmd": ["a"], "Env": {"k": [[]]}}}"#,
            r#"{"id": "a", "x": {}, "x": [], "cc": []}"#,
            r#"{"x": "\ud800\ud800", "y": "\ud800\u0041"}"#,
            "[1, 2, {\"x\": 1}]",
            "\"top\"",
            "{\"x\": \"a\u{1}b\"}",
            r#"{"x": "\q"}"#,
            r#"{"x": "\u12"}"#,
            r#"{"x": "\u12G4 "}"#,
            r#"{"x": "\ud800\u12G4 "}"#,
            r#"{"x": "abc"#,
            r#"{"x": "abc\"#,
            r#"{"x": [1 2]}"#,
            r#"{"x": [1,]}"#,
            r#"{"x": {"a" 1}}"#,
            r#"{"x": {"a": 1,}}"#,
            r#"{"x": {"a": 1]}"#,
            r#"{"x": [1}"#,
            r#"{"x": {1: 2}}"#,
            r#"{"x": tru}"#,
            r#"{"x": -}"#,
            r#"{"x": 01}"#,
            r#"{"x": 1.}"#,
            r#"{"x": nul, "id": 1}"#,
            r#"{"cc": {"Env": [1 2]}}"#,
            r#"{"x": 1} extra"#,
            r#"{"x": [1, 2"#,
        ];
        for text in texts {
            let full = parse(text.as_bytes());
            let skimmed = parse_skimmed(text.as_bytes(), &KEEP);
            match (&full, &skimmed) {
                (Err(a), Err(b)) => assert_eq!(a, b, "{text}"),
                (Ok(Value::Object(a)), Ok(Value::Object(b))) => {
                    let keys_a: Vec<_> = a.iter().map(|(k, _)| k.clone()).collect();
                    let keys_b: Vec<_> = b.iter().map(|(k, _)| k.clone()).collect();
                    assert_eq!(keys_a, keys_b, "{text}");
                    for (key, value) in b.iter() {
                        if key == "id" {
                            assert_eq!(Some(value), a.get("id"), "{text}");
                        } else if key != "cc" {
                            assert_eq!(value, &Value::Null, "{text}");
                        }
                    }
                }
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{text}"),
                _ => panic!("{text}: {full:?} vs {skimmed:?}"),
            }
        }
        let big = format!(r#"{{"x": 1{}}}"#, "0".repeat(5000));
        assert_eq!(
            parse(big.as_bytes()).unwrap_err(),
            parse_skimmed(big.as_bytes(), &KEEP).unwrap_err()
        );
    }

    #[test]
    fn nested_members() {
        let v = parse_skimmed(
            br#"{"cc": {"Env": ["x"], "Cmd": ["sh", {"a": 1}], "cmd": 2}, "id": 1, "z": 2}"#,
            &KEEP,
        )
        .unwrap();
        assert_eq!(
            v,
            parse(br#"{"cc": {"Env": null, "Cmd": ["sh", {"a": 1}], "cmd": null}, "id": 1, "z": null}"#)
                .unwrap()
        );
    }

    #[test]
    fn depth_limit_counts_the_open_containers() {
        for (inner, ok) in [(MAX_DEPTH - 1, true), (MAX_DEPTH, false)] {
            let text = format!(r#"{{"x": {}{}}}"#, "[".repeat(inner), "]".repeat(inner));
            let full = parse(text.as_bytes());
            assert_eq!(full.is_ok(), ok);
            let skimmed = parse_skimmed(text.as_bytes(), &KEEP);
            assert_eq!(full.map(|_| ()), skimmed.map(|_| ()));
        }
    }
}
