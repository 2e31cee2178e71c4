//! The pyo3 binding: the only file that names Python. Functions only, bytes and plain
//! values in, plain values out; the public classes live in the Python package.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PySlice, PyString, PyTuple};

use std::sync::{Arc, Mutex, OnceLock};

use crate::build::{self, Signer};
use crate::convert;
use crate::error::Error;
use crate::floor;
use crate::json::{self, LazyStr, Object, PyStr, Value};
use crate::layer_info;
use crate::layers::{self, LayerFields};
use crate::manifest;
use crate::rewrite;
use crate::signing_key::SigningKey;
use crate::{arrow_layout, backfill, batch};

/// The extension's Rust allocations (parsed documents, layer fields, batch results made on one
/// thread and freed on another) go to mimalloc; Python's own objects stay with Python's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pyo3::import_exception!(docker_schema1.errors, MalformedSchema1Manifest);
pyo3::import_exception!(docker_schema1.errors, InvalidSchema1Signature);

impl From<Error> for PyErr {
    fn from(error: Error) -> PyErr {
        match error {
            Error::Malformed(message) => MalformedSchema1Manifest::new_err(message),
            Error::Signature(message) => InvalidSchema1Signature::new_err(message),
            Error::Key(message) => PyValueError::new_err(message),
        }
    }
}

/// Parse and check a manifest; see `_backend.ParsedManifest` for the keys.
#[pyfunction]
fn parse_manifest<'py>(
    py: Python<'py>,
    data: &[u8],
    validate: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let parsed = py.detach(|| manifest::parse(data, validate))?;
    manifest_dict(py, parsed)
}

/// The dict `_backend.ParsedManifest` describes.
fn manifest_dict(py: Python<'_>, parsed: manifest::Manifest) -> PyResult<Bound<'_, PyDict>> {
    let out = PyDict::new(py);
    out.set_item("name", py_str(py, &parsed.name)?)?;
    out.set_item("tag", py_str(py, &parsed.tag)?)?;
    // Members the core did not build (DESIGN 6.9) are read when asked for: `manifest_member`.
    let raw_member = |key: &str, value: &Option<Value>| -> PyResult<Bound<'_, PyAny>> {
        if parsed.unread.contains(&key) {
            return py.import("docker_schema1._backend")?.getattr("UNREAD");
        }
        match value {
            Some(value) => to_py(py, value),
            None => Ok(py.None().into_bound(py)),
        }
    };
    out.set_item(
        "architecture",
        raw_member("architecture", &parsed.architecture)?,
    )?;
    out.set_item("signatures", raw_member("signatures", &parsed.signatures)?)?;
    out.set_item("digest", &parsed.digest)?;
    let signers = PyList::empty(py);
    for signer in &parsed.signers {
        signers.append((signer.alg.name(), &signer.key_id))?;
    }
    out.set_item("signers", signers)?;
    let history = HistoryPy {
        blob_sums: parsed.blob_sums,
        v1_compat: parsed.v1_compat,
        unencodable: OnceLock::new(),
    };
    out.set_item("history", Bound::new(py, history)?)?;
    Ok(out)
}

/// The whole document as Python's `json.loads` gives it.
#[pyfunction]
fn manifest_value<'py>(py: Python<'py>, data: &[u8]) -> PyResult<Bound<'py, PyAny>> {
    let value = py.detach(|| json::loads(data))?;
    to_py(py, &value)
}

/// Whether `json.loads(data)` succeeds within the depth limit, building nothing: raises
/// `MalformedSchema1Manifest` with the error `manifest_value` would give.
#[pyfunction]
fn check_json(py: Python<'_>, data: &[u8]) -> PyResult<()> {
    py.detach(|| json::check(data))
        .map_err(|e| Error::malformed(format!("malformed manifest data: {}", e.message())).into())
}

/// One top-level member (`architecture` or `signatures`) as `json.loads` gives it, None when
/// absent: what `parse_manifest` left unread.
#[pyfunction]
fn manifest_member<'py>(py: Python<'py>, data: &[u8], key: &str) -> PyResult<Bound<'py, PyAny>> {
    match py.detach(|| manifest::member(data, key))? {
        Some(value) => to_py(py, &value),
        None => Ok(py.None().into_bound(py)),
    }
}

/// A manifest's `fsLayers` blob sums and `history` entries, kept in Rust after parsing so that
/// reading the layers later needs no copy back from Python (see `_backend.History`).
#[pyclass(name = "History", module = "docker_schema1._rust", frozen)]
struct HistoryPy {
    blob_sums: Vec<PyStr>,
    /// Decoded on first read.
    v1_compat: Vec<LazyStr>,
    /// `rewrite::unencodable` of the layers, found on first use.
    unencodable: OnceLock<Option<Error>>,
}

#[pymethods]
impl HistoryPy {
    fn __len__(&self) -> usize {
        self.blob_sums.len()
    }

