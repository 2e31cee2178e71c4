//! Arrow's columnar memory layout, read and written by hand (the format fixes it byte for byte):
//! the values of a binary array from its validity bitmap, offsets and data buffers, and string,
//! int64 and list-of-string columns written as the buffers pyarrow's `Array.from_buffers` takes.
//! Offsets written here are 64-bit (`large_string`, `large_list`), so no column overflows.

/// Bit `index` of a validity bitmap (least significant bit first): whether that slot holds a value.
fn is_set(bitmap: &[u8], index: usize) -> bool {
    bitmap[index / 8] & (1 << (index % 8)) != 0
}

/// The `length` slots of a binary array (`Binary`, or `LargeBinary` when `large`), `None` where
/// the validity bitmap marks a null. `offsets` holds the `length + 1` offsets of those slots, the
/// first of which need not be 0: `data` starts at that byte (so a slice of a large array needs
/// only its own bytes). Bit `bit_offset` of `validity` is the first slot's. Borrows from `data`;
/// an error names the buffer that does not fit.
pub fn binary_values<'a>(
    offsets: &[u8],
    data: &'a [u8],
    validity: Option<&[u8]>,
    bit_offset: usize,
    length: usize,
    large: bool,
) -> Result<Vec<Option<&'a [u8]>>, String> {
    let width = if large { 8 } else { 4 };
    if offsets.len() / width < length + 1 {
        return Err(format!(
            "the offsets buffer holds {} bytes, too few for {length} slots",
            offsets.len()
        ));
    }
    if let Some(bitmap) = validity {
        let bits = bit_offset
            .checked_add(length)
            .ok_or_else(|| "the bit offset and length overflow".to_owned())?;
        if bitmap.len() * 8 < bits {
            return Err(format!(
                "the validity bitmap holds {} bytes, too few for {bits} bits",
                bitmap.len()
            ));
        }
    }
    let at = |i: usize| -> Result<usize, String> {
        let bytes = &offsets[i * width..(i + 1) * width];
        let value = if large {
            i64::from_le_bytes(bytes.try_into().unwrap_or_default())
        } else {
            i64::from(i32::from_le_bytes(bytes.try_into().unwrap_or_default()))
        };
        usize::try_from(value).map_err(|_| format!("offset {i} is negative"))
    };
    let base = at(0)?;
    let mut values = Vec::with_capacity(length);
    let mut start = 0;
    for slot in 0..length {
        let stop = at(slot + 1)?
            .checked_sub(base)
            .filter(|stop| *stop >= start && *stop <= data.len())
            .ok_or_else(|| {
                format!(
                    "slot {slot} does not lie within the {}-byte data buffer (its offsets \
                     decrease or run past it)",
                    data.len()
                )
            })?;
        let valid = validity.is_none_or(|bitmap| is_set(bitmap, bit_offset + slot));
        values.push(valid.then(|| &data[start..stop]));
        start = stop;
    }
    Ok(values)
}

/// A validity bitmap being written.
#[derive(Debug, Default)]
pub struct Validity {
    pub bitmap: Vec<u8>,
    pub len: usize,
    pub null_count: usize,
}

impl Validity {
    fn push(&mut self, valid: bool) {
        if self.len % 8 == 0 {
            self.bitmap.push(0);
        }
        if valid {
            if let Some(last) = self.bitmap.last_mut() {
                *last |= 1 << (self.len % 8);
            }
        } else {
            self.null_count += 1;
        }
        self.len += 1;
    }
}

/// A `large_string` column: validity, 64-bit offsets (little-endian), UTF-8 data.
#[derive(Debug)]
pub struct StringColumn {
    pub validity: Validity,
    pub offsets: Vec<u8>,
    pub data: Vec<u8>,
}

impl Default for StringColumn {
    fn default() -> Self {
        StringColumn {
            validity: Validity::default(),
            offsets: 0i64.to_le_bytes().to_vec(),
            data: Vec::new(),
        }
    }
}

impl StringColumn {
    /// Append a value; text that is not UTF-8 (Python's lone surrogates) is written with
    /// U+FFFD in place of each bad byte sequence, as Arrow strings must be UTF-8.
    pub fn push(&mut self, value: Option<&[u8]>) {
        if let Some(bytes) = value {
            self.data
                .extend_from_slice(String::from_utf8_lossy(bytes).as_bytes());
        }
        self.validity.push(value.is_some());
        self.offsets
            .extend_from_slice(&offset_bytes(self.data.len()));
    }

