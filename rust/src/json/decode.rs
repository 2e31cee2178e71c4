//! What `json.loads(bytes)` does before it parses:
//! `bytes.decode(json.detect_encoding(raw), 'surrogatepass')`, giving generalized UTF-8.

use std::borrow::Cow;

use crate::error::{Error, Result};

/// Text decoded from the raw bytes of a JSON document, as generalized UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded<'a> {
    pub text: Cow<'a, [u8]>,
    /// `Some(n)` when `text` is `raw[n..]` byte for byte (UTF-8, `n` = 3 after a BOM);
    /// `None` when the text was transcoded from UTF-16 or UTF-32.
    pub offset: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Utf8 { skip: usize },
    Utf16 { big_endian: bool, skip: usize },
    Utf32 { big_endian: bool, skip: usize },
}

/// `json.detect_encoding`, with the BOM handling of the codec it names.
fn detect_encoding(b: &[u8]) -> Encoding {
    if b.starts_with(&[0, 0, 0xFE, 0xFF]) {
        return Encoding::Utf32 {
            big_endian: true,
            skip: 4,
        };
    }
    if b.starts_with(&[0xFF, 0xFE, 0, 0]) {
        return Encoding::Utf32 {
            big_endian: false,
            skip: 4,
        };
    }
    if b.starts_with(&[0xFE, 0xFF]) {
        return Encoding::Utf16 {
            big_endian: true,
            skip: 2,
        };
    }
    if b.starts_with(&[0xFF, 0xFE]) {
        return Encoding::Utf16 {
            big_endian: false,
            skip: 2,
        };
    }
    if b.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Encoding::Utf8 { skip: 3 };
    }
    if b.len() >= 4 {
        if b[0] == 0 {
            return if b[1] != 0 {
                Encoding::Utf16 {
                    big_endian: true,
                    skip: 0,
                }
            } else {
                Encoding::Utf32 {
                    big_endian: true,
                    skip: 0,
                }
            };
        }
        if b[1] == 0 {
            return if b[2] != 0 || b[3] != 0 {
                Encoding::Utf16 {
                    big_endian: false,
                    skip: 0,
                }
            } else {
                Encoding::Utf32 {
                    big_endian: false,
                    skip: 0,
                }
            };
        }
    } else if b.len() == 2 {
        if b[0] == 0 {
            return Encoding::Utf16 {
                big_endian: true,
                skip: 0,
            };
        }
        if b[1] == 0 {
            return Encoding::Utf16 {
                big_endian: false,
                skip: 0,
            };
        }
    }
    Encoding::Utf8 { skip: 0 }
}

/// Decodes the raw bytes of a JSON document like `json.loads(bytes)` does. Valid UTF-8 (after an
/// optional BOM) is borrowed, not copied; UTF-16 and UTF-32 are transcoded.
pub fn decode(raw: &[u8]) -> Result<Decoded<'_>> {
    match detect_encoding(raw) {
        Encoding::Utf8 { skip } => {
            let body = &raw[skip..];
            if std::str::from_utf8(body).is_err() {
                check_utf8_surrogatepass(body)?;
            }
            Ok(Decoded {
                text: Cow::Borrowed(body),
                offset: Some(skip),
            })
        }
        Encoding::Utf16 { big_endian, skip } => Ok(Decoded {
            text: Cow::Owned(decode_utf16(&raw[skip..], big_endian, skip)?),
            offset: None,
        }),
        Encoding::Utf32 { big_endian, skip } => Ok(Decoded {
            text: Cow::Owned(decode_utf32(&raw[skip..], big_endian, skip)?),
            offset: None,
        }),
    }
}

/// Checks `b` as UTF-8 decoded with `surrogatepass`: strict UTF-8 plus the 3-byte encodings of
/// surrogates (`ED A0 80` to `ED BF BF`), which is exactly generalized UTF-8.
fn check_utf8_surrogatepass(b: &[u8]) -> Result<()> {
    let mut i = 0;
    loop {
        match std::str::from_utf8(&b[i..]) {
            Ok(_) => return Ok(()),
            Err(e) => {
                let j = i + e.valid_up_to();
                if b.len() >= j + 3
                    && b[j] == 0xED
                    && (0xA0..=0xBF).contains(&b[j + 1])
                    && (0x80..=0xBF).contains(&b[j + 2])
                {
                    i = j + 3;
                } else {
                    return Err(utf8_error(b, j));
                }
            }
        }
    }
}