    fn blob_sums<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        py_str_list(py, &self.blob_sums)
    }

    fn v1_compat<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let out = PyList::empty(py);
        for item in &self.v1_compat {
            out.append(py_str(py, item.get())?)?;
        }
        Ok(out)
    }

    fn fields<'py>(
        &self,
        py: Python<'py>,
        allow_missing_ids: bool,
    ) -> PyResult<Bound<'py, PyList>> {
        layer_tuples(py, &self.blob_sums, &self.v1_compat, allow_missing_ids)
    }

    /// The layers as the model's records, base first: per layer
    /// `layer_type(digest_type(algorithm, hex), metadata_type(image_id, parent_image_id,
    /// created, comment, command, author, labels), raw_v1[i], size, False, None)`. The two
    /// namedtuples are made with `tuple.__new__`, which is what their own `__new__` (Python
    /// code) calls.
    fn records<'py>(
        &self,
        py: Python<'py>,
        allow_missing_ids: bool,
        raw_v1: &Bound<'py, PyList>,
        layer_type: &Bound<'py, PyAny>,
        metadata_type: &Bound<'py, PyAny>,
        digest_type: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyList>> {
        let fields = read_layer_fields(py, &self.blob_sums, &self.v1_compat, allow_missing_ids)?;
        if raw_v1.len() != fields.len() {
            return Err(PyValueError::new_err("raw_v1 holds one text per layer"));
        }
        let tuple_new = py
            .get_type::<PyTuple>()
            .getattr(pyo3::intern!(py, "__new__"))?;
        let count = fields.len();
        let mut out = Vec::with_capacity(count);
        let mut previous = None;
        for (position, layer) in fields.iter().enumerate() {
            // is_digest passed: ASCII `algorithm:hex`.
            let v1 = self.v1_compat[count - 1 - position].get();
            let raw = raw_v1.get_item(position)?;
            let blob_sum = self.blob_sums[count - 1 - position]
                .as_str()
                .unwrap_or_default();
            let (algorithm, hex) = blob_sum.split_once(':').unwrap_or((blob_sum, ""));
            let digest = new_digest(py, digest_type, algorithm, hex)?;
            let metadata = metadata_to_py(py, layer, v1, Some(&raw), &mut previous)?;
            let metadata = tuple_new.call1((metadata_type, PyTuple::new(py, metadata)?))?;
            let record = PyTuple::new(
                py,
                [
                    digest,
                    metadata,
                    raw,
                    to_py(py, &layer.size)?,
                    PyBool::new(py, false).to_owned().into_any(),
                    py.None().into_bound(py),
                ],
            )?;
            out.push(tuple_new.call1((layer_type, record))?);
        }
        PyList::new(py, out)
    }

    /// Raises `MalformedSchema1Manifest` when a layer's blobSum or v1Compatibility cannot be
    /// encoded as UTF-8 (a lone surrogate), as Quay's running digest fails on it even when no
    /// id is rewritten (see `rewrite::unencodable`).
    fn check_encodable(&self, py: Python<'_>) -> PyResult<()> {
        // Not inside get_or_init: another thread waiting there while attached would keep
        // this one from attaching again.
        if self.unencodable.get().is_none() {
            let found = py.detach(|| {
                let layers: Vec<(&PyStr, &PyStr)> = self
                    .blob_sums
                    .iter()
                    .zip(self.v1_compat.iter().map(LazyStr::get))
                    .rev()
                    .collect();
                rewrite::unencodable(&layers).err()
            });
            let _ = self.unencodable.set(found);
        }
        match self.unencodable.get().and_then(Option::as_ref) {
            Some(error) => Err(error.clone().into()),
            None => Ok(()),
        }
    }

    /// The records of `rewrite_invalid_image_ids` from the first rewritten layer on: per
    /// layer, `rows[i]` (its record's fields when nothing is rewritten) with the new id at 2,
    /// the remapped parent at 9 and the new text at 10, made by `tuple.__new__(record_type,
    /// fields)` when `namedtuple` (a namedtuple of those fields), else by
    /// `record_type(*fields)`.
    fn rewritten_records<'py>(
        &self,
        py: Python<'py>,
        earlier_ids: Vec<Option<Bound<'py, PyString>>>,
        rows: &Bound<'py, PyList>,
        record_type: &Bound<'py, PyAny>,
        namedtuple: bool,
    ) -> PyResult<Bound<'py, PyList>> {
        let rewritten = self.rewrite(py, &earlier_ids)?;
        if rows.len() != rewritten.len() {
            return Err(PyValueError::new_err(
                "rows holds one row per rewritten layer",
            ));
        }
        let tuple_new = py
            .get_type::<PyTuple>()
            .getattr(pyo3::intern!(py, "__new__"))?;
        let mut out = Vec::with_capacity(rewritten.len());
        for (layer, row) in rewritten.iter().zip(rows.iter()) {
            let row = row.cast_into::<PyTuple>()?;
            if row.len() != 11 {
                return Err(PyValueError::new_err("a row holds a record's 11 fields"));
            }
            let parent = match &layer.parent {
                Some(parent) => py_str(py, parent)?,
                None => py.None().into_bound(py),
            };
            let mut fields = Vec::with_capacity(11);
            fields.extend(row.iter().take(2));
            fields.push(new_str(py, &layer.image_id)?);
            fields.extend(row.iter().skip(3).take(6));
            fields.extend([parent, py_str(py, &layer.compat_json)?]);
            let fields = PyTuple::new(py, fields)?;
            out.push(if namedtuple {
                tuple_new.call1((record_type, fields))?
            } else {
                record_type.call1(fields)?
            });
        }
        PyList::new(py, out)
    }
}

