//! Python's `float.__repr__`, which is also how `json.dumps` writes floats.

/// Appends `repr(f)` as Python's `json` writes it: `NaN`, `Infinity`, `-Infinity`, else the
/// shortest digits that round-trip, in plain notation when the decimal exponent `e` of the first
/// digit is in `-4..16` (`100000.0`, `0.0001`, `-0.0`), else as `d[.ddd]e+XX` / `e-XX` with at
/// least two exponent digits (`1e+16`, `1e-05`).
pub fn write_float(f: f64, out: &mut Vec<u8>) {
    if f.is_nan() {
        out.extend_from_slice(b"NaN");
        return;
    }
    if f.is_infinite() {
        out.extend_from_slice(if f > 0.0 { b"Infinity" } else { b"-Infinity" });
        return;
    }
    if f.is_sign_negative() {
        out.push(b'-');
    }
    // `ryu` gives the shortest digits that round-trip and, among those, the closest to the
    // exact value, an exact tie going to the even digit: what Python's dtoa gives.
    let mut buffer = ryu::Buffer::new();
    let mut digits = [0u8; 24];
    let (nd, exp) = shortest_digits(buffer.format_finite(f.abs()), &mut digits);
    let digits = &digits[..nd];
    if (-4..16).contains(&exp) {
        if exp >= 0 {
            let int_len = exp as usize + 1;
            if digits.len() <= int_len {
                out.extend_from_slice(digits);
                out.resize(out.len() + (int_len - digits.len()), b'0');
                out.extend_from_slice(b".0");
            } else {
                out.extend_from_slice(&digits[..int_len]);
                out.push(b'.');
                out.extend_from_slice(&digits[int_len..]);
            }
        } else {
            out.extend_from_slice(b"0.");
            out.resize(out.len() + (-exp - 1) as usize, b'0');
            out.extend_from_slice(digits);
        }
    } else {
        out.push(digits[0]);
        if digits.len() > 1 {
            out.push(b'.');
            out.extend_from_slice(&digits[1..]);
        }
        out.push(b'e');
        out.push(if exp < 0 { b'-' } else { b'+' });
        let e = exp.unsigned_abs();
        if e < 10 {
            out.push(b'0');
        }
        out.extend_from_slice(e.to_string().as_bytes());
    }
}

/// The significant digits of `ryu`'s text (`123.45`, `0.0001`, `1.5e-7`, `1e16`), written to
/// `buf` without leading or trailing zeros (`0` for zero), and the decimal exponent of the first.
fn shortest_digits(text: &str, buf: &mut [u8; 24]) -> (usize, i32) {
    let (mantissa, exp) = text.split_once('e').unwrap_or((text, "0"));
    let point = mantissa.find('.').unwrap_or(mantissa.len());
    // The exponent of the mantissa's first character, as if it were a digit.
    let mut exp = exp.parse::<i32>().unwrap_or(0) + point as i32 - 1;
    let mut nd = 0;
    for &b in mantissa.as_bytes() {
        if b == b'.' {
            continue;
        }
        if nd == 0 && b == b'0' {
            exp -= 1; // a leading zero
        } else if nd < buf.len() {
            buf[nd] = b;
            nd += 1;
        }
    }
    while nd > 1 && buf[nd - 1] == b'0' {
        nd -= 1;
    }
    if nd == 0 {
        buf[0] = b'0';
        return (1, 0);
    }
    (nd, exp)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected values are Python 3.11's `repr(float(x))`.
    const CASES: &[(f64, &str)] = &[
        (0.0, "0.0"),
        (-0.0, "-0.0"),
        (1.0, "1.0"),
        (-1.5, "-1.5"),
        (0.1, "0.1"),
        (2.5, "2.5"),
        (123.456, "123.456"),
        (100000.0, "100000.0"),
        (1e15, "1000000000000000.0"),
        (1e16, "1e+16"),
        (1.5e16, "1.5e+16"),
        (1e22, "1e+22"),
        (9007199254740992.0, "9007199254740992.0"),
        (9007199254740993.0, "9007199254740992.0"),
        (1234567890123456.7, "1234567890123456.8"),
        (0.0001, "0.0001"),
        (0.00012345, "0.00012345"),
        (1e-5, "1e-05"),
        (1.5e-5, "1.5e-05"),
        (1e-10, "1e-10"),
        (1.5e300, "1.5e+300"),
        (-1.3062677893341001e246, "-1.3062677893341001e+246"),
        (5e-324, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"),
        (2.2250738585072014e-308, "2.2250738585072014e-308"),
        (880628.2017347312, "880628.2017347312"),
        (218959.0, "218959.0"),
        (-595371.0, "-595371.0"),
        (1e100, "1e+100"),
        (0.30000000000000004, "0.30000000000000004"),
        // Exact ties between two shortest candidates: Python rounds half-even.
        // (These literals are the doubles ...199.25 and ...186.25 exactly.)
        (-1714927114182199.2, "-1714927114182199.2"),
        (1739847930794186.2, "1739847930794186.2"),
        (1e23, "1e+23"),
        (1.0 / 3.0, "0.3333333333333333"),
        (123456789.0, "123456789.0"),
        (f64::NAN, "NaN"),
        (f64::INFINITY, "Infinity"),
        (f64::NEG_INFINITY, "-Infinity"),
    ];

    #[test]
    fn repr_matches_python() {
        assert_eq!(-1714927114182199.2, -1714927114182199.0 - 0.25);
        assert_eq!(1739847930794186.2, 1739847930794186.0 + 0.25);
        for &(f, want) in CASES {
            let mut out = Vec::new();
            write_float(f, &mut out);
            assert_eq!(String::from_utf8(out).unwrap(), want, "repr({f:?})");
        }
    }

    #[test]
    fn shortest_and_round_trips_on_random_doubles() {
        // A fixed xorshift sequence of bit patterns: every output parses back to the same
        // double and has as few digits as Rust's own shortest formatting.
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let f = f64::from_bits(state);
            if !f.is_finite() {
                continue;
            }
            let mut out = Vec::new();
            write_float(f, &mut out);
            let text = String::from_utf8(out).unwrap();
            assert_eq!(
                text.parse::<f64>().unwrap().to_bits(),
                f.to_bits(),
                "{text}"
            );
            let ours = text
                .split('e')
                .next()
                .unwrap()
                .trim_start_matches(['-', '0', '.'])
                .replace('.', "");
            let ours = ours.trim_end_matches('0');
            let rust = format!("{:e}", f.abs());
            let rust = rust.split('e').next().unwrap().replace('.', "");
            assert_eq!(ours.len().max(1), rust.len(), "{f:?}: {text} vs {rust}");
        }
    }
}
