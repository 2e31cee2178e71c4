//! A layer blob's size, digest and diff ID (the SHA-256 of the uncompressed tar) in one
//! streaming pass. The compression is told by the blob's first bytes, as containers/image's
//! `compression.DetectCompression` does: gzip (any number of members) and zstd are
//! decompressed; anything else is taken as an uncompressed tar, whose diff ID is its digest.
//! bzip2 and xz layers are refused. The blob is fed in chunks (`LayerHasher`), so a reader, a
//! file or a download can drive it.

use std::io::{self, Read, Write};
use std::sync::mpsc::{sync_channel, SyncSender};

use ring::digest::{Context, SHA256};

use crate::error::{Error, Result};
use crate::manifest::sha256_hex;

/// What `layer_info` measured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerInfo {
    pub size: u64,
    /// `sha256:<hex>` of the blob as stored.
    pub digest: String,
    /// `sha256:<hex>` of the uncompressed layer.
    pub diff_id: String,
    /// `gzip`, `zstd` or `none`.
    pub compression: &'static str,
}

/// Why a blob could not be measured: reading it failed, or its content is wrong.
#[derive(Debug)]
pub enum LayerError {
    Io(io::Error),
    Bad(Error),
}

impl From<Error> for LayerError {
    fn from(e: Error) -> Self {
        LayerError::Bad(e)
    }
}