impl HistoryPy {
    /// `rewrite::rewrite_from` of these layers (the GIL released for large histories).
    fn rewrite(
        &self,
        py: Python<'_>,
        earlier_ids: &[Option<Bound<'_, PyString>>],
    ) -> PyResult<Vec<rewrite::RewrittenLayer>> {
        let earlier_ids = earlier_ids
            .iter()
            .map(|id| id.as_ref().map(from_py_str).transpose())
            .collect::<PyResult<Vec<_>>>()?;
        let run = || {
            let layers: Vec<(&PyStr, &PyStr)> = self
                .blob_sums
                .iter()
                .zip(self.v1_compat.iter().map(LazyStr::get))
                .rev()
                .collect();
            rewrite::rewrite_from(&layers, &earlier_ids)
        };
        Ok(detach_if_large(py, &self.v1_compat, run)?)
    }
}

/// `digest_type(algorithm, hex)`. The package's own `Digest` (slots `_hash_alg` and
/// `_hash_bytes`, an `__init__` that only sets them) is made without that Python-level call, a
/// fifth of the cost of a layer's records, and shares one `"sha256"` string; any other class
/// (Quay's) is called.
fn new_digest<'py>(
    py: Python<'py>,
    digest_type: &Bound<'py, PyAny>,
    algorithm: &str,
    hex: &str,
) -> PyResult<Bound<'py, PyAny>> {
    static OWN_DIGEST: pyo3::sync::PyOnceLock<Py<PyAny>> = pyo3::sync::PyOnceLock::new();
    let own = OWN_DIGEST.get_or_try_init(py, || {
        PyResult::Ok(
            py.import("docker_schema1.digest")?
                .getattr("Digest")?
                .unbind(),
        )
    })?;
    let algorithm = if algorithm == "sha256" {
        pyo3::intern!(py, "sha256").clone()
    } else {
        new_str(py, algorithm)?.cast_into::<PyString>()?
    };
    if !digest_type.is(own.bind(py)) {
        return digest_type.call1((algorithm, hex));
    }
    let digest = digest_type.call_method1(pyo3::intern!(py, "__new__"), (digest_type,))?;
    digest.setattr(pyo3::intern!(py, "_hash_alg"), algorithm)?;
    digest.setattr(pyo3::intern!(py, "_hash_bytes"), hex)?;
    Ok(digest)
}

/// Bytes of JSON below which a call keeps the GIL (the work takes a few microseconds).
const SMALL_WORK: usize = 16 * 1024;

/// Every layer's fields, base first (the GIL released for large histories).
fn read_layer_fields(
    py: Python<'_>,
    blob_sums: &[PyStr],
    v1_compat: &[LazyStr],
    allow_missing_ids: bool,
) -> PyResult<Vec<LayerFields>> {
    let read = || {
        (0..blob_sums.len().min(v1_compat.len()))
            .rev()
            .map(|i| layers::layer_fields(i, &blob_sums[i], &v1_compat[i], allow_missing_ids))
            .collect::<Result<Vec<LayerFields>, Error>>()
    };
    Ok(detach_if_large(py, v1_compat, read)?)
}

/// `work` over the layers `v1_compat`, the GIL released only when they are large: releasing
/// it costs more than reading a few small layers.
fn detach_if_large<T: Send>(
    py: Python<'_>,
    v1_compat: &[LazyStr],
    work: impl FnOnce() -> T + Send,
) -> T {
    let size: usize = v1_compat.iter().map(LazyStr::size).sum();
    if size < SMALL_WORK {
        work()
    } else {
        py.detach(work)
    }
}

/// A layer's string field. A span of its v1Compatibility text `v1` is made from those bytes;
/// a long one is sliced from `raw`, the text as a Python string, when that is ASCII (as long in
/// characters as `v1` in bytes, so that offsets agree): one copy instead of a check and a copy.
fn text_to_py<'py>(
    py: Python<'py>,
    text: &layers::Text,
    v1: &PyStr,
    raw: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let span = match text {
        layers::Text::Value(value) => return to_py(py, value),
        layers::Text::Span(span) => span,
    };
    let ascii_text = |raw: &&Bound<'py, PyAny>| {
        raw.is_exact_instance_of::<PyString>() && raw.len().ok() == Some(v1.as_bytes().len())
    };
    if span.len() >= SLICED_FROM {
        if let Some(raw) = raw.filter(ascii_text) {
            let slice = PySlice::new(py, span.start as isize, span.end as isize, 1);
            return raw.get_item(slice);
        }
    }
    py_text(py, &v1.as_bytes()[span.clone()])
}

