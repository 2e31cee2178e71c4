//! A JSON parser that reads exactly what CPython 3.11's `json.loads` (C scanner, `strict=True`)
//! reads, into the value model of `value.rs`. Iterative (an explicit stack), so deep nesting
//! cannot overflow the stack; nesting beyond [`MAX_DEPTH`] is an error.

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher, RandomState};

use super::decode::{decode, push_code_point};
use super::value::{Object, PyStr, Value};
use crate::error::{Error, Result};

/// The deepest nesting of arrays and objects accepted; the top-level container is depth 1.
pub const MAX_DEPTH: usize = 512;

/// Objects with more members than this get a hash index for duplicate-key lookups.
const INDEX_THRESHOLD: usize = 16;

/// CPython's limit on the digits of an `int` read from text (`sys.get_int_max_str_digits()`).
const MAX_INT_DIGITS: usize = 4300;

/// One member of the top-level object, in document order, repeated keys included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberSpan {
    pub key: PyStr,
    /// Byte offset of the key's opening quote.
    pub key_start: usize,
    /// Byte offset just past the member's value.
    pub value_end: usize,
    /// Whether part of the value was not built (see `select.rs`); always false here.
    pub lossy: bool,
}

/// `json.loads(bytes)`: [`decode`] then parse.
pub fn loads(raw: &[u8]) -> Result<Value> {
    let decoded = decode(raw)?;
    Parser::new(&decoded.text, false).run()
}

/// `json.loads(str)` on text in generalized UTF-8 (a Python `str`). The text is not checked
/// for valid encoding; invalid bytes inside strings are copied as they are.
pub fn parse(text: &[u8]) -> Result<Value> {
    reject_bom(text)?;
    Parser::new(text, false).run()
}

/// [`parse`], plus the spans of the top-level object's members (empty when the top-level value
/// is not an object).
pub fn parse_document(text: &[u8]) -> Result<(Value, Vec<MemberSpan>)> {
    reject_bom(text)?;
    let mut parser = Parser::new(text, true);
    let value = parser.run()?;
    let spans = match value {
        Value::Object(_) => parser.spans,
        _ => Vec::new(),
    };
    Ok((value, spans))
}

/// A Python-style decode error: `msg: line L column C (char N)`, with `N` counted in code
/// points. Computed only when an error happens.
pub(super) fn error_at(s: &[u8], msg: &str, pos: usize) -> Error {
    let before = &s[..pos.min(s.len())];
    let chars = |b: &[u8]| b.iter().filter(|&&c| (c & 0xC0) != 0x80).count();
    let char_pos = chars(before);
    let (line, column) = match before.iter().rposition(|&c| c == b'\n') {
        None => (1, char_pos + 1),
        Some(nl) => (
            before.iter().filter(|&&c| c == b'\n').count() + 1,
            char_pos - chars(&before[..nl]),
        ),
    };
    Error::Malformed(format!(
        "{msg}: line {line} column {column} (char {char_pos})"
    ))
}

/// `json.loads(str)` refuses text that starts with a UTF-8 BOM.
pub(super) fn reject_bom(text: &[u8]) -> Result<()> {
    if text.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Err(error_at(
            text,
            "Unexpected UTF-8 BOM (decode using utf-8-sig)",
            0,
        ));
    }
    Ok(())
}

/// A container opened at `pos` with [`MAX_DEPTH`] containers open around it.
pub(super) fn depth_error(s: &[u8], pos: usize) -> Error {
    error_at(s, &format!("nesting deeper than {MAX_DEPTH} levels"), pos)
}

#[inline(always)]
pub(super) fn skip_ws(s: &[u8], mut i: usize) -> usize {
    while let Some(&c) = s.get(i) {
        if !matches!(c, b' ' | b'\n' | b'\r' | b'\t') {
            break;
        }
        i += 1;
    }
    i
}

pub(crate) const LO: u64 = 0x0101_0101_0101_0101;
pub(crate) const HI: u64 = 0x8080_8080_8080_8080;

/// Eight bytes, little-endian, from `chunk` (which holds exactly eight).
#[inline(always)]
pub(crate) fn load_word(chunk: &[u8]) -> ([u8; 8], u64) {
    let mut word = [0u8; 8];
    word.copy_from_slice(chunk);
    (word, u64::from_le_bytes(word))
}

/// High bit set in each byte of `w` that is `"`, `\` or a control byte (< 0x20). Exact as
/// "any byte matches"; the lowest flag is always a true match (borrows only run upwards).
#[inline(always)]
pub(crate) fn special_mask(w: u64) -> u64 {
    let q = w ^ (LO * u64::from(b'"'));
    let b = w ^ (LO * u64::from(b'\\'));
    ((q.wrapping_sub(LO) & !q) | (b.wrapping_sub(LO) & !b) | (w.wrapping_sub(LO * 0x20) & !w)) & HI
}

#[inline(always)]
fn is_special(c: u8) -> bool {
    c == b'"' || c == b'\\' || c < 0x20
}

