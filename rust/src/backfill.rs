//! What a backfill stores for each manifest (digest, verdict, error, tag, name, layer count,
//! leaf v1 image id, blob digests), read without Python objects, and a batch of those rows as
//! Arrow columns.
//!
//! The row holds what the public class gives: the verdict of the constructor, and, when it
//! succeeds, its `digest`, `tag` and `name`; then what its `layers` give (`len(layers)`,
//! `leaf_layer_v1_image_id`, `blob_digests`). Layer errors are lazy in the class, so a manifest
//! whose layers are broken keeps its digest, tag and name, with the verdict `malformed`, the
//! layers' error and no layer columns.

use crate::arrow_layout::{IntColumn, StringColumn, StringListColumn};
use crate::batch;
use crate::error::{Error, Result};
use crate::json::{self, PyStr, Value};
use crate::layers;
use crate::manifest::{self, Manifest};

/// The `verdict` column's values.
pub const OK: &str = "ok";
pub const MALFORMED: &str = "malformed";
pub const INVALID_SIGNATURE: &str = "invalid_signature";

/// One manifest's row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub verdict: &'static str,
    pub error: Option<String>,
    pub digest: Option<String>,
    pub tag: Option<PyStr>,
    pub name: Option<PyStr>,
    pub layers: Option<LayerSummary>,
}

/// What the layers give; `None` in a row whose layers do not read.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerSummary {
    pub count: usize,
    /// The leaf layer's `id` (a string, or the canonical JSON of another value); `None` when
    /// it is null or absent, or there are no layers.
    pub leaf_image_id: Option<PyStr>,
    /// The blob sums, base first, repeats kept.
    pub blob_digests: Vec<PyStr>,
}

fn verdict_of(error: &Error) -> &'static str {
    match error {
        Error::Signature(_) => INVALID_SIGNATURE,
        Error::Malformed(_) | Error::Key(_) => MALFORMED,
    }
}

/// The row of the manifest `raw`.
pub fn row(raw: &[u8], validate: bool) -> Row {
    let parsed = match manifest::parse(raw, validate) {
        Ok(parsed) => parsed,
        Err(error) => {
            return Row {
                verdict: verdict_of(&error),
                error: Some(error.message().to_owned()),
                digest: None,
                tag: None,
                name: None,
                layers: None,
            }
        }
    };
    let (verdict, error, layers) = match layer_summary(&parsed) {
        Ok(summary) => (OK, None, Some(summary)),
        Err(error) => (verdict_of(&error), Some(error.message().to_owned()), None),
    };
    Row {
        verdict,
        error,
        digest: Some(parsed.digest),
        tag: Some(parsed.tag),
        name: Some(parsed.name),
        layers,
    }
}

/// The layers read as the class reads them: every layer's fields, base first, the first error
/// (from the base) failing the whole.
fn layer_summary(parsed: &Manifest) -> Result<LayerSummary> {
    let count = parsed.blob_sums.len().min(parsed.v1_compat.len());
    let mut leaf_image_id = None;
    for i in (0..count).rev() {
        let fields = layers::layer_fields(i, &parsed.blob_sums[i], &parsed.v1_compat[i], false)?;
        if i == 0 {
            leaf_image_id = match fields.image_id.value(parsed.v1_compat[i].get().as_bytes()) {
                Value::Null => None,
                Value::Str(id) => Some(id),
                other => {
                    let mut out = Vec::new();
                    json::write_canonical(&other, false, &mut out);
                    Some(PyStr(out))
                }
            };
        }
    }
    Ok(LayerSummary {
        count,
        leaf_image_id,
        blob_digests: parsed.blob_sums[..count].iter().rev().cloned().collect(),
    })
}

/// The rows of a batch as Arrow columns.
#[derive(Debug, Default)]
pub struct Table {
    pub digest: StringColumn,
    pub verdict: StringColumn,
    pub error: StringColumn,
    pub tag: StringColumn,
    pub name: StringColumn,
    pub layer_count: IntColumn,
    pub leaf_layer_v1_image_id: StringColumn,
    pub blob_digests: StringListColumn,
}

impl Table {
    /// Append a row; `None` (a null input) is null in every column.
    pub fn push(&mut self, row: Option<&Row>) {
        self.digest.push(row.and_then(|r| text(&r.digest)));
        self.verdict.push(row.map(|r| r.verdict.as_bytes()));
        self.error.push(row.and_then(|r| text(&r.error)));
        self.tag.push(row.and_then(|r| py(&r.tag)));
        self.name.push(row.and_then(|r| py(&r.name)));
        let layers = row.and_then(|r| r.layers.as_ref());
        self.layer_count
            .push(layers.map(|l| i64::try_from(l.count).unwrap_or(i64::MAX)));
        self.leaf_layer_v1_image_id
            .push(layers.and_then(|l| py(&l.leaf_image_id)));
        self.blob_digests
            .push(layers.map(|l| l.blob_digests.iter().map(PyStr::as_bytes)));
    }

