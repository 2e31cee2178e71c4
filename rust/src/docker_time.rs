//! Docker's own `created` form, `YYYY-MM-DDTHH:MM:SS[.fraction][Z|±HH:MM]` (or a space for the
//! `T`), read by fixed positions: the fields of the naive datetime that python-dateutil gives
//! for it (the offset dropped without converting, fraction digits past microseconds cut). Any
//! other text is `None`, and the Python layer asks dateutil itself; so does a field out of range,
//! which the Python layer finds when it makes the datetime. No parsing crate reads exactly
//! dateutil's answer for this form (chrono and time convert the offset, reject a 24th hour the
//! Python layer leaves to dateutil, or round fractions), hence these few lines; nor does
//! `gojson::parse_time`, which is Go's RFC 3339 reader for conversion (no space for the `T`,
//! a one-digit hour accepted, ranges checked).

/// `[year, month, day, hour, minute, second, microsecond]` of `text` in Docker's form, with no
/// range check; `None` for any other text.
pub fn docker_time(text: &[u8]) -> Option<[u32; 7]> {
    let t = text;
    if t.len() < 19 || !t.is_ascii() {
        return None;
    }
    if t[4] != b'-'
        || t[7] != b'-'
        || !matches!(t[10], b'T' | b' ')
        || t[13] != b':'
        || t[16] != b':'
    {
        return None;
    }
    let number = |digits: &[u8]| {
        digits.iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let mut position = 19;
    let mut microsecond = 0;
    if t.get(position) == Some(&b'.') {
        let digits = t[position + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if digits == 0 {
            return None;
        }
        let kept = &t[position + 1..position + 1 + digits.min(6)];
        microsecond = number(kept)? * 10u32.pow(6 - kept.len() as u32);
        position += 1 + digits;
    }
    let rest = &t[position..];
    if !matches!(rest, b"" | b"Z") {
        if rest.len() != 6 || !matches!(rest[0], b'+' | b'-') || rest[3] != b':' {
            return None;
        }
        let (hours, minutes) = (number(&rest[1..3])?, number(&rest[4..6])?);
        if hours > 23 || minutes > 59 {
            return None;
        }
    }
    Some([
        number(&t[0..4])?,
        number(&t[5..7])?,
        number(&t[8..10])?,
        number(&t[11..13])?,
        number(&t[14..16])?,
        number(&t[17..19])?,
        microsecond,
    ])
}

#[cfg(test)]
mod tests {
    use super::docker_time;

    #[test]
    fn docker_form() {
        let cases: &[(&str, Option<[u32; 7]>)] = &[
            (
                "2018-08-13T19:19:53.123456789Z",
                Some([2018, 8, 13, 19, 19, 53, 123456]),
            ),
            (
                "2018-08-13 19:19:53.5",
                Some([2018, 8, 13, 19, 19, 53, 500000]),
            ),
            (
                "2018-08-13T19:19:53+05:30",
                Some([2018, 8, 13, 19, 19, 53, 0]),
            ),
            (
                "2018-08-13T19:19:53-23:59",
                Some([2018, 8, 13, 19, 19, 53, 0]),
            ),
            // No range check here: the datetime made from it decides.
            ("2018-13-40T25:61:61Z", Some([2018, 13, 40, 25, 61, 61, 0])),
            ("0000-00-00T00:00:00", Some([0, 0, 0, 0, 0, 0, 0])),
            ("2018-08-13T19:19:53+24:00", None),
            ("2018-08-13T19:19:53+05:60", None),
            ("2018-08-13T19:19:53+0530", None),
            ("2018-08-13T19:19:53.Z", None),
            ("2018-08-13T19:19:53z", None),
            ("2018-08-13t19:19:53Z", None),
            ("2018-08-13T19:19:5", None),
            ("2018-08-1xT19:19:53Z", None),
            ("2018-08-13T19:19:53Z ", None),
            ("٢٠١٨-08-13T19:19:53Z", None),
            ("2018-08-13T19:19:53.１Z", None),
        ];
        for (text, expected) in cases {
            assert_eq!(docker_time(text.as_bytes()), *expected, "{text}");
        }
    }
}