/// Index of the first `"`, `\` or control byte (< 0x20) at or after `i`, or `s.len()`.
///
/// Short runs (keys, small values) are scanned a word at a time; past the first 32 bytes the
/// quote and backslash are found with `memchr` (SIMD) and the run before them is checked for
/// control bytes in blocks the compiler vectorizes.
#[inline(always)]
pub(super) fn find_special(s: &[u8], mut i: usize) -> usize {
    let short_end = (i + 32).min(s.len());
    while let Some(chunk) = s.get(i..i + 8) {
        if i >= short_end {
            return find_special_long(s, i);
        }
        let m = special_mask(load_word(chunk).1);
        if m != 0 {
            return i + (m.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&c) = s.get(i) {
        if is_special(c) {
            break;
        }
        i += 1;
    }
    i
}

#[inline(never)]
fn find_special_long(s: &[u8], i: usize) -> usize {
    let rest = &s[i..];
    let end = memchr::memchr2(b'"', b'\\', rest).unwrap_or(rest.len());
    let run = &rest[..end];
    let mut offset = 0;
    for block in run.chunks(64) {
        // No early exit inside the block, so that it vectorizes.
        if block.iter().fold(false, |any, &b| any | (b < 0x20)) {
            let k = block.iter().position(|&b| b < 0x20).unwrap_or(0);
            return i + offset + k;
        }
        offset += block.len();
    }
    i + end
}

/// Index of the first `"` or `\` at or after `i`, or `s.len()`: [`find_special`] for a text
/// known to hold no control byte.
pub(super) fn find_quote_or_backslash(s: &[u8], i: usize) -> usize {
    memchr::memchr2(b'"', b'\\', &s[i.min(s.len())..]).map_or(s.len(), |k| i + k)
}

/// Appends the plain bytes from `i` up to the next special byte to `buf`, eight at a time
/// (a whole word is stored, then the excess cut: no `memcpy` call for short runs).
/// Returns the index of the special byte, or `s.len()`.
#[inline(always)]
fn copy_plain(s: &[u8], mut i: usize, buf: &mut Vec<u8>) -> usize {
    while let Some(chunk) = s.get(i..i + 8) {
        let (word, w) = load_word(chunk);
        let m = special_mask(w);
        buf.extend_from_slice(&word);
        if m != 0 {
            let k = (m.trailing_zeros() / 8) as usize;
            buf.truncate(buf.len() - 8 + k);
            return i + k;
        }
        i += 8;
    }
    while let Some(&c) = s.get(i) {
        if is_special(c) {
            break;
        }
        buf.push(c);
        i += 1;
    }
    i
}

/// What `\\<byte>` stands for, for the one-letter escapes; 0 for anything else.
pub(super) const SIMPLE_ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t[b'/' as usize] = b'/';
    t[b'b' as usize] = 0x08;
    t[b'f' as usize] = 0x0C;
    t[b'n' as usize] = b'\n';
    t[b'r' as usize] = b'\r';
    t[b't' as usize] = b'\t';
    t
};

#[inline]
fn hex_value(c: u8) -> Option<u32> {
    match c {
        b'0'..=b'9' => Some(u32::from(c - b'0')),
        b'a'..=b'f' => Some(u32::from(c - b'a' + 10)),
        b'A'..=b'F' => Some(u32::from(c - b'A' + 10)),
        _ => None,
    }
}

/// Four hex digits at `s[i..i + 4]` (the caller checked the length).
#[inline]
pub(super) fn hex4(s: &[u8], i: usize) -> Option<u32> {
    let mut v = 0;
    for &c in &s[i..i + 4] {
        v = (v << 4) | hex_value(c)?;
    }
    Some(v)
}

/// The escape whose backslash is at `j`, in the string whose opening quote is at `begin`
/// (CPython's `scanstring`, strict): the code point it stands for (a surrogate pair joined)
/// and the offset just past it.
#[inline(always)]
fn read_escape(s: &[u8], begin: usize, j: usize) -> Result<(u32, usize)> {
    let k = j + 1; // the escape letter
    let Some(&e) = s.get(k) else {
        return Err(error_at(s, "Unterminated string starting at", begin));
    };
    let c = SIMPLE_ESCAPE[usize::from(e)];
    if c != 0 {
        return Ok((u32::from(c), k + 1));
    }
    if e != b'u' {
        return Err(error_at(s, "Invalid \\escape", j));
    }
    // CPython wants a character after the four digits (`end >= len` fails).
    let end = k + 5;
    if end >= s.len() {
        return Err(error_at(s, "Invalid \\uXXXX escape", k));
    }
    let Some(cp) = hex4(s, k + 1) else {
        return Err(error_at(s, "Invalid \\uXXXX escape", k));
    };
    if (0xD800..0xDC00).contains(&cp) && end + 6 < s.len() && s[end] == b'\\' && s[end + 1] == b'u'
    {
        let Some(c2) = hex4(s, end + 2) else {
            return Err(error_at(s, "Invalid \\uXXXX escape", end + 1));
        };
        if (0xDC00..0xE000).contains(&c2) {
            return Ok((0x10000 + ((cp - 0xD800) << 10) + (c2 - 0xDC00), end + 6));
        }
    }
    Ok((cp, end))
}

/// Reads on from `j`, the first special byte of the string whose opening quote is at `begin`,
/// to its end; with `out`, appends the decoded text (escapes and the runs between them), and
/// sets `controls` when an escape stands for a control byte (< 0x20; none is there unescaped).
/// Returns the offset just past the closing quote.
#[inline(always)]
fn scan_string(
    s: &[u8],
    begin: usize,
    mut j: usize,
    mut out: Option<&mut Vec<u8>>,
    controls: &mut bool,
) -> Result<usize> {
    loop {
        let Some(&c) = s.get(j) else {
            return Err(error_at(s, "Unterminated string starting at", begin));
        };
        match c {
            b'"' => return Ok(j + 1),
            b'\\' => {
                let (cp, next) = read_escape(s, begin, j)?;
                j = match out.as_deref_mut() {
                    Some(buf) => {
                        *controls |= cp < 0x20;
                        push_code_point(buf, cp);
                        copy_plain(s, next, buf)
                    }
                    None => find_special(s, next),
                };
            }
            _ => return Err(error_at(s, "Invalid control character at", j)),
        }
    }
}

/// Reads the string whose opening quote is at `begin` (CPython's `scanstring`, strict).
/// Returns the string and the offset just past the closing quote.
pub(super) fn parse_string(s: &[u8], begin: usize) -> Result<(PyStr, usize)> {
    decode_string(s, begin, &mut false)
}

/// [`parse_string`], also telling whether the string holds a control byte (< 0x20), which
/// only an escape can put there: a reader of the decoded text may then look for quotes and
/// backslashes alone ([`find_quote_or_backslash`]).
pub(super) fn parse_string_noting_controls(s: &[u8], begin: usize) -> Result<(PyStr, usize, bool)> {
    let mut controls = false;
    let (text, end) = decode_string(s, begin, &mut controls)?;
    Ok((text, end, controls))
}

#[inline(always)]
fn decode_string(s: &[u8], begin: usize, controls: &mut bool) -> Result<(PyStr, usize)> {
    let start = begin + 1;
    let j = find_special(s, start);
    // Input-sized allocations fail with an error, not an abort.
    let oom = |_| super::select::out_of_memory("a string");
    if j < s.len() && s[j] == b'"' {
        let mut out = Vec::new();
        out.try_reserve_exact(j - start).map_err(oom)?;
        out.extend_from_slice(&s[start..j]);
        return Ok((PyStr(out), j + 1));
    }
    // Escaped strings are usually long (embedded JSON): start big, shrink at the end.
    let mut buf: Vec<u8> = Vec::new();
    buf.try_reserve((s.len() - start).min((2 * (j - start)).max(4096)))
        .map_err(oom)?;
    buf.extend_from_slice(&s[start..j]);
    let end = scan_string(s, begin, j, Some(&mut buf), controls)?;
    buf.shrink_to_fit();
    Ok((PyStr(buf), end))
}

/// The end of the string whose opening quote is at `begin`, checked as [`parse_string`]
/// checks it (same errors), without building it.
pub(super) fn skip_string(s: &[u8], begin: usize) -> Result<usize> {
    scan_string(s, begin, find_special(s, begin + 1), None, &mut false)
}

/// `"key" :` at `pos`, the key read with `read` ([`parse_string`], or [`skip_string`] for
/// none): the key and the offset of the value (whitespace after the colon skipped).
#[inline(always)]
pub(super) fn read_key<K>(
    s: &[u8],
    pos: usize,
    read: impl FnOnce(&[u8], usize) -> Result<(K, usize)>,
) -> Result<(K, usize)> {
    if s.get(pos) != Some(&b'"') {
        return Err(error_at(
            s,
            "Expecting property name enclosed in double quotes",
            pos,
        ));
    }
    let (key, end) = read(s, pos)?;
    let colon = skip_ws(s, end);
    if s.get(colon) != Some(&b':') {
        return Err(error_at(s, "Expecting ':' delimiter", colon));
    }
    Ok((key, skip_ws(s, colon + 1)))
}

/// [`read_key`] without the key.
pub(super) fn skip_key(s: &[u8], pos: usize) -> Result<usize> {
    Ok(read_key(s, pos, |s, p| Ok(((), skip_string(s, p)?)))?.1)
}

/// A literal (`null`, `true`, `false`, `NaN`, `Infinity`, `-Infinity`) or a number at `pos`.
#[inline(always)]
pub(super) fn parse_scalar(s: &[u8], pos: usize) -> Result<(Value, usize)> {
    let rest = s.get(pos..).unwrap_or_default();
    let literal = match rest.first() {
        Some(b'n') if rest.starts_with(b"null") => (Value::Null, 4),
        Some(b't') if rest.starts_with(b"true") => (Value::Bool(true), 4),
        Some(b'f') if rest.starts_with(b"false") => (Value::Bool(false), 5),
        Some(b'N') if rest.starts_with(b"NaN") => (Value::Float(f64::NAN), 3),
        Some(b'I') if rest.starts_with(b"Infinity") => (Value::Float(f64::INFINITY), 8),
        Some(b'-') if rest.starts_with(b"-Infinity") => (Value::Float(f64::NEG_INFINITY), 9),
        _ => return parse_number(s, pos),
    };
    Ok((literal.0, pos + literal.1))
}

/// Reads a number at `start` like CPython's `_match_number_unicode`; `Expecting value` when
/// there is none. Returns the value and the offset just past it.
pub(super) fn parse_number(s: &[u8], start: usize) -> Result<(Value, usize)> {
    let digits_from = |mut i: usize| {
        while let Some(c) = s.get(i) {
            if !c.is_ascii_digit() {
                break;
            }
            i += 1;
        }
        i
    };
    let mut i = start;
    let negative = s.get(i) == Some(&b'-');
    if negative {
        i += 1;
    }
    let int_start = i;
    match s.get(i) {
        Some(b'1'..=b'9') => i = digits_from(i + 1),
        Some(b'0') => i += 1,
        _ => return Err(error_at(s, "Expecting value", start)),
    }
    let int_end = i;
    let mut is_float = false;
    if s.get(i) == Some(&b'.') && s.get(i + 1).is_some_and(u8::is_ascii_digit) {
        is_float = true;
        i = digits_from(i + 2);
    }
    if matches!(s.get(i), Some(b'e' | b'E')) {
        let mut k = i + 1;
        if matches!(s.get(k), Some(b'-' | b'+')) {
            k += 1;
        }
        let end = digits_from(k);
        if end > k {
            is_float = true;
            i = end;
        }
    }
    if is_float {
        return Ok((Value::Float(parse_float(&s[start..i])), i));
    }
    let text =
        std::str::from_utf8(&s[start..i]).map_err(|_| error_at(s, "Expecting value", start))?;
    let ndigits = int_end - int_start;
    if ndigits <= 18 {
        let mut v: i64 = 0;
        for &c in &s[int_start..int_end] {
            v = v * 10 + i64::from(c - b'0');
        }
        return Ok((Value::Int(if negative { -v } else { v }), i));
    }
    if let Ok(v) = text.parse::<i64>() {
        return Ok((Value::Int(v), i));
    }
    if ndigits > MAX_INT_DIGITS {
        return Err(Error::Malformed(format!(
            "Exceeds the limit ({MAX_INT_DIGITS} digits) for integer string conversion: \
             value has {ndigits} digits; use sys.set_int_max_str_digits() to increase the limit"
        )));
    }
    Ok((Value::BigInt(text.into()), i))
}

/// A float matched by the JSON number grammar, correctly rounded like Python's `float()`,
/// for any number of digits and any exponent.
fn parse_float(text: &[u8]) -> f64 {
    let (negative, body) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, text),
    };
    let (mantissa, exp) = match body.iter().position(|&c| c == b'e' || c == b'E') {
        Some(k) => (&body[..k], &body[k + 1..]),
        None => (body, &b""[..]),
    };
    let exp_digits = match exp.split_first() {
        Some((b'-' | b'+', rest)) => rest,
        _ => exp,
    };
    let significant = exp_digits.iter().skip_while(|&&c| c == b'0').count();
    // `str::parse` saturates exponents above 65535, so it only gets exponents of up to 4
    // significant digits as they are.
    let value = if significant <= 4 {
        std::str::from_utf8(body)
            .ok()
            .and_then(|t| t.parse::<f64>().ok())
            .unwrap_or(f64::NAN)
    } else {
        parse_float_big_exponent(mantissa, exp)
    };
    if negative {
        -value
    } else {
        value
    }
}

