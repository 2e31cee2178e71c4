//! Parse speed of this crate's Python-exact JSON reader against `serde_json` on the same
//! documents, in one run (see `rust/src/json/mod.rs` for why the reader is our own).
//!
//!     cargo run --release --example json_parse_speed -- FILE...
//!
//! With no files, it reads the manifests shipped in `examples/`. Prints MB/s of each reader
//! per file and in total, and the ratio; then the manifest reader's own rates: the document
//! read through `schema::DOCUMENT` (what construction does) and `json::check` (validation
//! only, nothing built: the bound for reading less).

use std::time::{Duration, Instant};

fn rate(bytes: usize, elapsed: Duration) -> f64 {
    bytes as f64 / elapsed.as_secs_f64() / 1e6
}

fn time(data: &[u8], parse: impl Fn(&[u8]) -> bool) -> Duration {
    // Enough rounds for about 0.2 s, then the best of five such runs.
    let start = Instant::now();
    let mut rounds = 0u32;
    while start.elapsed() < Duration::from_millis(50) {
        assert!(parse(data));
        rounds += 1;
    }
    let rounds = rounds.saturating_mul(4).max(1);
    (0..5)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..rounds {
                assert!(parse(data));
            }
            start.elapsed() / rounds
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    let mut paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.is_empty() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples");
        let mut found: Vec<String> = std::fs::read_dir(dir)
            .expect("examples/")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .map(|p| p.display().to_string())
            .collect();
        found.sort();
        paths = found;
    }
    let (mut ours_total, mut serde_total, mut bytes_total) = (0.0, 0.0, 0usize);
    let mut reader_rates = Vec::new();
    println!(
        "{:>10} {:>12} {:>12} {:>7}  file",
        "bytes", "ours MB/s", "serde MB/s", "ratio"
    );
    for path in &paths {
        let data = std::fs::read(path).expect("readable file");
        let ours = time(&data, |d| docker_schema1::json::parse(d).is_ok());
        let serde = time(&data, |d| {
            serde_json::from_slice::<serde_json::Value>(d).is_ok()
        });
        let doc = time(&data, |d| {
            docker_schema1::json::parse_select(d, &docker_schema1::schema::DOCUMENT).is_ok()
        });
        let scan = time(&data, |d| docker_schema1::json::check(d).is_ok());
        reader_rates.push((data.len(), doc, scan, path));
        ours_total += ours.as_secs_f64();
        serde_total += serde.as_secs_f64();
        bytes_total += data.len();
        println!(
            "{:>10} {:>12.0} {:>12.0} {:>7.2}  {path}",
            data.len(),
            rate(data.len(), ours),
            rate(data.len(), serde),
            serde.as_secs_f64() / ours.as_secs_f64()
        );
    }
    println!(
        "{:>10} {:>12.0} {:>12.0} {:>7.2}  all (serde time / our time)",
        bytes_total,
        bytes_total as f64 / ours_total / 1e6,
        bytes_total as f64 / serde_total / 1e6,
        serde_total / ours_total
    );
    println!(
        "{:>10} {:>12} {:>12}  file",
        "bytes", "doc MB/s", "check MB/s"
    );
    for (len, doc, scan, path) in reader_rates {
        println!(
            "{len:>10} {:>12.0} {:>12.0}  {path}",
            rate(len, doc),
            rate(len, scan)
        );
    }
}