/// Bytes from which a span is sliced from the text's Python string (below, making a slice
/// object costs more than the check it saves).
const SLICED_FROM: usize = 1024;

/// A layer's seven `Schema1V1Metadata` fields as Python values (`raw`: see [`text_to_py`]).
/// `previous` is the layer before's id and its string, which a parent equal to it shares.
fn metadata_to_py<'py, 'a>(
    py: Python<'py>,
    layer: &'a LayerFields,
    v1: &'a PyStr,
    raw: Option<&Bound<'py, PyAny>>,
    previous: &mut Option<(&'a [u8], Bound<'py, PyAny>)>,
) -> PyResult<[Bound<'py, PyAny>; 7]> {
    let image_id = text_to_py(py, &layer.image_id, v1, raw)?;
    let parent = match (&previous, layer.parent_image_id.string(v1.as_bytes())) {
        (Some((id, object)), Some(parent)) if *id == parent => object.clone(),
        _ => text_to_py(py, &layer.parent_image_id, v1, raw)?,
    };
    *previous = layer
        .image_id
        .string(v1.as_bytes())
        .map(|id| (id, image_id.clone()));
    let command = match &layer.command {
        Some(command) => new_str(py, command)?,
        None => py.None().into_bound(py),
    };
    Ok([
        image_id,
        parent,
        text_to_py(py, &layer.created, v1, raw)?,
        text_to_py(py, &layer.comment, v1, raw)?,
        command,
        text_to_py(py, &layer.author, v1, raw)?,
        to_py(py, &layer.labels)?,
    ])
}

fn layer_tuples<'py>(
    py: Python<'py>,
    blob_sums: &[PyStr],
    v1_compat: &[LazyStr],
    allow_missing_ids: bool,
) -> PyResult<Bound<'py, PyList>> {
    let fields = read_layer_fields(py, blob_sums, v1_compat, allow_missing_ids)?;
    let out = PyList::empty(py);
    let count = fields.len();
    let mut previous = None;
    for (position, layer) in fields.iter().enumerate() {
        let v1 = v1_compat[count - 1 - position].get();
        let mut item = vec![py_str(py, &blob_sums[count - 1 - position])?];
        item.extend(metadata_to_py(py, layer, v1, None, &mut previous)?);
        item.push(to_py(py, &layer.size)?);
        out.append(PyTuple::new(py, item)?)?;
    }
    Ok(out)
}

/// Canonical JSON of a value made of dict/list/tuple/str/int/float/bool/None, or None when
/// the value holds anything else (the caller then uses `json.dumps`, which knows the rest).
#[pyfunction]
fn canonical_json<'py>(
    py: Python<'py>,
    value: &Bound<'py, PyAny>,
    ensure_ascii: bool,
) -> PyResult<Option<Bound<'py, PyString>>> {
    let Some(value) = from_py(value, 0)? else {
        return Ok(None);
    };
    let mut out = Vec::new();
    json::write_canonical(&value, ensure_ascii, &mut out);
    Ok(Some(py_str(py, &PyStr(out))?.cast_into::<PyString>()?))
}

/// The builder's document written as Quay writes it, signed when `key` (JWK JSON, PEM or DER
/// bytes) is given, with the built manifest's parsed dict (as `parse_manifest` gives it, its own
/// signature listed as verified), so the bytes just written need not be parsed again.
#[pyfunction]
#[pyo3(signature = (document, ensure_ascii, key, signing_time))]
fn build_parsed<'py>(
    py: Python<'py>,
    document: &Bound<'py, PyAny>,
    ensure_ascii: bool,
    key: Option<&[u8]>,
    signing_time: &str,
) -> PyResult<(Bound<'py, PyBytes>, Bound<'py, PyDict>)> {
    let Some(document) = from_py(document, 0)? else {
        return Err(PyTypeError::new_err(
            "the manifest document holds a value that is not JSON serializable",
        ));
    };
    let (bytes, parsed) = py.detach(|| -> Result<_, Error> {
        let signer = key.map(cached_signing_key).transpose()?;
        let signer = signer.as_deref().map(|k| k as &dyn Signer);
        let built = build::build_manifest(&document, ensure_ascii, signer, signing_time)?;
        // Anything but the builder's plain document: read the bytes as any manifest.
        let parsed = match manifest::from_built(&document, &built.digest, built.signature.as_ref())
        {
            Some(parsed) => parsed,
            None => manifest::parse(&built.bytes, false)?,
        };
        Ok((built.bytes, parsed))
    })?;
    Ok((new_bytes(py, &bytes)?, manifest_dict(py, parsed)?))
}