    pub fn len(&self) -> usize {
        self.validity.len
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// An `int64` column: validity and little-endian values.
#[derive(Debug, Default)]
pub struct IntColumn {
    pub validity: Validity,
    pub values: Vec<u8>,
}

impl IntColumn {
    pub fn push(&mut self, value: Option<i64>) {
        self.values
            .extend_from_slice(&value.unwrap_or_default().to_le_bytes());
        self.validity.push(value.is_some());
    }
}

/// A `large_list<large_string>` column whose items are never null.
#[derive(Debug)]
pub struct StringListColumn {
    pub validity: Validity,
    pub offsets: Vec<u8>,
    pub items: StringColumn,
}

impl Default for StringListColumn {
    fn default() -> Self {
        StringListColumn {
            validity: Validity::default(),
            offsets: 0i64.to_le_bytes().to_vec(),
            items: StringColumn::default(),
        }
    }
}

impl StringListColumn {
    pub fn push<'a>(&mut self, value: Option<impl IntoIterator<Item = &'a [u8]>>) {
        let valid = value.is_some();
        for item in value.into_iter().flatten() {
            self.items.push(Some(item));
        }
        self.validity.push(valid);
        self.offsets
            .extend_from_slice(&offset_bytes(self.items.len()));
    }
}

fn offset_bytes(offset: usize) -> [u8; 8] {
    // Vectors never hold more than isize::MAX bytes.
    i64::try_from(offset).unwrap_or(i64::MAX).to_le_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offsets32(values: &[i32]) -> Vec<u8> {
        values.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    #[test]
    fn binary_values_read_slots_nulls_and_slices() {
        let data = b"aabbbcd";
        let offsets = offsets32(&[0, 2, 5, 5, 6, 7]);
        let all = binary_values(&offsets, data, None, 0, 5, false).unwrap();
        let expected: Vec<Option<&[u8]>> =
            vec![Some(b"aa"), Some(b"bbb"), Some(b""), Some(b"c"), Some(b"d")];
        assert_eq!(all, expected);
        // Slots 1..4 of that array: their offsets, their bytes, the bitmap from bit 1 (slot 2
        // of the whole is null: bit 2 clear).
        let bitmap = [0b1111_1011u8];
        let sliced = binary_values(
            &offsets32(&[2, 5, 5, 6]),
            b"bbbc",
            Some(&bitmap),
            1,
            3,
            false,
        )
        .unwrap();
        assert_eq!(sliced, vec![Some(&b"bbb"[..]), None, Some(b"c")]);
        let large: Vec<u8> = [0i64, 2, 5].iter().flat_map(|v| v.to_le_bytes()).collect();
        let read = binary_values(&large, data, None, 0, 2, true).unwrap();
        assert_eq!(read, vec![Some(&b"aa"[..]), Some(b"bbb")]);
        assert_eq!(
            binary_values(&offsets32(&[0]), b"", None, 0, 0, false).unwrap(),
            vec![]
        );
    }

    #[test]
    fn binary_values_refuse_buffers_that_do_not_fit() {
        const CASES: &[(&[i32], usize, &str)] = &[
            (&[0, 2], 2, "too few for 2 slots"),
            (
                &[0, 9],
                1,
                "slot 0 does not lie within the 3-byte data buffer",
            ),
            (&[0, 2, 1], 2, "slot 1 does not lie within"),
            (&[3, 1], 1, "slot 0 does not lie within"),
            (&[-1, 1], 1, "offset 0 is negative"),
        ];
        for (offsets, length, message) in CASES {
            let error =
                binary_values(&offsets32(offsets), b"abc", None, 0, *length, false).unwrap_err();
            assert!(error.contains(message), "{offsets:?}: {error}");
        }
        let error = binary_values(&offsets32(&[0; 10]), b"", Some(&[0xff]), 1, 8, false);
        assert!(error
            .unwrap_err()
            .contains("validity bitmap holds 1 bytes, too few for 9 bits"));
        let error = binary_values(
            &offsets32(&[0; 2]),
            b"",
            Some(&[0xff]),
            usize::MAX,
            1,
            false,
        );
        assert!(error.unwrap_err().contains("overflow"));
    }

    #[test]
    fn columns_are_written_in_arrow_layout() {
        let mut strings = StringColumn::default();
        strings.push(Some(b"ab"));
        strings.push(None);
        strings.push(Some(b"\xed\xa0\x80")); // a lone surrogate, as Python's surrogatepass writes it
        assert_eq!(strings.validity.bitmap, vec![0b101]);
        assert_eq!(strings.validity.null_count, 1);
        assert_eq!(strings.data, "ab\u{fffd}\u{fffd}\u{fffd}".as_bytes());
        let offsets: Vec<u8> = [0i64, 2, 2, 11]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        assert_eq!(strings.offsets, offsets);

        let mut ints = IntColumn::default();
        ints.push(Some(-2));
        ints.push(None);
        assert_eq!(ints.values[..8], (-2i64).to_le_bytes());
        assert_eq!(ints.validity.bitmap, vec![0b01]);

        let mut lists = StringListColumn::default();
        lists.push(Some([&b"x"[..], b"yz"]));
        lists.push(None::<[&[u8]; 0]>);
        lists.push(Some([]));
        let offsets: Vec<u8> = [0i64, 2, 2, 2]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        assert_eq!(lists.offsets, offsets);
        assert_eq!(lists.items.data, b"xyz");
        assert_eq!(lists.validity.bitmap, vec![0b101]);

        let mut many = StringColumn::default();
        for i in 0..20 {
            many.push((i % 3 != 0).then_some(&b"v"[..]));
        }
        assert_eq!(many.validity.bitmap.len(), 3);
        assert_eq!(many.validity.null_count, 7);
    }
}