/// `mantissa` `e` `exp` with a huge exponent: rewritten as `0.DDDe<X>` with a small `X`.
fn parse_float_big_exponent(mantissa: &[u8], exp: &[u8]) -> f64 {
    let (int_part, frac) = match mantissa.iter().position(|&c| c == b'.') {
        Some(k) => (&mantissa[..k], &mantissa[k + 1..]),
        None => (mantissa, &b""[..]),
    };
    let (exp_negative, exp_digits) = match exp.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, exp),
    };
    // Saturate far beyond any input size; only results in -400..=400 matter.
    let mut e: i64 = 0;
    for &c in exp_digits {
        e = (e * 10 + i64::from(c.wrapping_sub(b'0') % 10)).min(1 << 50);
    }
    if exp_negative {
        e = -e;
    }
    let digits: Vec<u8> = int_part.iter().chain(frac).copied().collect();
    let zeros = digits.iter().take_while(|&&c| c == b'0').count();
    if zeros == digits.len() {
        return 0.0;
    }
    // The value is 0.<digits[zeros..]> * 10^x.
    let x = int_part.len() as i64 - zeros as i64 + e;
    if x > 400 {
        return f64::INFINITY;
    }
    if x < -400 {
        return 0.0;
    }
    let mut text = String::with_capacity(digits.len() + 8);
    text.push_str("0.");
    text.extend(digits[zeros..].iter().map(|&c| char::from(c)));
    text.push_str(&format!("e{x}"));
    text.parse::<f64>().unwrap_or(f64::NAN)
}