    pub fn len(&self) -> usize {
        self.verdict.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn text(s: &Option<String>) -> Option<&[u8]> {
    s.as_deref().map(str::as_bytes)
}

fn py(s: &Option<PyStr>) -> Option<&[u8]> {
    s.as_ref().map(PyStr::as_bytes)
}

/// The table of `manifests` (`None` for a null slot), the rows read on up to `workers` threads.
pub fn table(manifests: &[Option<&[u8]>], validate: bool, workers: usize) -> Table {
    let rows = batch::map(manifests, workers, |raw| raw.map(|raw| row(raw, validate)));
    let mut table = Table::default();
    for row in &rows {
        table.push(row.as_ref());
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(history: &str) -> Vec<u8> {
        format!(
            r#"{{"schemaVersion": 1, "name": "ns/repo", "tag": "t\ud800",
            "fsLayers": [{{"blobSum": "sha256:aa"}}, {{"blobSum": "sha256:bb"}}],
            "history": {history}}}"#
        )
        .into_bytes()
    }

    #[test]
    fn rows_follow_the_class() {
        let good = row(
            &document(
                r#"[{"v1Compatibility": "{\"id\": \"leaf\"}"}, {"v1Compatibility": "{\"id\": \"b\"}"}]"#,
            ),
            true,
        );
        assert_eq!((good.verdict, good.error.as_deref()), (OK, None));
        assert_eq!(good.name, Some(PyStr::from("ns/repo")));
        assert_eq!(good.tag, Some(PyStr(b"t\xed\xa0\x80".to_vec())));
        let layers = good.layers.unwrap();
        assert_eq!(layers.count, 2);
        assert_eq!(layers.leaf_image_id, Some(PyStr::from("leaf")));
        let base_first = vec![PyStr::from("sha256:bb"), PyStr::from("sha256:aa")];
        assert_eq!(layers.blob_digests, base_first);
        assert!(good.digest.unwrap().starts_with("sha256:"));

        // A numeric id is no id (DESIGN 6.7): the layers are malformed, the digest kept.
        let numeric_leaf = row(
            &document(
                r#"[{"v1Compatibility": "{\"id\": 1.5}"}, {"v1Compatibility": "{\"id\": \"b\"}"}]"#,
            ),
            true,
        );
        assert_eq!(numeric_leaf.verdict, MALFORMED);
        assert!(numeric_leaf.digest.is_some() && numeric_leaf.layers.is_none());

        // Broken layers: digest, tag and name kept; the error of the base-most bad layer.
        let broken = row(
            &document(r#"[{"v1Compatibility": "{}"}, {"v1Compatibility": "[1]"}]"#),
            true,
        );
        assert_eq!(broken.verdict, MALFORMED);
        assert!(broken.error.unwrap().starts_with("layer 1 (fsLayers[1])"));
        assert!(broken.digest.is_some() && broken.layers.is_none());

        let bad = row(b"{", true);
        assert_eq!(bad.verdict, MALFORMED);
        assert_eq!(
            bad.error,
            Some(
                manifest::parse(b"{", true)
                    .unwrap_err()
                    .message()
                    .to_owned()
            )
        );
        assert!(bad.digest.is_none() && bad.tag.is_none());
    }

    #[test]
    fn a_table_has_a_row_per_input_nulls_included() {
        let good = document(
            r#"[{"v1Compatibility": "{\"id\": \"leaf\"}"}, {"v1Compatibility": "{\"id\": \"b\"}"}]"#,
        );
        let inputs: Vec<Option<&[u8]>> = vec![Some(&good), None, Some(b"[]"), Some(&good)];
        for workers in [1, 2] {
            let table = table(&inputs, true, workers);
            assert_eq!(table.len(), 4);
            assert_eq!(table.verdict.validity.bitmap, vec![0b1101]);
            assert_eq!(table.digest.validity.bitmap, vec![0b1001]);
            assert_eq!(table.error.validity.null_count, 3);
            assert_eq!(table.blob_digests.items.len(), 4);
            assert_eq!(table.layer_count.values[..8], 2i64.to_le_bytes());
        }
    }
}