/// The `UnicodeDecodeError` message CPython gives for invalid UTF-8 at `start`.
fn utf8_error(b: &[u8], start: usize) -> Error {
    let lead = b[start];
    let (need, second) = match lead {
        0xC2..=0xDF => (2, 0x80..=0xBF),
        0xE0 => (3, 0xA0..=0xBF),
        0xED => (3, 0x80..=0x9F),
        0xE1..=0xEF => (3, 0x80..=0xBF),
        0xF0 => (4, 0x90..=0xBF),
        0xF1..=0xF3 => (4, 0x80..=0xBF),
        0xF4 => (4, 0x80..=0x8F),
        _ => {
            return Error::Malformed(format!(
            "'utf-8' codec can't decode byte 0x{lead:02x} in position {start}: invalid start byte"
        ))
        }
    };
    let mut end = start + 1;
    let mut reason = "invalid continuation byte";
    for k in 1..need {
        match b.get(start + k) {
            None => {
                reason = "unexpected end of data";
                break;
            }
            Some(c) if (k == 1 && second.contains(c)) || (k > 1 && (0x80..=0xBF).contains(c)) => {
                end += 1
            }
            Some(_) => break,
        }
    }
    codec_error("utf-8", b, start, end, reason)
}

fn codec_error(codec: &str, b: &[u8], start: usize, end: usize, reason: &str) -> Error {
    if end <= start + 1 {
        let byte = b.get(start).copied().unwrap_or(0);
        Error::Malformed(format!(
            "'{codec}' codec can't decode byte 0x{byte:02x} in position {start}: {reason}"
        ))
    } else {
        Error::Malformed(format!(
            "'{codec}' codec can't decode bytes in position {start}-{}: {reason}",
            end - 1
        ))
    }
}

/// Appends code point `c` (surrogates included, as 3 bytes) in generalized UTF-8.
#[inline]
pub(crate) fn push_code_point(out: &mut Vec<u8>, c: u32) {
    if c < 0x80 {
        out.push(c as u8);
    } else if c < 0x800 {
        out.extend_from_slice(&[0xC0 | (c >> 6) as u8, 0x80 | (c & 0x3F) as u8]);
    } else if c < 0x10000 {
        out.extend_from_slice(&[
            0xE0 | (c >> 12) as u8,
            0x80 | ((c >> 6) & 0x3F) as u8,
            0x80 | (c & 0x3F) as u8,
        ]);
    } else {
        out.extend_from_slice(&[
            0xF0 | (c >> 18) as u8,
            0x80 | ((c >> 12) & 0x3F) as u8,
            0x80 | ((c >> 6) & 0x3F) as u8,
            0x80 | (c & 0x3F) as u8,
        ]);
    }
}

/// UTF-16 with `surrogatepass`: valid pairs combine, lone surrogates pass through.
/// `base` is the number of BOM bytes before `b`, for error positions.
fn decode_utf16(b: &[u8], big_endian: bool, base: usize) -> Result<Vec<u8>> {
    // CPython names the endian-specific codec even after a BOM.
    let codec = if big_endian { "utf-16-be" } else { "utf-16-le" };
    let unit = |i: usize| -> u32 {
        let pair = [b[i], b[i + 1]];
        u32::from(if big_endian {
            u16::from_be_bytes(pair)
        } else {
            u16::from_le_bytes(pair)
        })
    };
    let n = b.len() / 2;
    let mut out = Vec::with_capacity(b.len() + b.len() / 2);
    let mut k = 0;
    while k < n {
        let u = unit(2 * k);
        k += 1;
        if (0xD800..0xDC00).contains(&u) && k < n {
            let u2 = unit(2 * k);
            if (0xDC00..0xE000).contains(&u2) {
                k += 1;
                push_code_point(&mut out, 0x10000 + ((u - 0xD800) << 10) + (u2 - 0xDC00));
                continue;
            }
        }
        push_code_point(&mut out, u);
    }
    if b.len() % 2 != 0 {
        let pos = b.len() - 1;
        let e = codec_error(codec, b, pos, pos + 1, "truncated data");
        return Err(rebase(e, pos, base));
    }
    Ok(out)
}