/// Passes a pre-hashed `u64` through; the keys are SipHash values already.
#[derive(Default)]
pub(super) struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

pub(super) type HashIndex = HashMap<u64, usize, BuildHasherDefault<IdentityHasher>>;

/// An object being read: Python `dict` semantics, so a repeated key keeps its first position
/// and takes the last value. Small objects scan linearly; larger ones use a hash index.
pub(super) struct ObjFrame {
    pub(super) members: Vec<(PyStr, Value)>,
    pub(super) index: Option<HashIndex>,
    /// The key whose value is being read, and where its opening quote is.
    pub(super) key: PyStr,
    pub(super) key_start: usize,
}

impl ObjFrame {
    /// Adds a member, or replaces the value of one with the same key (Python's `dict`: the
    /// last value, the first position). The caller reserves room in `members`; the index
    /// grows fallibly here.
    pub(super) fn insert(&mut self, key: PyStr, value: Value, hasher: &RandomState) -> Result<()> {
        let members = &mut self.members;
        let Some(index) = &mut self.index else {
            if let Some(m) = members.iter_mut().find(|m| m.0 == key) {
                m.1 = value;
                return Ok(());
            }
            members.push((key, value));
            if members.len() > INDEX_THRESHOLD {
                let mut index = HashIndex::with_capacity_and_hasher(64, Default::default());
                for (i, (k, _)) in members.iter().enumerate() {
                    index.entry(hasher.hash_one(&k.0)).or_insert(i);
                }
                self.index = Some(index);
            }
            return Ok(());
        };
        index
            .try_reserve(1)
            .map_err(|_| super::select::out_of_memory("an object"))?;
        match index.entry(hasher.hash_one(&key.0)) {
            Entry::Vacant(e) => {
                e.insert(members.len());
                members.push((key, value));
            }
            Entry::Occupied(e) => {
                let i = *e.get();
                if members[i].0 == key {
                    members[i].1 = value;
                } else if let Some(m) = members.iter_mut().find(|m| m.0 == key) {
                    // A 64-bit hash collision: fall back to a scan.
                    m.1 = value;
                } else {
                    members.push((key, value));
                }
            }
        }
        Ok(())
    }
}

enum Frame {
    Array(Vec<Value>),
    Object(ObjFrame),
}

struct Parser<'a> {
    s: &'a [u8],
    hasher: RandomState,
    track_spans: bool,
    spans: Vec<MemberSpan>,
    /// Containers open around the value read (for the depth limit).
    outer_depth: usize,
}

/// The value at `pos`, `depth` containers deep already, read as [`parse`] reads it: the value
/// and the offset just past it (what follows is not looked at).
pub(super) fn parse_value_at(s: &[u8], pos: usize, depth: usize) -> Result<(Value, usize)> {
    let mut parser = Parser::new(s, false);
    parser.outer_depth = depth;
    parser.read(pos, false)
}

impl<'a> Parser<'a> {
    fn new(s: &'a [u8], track_spans: bool) -> Self {
        Parser {
            s,
            hasher: RandomState::new(),
            track_spans,
            spans: Vec::new(),
            outer_depth: 0,
        }
    }

    fn run(&mut self) -> Result<Value> {
        Ok(self.read(0, true)?.0)
    }