/// Recently used keys by their bytes.
type KeyCache = Mutex<Vec<(Vec<u8>, Arc<SigningKey>)>>;

/// Parsing an RSA key costs more than signing with it, and registries sign with one key.
fn cached_signing_key(key: &[u8]) -> Result<Arc<SigningKey>, Error> {
    static CACHE: OnceLock<KeyCache> = OnceLock::new();
    const CAPACITY: usize = 8;
    let cache = CACHE.get_or_init(|| Mutex::new(Vec::new()));
    if let Ok(entries) = cache.lock() {
        if let Some((_, found)) = entries.iter().find(|(bytes, _)| bytes == key) {
            return Ok(Arc::clone(found));
        }
    }
    let parsed = Arc::new(SigningKey::from_bytes(key)?);
    if let Ok(mut entries) = cache.lock() {
        if entries.len() == CAPACITY {
            entries.remove(0);
        }
        entries.push((key.to_vec(), Arc::clone(&parsed)));
    }
    Ok(parsed)
}

/// Quay's `with_metadata_removed()` on builder history entries (leaf first).
#[pyfunction]
fn metadata_removed<'py>(
    py: Python<'py>,
    history: Vec<Bound<'py, PyString>>,
) -> PyResult<Bound<'py, PyList>> {
    let history = from_py_strs(&history)?;
    let stripped = py.detach(|| rewrite::metadata_removed(&history))?;
    py_str_list(py, &stripped)
}

/// The running `digest@v1Compatibility|` SHA-256 after each layer (base first), in hex.
#[pyfunction]
fn digest_history(
    py: Python<'_>,
    blob_sums: Vec<Bound<'_, PyString>>,
    v1_compat: Vec<Bound<'_, PyString>>,
) -> PyResult<Vec<String>> {
    let (blob_sums, v1_compat) = (from_py_strs(&blob_sums)?, from_py_strs(&v1_compat)?);
    Ok(py.detach(|| rewrite::digest_history(&blob_sums, &v1_compat))?)
}

/// For `benches/`: seconds per call of the floor's work on `data` (see `floor.rs`), timed in
/// Rust over `iterations` calls without the GIL.
#[pyfunction]
fn _floor_seconds(py: Python<'_>, data: &[u8], iterations: u32) -> PyResult<f64> {
    let seconds = py.detach(|| -> Result<f64, Error> {
        let start = std::time::Instant::now();
        for _ in 0..iterations {
            std::hint::black_box(floor::floor(std::hint::black_box(data))?);
        }
        Ok(start.elapsed().as_secs_f64() / f64::from(iterations.max(1)))
    })?;
    Ok(seconds)
}

/// For `benches/`: seconds per raw signature of `data` with `key` (no manifest work), timed in
/// Rust over `iterations` calls without the GIL.
#[pyfunction]
fn _sign_seconds(py: Python<'_>, key: &[u8], data: &[u8], iterations: u32) -> PyResult<f64> {
    let seconds = py.detach(|| -> Result<f64, Error> {
        let key = SigningKey::from_bytes(key)?;
        let start = std::time::Instant::now();
        for _ in 0..iterations {
            std::hint::black_box(key.sign(std::hint::black_box(data))?);
        }
        Ok(start.elapsed().as_secs_f64() / f64::from(iterations.max(1)))
    })?;
    Ok(seconds)
}

/// `sha256:<hex>` of `data`.
#[pyfunction]
fn sha256_digest(py: Python<'_>, data: &[u8]) -> String {
    py.detach(|| manifest::sha256_hex(&[data]))
}

/// Docker's `created` form read by fixed positions (see `docker_time.rs`): `(year, month, day,
/// hour, minute, second, microsecond)` with no range check, or None for any other text.
#[pyfunction]
fn docker_time(text: &Bound<'_, PyString>) -> Option<(u32, u32, u32, u32, u32, u32, u32)> {
    // A text with a lone surrogate is not Docker's form (nor is any non-ASCII text).
    let text = text.to_cow().ok()?;
    let [year, month, day, hour, minute, second, microsecond] =
        crate::docker_time::docker_time(text.as_bytes())?;
    Some((year, month, day, hour, minute, second, microsecond))
}

/// A Python `str` of a `PyStr` (lone surrogates decoded with `surrogatepass`). Like the other
/// constructors below, a `MemoryError` when Python cannot allocate it, where pyo3's
/// `PyString::new` and `PyBytes::new` would panic.
fn py_str<'py>(py: Python<'py>, s: &PyStr) -> PyResult<Bound<'py, PyAny>> {
    py_text(py, s.as_bytes())
}

/// [`py_str`] of the bytes of a `PyStr`.
fn py_text<'py>(py: Python<'py>, text: &[u8]) -> PyResult<Bound<'py, PyAny>> {
    if !PyStr::has_surrogate_bytes(text) {
        // Generalized UTF-8 without a surrogate is UTF-8; Python checks it as it decodes.
        return Ok(PyString::from_bytes(py, text)?.into_any());
    }
    Ok(PyString::from_encoded_object(
        new_bytes(py, text)?.as_any(),
        Some(c"utf-8"),
        Some(c"surrogatepass"),
    )?
    .into_any())
}

