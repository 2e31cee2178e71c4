//! Random edits of JSON texts for the tests that compare a fast reader with the full one:
//! bytes JSON cares about inserted, replaced and removed, from a fixed seed (no dependency).

/// `count` edited copies of each of `texts` (1 to 3 edits each, bytes from `alphabet`), those
/// that are still UTF-8 (the readers take decoded Python strings).
pub fn edited_texts<'a>(
    texts: &'a [&'a str],
    alphabet: &'a [u8],
    seed: u64,
    count: usize,
) -> impl Iterator<Item = String> + 'a {
    let mut state = seed;
    let mut next = move |bound: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % bound as u64) as usize
    };
    texts
        .iter()
        .flat_map(move |text| std::iter::repeat_n(*text, count))
        .filter_map(move |text| {
            let mut bytes = text.as_bytes().to_vec();
            for _ in 0..1 + next(3) {
                let at = next(bytes.len() + 1);
                match next(3) {
                    0 => bytes.insert(at, alphabet[next(alphabet.len())]),
                    1 if at < bytes.len() => bytes[at] = alphabet[next(alphabet.len())],
                    _ if at < bytes.len() => {
                        bytes.remove(at);
                    }
                    _ => {}
                }
            }
            String::from_utf8(bytes).ok()
        })
}