fn hex(ctx: Context) -> String {
    let d = ctx.finish();
    let mut s = String::with_capacity(71);
    s.push_str("sha256:");
    for b in d.as_ref() {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// The hashing end of the decompressor: it hashes here, or sends the output in batches to a
/// hashing thread (`layer_info`, where inflating and hashing then run side by side).
enum Sink {
    Hash(Context),
    Send {
        batch: Vec<u8>,
        tx: SyncSender<Vec<u8>>,
    },
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Hash(ctx) => ctx.update(buf),
            Sink::Send { batch, tx } => {
                batch.extend_from_slice(buf);
                if batch.len() >= CHUNK {
                    let full = std::mem::replace(batch, Vec::with_capacity(CHUNK));
                    tx.send(full)
                        .map_err(|_| io::Error::other("the hashing thread stopped"))?;
                }
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Where the diff ID's hash ended up.
enum Hashed {
    /// An uncompressed blob: the diff ID is its digest.
    Same,
    Here(Box<Context>),
    /// On the thread the sink sent to.
    Elsewhere,
}

impl Sink {
    fn close(self) -> io::Result<Hashed> {
        match self {
            Sink::Hash(ctx) => Ok(Hashed::Here(Box::new(ctx))),
            Sink::Send { batch, tx } => {
                if !batch.is_empty() {
                    tx.send(batch)
                        .map_err(|_| io::Error::other("the hashing thread stopped"))?;
                }
                Ok(Hashed::Elsewhere)
            }
        }
    }
}

/// zstd on its raw streaming API, which tells when a frame ends: a stream that stops inside a
/// frame is an error, as in Go's decoder.
struct Zstd {
    decoder: zstd::stream::raw::Decoder<'static>,
    sink: Sink,
    out: Vec<u8>,
    /// `ZSTD_decompressStream`'s hint: 0 when the last frame is complete and flushed.
    hint: usize,
}

impl Zstd {
    fn new(sink: Sink) -> io::Result<Self> {
        Ok(Zstd {
            decoder: zstd::stream::raw::Decoder::new()?,
            sink,
            out: vec![0u8; 128 * 1024],
            hint: 0,
        })
    }

    fn write(&mut self, chunk: &[u8]) -> io::Result<()> {
        use zstd::stream::raw::{InBuffer, Operation, OutBuffer};
        let mut input = InBuffer::around(chunk);
        loop {
            let mut output = OutBuffer::around(&mut self.out[..]);
            self.hint = self.decoder.run(&mut input, &mut output)?;
            let produced = output.pos();
            self.sink.write_all(&self.out[..produced])?;
            // done when the input is used up and the output had room to spare
            if input.pos == chunk.len() && produced < self.out.len() {
                return Ok(());
            }
        }
    }

    /// (`write` always returns with all output flushed.)
    fn finish(self) -> io::Result<Hashed> {
        if self.hint != 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the stream ends inside a frame",
            ));
        }
        self.sink.close()
    }
}

enum Stage {
    /// The first bytes, until the compression can be told.
    Head(Vec<u8>),
    Gzip(Box<flate2::write::MultiGzDecoder<Sink>>),
    Zstd(Box<Zstd>),
    Plain,
}

const MAGIC_LEN: usize = 6;

/// The uncompressed side: compression detection, decompression and the diff ID's hash.
struct Diff {
    stage: Stage,
    compression: &'static str,
    /// Send the uncompressed output here to be hashed, rather than hash it inline.
    tx: Option<SyncSender<Vec<u8>>>,
}

fn bad_data(compression: &str, e: &io::Error) -> Error {
    Error::malformed(format!("invalid {compression} data in the layer: {e}"))
}

impl Diff {
    fn new(tx: Option<SyncSender<Vec<u8>>>) -> Self {
        Diff {
            stage: Stage::Head(Vec::with_capacity(MAGIC_LEN)),
            compression: "none",
            tx,
        }
    }

    fn update(&mut self, chunk: &[u8]) -> Result<()> {
        if let Stage::Head(head) = &mut self.stage {
            head.extend_from_slice(chunk);
            if head.len() < MAGIC_LEN {
                return Ok(());
            }
            let head = std::mem::take(head);
            return self.start(&head);
        }
        self.feed(chunk)
    }

    fn start(&mut self, head: &[u8]) -> Result<()> {
        let sink = match self.tx.take() {
            Some(tx) => Sink::Send {
                batch: Vec::with_capacity(CHUNK),
                tx,
            },
            None => Sink::Hash(Context::new(&SHA256)),
        };
        if head.starts_with(&[0x1f, 0x8b, 0x08]) {
            self.compression = "gzip";
            self.stage = Stage::Gzip(Box::new(flate2::write::MultiGzDecoder::new(sink)));
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            self.compression = "zstd";
            let decoder = Zstd::new(sink).map_err(|e| bad_data("zstd", &e))?;
            self.stage = Stage::Zstd(Box::new(decoder));
        } else if head.starts_with(b"BZh") {
            return Err(Error::malformed("bzip2 layers are not supported"));
        } else if head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0x00]) {
            return Err(Error::malformed("xz layers are not supported"));
        } else {
            self.stage = Stage::Plain;
        }
        self.feed(head)
    }

    fn feed(&mut self, chunk: &[u8]) -> Result<()> {
        let compression = self.compression;
        let result = match &mut self.stage {
            Stage::Gzip(d) => d.write_all(chunk),
            Stage::Zstd(d) => d.write(chunk),
            Stage::Plain | Stage::Head(_) => Ok(()),
        };
        result.map_err(|e| bad_data(compression, &e))
    }

    /// Where the hash of the uncompressed stream is, and the compression.
    fn finish(mut self) -> Result<(Hashed, &'static str)> {
        if let Stage::Head(head) = &mut self.stage {
            let head = std::mem::take(head);
            self.start(&head)?;
        }
        let compression = self.compression;
        let diff = match self.stage {
            Stage::Gzip(mut d) => {
                d.try_finish().map_err(|e| bad_data(compression, &e))?;
                let sink = d.finish().map_err(|e| bad_data(compression, &e))?;
                sink.close().map_err(|e| bad_data(compression, &e))?
            }
            Stage::Zstd(d) => d.finish().map_err(|e| bad_data(compression, &e))?,
            Stage::Plain | Stage::Head(_) => Hashed::Same,
        };
        Ok((diff, compression))
    }
}