/// A Python `str` of `text`, a `MemoryError` when it cannot be allocated.
fn new_str<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    Ok(PyString::from_bytes(py, text.as_bytes())?.into_any())
}

/// Python `bytes` of `data`, a `MemoryError` when they cannot be allocated.
fn new_bytes<'py>(py: Python<'py>, data: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
    PyBytes::new_with(py, data.len(), |buffer| {
        buffer.copy_from_slice(data);
        Ok(())
    })
}

fn py_str_list<'py>(py: Python<'py>, items: &[PyStr]) -> PyResult<Bound<'py, PyList>> {
    let out = PyList::empty(py);
    for item in items {
        out.append(py_str(py, item)?)?;
    }
    Ok(out)
}

fn from_py_strs(items: &[Bound<'_, PyString>]) -> PyResult<Vec<PyStr>> {
    items.iter().map(from_py_str).collect()
}

fn from_py_str(s: &Bound<'_, PyString>) -> PyResult<PyStr> {
    if let Ok(text) = s.to_cow() {
        return Ok(PyStr::from(text.as_ref()));
    }
    let bytes = s.call_method1("encode", ("utf-8", "surrogatepass"))?;
    Ok(PyStr(bytes.cast::<PyBytes>()?.as_bytes().to_vec()))
}

fn to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Int(i) => i.into_pyobject(py)?.into_any(),
        Value::BigInt(text) => py.get_type::<PyInt>().call1((text.as_ref(),))?,
        Value::Float(f) => PyFloat::new(py, *f).into_any(),
        Value::Str(s) => py_str(py, s)?,
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(object) => {
            let dict = PyDict::new(py);
            for (key, item) in object.iter() {
                dict.set_item(py_str(py, key)?, to_py(py, item)?)?;
            }
            dict.into_any()
        }
    })
}

/// A Python value as JSON, or None for types (and subclasses) only `json.dumps` knows.
fn from_py(value: &Bound<'_, PyAny>, depth: usize) -> PyResult<Option<Value>> {
    if depth > json::MAX_DEPTH {
        return Ok(None);
    }
    Ok(Some(if value.is_none() {
        Value::Null
    } else if value.is_exact_instance_of::<PyBool>() {
        Value::Bool(value.is_truthy()?)
    } else if value.is_exact_instance_of::<PyString>() {
        Value::Str(from_py_str(value.cast::<PyString>()?)?)
    } else if value.is_exact_instance_of::<PyInt>() {
        match value.extract::<i64>() {
            Ok(i) => Value::Int(i),
            Err(_) => Value::BigInt(value.str()?.to_cow()?.into()),
        }
    } else if value.is_exact_instance_of::<PyFloat>() {
        Value::Float(value.extract::<f64>()?)
    } else if value.is_exact_instance_of::<PyList>() || value.is_exact_instance_of::<PyTuple>() {
        let mut items = Vec::new();
        for item in value.try_iter()? {
            match from_py(&item?, depth + 1)? {
                Some(item) => items.push(item),
                None => return Ok(None),
            }
        }
        Value::Array(items)
    } else if value.is_exact_instance_of::<PyDict>() {
        let dict = value.cast::<PyDict>()?;
        let mut members = Vec::with_capacity(dict.len());
        for (key, item) in dict.iter() {
            if !key.is_exact_instance_of::<PyString>() {
                return Ok(None);
            }
            let Some(item) = from_py(&item, depth + 1)? else {
                return Ok(None);
            };
            members.push((from_py_str(key.cast::<PyString>()?)?, item));
        }
        Value::Object(Object(members))
    } else {
        return Ok(None);
    }))
}

/// `parse_manifest` of every item, read on `workers` threads (`None`: every core) without the
/// GIL: per item, in order, the dict `parse_manifest` gives or the exception instance it would
/// raise. The GIL is taken back only to turn finished chunks into Python objects, while the
/// other threads go on reading; with one worker the batch is read in this thread, the GIL
/// released once.
#[pyfunction]
#[pyo3(signature = (items, validate, workers=None))]
fn parse_many<'py>(
    py: Python<'py>,
    items: Vec<Bound<'py, PyBytes>>,
    validate: bool,
    workers: Option<usize>,
) -> PyResult<Bound<'py, PyList>> {
    let raw: Vec<&[u8]> = items.iter().map(|item| item.as_bytes()).collect();
    let out = PyList::empty(py);
    batch::stream(
        &raw,
        batch::worker_count(workers),
        |raw| manifest::parse(raw, validate),
        |step| py.detach(step),
        |results| {
            for result in results {
                match result {
                    Ok(parsed) => out.append(manifest_dict(py, parsed)?)?,
                    Err(error) => out.append(PyErr::from(error).into_value(py))?,
                }
            }
            Ok::<(), PyErr>(())
        },
    )?;
    Ok(out)
}

