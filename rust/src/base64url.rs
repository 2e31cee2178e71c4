//! base64url (RFC 4648 section 5, alphabet `A-Z a-z 0-9 - _`) as libtrust and JOSE write it.
//!
//! Encoding never pads. Decoding is strict:
//!
//! - the input is either unpadded, or carries exactly the canonical `=` padding (`AQ` and
//!   `AQ==` are accepted, `AQ=` and `AQ===` are not);
//! - any character outside the alphabet (`+`, `/`, whitespace, line breaks, `=` anywhere but
//!   at the end) is rejected;
//! - a length that no encoding can have (4k+1 symbols) is rejected;
//! - the unused low bits of the last symbol must be zero, so every byte string has exactly one
//!   unpadded encoding (`AR` is rejected where `AQ` is expected). libtrust's Go decoder and
//!   Python's `urlsafe_b64decode` tolerate such bits; no honest encoder writes them.

use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine as _;

/// Decodes base64url text, unpadded or canonically padded; `None` for anything else.
pub fn decode(s: &[u8]) -> Option<Vec<u8>> {
    if s.last() == Some(&b'=') {
        // Requires canonical padding and zero trailing bits.
        URL_SAFE.decode(s).ok()
    } else {
        // Rejects any `=` and non-zero trailing bits.
        URL_SAFE_NO_PAD.decode(s).ok()
    }
}

/// Encodes as unpadded base64url.
pub fn encode(data: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(data)
}

/// Appends the unpadded base64url encoding of `data` to `out`, without an intermediate copy.
pub fn encode_into(data: &[u8], out: &mut Vec<u8>) {
    let Some(n) = base64::encoded_len(data.len(), false) else {
        // Only for inputs near `usize::MAX` bytes, which cannot exist in memory.
        return;
    };
    let start = out.len();
    out.resize(start + n, 0);
    match URL_SAFE_NO_PAD.encode_slice(data, &mut out[start..]) {
        Ok(written) => out.truncate(start + written),
        Err(_) => out.truncate(start),
    }
}

/// Appends the unpadded base64url encoding of `first` followed by `second`, without joining
/// them first (`first` may be tens of megabytes; only its last 0 to 2 bytes are copied).
pub fn encode_pair_into(first: &[u8], second: &[u8], out: &mut Vec<u8>) {
    let whole = first.len() - first.len() % 3;
    encode_into(&first[..whole], out);
    let mut rest = Vec::with_capacity(first.len() - whole + second.len());
    rest.extend_from_slice(&first[whole..]);
    rest.extend_from_slice(second);
    encode_into(&rest, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let cases: &[(&[u8], &str)] = &[
            (b"", ""),
            (b"\x00", "AA"),
            (b"\x01", "AQ"),
            (b"\x01\x00\x01", "AQAB"),
            (b"\xfb\xff", "-_8"),
            (b"\xfb\xef\xbe", "----"),
            (b"\xff\xff\xff", "____"),
            (b"hello world", "aGVsbG8gd29ybGQ"),
            (b"{\"a\":1}", "eyJhIjoxfQ"),
        ];
        for (raw, text) in cases {
            assert_eq!(encode(raw), *text, "encode {raw:?}");
            let mut out = b"prefix.".to_vec();
            encode_into(raw, &mut out);
            assert_eq!(out, [b"prefix.".as_slice(), text.as_bytes()].concat());
            assert_eq!(
                decode(text.as_bytes()).as_deref(),
                Some(*raw),
                "decode {text}"
            );
        }
        // Every length mod 3, every byte value.
        let data: Vec<u8> = (0..=255u8).collect();
        for len in 0..data.len() {
            let text = encode(&data[..len]);
            assert!(!text.contains('='));
            assert_eq!(decode(text.as_bytes()).as_deref(), Some(&data[..len]));
        }
    }

    #[test]
    fn accepts_canonical_padding() {
        let cases: &[(&str, &[u8])] = &[
            ("AQ==", b"\x01"),
            ("AQA=", b"\x01\x00"),
            ("AQAB", b"\x01\x00\x01"),
            ("aGVsbG8gd29ybGQ=", b"hello world"),
        ];
        for (text, raw) in cases {
            assert_eq!(decode(text.as_bytes()).as_deref(), Some(*raw), "{text}");
        }
    }

    #[test]
    fn rejects_bad_input() {
        let cases: &[&str] = &[
            "A",         // impossible length
            "AQAB A",    // space between groups
            "AQ=",       // partial padding
            "AQ===",     // too much padding
            "AQA==",     // too much padding
            "AQAB=",     // padding on a full group
            "====",      // padding only
            "=",         // padding only
            "A===",      // impossible length, padded
            "AQ==AQ==",  // padding in the middle
            "A=Q",       // `=` inside
            "+/8",       // standard alphabet
            "AQ+B",      // standard alphabet
            "AQ/B",      // standard alphabet
            "AQ B",      // space
            "AQ\nAB",    // line break
            "AQAB\n",    // trailing line break
            "AQ.B",      // other character
            "AR",        // non-zero trailing bits (canonical is AQ)
            "AR==",      // non-zero trailing bits, padded
            "AQB",       // non-zero trailing bits (canonical is AQA)
            "\u{e9}AAA", // non-ASCII
        ];
        for text in cases {
            assert_eq!(decode(text.as_bytes()), None, "{text:?}");
        }
        assert_eq!(decode(b"AQ\xffB"), None);
        assert_eq!(decode(b"AQ\x00B"), None);
    }

    #[test]
    fn pairs_encode_as_their_concatenation() {
        let data: Vec<u8> = (0u8..=255).collect();
        for split in [0, 1, 2, 3, 4, 100, 254, 255, 256] {
            for tail in [&b""[..], b"}", b"\n}", b"\n}\n\n"] {
                let mut joined = data[..split].to_vec();
                joined.extend_from_slice(tail);
                let mut out = b"prefix.".to_vec();
                encode_pair_into(&data[..split], tail, &mut out);
                assert_eq!(
                    out,
                    [b"prefix.".to_vec(), encode(&joined).into_bytes()].concat()
                );
            }
        }
    }
}