fn measured(
    blob: Context,
    size: u64,
    diff: (Hashed, &'static str),
    expected: Option<&str>,
) -> Result<LayerInfo> {
    let digest = hex(blob);
    if let Some(want) = expected {
        if want != digest {
            return Err(Error::malformed(format!(
                "layer blob has digest {digest}, not the expected {want}"
            )));
        }
    }
    let (diff, compression) = diff;
    let diff_id = match diff {
        Hashed::Here(ctx) => hex(*ctx),
        Hashed::Same => digest.clone(),
        Hashed::Elsewhere => return Err(Error::malformed("the diff ID was not computed")),
    };
    Ok(LayerInfo {
        size,
        digest,
        diff_id,
        compression,
    })
}

/// A blob fed in chunks: digest, size and diff ID at the end (`finish`).
pub struct LayerHasher {
    blob: Context,
    size: u64,
    diff: Diff,
}

impl Default for LayerHasher {
    fn default() -> Self {
        Self::new()
    }
}

impl LayerHasher {
    pub fn new() -> Self {
        LayerHasher {
            blob: Context::new(&SHA256),
            size: 0,
            diff: Diff::new(None),
        }
    }

    pub fn update(&mut self, chunk: &[u8]) -> Result<()> {
        self.blob.update(chunk);
        self.size += chunk.len() as u64;
        self.diff.update(chunk)
    }

    /// The measurements; with `expected` (a `sha256:` digest), a blob with another digest is
    /// an error.
    pub fn finish(self, expected: Option<&str>) -> Result<LayerInfo> {
        let diff = self.diff.finish()?;
        measured(self.blob, self.size, diff, expected)
    }
}

const CHUNK: usize = 256 * 1024;

/// Measure the blob read from `reader` (see `LayerHasher::finish` for `expected`). The blob's
/// own hash and the decompression with its hash run on two threads, chunks passing between.
pub fn layer_info(
    mut reader: impl Read,
    expected: Option<&str>,
) -> std::result::Result<LayerInfo, LayerError> {
    let (tx, rx) = sync_channel::<Vec<u8>>(8);
    let (out_tx, out_rx) = sync_channel::<Vec<u8>>(8);
    std::thread::scope(|scope| {
        // three stages side by side: read and hash the blob (here), decompress (worker), hash
        // the uncompressed stream (hasher)
        let hasher = scope.spawn(move || {
            let mut ctx = Context::new(&SHA256);
            for chunk in out_rx {
                ctx.update(&chunk);
            }
            ctx
        });
        let worker = scope.spawn(move || {
            let mut diff = Diff::new(Some(out_tx));
            for chunk in rx {
                // on an error, returning drops the receiver and stops the reading side
                diff.update(&chunk)?;
            }
            diff.finish()
        });
        let mut blob = Context::new(&SHA256);
        let mut size = 0u64;
        let read = loop {
            let mut buf = vec![0u8; CHUNK];
            match reader.read(&mut buf) {
                Ok(0) => break Ok(()),
                Ok(n) => {
                    buf.truncate(n);
                    blob.update(&buf);
                    size += n as u64;
                    if tx.send(buf).is_err() {
                        break Ok(());
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => break Err(e),
            }
        };
        drop(tx);
        let failed = || Error::malformed("the layer decompression failed");
        let diff = worker.join().unwrap_or_else(|_| Err(failed()));
        let elsewhere = hasher.join().map_err(|_| failed())?;
        read.map_err(LayerError::Io)?;
        let (hashed, compression) = diff?;
        let hashed = match hashed {
            Hashed::Elsewhere => Hashed::Here(Box::new(elsewhere)),
            other => other,
        };
        Ok(measured(blob, size, (hashed, compression), expected)?)
    })
}

/// `layer_info` of an in-memory blob.
pub fn layer_info_bytes(blob: &[u8], expected: Option<&str>) -> Result<LayerInfo> {
    layer_info(blob, expected).map_err(|e| match e {
        LayerError::Bad(e) => e,
        LayerError::Io(e) => Error::malformed(e.to_string()),
    })
}

/// `layer_info` of many files, spread over all cores; results in input order.
pub fn layer_infos_files(
    paths: &[(std::path::PathBuf, Option<String>)],
) -> Vec<std::result::Result<LayerInfo, LayerError>> {
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(paths.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let slots: Vec<std::sync::Mutex<Option<std::result::Result<LayerInfo, LayerError>>>> =
        paths.iter().map(|_| std::sync::Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some((path, expected)) = paths.get(i) else {
                    break;
                };
                let result = std::fs::File::open(path)
                    .map_err(LayerError::Io)
                    .and_then(|f| {
                        layer_info(io::BufReader::with_capacity(CHUNK, f), expected.as_deref())
                    });
                if let Ok(mut slot) = slots[i].lock() {
                    *slot = Some(result);
                }
            });
        }
    });
    slots
        .into_iter()
        .map(|m| {
            m.into_inner()
                .ok()
                .flatten()
                .unwrap_or_else(|| Err(LayerError::Bad(Error::malformed("layer worker failed"))))
        })
        .collect()
}