/// The backfill columns (see `backfill.rs`) of `length` slots of an Arrow binary array, given as
/// the bytes of its buffers (see `arrow_layout::binary_values`), the GIL released once and the
/// rows read on up to `workers` threads. Per column, the buffers `Array.from_buffers`
/// takes: `(null_count, validity, offsets or values[, item offsets, item data])`.
#[pyfunction]
#[pyo3(signature = (offsets, data, validity, bit_offset, length, large, validate, workers=None))]
#[allow(clippy::too_many_arguments)]
fn backfill_arrow<'py>(
    py: Python<'py>,
    offsets: &[u8],
    data: &[u8],
    validity: Option<&[u8]>,
    bit_offset: usize,
    length: usize,
    large: bool,
    validate: bool,
    workers: Option<usize>,
) -> PyResult<Bound<'py, PyDict>> {
    let table = py.detach(|| {
        let manifests =
            arrow_layout::binary_values(offsets, data, validity, bit_offset, length, large)?;
        Ok::<_, String>(backfill::table(
            &manifests,
            validate,
            batch::worker_count(workers),
        ))
    });
    let table =
        table.map_err(|message| PyValueError::new_err(format!("bad Arrow array: {message}")))?;
    let out = PyDict::new(py);
    let bitmap = |validity: &arrow_layout::Validity| -> PyResult<Bound<'py, PyAny>> {
        Ok(if validity.null_count == 0 {
            py.None().into_bound(py)
        } else {
            new_bytes(py, &validity.bitmap)?.into_any()
        })
    };
    let strings = |column: &arrow_layout::StringColumn| -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(
            py,
            [
                column.validity.null_count.into_pyobject(py)?.into_any(),
                bitmap(&column.validity)?,
                new_bytes(py, &column.offsets)?.into_any(),
                new_bytes(py, &column.data)?.into_any(),
            ],
        )
    };
    out.set_item("digest", strings(&table.digest)?)?;
    out.set_item("verdict", strings(&table.verdict)?)?;
    out.set_item("error", strings(&table.error)?)?;
    out.set_item("tag", strings(&table.tag)?)?;
    out.set_item("name", strings(&table.name)?)?;
    let counts = &table.layer_count;
    out.set_item(
        "layer_count",
        PyTuple::new(
            py,
            [
                counts.validity.null_count.into_pyobject(py)?.into_any(),
                bitmap(&counts.validity)?,
                new_bytes(py, &counts.values)?.into_any(),
            ],
        )?,
    )?;
    out.set_item(
        "leaf_layer_v1_image_id",
        strings(&table.leaf_layer_v1_image_id)?,
    )?;
    let lists = &table.blob_digests;
    out.set_item(
        "blob_digests",
        PyTuple::new(
            py,
            [
                lists.validity.null_count.into_pyobject(py)?.into_any(),
                bitmap(&lists.validity)?,
                new_bytes(py, &lists.offsets)?.into_any(),
                new_bytes(py, &lists.items.offsets)?.into_any(),
                new_bytes(py, &lists.items.data)?.into_any(),
            ],
        )?,
    )?;
    Ok(out)
}

#[pymodule(gil_used = false)]
fn _rust(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<HistoryPy>()?;
    m.add_function(wrap_pyfunction!(parse_manifest, m)?)?;
    m.add_function(wrap_pyfunction!(manifest_value, m)?)?;
    m.add_function(wrap_pyfunction!(check_json, m)?)?;
    m.add_function(wrap_pyfunction!(manifest_member, m)?)?;
    m.add_function(wrap_pyfunction!(canonical_json, m)?)?;
    m.add_function(wrap_pyfunction!(sha256_digest, m)?)?;
    m.add_function(wrap_pyfunction!(docker_time, m)?)?;
    m.add_function(wrap_pyfunction!(build_parsed, m)?)?;
    m.add_function(wrap_pyfunction!(metadata_removed, m)?)?;
    m.add_function(wrap_pyfunction!(digest_history, m)?)?;
    m.add_function(wrap_pyfunction!(_floor_seconds, m)?)?;
    m.add_function(wrap_pyfunction!(_sign_seconds, m)?)?;
    m.add_function(wrap_pyfunction!(sign_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(signed_payload, m)?)?;
    m.add_class::<LayerHasherPy>()?;
    m.add_function(wrap_pyfunction!(layer_info_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(convert_manifest, m)?)?;
    m.add_function(wrap_pyfunction!(layer_info_files, m)?)?;
    m.add_function(wrap_pyfunction!(parse_many, m)?)?;
    m.add_function(wrap_pyfunction!(backfill_arrow, m)?)?;
    Ok(())
}

// ------------------------------------------------------------------ conversion, diff IDs

/// Convert a schema 1 manifest document to schema 2 (`oci` false) or OCI; `layers` maps a blob
/// digest to `(size, diff_id)`. Gives `(config, manifest, config_digest, manifest_digest,
/// layer_digests)`.
#[pyfunction]
fn convert_manifest<'py>(
    py: Python<'py>,
    data: &[u8],
    layers: std::collections::HashMap<String, (u64, String)>,
    oci: bool,
) -> PyResult<Bound<'py, PyTuple>> {
    let format = if oci {
        convert::Format::Oci
    } else {
        convert::Format::Schema2
    };
    let done = py.detach(|| {
        let lookup = |digest: &str| {
            layers
                .get(digest)
                .map(|(size, diff_id)| convert::LayerData {
                    size: *size,
                    diff_id: diff_id.clone(),
                })
        };
        convert::convert_document(data, &lookup, format)
    })?;
    (
        new_bytes(py, &done.config)?,
        new_bytes(py, &done.manifest)?,
        done.config_digest,
        done.manifest_digest,
        done.layers,
    )
        .into_pyobject(py)
}