    /// The value at `pos` and the offset past it; with `whole`, nothing but whitespace may
    /// follow it.
    fn read(&mut self, pos: usize, whole: bool) -> Result<(Value, usize)> {
        let s = self.s;
        let mut stack: Vec<Frame> = Vec::new();
        let mut pos = skip_ws(s, pos);
        'value: loop {
            // Read one value at `pos`, or open a container and go read its first item.
            let mut value = match s.get(pos) {
                Some(b'"') => {
                    let (st, end) = parse_string(s, pos)?;
                    pos = end;
                    Value::Str(st)
                }
                Some(b'{') => {
                    if self.outer_depth + stack.len() >= MAX_DEPTH {
                        return Err(depth_error(s, pos));
                    }
                    let key_start = skip_ws(s, pos + 1);
                    if s.get(key_start) == Some(&b'}') {
                        pos = key_start + 1;
                        Value::Object(Object::default())
                    } else {
                        let (key, next) = read_key(s, key_start, parse_string)?;
                        stack.push(Frame::Object(ObjFrame {
                            members: Vec::new(),
                            index: None,
                            key,
                            key_start,
                        }));
                        pos = next;
                        continue 'value;
                    }
                }
                Some(b'[') => {
                    if self.outer_depth + stack.len() >= MAX_DEPTH {
                        return Err(depth_error(s, pos));
                    }
                    let next = skip_ws(s, pos + 1);
                    if s.get(next) == Some(&b']') {
                        pos = next + 1;
                        Value::Array(Vec::new())
                    } else {
                        stack.push(Frame::Array(Vec::new()));
                        pos = next;
                        continue 'value;
                    }
                }
                _ => {
                    let (v, end) = parse_scalar(s, pos)?;
                    pos = end;
                    v
                }
            };
            // Hand the finished value to its container; close containers as they end.
            loop {
                let depth = stack.len();
                match stack.last_mut() {
                    None => {
                        let end = skip_ws(s, pos);
                        if whole && end != s.len() {
                            return Err(error_at(s, "Extra data", end));
                        }
                        return Ok((value, pos));
                    }
                    Some(Frame::Array(items)) => {
                        // Input-sized growth fails with an error, not an abort.
                        items
                            .try_reserve(1)
                            .map_err(|_| super::select::out_of_memory("an array"))?;
                        items.push(value);
                        pos = skip_ws(s, pos);
                        match s.get(pos) {
                            Some(b',') => {
                                pos = skip_ws(s, pos + 1);
                                continue 'value;
                            }
                            Some(b']') => {
                                pos += 1;
                                value = Value::Array(std::mem::take(items));
                                stack.pop();
                            }
                            _ => return Err(error_at(s, "Expecting ',' delimiter", pos)),
                        }
                    }
                    Some(Frame::Object(obj)) => {
                        let key = std::mem::take(&mut obj.key);
                        if depth == 1 && self.track_spans {
                            self.spans.push(MemberSpan {
                                key: key.clone(),
                                key_start: obj.key_start,
                                value_end: pos,
                                lossy: false,
                            });
                        }
                        obj.members
                            .try_reserve(1)
                            .map_err(|_| super::select::out_of_memory("an object"))?;
                        obj.insert(key, value, &self.hasher)?;
                        pos = skip_ws(s, pos);
                        match s.get(pos) {
                            Some(b',') => {
                                let key_start = skip_ws(s, pos + 1);
                                let (key, next) = read_key(s, key_start, parse_string)?;
                                obj.key = key;
                                obj.key_start = key_start;
                                pos = next;
                                continue 'value;
                            }
                            Some(b'}') => {
                                pos += 1;
                                value = Value::Object(Object(std::mem::take(&mut obj.members)));
                                stack.pop();
                            }
                            _ => return Err(error_at(s, "Expecting ',' delimiter", pos)),
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::write::write_compact_default;

    fn dumps(v: &Value) -> String {
        let mut out = Vec::new();
        write_compact_default(v, true, &mut out);
        String::from_utf8(out).unwrap()
    }

    /// (text, `json.dumps(json.loads(text))` or the `str()` of the error), from CPython 3.11.
    #[allow(clippy::type_complexity)]
    const CASES: &[(&[u8], std::result::Result<&str, &str>)] = &[
        (b"null", Ok("null")),
        (b"true", Ok("true")),
        (b"false", Ok("false")),
        (b"NaN", Ok("NaN")),
        (b"Infinity", Ok("Infinity")),
        (b"-Infinity", Ok("-Infinity")),
        (b" 1 ", Ok("1")),
        (b"\t\n\x0d 1\x0d\n", Ok("1")),
        (b"-0", Ok("0")),
        (b"0", Ok("0")),
        (b"-0.0", Ok("-0.0")),
        (b"1.5", Ok("1.5")),
        (b"1E5", Ok("100000.0")),
        (b"1E+5", Ok("100000.0")),
        (b"1e-4", Ok("0.0001")),
        (b"1e400", Ok("Infinity")),
        (b"-1e400", Ok("-Infinity")),
        (b"5e-324", Ok("5e-324")),
        (b"1.7976931348623157e308", Ok("1.7976931348623157e+308")),
        (b"123456789012345678", Ok("123456789012345678")),
        (b"9223372036854775807", Ok("9223372036854775807")),
        (b"9223372036854775808", Ok("9223372036854775808")),
        (b"-9223372036854775808", Ok("-9223372036854775808")),
        (b"-9223372036854775809", Ok("-9223372036854775809")),
        (b"9007199254740993.0", Ok("9007199254740992.0")),
        (b"1e16", Ok("1e+16")),
        (b"1e-5", Ok("1e-05")),
        (b"0.1", Ok("0.1")),
        (b"1e22", Ok("1e+22")),
        (b"2.5", Ok("2.5")),
        (b"-12.5e-3", Ok("-0.0125")),
        (b"0.0", Ok("0.0")),
        (
            b"1000000000000000000000000000000",
            Ok("1000000000000000000000000000000"),
        ),
        (b"\"\"", Ok("\"\"")),
        (b"\"abc\"", Ok("\"abc\"")),
        (
            b"\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"",
            Ok("\"\\\"\\\\/\\b\\f\\n\\r\\t\""),
        ),
        (
            b"\"\\u00e9\\u00E9\\u20AC\"",
            Ok("\"\\u00e9\\u00e9\\u20ac\""),
        ),
        (
            b"\"caf\xc3\xa9 \xe2\x98\x83 \xf0\x9f\x98\xb1\"",
            Ok("\"caf\\u00e9 \\u2603 \\ud83d\\ude31\""),
        ),
        (b"\"\x7f\"", Ok("\"\\u007f\"")),
        (b"\"<>&\"", Ok("\"<>&\"")),
        (b"\"\\u0000\"", Ok("\"\\u0000\"")),
        (b"\"\\ud83d\\ude31\"", Ok("\"\\ud83d\\ude31\"")),
        (b"\"\\uD83D\\uDE31\"", Ok("\"\\ud83d\\ude31\"")),
        (b"\"\\ud800\"", Ok("\"\\ud800\"")),
        (b"\"\\udc00\"", Ok("\"\\udc00\"")),
        (b"\"\\ud800x\"", Ok("\"\\ud800x\"")),
        (b"\"\\ud800\\u0041\"", Ok("\"\\ud800A\"")),
        (b"\"\\udc00\\ud800\"", Ok("\"\\udc00\\ud800\"")),
        (
            b"\"\\ud800\\ud800\\udc00\"",
            Ok("\"\\ud800\\ud800\\udc00\""),
        ),
        (b"\"\\udbff\\udfff\"", Ok("\"\\udbff\\udfff\"")),
        (b"\"\xed\xa0\x80\\udc00\"", Ok("\"\\ud800\\udc00\"")),
        (b"\"\\ud800\xed\xb0\x80\"", Ok("\"\\ud800\\udc00\"")),
        (b"\"\xed\xa0\x80\xed\xb0\x80\"", Ok("\"\\ud800\\udc00\"")),
        (b"\"\xed\xa0\xbd\xed\xb8\xb1\"", Ok("\"\\ud83d\\ude31\"")),
        (b"[]", Ok("[]")),
        (b"{}", Ok("{}")),
        (b"[ ]", Ok("[]")),
        (b"{ }", Ok("{}")),
        (b"[1,2,3]", Ok("[1, 2, 3]")),
        (b"[ 1 , [ 2 , [ 3 ] ] ]", Ok("[1, [2, [3]]]")),
        (
            b"{\"a\":1,\"b\":[true,false,null]}",
            Ok("{\"a\": 1, \"b\": [true, false, null]}"),
        ),
        (b"{\"\":\"\"}", Ok("{\"\": \"\"}")),
        (b"{\"a\":1,\"b\":2,\"a\":3}", Ok("{\"a\": 3, \"b\": 2}")),
        (b"{\"a\":1,\"a\":[1,2],\"a\":{}}", Ok("{\"a\": {}}")),
        (
            b"{\"b\":1,\"a\":2,\"b\":3,\"c\":4,\"a\":5}",
            Ok("{\"b\": 3, \"a\": 5, \"c\": 4}"),
        ),
        (
            b"{\"x\":{\"y\":1,\"y\":2},\"x\":{\"z\":3}}",
            Ok("{\"x\": {\"z\": 3}}"),
        ),
        (
            b"{\n  \"a\" : 1 ,\n  \"b\" : [ ]\n}\n",
            Ok("{\"a\": 1, \"b\": []}"),
        ),
        (b"", Err("Expecting value: line 1 column 1 (char 0)")),
        (b" ", Err("Expecting value: line 1 column 2 (char 1)")),
        (b"\n\n", Err("Expecting value: line 3 column 1 (char 2)")),
        (b"nul", Err("Expecting value: line 1 column 1 (char 0)")),
        (b"tru", Err("Expecting value: line 1 column 1 (char 0)")),
        (b"fals", Err("Expecting value: line 1 column 1 (char 0)")),
        (b"nan", Err("Expecting value: line 1 column 1 (char 0)")),
        (b"inf", Err("Expecting value: line 1 column 1 (char 0)")),
        (b"-", Err("Expecting value: line 1 column 1 (char 0)")),
        (b"-a", Err("Expecting value: line 1 column 1 (char 0)")),
        (b"--1", Err("Expecting value: line 1 column 1 (char 0)")),
        (b"+1", Err("Expecting value: line 1 column 1 (char 0)")),
        (b".5", Err("Expecting value: line 1 column 1 (char 0)")),
        (b"[.5]", Err("Expecting value: line 1 column 2 (char 1)")),
        (b"1.", Err("Extra data: line 1 column 2 (char 1)")),
        (b"01", Err("Extra data: line 1 column 2 (char 1)")),
        (b"-01", Err("Extra data: line 1 column 3 (char 2)")),
        (b"1e", Err("Extra data: line 1 column 2 (char 1)")),
        (b"1e+", Err("Extra data: line 1 column 2 (char 1)")),
        (b"1.5e", Err("Extra data: line 1 column 4 (char 3)")),
        (b"1.e5", Err("Extra data: line 1 column 2 (char 1)")),
        (b"00", Err("Extra data: line 1 column 2 (char 1)")),
        (b"[1,]", Err("Expecting value: line 1 column 4 (char 3)")),
        (
            b"[1 2]",
            Err("Expecting ',' delimiter: line 1 column 4 (char 3)"),
        ),
        (b"[1,,2]", Err("Expecting value: line 1 column 4 (char 3)")),
        (b"[", Err("Expecting value: line 1 column 2 (char 1)")),
        (
            b"[1",
            Err("Expecting ',' delimiter: line 1 column 3 (char 2)"),
        ),
        (b"[1,", Err("Expecting value: line 1 column 4 (char 3)")),
        (
            b"{",
            Err("Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
        ),
        (
            b"{\"a\"",
            Err("Expecting ':' delimiter: line 1 column 5 (char 4)"),
        ),
        (b"{\"a\":", Err("Expecting value: line 1 column 6 (char 5)")),
        (
            b"{\"a\":1",
            Err("Expecting ',' delimiter: line 1 column 7 (char 6)"),
        ),
        (
            b"{\"a\":1,}",
            Err("Expecting property name enclosed in double quotes: line 1 column 8 (char 7)"),
        ),
        (
            b"{\"a\" 1}",
            Err("Expecting ':' delimiter: line 1 column 6 (char 5)"),
        ),
        (
            b"{1:2}",
            Err("Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
        ),
        (
            b"{'a':1}",
            Err("Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
        ),
        (
            b"{\"a\":1 \"b\":2}",
            Err("Expecting ',' delimiter: line 1 column 8 (char 7)"),
        ),
        (b"[}", Err("Expecting value: line 1 column 2 (char 1)")),
        (
            b"{]",
            Err("Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
        ),
        (
            b"\"abc",
            Err("Unterminated string starting at: line 1 column 1 (char 0)"),
        ),
        (
            b"\"a\\",
            Err("Unterminated string starting at: line 1 column 1 (char 0)"),
        ),
        (
            b"\"a\\x\"",
            Err("Invalid \\escape: line 1 column 3 (char 2)"),
        ),
        (
            b"\"\\U00e9\"",
            Err("Invalid \\escape: line 1 column 2 (char 1)"),
        ),
        (
            b"\"\\u12\"",
            Err("Invalid \\uXXXX escape: line 1 column 3 (char 2)"),
        ),
        (
            b"\"\\u12G4\"",
            Err("Invalid \\uXXXX escape: line 1 column 3 (char 2)"),
        ),
        (
            b"\"\\u0041",
            Err("Invalid \\uXXXX escape: line 1 column 3 (char 2)"),
        ),
        (
            b"\"\\ud800\\u12\"",
            Err("Invalid \\uXXXX escape: line 1 column 9 (char 8)"),
        ),
        (
            b"\"\\ud800\\uZZZZ\"",
            Err("Invalid \\uXXXX escape: line 1 column 9 (char 8)"),
        ),
        (
            b"\"\\ud800\\udc00",
            Err("Invalid \\uXXXX escape: line 1 column 9 (char 8)"),
        ),
        (
            b"\"a\x01\"",
            Err("Invalid control character at: line 1 column 3 (char 2)"),
        ),
        (
            b"\"\x00\"",
            Err("Invalid control character at: line 1 column 2 (char 1)"),
        ),
        (
            b"\"\t\"",
            Err("Invalid control character at: line 1 column 2 (char 1)"),
        ),
        (
            b"\"\n\"",
            Err("Invalid control character at: line 1 column 2 (char 1)"),
        ),
        (
            b"\"\x1f\"",
            Err("Invalid control character at: line 1 column 2 (char 1)"),
        ),
        (b"1 2", Err("Extra data: line 1 column 3 (char 2)")),
        (b"[1]x", Err("Extra data: line 1 column 4 (char 3)")),
        (b"{} {}", Err("Extra data: line 1 column 4 (char 3)")),
        (b"nullx", Err("Extra data: line 1 column 5 (char 4)")),
        (b"truefalse", Err("Extra data: line 1 column 5 (char 4)")),
        (b"\x0c1", Err("Expecting value: line 1 column 1 (char 0)")),
        (
            b"\xc2\xa01",
            Err("Expecting value: line 1 column 1 (char 0)"),
        ),
        (
            b"\xef\xbb\xbf1",
            Err("Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)"),
        ),
        (b"1\x0c", Err("Extra data: line 1 column 2 (char 1)")),
        (
            b"[1,\n2,\n]",
            Err("Expecting value: line 3 column 1 (char 7)"),
        ),
        (
            b"{\n  \"a\": 1,\n  \"b\" 2\n}",
            Err("Expecting ':' delimiter: line 3 column 7 (char 18)"),
        ),
        (
            b"[\"\xc3\xa9\xe2\x98\x83\xf0\x9f\x98\xb1\", x]",
            Err("Expecting value: line 1 column 9 (char 8)"),
        ),
        (
            b"\"\xc3\xa9\\q\"",
            Err("Invalid \\escape: line 1 column 3 (char 2)"),
        ),
        (
            b"\n\n  [1,\n   2 3]",
            Err("Expecting ',' delimiter: line 4 column 6 (char 13)"),
        ),
    ];
    #[test]
    fn parse_matches_python() {
        for (text, want) in CASES {
            match (parse(text), want) {
                (Ok(v), Ok(w)) => assert_eq!(dumps(&v), *w, "parse({:?})", text.escape_ascii()),
                (Err(e), Err(w)) => {
                    assert_eq!(
                        e,
                        Error::Malformed(w.to_string()),
                        "{:?}",
                        text.escape_ascii()
                    )
                }
                (got, _) => panic!("parse({:?}) = {got:?}, want {want:?}", text.escape_ascii()),
            }
        }
    }

    #[test]
    fn number_types() {
        let cases: &[(&str, Value)] = &[
            ("0", Value::Int(0)),
            ("-0", Value::Int(0)),
            ("123456789012345678", Value::Int(123456789012345678)),
            ("-123456789012345678", Value::Int(-123456789012345678)),
            ("9223372036854775807", Value::Int(i64::MAX)),
            ("-9223372036854775808", Value::Int(i64::MIN)),
            (
                "9223372036854775808",
                Value::BigInt("9223372036854775808".into()),
            ),
            (
                "-9223372036854775809",
                Value::BigInt("-9223372036854775809".into()),
            ),
            ("1.0", Value::Float(1.0)),
            ("1e2", Value::Float(100.0)),
            ("0.1", Value::Float(0.1)),
            ("1e16", Value::Float(1e16)),
            ("1e-5", Value::Float(1e-5)),
            ("5e-324", Value::Float(5e-324)),
            ("1.7976931348623157e308", Value::Float(f64::MAX)),
            ("9007199254740993.0", Value::Float(9007199254740992.0)),
            ("1e400", Value::Float(f64::INFINITY)),
            ("-1e400", Value::Float(f64::NEG_INFINITY)),
            ("1e-400", Value::Float(0.0)),
            ("Infinity", Value::Float(f64::INFINITY)),
            ("-Infinity", Value::Float(f64::NEG_INFINITY)),
        ];
        for (text, want) in cases {
            assert_eq!(parse(text.as_bytes()).unwrap(), *want, "{text}");
        }
        let Value::Float(z) = parse(b"-0.0").unwrap() else {
            panic!("-0.0 is not a float")
        };
        assert!(z == 0.0 && z.is_sign_negative());
        let Value::Float(nan) = parse(b"NaN").unwrap() else {
            panic!("NaN is not a float")
        };
        assert!(nan.is_nan());
    }

    #[test]
    fn huge_numbers() {
        // CPython 3.11 refuses ints of more than 4300 digits, but not floats.
        let ok = "7".repeat(4300);
        assert_eq!(
            parse(ok.as_bytes()).unwrap(),
            Value::BigInt(ok.clone().into())
        );
        let neg = format!("-{ok}");
        assert_eq!(
            parse(neg.as_bytes()).unwrap(),
            Value::BigInt(neg.clone().into())
        );
        let e = parse("7".repeat(4301).as_bytes()).unwrap_err();
        assert!(e
            .message()
            .starts_with("Exceeds the limit (4300 digits) for integer string conversion"));
        let e = parse(format!("[-{}]", "7".repeat(4301)).as_bytes()).unwrap_err();
        assert!(e.message().contains("value has 4301 digits"));
        // Millions of digits, correctly rounded (expectations are Python's `float(text)`).
        let long = format!("0.{}", "1".repeat(2_000_000));
        assert_eq!(
            parse(long.as_bytes()).unwrap(),
            Value::Float(0.1111111111111111)
        );
        let long = format!("{}.5e-999990", "1".repeat(1_000_000));
        assert_eq!(
            parse(long.as_bytes()).unwrap(),
            Value::Float(1111111111.1111112)
        );
        let long = format!("0.{}1e1000001", "0".repeat(1_000_000));
        assert_eq!(parse(long.as_bytes()).unwrap(), Value::Float(1.0));
        // Exponents beyond what `str::parse` reads exactly (expectations from Python).
        let big_exponents: &[(&str, f64)] = &[
            ("1e99999999999999999999999", f64::INFINITY),
            ("-1e99999", f64::NEG_INFINITY),
            ("1e-99999", 0.0),
            ("0.0e99999", 0.0),
            ("0.00001e100005", f64::INFINITY),
            ("0.00001e-100005", 0.0),
            ("123.456e-0000000000000000000002", 1.23456),
            ("1e000000000000000000000000000000308", 1e308),
            ("1e65535", f64::INFINITY),
            ("1e-65536", 0.0),
        ];
        for (text, want) in big_exponents {
            assert_eq!(
                parse(text.as_bytes()).unwrap(),
                Value::Float(*want),
                "{text}"
            );
        }
        let e = format!("0.{}1e100020", "0".repeat(100_000));
        assert_eq!(parse(e.as_bytes()).unwrap(), Value::Float(1e19));
        let e = format!("{}e-100019", "1".repeat(100_000));
        assert_eq!(
            parse(e.as_bytes()).unwrap(),
            Value::Float(1.1111111111111111e-20)
        );
        let e = format!("-{}.{}e-99990", "1".repeat(100_000), "0".repeat(50));
        assert_eq!(
            parse(e.as_bytes()).unwrap(),
            Value::Float(-1111111111.1111112)
        );
    }

    #[test]
    fn depth_limit() {
        let nested = |open: &str, close: &str, n: usize| {
            format!("{}1{}", open.repeat(n), close.repeat(n)).into_bytes()
        };
        assert!(parse(&nested("[", "]", MAX_DEPTH)).is_ok());
        assert!(parse(&nested("{\"a\":", "}", MAX_DEPTH)).is_ok());
        assert!(parse(&nested("[", "]", MAX_DEPTH - 1).replacen(b"1", b"[]", 1)).is_ok());
        for doc in [
            nested("[", "]", MAX_DEPTH + 1),
            nested("{\"a\":", "}", MAX_DEPTH + 1),
            nested("[", "]", MAX_DEPTH).replacen(b"1", b"[]", 1),
            nested("[", "]", MAX_DEPTH).replacen(b"1", b"{}", 1),
            b"[".repeat(100_000),
            nested("[", "]", 100_000),
            nested("{\"a\":", "}", 100_000),
        ] {
            let e = parse(&doc).unwrap_err();
            assert!(
                e.message().starts_with("nesting deeper than 512 levels"),
                "{e}"
            );
        }
        // Deep documents also drop without recursion trouble.
        let v = parse(&nested("[", "]", MAX_DEPTH)).unwrap();
        drop(v);
    }

    trait ReplaceN {
        fn replacen(self, from: &[u8], to: &[u8], n: usize) -> Vec<u8>;
    }

    impl ReplaceN for Vec<u8> {
        fn replacen(self, from: &[u8], to: &[u8], _n: usize) -> Vec<u8> {
            let i = self.windows(from.len()).position(|w| w == from).unwrap();
            [&self[..i], to, &self[i + from.len()..]].concat()
        }
    }

    #[test]
    fn duplicate_keys_large_object() {
        // 100,000 members, 50,000 distinct keys: first position, last value.
        let n = 100_000;
        let members: Vec<String> = (0..n).map(|i| format!("\"k{}\":{i}", i % 50_000)).collect();
        let doc = format!("{{{}}}", members.join(","));
        let v = parse(doc.as_bytes()).unwrap();
        let obj = v.as_object().unwrap();
        assert_eq!(obj.len(), 50_000);
        for (i, (k, v)) in obj.iter().enumerate() {
            assert_eq!(k.as_bytes(), format!("k{i}").as_bytes());
            assert_eq!(*v, Value::Int(i as i64 + 50_000));
        }
        // A key repeated across the switch from linear scan to hash index.
        let doc = format!(
            "{{\"dup\":0,{},\"dup\":1}}",
            (0..40)
                .map(|i| format!("\"m{i}\":{i}"))
                .collect::<Vec<_>>()
                .join(",")
        );
        let v = parse(doc.as_bytes()).unwrap();
        let obj = v.as_object().unwrap();
        assert_eq!(obj.len(), 41);
        assert_eq!(obj.0[0], (PyStr::from("dup"), Value::Int(1)));
    }

    #[test]
    fn document_spans() {
        let text = "{\n   \"name\": \"x\",\n   \"a\": [1, {\"b\": 2}] ,\n   \"name\": \"y\",\n   \"sig\": {}\n}\n";
        let (v, spans) = parse_document(text.as_bytes()).unwrap();
        assert_eq!(
            dumps(&v),
            "{\"name\": \"y\", \"a\": [1, {\"b\": 2}], \"sig\": {}}"
        );
        let got: Vec<(&str, &str)> = spans
            .iter()
            .map(|s| (s.key.as_str().unwrap(), &text[s.key_start..s.value_end]))
            .collect();
        assert_eq!(
            got,
            [
                ("name", "\"name\": \"x\""),
                ("a", "\"a\": [1, {\"b\": 2}]"),
                ("name", "\"name\": \"y\""),
                ("sig", "\"sig\": {}"),
            ]
        );
        assert_eq!((spans[0].key_start, spans[0].value_end), (5, 16));
        for text in ["[1, {\"a\": 2}]", "\"s\"", "{}", "3"] {
            assert_eq!(parse_document(text.as_bytes()).unwrap().1, []);
        }
        let text = "{\"\\u00e9\\ud800\":\"\u{e9}\"}";
        let (_, spans) = parse_document(text.as_bytes()).unwrap();
        assert_eq!(spans.len(), 1);
        assert_eq!(spans[0].key.as_bytes(), b"\xc3\xa9\xed\xa0\x80");
        assert_eq!(
            (spans[0].key_start, spans[0].value_end),
            (1, text.len() - 1)
        );
        assert!(parse_document(b"{\"a\":1,}").is_err());
    }

    #[test]
    fn loads_decodes_first() {
        assert_eq!(
            loads(b"\xef\xbb\xbf[1]").unwrap(),
            Value::Array(vec![Value::Int(1)])
        );
        assert!(parse(b"\xef\xbb\xbf[1]").is_err());
        assert_eq!(
            loads(b"\xff\xfe\"\x00\x3d\xd8\x31\xde\"\x00").unwrap(),
            Value::Str(PyStr::from("\u{1F631}"))
        );
        assert_eq!(
            loads(b"\x00\x00\x00[\x00\x00\x001\x00\x00\x00]").unwrap(),
            Value::Array(vec![Value::Int(1)])
        );
        assert_eq!(
            loads(b"\"\xed\xa0\x80\"").unwrap(),
            Value::Str(PyStr(b"\xed\xa0\x80".to_vec()))
        );
        assert!(loads(b"\"\xff\"")
            .unwrap_err()
            .message()
            .contains("invalid start byte"));
        assert_eq!(
            loads(b"").unwrap_err().message(),
            "Expecting value: line 1 column 1 (char 0)"
        );
        assert_eq!(
            loads(b"\xef\xbb\xbf\xef\xbb\xbf1").unwrap_err().message(),
            "Expecting value: line 1 column 1 (char 0)"
        );
    }

    #[test]
    fn long_strings_and_special_scan() {
        // Runs longer than the 8-byte scan, with specials at every offset.
        for len in 0..40 {
            for (special, want) in [("\\n", "\\n"), ("\\\"", "\\\""), ("\\u00e9", "\\u00e9")] {
                let body = "x".repeat(len);
                let text = format!("\"{body}{special}{body}\"");
                let v = parse(text.as_bytes()).unwrap();
                assert_eq!(dumps(&v), format!("\"{body}{want}{body}\""));
                let bad = format!("\"{body}\u{1}{body}\"");
                assert_eq!(
                    parse(bad.as_bytes()).unwrap_err().message(),
                    format!(
                        "Invalid control character at: line 1 column {} (char {})",
                        len + 2,
                        len + 1
                    )
                );
            }
        }
    }
}
