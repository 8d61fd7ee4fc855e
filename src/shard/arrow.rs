//! The compact shard encoding: an Arrow IPC file with one row per path (routing, capital
//! and importance outcomes, the batch's totals on the first row of each engine batch,
//! and the sweep's per-candidate outcomes) and the part's header (versions, geometry,
//! embedded inputs, digest) as JSON in the schema's `pmmsim.partial` metadata. The
//! digest is the one of the decoded part ([`super::PartialRun::content_digest`]), so it
//! is the same whichever encoding a shard used. Any Arrow reader (pyarrow, DuckDB) reads
//! the file.

use std::collections::HashMap;
use std::io::Cursor;
use std::sync::Arc;

use arrow_array::RecordBatch;
use arrow_ipc::reader::FileReader;
use arrow_ipc::writer::FileWriter;
use arrow_schema::{FieldRef, Schema};
use serde::{Deserialize, Serialize};
use serde_arrow::schema::{SchemaLike, TracingOptions};

use super::{PartialRun, SweepBatch};
use crate::engine::BatchResult;
use crate::engine::outcome::{
    BatchTotals, CapitalOutcome, PathOutcome, PathWeight, RoutingOutcome,
};
use crate::error::{Error, InputError, Result};

/// The first bytes of an Arrow IPC file.
pub const MAGIC: &[u8] = b"ARROW1";

/// The schema metadata key holding the part's header as JSON.
pub const HEADER_KEY: &str = "pmmsim.partial";

/// Paths per Arrow record batch (64 engine batches), so reading and writing hold one
/// record batch of columns at a time.
const ROWS_PER_RECORD_BATCH: usize = 4096;

/// One path as written.
#[derive(Serialize)]
struct RowRef<'a> {
    routing: &'a RoutingOutcome,
    capital: Option<&'a CapitalOutcome>,
    importance: Option<PathWeight>,
    /// The engine batch's totals, on the batch's first path only.
    totals: Option<&'a BatchTotals>,
    sweep: Option<&'a Vec<CapitalOutcome>>,
}

/// One path as read.
#[derive(Deserialize)]
struct Row {
    routing: RoutingOutcome,
    capital: Option<CapitalOutcome>,
    importance: Option<PathWeight>,
    totals: Option<BatchTotals>,
    sweep: Option<Vec<CapitalOutcome>>,
}

fn internal(e: impl std::fmt::Display) -> Error {
    Error::Internal(format!("cannot encode the shard as Arrow IPC: {e}"))
}

/// Encodes a sealed part as an Arrow IPC file.
pub fn encode(part: &PartialRun) -> Result<Vec<u8>> {
    let mut rows = Vec::new();
    for (b, batch) in part.batches.iter().enumerate() {
        let sweep = part.sweep.as_ref().and_then(|s| s.get(b));
        for (i, p) in batch.paths.iter().enumerate() {
            rows.push(RowRef {
                routing: &p.routing,
                capital: p.capital.as_ref(),
                importance: p.importance,
                totals: (i == 0).then_some(&batch.totals),
                sweep: sweep.and_then(|s| s.paths.get(i)),
            });
        }
    }
    let options = TracingOptions::default()
        .allow_null_fields(true)
        .sequence_as_large_list(false);
    let fields = Vec::<FieldRef>::from_samples(&rows, options).map_err(internal)?;
    let mut header = part.clone_header();
    if part.sweep.is_some() {
        header.sweep = Some(Vec::new());
    }
    let header = serde_json::to_string(&header).map_err(internal)?;
    let schema = Arc::new(
        Schema::new(fields.clone())
            .with_metadata(HashMap::from([(HEADER_KEY.to_string(), header)])),
    );
    let mut writer = FileWriter::try_new(Vec::new(), &schema).map_err(internal)?;
    for chunk in rows.chunks(ROWS_PER_RECORD_BATCH) {
        let batch = serde_arrow::to_record_batch(&fields, &chunk).map_err(internal)?;
        let batch =
            RecordBatch::try_new(schema.clone(), batch.columns().to_vec()).map_err(internal)?;
        writer.write(&batch).map_err(internal)?;
    }
    writer.finish().map_err(internal)?;
    writer.into_inner().map_err(internal)
}

/// Decodes an Arrow IPC shard into a part (not yet checked).
pub fn decode(bytes: &[u8], file: &str) -> Result<PartialRun> {
    let bad = |e: &dyn std::fmt::Display| -> Error {
        InputError::new(file, format!("not a readable Arrow IPC shard: {e}")).into()
    };
    let reader = FileReader::try_new(Cursor::new(bytes), None).map_err(|e| bad(&e))?;
    let header = reader
        .schema()
        .metadata()
        .get(HEADER_KEY)
        .cloned()
        .ok_or_else(|| bad(&format!("no `{HEADER_KEY}` header in the schema metadata")))?;
    let mut part: PartialRun = crate::config::parse::parse_json(&header, file)
        .map_err(|e| Error::from(e.at(format!("schema metadata {HEADER_KEY}"))))?;
    if !part.batches.is_empty() || part.sweep.as_ref().is_some_and(|s| !s.is_empty()) {
        return Err(bad(&"the header holds batches; they belong in the rows"));
    }
    let mut sweep = part.sweep.take().map(|_| Vec::<SweepBatch>::new());
    let mut next = part.path_start;
    for batch in reader {
        let batch = batch.map_err(|e| bad(&e))?;
        let rows: Vec<Row> = serde_arrow::from_record_batch(&batch).map_err(|e| bad(&e))?;
        for row in rows {
            if let Some(totals) = row.totals {
                part.batches.push(BatchResult {
                    first_path: next,
                    paths: Vec::new(),
                    totals,
                });
                if let Some(s) = sweep.as_mut() {
                    s.push(SweepBatch {
                        first_path: next,
                        paths: Vec::new(),
                    });
                }
            }
            let Some(current) = part.batches.last_mut() else {
                return Err(bad(&"the first row carries no batch totals"));
            };
            current.paths.push(PathOutcome {
                routing: row.routing,
                capital: row.capital,
                importance: row.importance,
            });
            match (sweep.as_mut().and_then(|s| s.last_mut()), row.sweep) {
                (Some(s), Some(outcomes)) => s.paths.push(outcomes),
                (None, None) => {}
                _ => return Err(bad(&"a row's sweep disagrees with the header")),
            }
            next = next.saturating_add(1);
        }
    }
    part.sweep = sweep;
    Ok(part)
}