/// UTF-32 with `surrogatepass`: surrogates pass (never combined), values above U+10FFFF fail.
fn decode_utf32(b: &[u8], big_endian: bool, base: usize) -> Result<Vec<u8>> {
    // CPython names the endian-specific codec even after a BOM.
    let codec = if big_endian { "utf-32-be" } else { "utf-32-le" };
    let mut out = Vec::with_capacity(b.len());
    let chunks = b.chunks_exact(4);
    let rest = chunks.remainder().len();
    for (k, c) in chunks.enumerate() {
        let quad = [c[0], c[1], c[2], c[3]];
        let u = if big_endian {
            u32::from_be_bytes(quad)
        } else {
            u32::from_le_bytes(quad)
        };
        if u > 0x10FFFF {
            let pos = base + 4 * k;
            return Err(Error::Malformed(format!(
                "'{codec}' codec can't decode bytes in position {pos}-{}: code point not in range(0x110000)",
                pos + 3
            )));
        }
        push_code_point(&mut out, u);
    }
    if rest != 0 {
        let pos = b.len() - rest;
        let e = codec_error(codec, b, pos, b.len(), "truncated data");
        return Err(rebase(e, pos, base));
    }
    Ok(out)
}

/// Rewrites the position in a codec error message to count the BOM bytes too.
fn rebase(e: Error, pos: usize, base: usize) -> Error {
    if base == 0 {
        return e;
    }
    Error::Malformed(e.message().replacen(
        &format!("position {pos}"),
        &format!("position {}", pos + base),
        1,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (input, expected text or error prefix, expected offset). Expectations come from
    /// `raw.decode(json.detect_encoding(raw), 'surrogatepass').encode('utf-8', 'surrogatepass')`.
    #[allow(clippy::type_complexity)]
    const CASES: &[(&[u8], std::result::Result<&[u8], &str>, Option<usize>)] = &[
        (b"", Ok(b""), Some(0)),
        (b"{}", Ok(b"{}"), Some(0)),
        (b"\"caf\xc3\xa9\"", Ok(b"\"caf\xc3\xa9\""), Some(0)),
        // UTF-8 BOM is skipped; a second one stays.
        (b"\xef\xbb\xbf{}", Ok(b"{}"), Some(3)),
        (b"\xef\xbb\xbf\xef\xbb\xbf{}", Ok(b"\xef\xbb\xbf{}"), Some(3)),
        // Raw UTF-8 surrogates pass (never combined).
        (b"\"\xed\xa0\x80\"", Ok(b"\"\xed\xa0\x80\""), Some(0)),
        (
            b"\"\xed\xa0\xbd\xed\xb8\xb1\"",
            Ok(b"\"\xed\xa0\xbd\xed\xb8\xb1\""),
            Some(0),
        ),
        (b"\xef\xbb\xbf\xed\xbf\xbf", Ok(b"\xed\xbf\xbf"), Some(3)),
        (
            b"\xff",
            Err("'utf-8' codec can't decode byte 0xff in position 0: invalid start byte"),
            None,
        ),
        (
            b"ab\x80",
            Err("'utf-8' codec can't decode byte 0x80 in position 2: invalid start byte"),
            None,
        ),
        (
            b"\xc0\x80",
            Err("'utf-8' codec can't decode byte 0xc0 in position 0: invalid start byte"),
            None,
        ),
        (
            b"\xf4\x90\x80\x80",
            Err("'utf-8' codec can't decode byte 0xf4 in position 0: invalid continuation byte"),
            None,
        ),
        (
            b"a\xe2\x82",
            Err("'utf-8' codec can't decode bytes in position 1-2: unexpected end of data"),
            None,
        ),
        (
            b"\xe2\x82a",
            Err("'utf-8' codec can't decode bytes in position 0-1: invalid continuation byte"),
            None,
        ),
        (
            b"a\xed\xa0",
            Err("'utf-8' codec can't decode byte 0xed in position 1: invalid continuation byte"),
            None,
        ),
        (
            b"\xed\xa0\x80\xff",
            Err("'utf-8' codec can't decode byte 0xff in position 3: invalid start byte"),
            None,
        ),
        // UTF-16 LE / BE, with and without BOM.
        (b"\xff\xfe{\x00}\x00", Ok(b"{}"), None),
        (b"\xfe\xff\x00{\x00}", Ok(b"{}"), None),
        (b"{\x00}\x00", Ok(b"{}"), None),
        (b"\x00{\x00}", Ok(b"{}"), None),
        (b"1\x00", Ok(b"1"), None),
        (b"\x001", Ok(b"1"), None),
        (b"\"\x00\xe9\x00\"\x00", Ok(b"\"\xc3\xa9\""), None),
        (b"\xff\xfe", Ok(b""), None),
        // UTF-16 surrogates: pair combines, lone high/low pass, high + high + low.
        (b"\"\x00=\xd81\xde\"\x00", Ok(b"\"\xf0\x9f\x98\xb1\""), None),
        (b"\"\x00\x00\xd8A\x00", Ok(b"\"\xed\xa0\x80A"), None),
        (b"\"\x00\x00\xdcA\x00", Ok(b"\"\xed\xb0\x80A"), None),
        (b"\"\x00\x00\xd8", Ok(b"\"\xed\xa0\x80"), None),
        (
            b"\x00\"\xd8\x00\xd8\x00\xdc\x00",
            Ok(b"\"\xed\xa0\x80\xf0\x90\x80\x80"),
            None,
        ),
        (
            b"\xff\xfe{\x00}",
            Err("'utf-16-le' codec can't decode byte 0x7d in position 4: truncated data"),
            None,
        ),
        // Three bytes: too short for detection, so UTF-8 (NUL is fine there).
        (b"A\x00B", Ok(b"A\x00B"), Some(0)),
        // UTF-32 LE / BE, with and without BOM.
        (b"1\x00\x00\x00", Ok(b"1"), None),
        (b"\x00\x00\x001", Ok(b"1"), None),
        (b"\xff\xfe\x00\x00{\x00\x00\x00}\x00\x00\x00", Ok(b"{}"), None),
        (b"\x00\x00\xfe\xff\x00\x00\x00{\x00\x00\x00}", Ok(b"{}"), None),
        (b"\x00\x00\x00\"\x00\x01\xf6\x31", Ok(b"\"\xf0\x9f\x98\xb1"), None),
        // UTF-32 surrogates pass and do not combine.
        (
            b"\"\x00\x00\x00\x00\xd8\x00\x00\x00\xdc\x00\x00",
            Ok(b"\"\xed\xa0\x80\xed\xb0\x80"),
            None,
        ),
        (
            b"1\x00\x00\x00\x00\x00\x11\x00",
            Err("'utf-32-le' codec can't decode bytes in position 4-7: code point not in range(0x110000)"),
            None,
        ),
        (
            b"1\x00\x00\x00A",
            Err("'utf-32-le' codec can't decode byte 0x41 in position 4: truncated data"),
            None,
        ),
    ];

    #[test]
    fn decode_cases() {
        for (raw, want, offset) in CASES {
            match (decode(raw), want) {
                (Ok(d), Ok(text)) => {
                    assert_eq!(&d.text[..], *text, "decode({raw:?})");
                    assert_eq!(d.offset, *offset, "offset of decode({raw:?})");
                }
                (Err(e), Err(prefix)) => {
                    assert!(
                        e.message().starts_with(prefix),
                        "decode({raw:?}): {e} does not start with {prefix}"
                    );
                    assert!(matches!(e, Error::Malformed(_)));
                }
                (got, _) => panic!("decode({raw:?}) = {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn plain_utf8_is_borrowed() {
        let raw = b"{\"a\": \"\xc3\xa9\"}";
        let d = decode(raw).unwrap();
        assert!(matches!(d.text, Cow::Borrowed(_)));
        let raw = b"\xef\xbb\xbf[\"\xed\xa0\x80\"]";
        let d = decode(raw).unwrap();
        assert!(matches!(d.text, Cow::Borrowed(_)));
        assert_eq!(d.offset, Some(3));
    }
}