fn layer_error(error: layer_info::LayerError) -> PyErr {
    match error {
        layer_info::LayerError::Io(e) => PyErr::from(e),
        layer_info::LayerError::Bad(e) => e.into(),
    }
}

type InfoTuple = (u64, String, String, &'static str);

fn info_tuple(info: layer_info::LayerInfo) -> InfoTuple {
    (info.size, info.digest, info.diff_id, info.compression)
}

/// A layer blob fed in chunks; `finish` gives `(size, digest, diff_id, compression)`.
#[pyclass(name = "LayerHasher", module = "docker_schema1._rust", frozen)]
struct LayerHasherPy {
    state: Mutex<Option<layer_info::LayerHasher>>,
}

fn hasher_gone() -> PyErr {
    PyValueError::new_err("the layer hasher is finished")
}

#[pymethods]
impl LayerHasherPy {
    #[new]
    fn new() -> Self {
        LayerHasherPy {
            state: Mutex::new(Some(layer_info::LayerHasher::new())),
        }
    }

    fn update(&self, py: Python<'_>, chunk: &[u8]) -> PyResult<()> {
        py.detach(|| {
            let mut state = self.state.lock().map_err(|_| hasher_gone())?;
            let hasher = state.as_mut().ok_or_else(hasher_gone)?;
            hasher.update(chunk).map_err(PyErr::from)
        })
    }

    #[pyo3(signature = (expected=None))]
    fn finish(&self, py: Python<'_>, expected: Option<String>) -> PyResult<InfoTuple> {
        py.detach(|| {
            let hasher = self
                .state
                .lock()
                .map_err(|_| hasher_gone())?
                .take()
                .ok_or_else(hasher_gone)?;
            Ok(info_tuple(hasher.finish(expected.as_deref())?))
        })
    }
}

/// `(size, digest, diff_id, compression)` of each file, on all cores; the first failure is
/// raised, naming its file.
#[pyfunction]
fn layer_info_files(
    py: Python<'_>,
    items: Vec<(std::path::PathBuf, Option<String>)>,
) -> PyResult<Vec<InfoTuple>> {
    let results = py.detach(|| layer_info::layer_infos_files(&items));
    let mut out = Vec::with_capacity(results.len());
    for (result, (path, _)) in results.into_iter().zip(&items) {
        match result {
            Ok(info) => out.push(info_tuple(info)),
            Err(layer_info::LayerError::Bad(e)) => {
                return Err(Error::malformed(format!("{}: {}", path.display(), e.message())).into())
            }
            Err(e) => return Err(layer_error(e)),
        }
    }
    Ok(out)
}

/// `(size, digest, diff_id, compression)` of an in-memory blob.
#[pyfunction]
#[pyo3(signature = (data, expected=None))]
fn layer_info_bytes(py: Python<'_>, data: &[u8], expected: Option<String>) -> PyResult<InfoTuple> {
    let info = py.detach(|| layer_info::layer_info_bytes(data, expected.as_deref()))?;
    Ok(info_tuple(info))
}

/// The manifest `data` (verified first) signed as it is with `key`, as libtrust signs: the
/// payload and the digest kept; its signatures replaced, or kept with `append`.
#[pyfunction]
fn sign_bytes<'py>(
    py: Python<'py>,
    data: &[u8],
    key: &[u8],
    signing_time: &str,
    append: bool,
) -> PyResult<Bound<'py, PyBytes>> {
    let signed = py.detach(|| -> Result<Vec<u8>, Error> {
        let signer = cached_signing_key(key)?;
        crate::sign::sign_bytes(data, signer.as_ref(), signing_time, append)
    })?;
    new_bytes(py, &signed)
}

/// The bytes the signatures of `data` sign (the whole document when unsigned).
#[pyfunction]
fn signed_payload<'py>(py: Python<'py>, data: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
    let payload = py.detach(|| manifest::payload(data))?;
    new_bytes(py, &payload)
}