/// The SHA-256 of 1024 zero bytes: the diff ID of the empty tar, which the well-known empty
/// gzip layer (`sha256:a3ed95ca...`) holds.
pub fn empty_tar_diff_id() -> String {
    sha256_hex(&[&[0u8; 1024]])
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// distribution's `gzippedEmptyTar` (1024 zero bytes, gzipped).
    const EMPTY_GZIP_LAYER: &[u8] = &[
        31, 139, 8, 0, 0, 9, 110, 136, 0, 255, 98, 24, 5, 163, 96, 20, 140, 88, 0, 8, 0, 0, 255,
        255, 46, 175, 181, 239, 0, 4, 0, 0,
    ];

    #[test]
    fn the_empty_gzip_layer() {
        let info = layer_info_bytes(EMPTY_GZIP_LAYER, None).unwrap();
        assert_eq!(
            info.digest,
            "sha256:a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4"
        );
        assert_eq!(info.size, 32);
        assert_eq!(info.diff_id, empty_tar_diff_id());
        assert_eq!(info.compression, "gzip");
    }

    #[test]
    fn gzip_members_zstd_and_plain_give_one_diff_id() {
        let tar: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
        let want = sha256_hex(&[&tar]);
        let gz = |data: &[u8]| {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(data).unwrap();
            e.finish().unwrap()
        };
        let mut two_members = gz(&tar[..1000]);
        two_members.extend(gz(&tar[1000..]));
        let zst = zstd::stream::encode_all(&tar[..], 1).unwrap();
        for blob in [gz(&tar), two_members, zst, tar.clone()] {
            let info = layer_info_bytes(&blob, None).unwrap();
            assert_eq!(info.diff_id, want);
            assert_eq!(info.size, blob.len() as u64);
            assert_eq!(info.digest, sha256_hex(&[&blob]));
        }
    }

    #[test]
    fn chunks_of_any_size_give_the_same_result() {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(&[7u8; 100_000]).unwrap();
        let blob = e.finish().unwrap();
        let whole = layer_info_bytes(&blob, None).unwrap();
        for size in [1, 5, 6, 7, 4096] {
            let mut hasher = LayerHasher::new();
            for chunk in blob.chunks(size) {
                hasher.update(chunk).unwrap();
            }
            assert_eq!(hasher.finish(None).unwrap(), whole, "chunks of {size}");
        }
        let mut short = LayerHasher::new();
        short.update(b"tar").unwrap();
        assert_eq!(short.finish(None).unwrap().diff_id, sha256_hex(&[b"tar"]));
    }

    #[test]
    fn a_wrong_digest_or_broken_data_is_an_error() {
        let wrong = "sha256:0000000000000000000000000000000000000000000000000000000000000000";
        let e = layer_info_bytes(EMPTY_GZIP_LAYER, Some(wrong)).unwrap_err();
        assert!(e.message().contains("not the expected"), "{e}");
        let mut broken = EMPTY_GZIP_LAYER.to_vec();
        broken[12] ^= 0xff;
        assert!(layer_info_bytes(&broken, None).is_err());
        assert!(layer_info_bytes(&EMPTY_GZIP_LAYER[..20], None).is_err());
        assert!(layer_info_bytes(b"BZh91AY", None).is_err());
        let zst = zstd::stream::encode_all(&[5u8; 50_000][..], 3).unwrap();
        assert!(layer_info_bytes(&zst, None).is_ok());
        for cut in [zst.len() - 1, zst.len() / 2, 8] {
            let e = layer_info_bytes(&zst[..cut], None).unwrap_err();
            assert!(e.message().contains("zstd"), "{cut}: {e}");
        }
    }
}
