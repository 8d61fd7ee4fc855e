//! `--paths-out FILE`: one row per simulated path, from the per-path outcomes the engine
//! keeps anyway (`engine::PathOutcome`), as Parquet (the `parquet` crate's Arrow writer,
//! Snappy-compressed) or as CSV (RFC 4180) for a `.csv` name. Reading the outcomes changes
//! no result. Capital columns are null (empty in CSV) in a routing-only scenario; the
//! column list is [`COLUMNS`] and docs/scorecard.md describes each.

use std::path::Path;
use std::sync::Arc;

use arrow_array::{ArrayRef, BooleanArray, Float64Array, RecordBatch, UInt32Array, UInt64Array};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use super::csv::full;
use super::output::write_atomic;
use crate::engine::{BatchResult, PathOutcome};
use crate::error::{Error, Result};

/// The values of one column, one per path (`None` is null).
enum Values {
    U64(Vec<Option<u64>>),
    U32(Vec<Option<u32>>),
    F64(Vec<Option<f64>>),
    Bool(Vec<Option<bool>>),
}

/// How a column reads its value from a path's outcome.
enum Getter {
    U64(fn(u64, &PathOutcome) -> Option<u64>),
    U32(fn(&PathOutcome) -> Option<u32>),
    F64(fn(&PathOutcome) -> Option<f64>),
    Bool(fn(&PathOutcome) -> Option<bool>),
}

/// A column: its name and how it is read.
struct Column {
    name: &'static str,
    get: Getter,
}

macro_rules! capital {
    ($kind:ident, $field:ident) => {
        Getter::$kind(|p| p.capital.as_ref().map(|c| c.$field))
    };
}

macro_rules! routing {
    ($field:ident) => {
        Getter::F64(|p| Some(p.routing.$field))
    };
}

/// The columns, in file order.
const COLUMNS: &[Column] = &[
    Column {
        name: "path",
        get: Getter::U64(|i, _| Some(i)),
    },
    Column {
        name: "weight",
        get: Getter::F64(|p| Some(p.weight())),
    },
    Column {
        name: "roi",
        get: capital!(F64, roi),
    },
    Column {
        name: "capital_return",
        get: capital!(F64, capital_return),
    },
    Column {
        name: "max_drawdown",
        get: capital!(F64, max_drawdown),
    },
    Column {
        name: "liquidated",
        get: capital!(Bool, liquidated),
    },
    Column {
        name: "liquidations",
        get: capital!(U32, liquidations),
    },
    Column {
        name: "first_liquidation_epoch",
        get: Getter::U32(|p| p.capital.as_ref().and_then(|c| c.first_liquidation_epoch)),
    },
    Column {
        name: "floor_breaches",
        get: capital!(U32, floor_violations),
    },
    Column {
        name: "floor_unrepaired",
        get: capital!(U32, floor_unrepaired),
    },
    Column {
        name: "peg_deviation_epochs",
        get: capital!(U32, peg_deviation_epochs),
    },
    Column {
        name: "min_peg",
        get: capital!(F64, min_peg),
    },
    Column {
        name: "capital_end_usd",
        get: capital!(F64, capital_end),
    },
    Column {
        name: "pnl_usd",
        get: capital!(F64, pnl),
    },
    Column {
        name: "redemptions_usd",
        get: capital!(F64, redemptions),
    },
    Column {
        name: "capture_mean",
        get: routing!(capture_mean),
    },
    Column {
        name: "capture_p95",
        get: routing!(capture_p95),
    },
    Column {
        name: "churn_mean",
        get: routing!(churn_mean),
    },
    Column {
        name: "churn_max",
        get: routing!(churn_max),
    },
    Column {
        name: "volume_usd",
        get: routing!(volume),
    },
    Column {
        name: "fees_usd",
        get: routing!(fees),
    },
    Column {
        name: "inject_cost_usd",
        get: routing!(inject_cost),
    },
    Column {
        name: "withdraw_cost_usd",
        get: routing!(withdraw_cost),
    },
    Column {
        name: "stalled_volume_usd",
        get: routing!(stalled),
    },
    Column {
        name: "arb_volume_usd",
        get: routing!(arb_volume),
    },
    Column {
        name: "arb_profit_usd",
        get: routing!(arb_profit),
    },
    Column {
        name: "peak_deviation_bps_pre_arb",
        get: routing!(peak_dev_pre_arb_bps),
    },
    Column {
        name: "peak_deviation_bps",
        get: routing!(peak_dev_post_arb_bps),
    },
    Column {
        name: "peak_deviation_bps_post_bot",
        get: routing!(peak_dev_post_bot_bps),
    },
    Column {
        name: "path_concentration_index",
        get: routing!(path_concentration),
    },
    Column {
        name: "reflexive_routes",
        get: Getter::U64(|_, p| Some(p.routing.reflexive_routes)),
    },
];

/// The column names, in file order.
pub fn column_names() -> Vec<&'static str> {
    COLUMNS.iter().map(|c| c.name).collect()
}

/// Every path of `batches` (in order) with its global index.
fn paths(batches: &[BatchResult]) -> impl Iterator<Item = (u64, &PathOutcome)> {
    batches.iter().flat_map(|b| {
        b.paths
            .iter()
            .enumerate()
            .map(move |(i, p)| (b.first_path + i as u64, p))
    })
}

/// The columns' values over every path of `batches`.
fn columns(batches: &[BatchResult]) -> Vec<Values> {
    COLUMNS
        .iter()
        .map(|c| match c.get {
            Getter::U64(f) => Values::U64(paths(batches).map(|(i, p)| f(i, p)).collect()),
            Getter::U32(f) => Values::U32(paths(batches).map(|(_, p)| f(p)).collect()),
            Getter::F64(f) => Values::F64(paths(batches).map(|(_, p)| f(p)).collect()),
            Getter::Bool(f) => Values::Bool(paths(batches).map(|(_, p)| f(p)).collect()),
        })
        .collect()
}

/// Whether `path` names a CSV file (by its extension); anything else is Parquet.
pub fn is_csv(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
}

/// Writes one row per path of `batches` to `path` (atomically): CSV for `.csv`, else
/// Parquet.
pub fn write(batches: &[BatchResult], path: &Path) -> Result<()> {
    let bytes = if is_csv(path) {
        to_csv(batches)?
    } else {
        to_parquet(batches)?
    };
    write_atomic(path, &bytes)
}

/// The rows as CSV: a header, then one record per path; a null is an empty field, a
/// float is at full precision, a boolean is `true`/`false`.
pub fn to_csv(batches: &[BatchResult]) -> Result<Vec<u8>> {
    let fail = |e: csv::Error| Error::Internal(format!("cannot write the path CSV: {e}"));
    let cols = columns(batches);
    let rows = paths(batches).count();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS.iter().map(|c| c.name))
        .map_err(fail)?;
    for r in 0..rows {
        let record = cols.iter().map(|c| match c {
            Values::U64(v) => v[r].map_or(String::new(), |x| x.to_string()),
            Values::U32(v) => v[r].map_or(String::new(), |x| x.to_string()),
            Values::F64(v) => v[r].map_or(String::new(), full),
            Values::Bool(v) => v[r].map_or(String::new(), |x| x.to_string()),
        });
        w.write_record(record).map_err(fail)?;
    }
    w.into_inner()
        .map_err(|e| Error::Internal(format!("cannot write the path CSV: {e}")))
}

/// The rows as one Parquet row group (Snappy), with the Arrow schema embedded.
pub fn to_parquet(batches: &[BatchResult]) -> Result<Vec<u8>> {
    let fail = |e: &dyn std::fmt::Display| {
        Error::Internal(format!("cannot write the path Parquet file: {e}"))
    };
    let cols = columns(batches);
    let mut fields = Vec::with_capacity(COLUMNS.len());
    let mut arrays: Vec<ArrayRef> = Vec::with_capacity(COLUMNS.len());
    for (c, values) in COLUMNS.iter().zip(cols) {
        let (data_type, array): (DataType, ArrayRef) = match values {
            Values::U64(v) => (DataType::UInt64, Arc::new(UInt64Array::from(v))),
            Values::U32(v) => (DataType::UInt32, Arc::new(UInt32Array::from(v))),
            Values::F64(v) => (DataType::Float64, Arc::new(Float64Array::from(v))),
            Values::Bool(v) => (DataType::Boolean, Arc::new(BooleanArray::from(v))),
        };
        fields.push(Field::new(c.name, data_type, c.name != "path"));
        arrays.push(array);
    }
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(schema.clone(), arrays).map_err(|e| fail(&e))?;
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .build();
    let mut bytes = Vec::new();
    let mut writer = ArrowWriter::try_new(&mut bytes, schema, Some(props)).map_err(|e| fail(&e))?;
    writer.write(&batch).map_err(|e| fail(&e))?;
    writer.close().map_err(|e| fail(&e))?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::outcome::{CapitalOutcome, RoutingOutcome};

    fn batch(first_path: u64, capital: bool) -> BatchResult {
        let path = |roi: f64| PathOutcome {
            routing: RoutingOutcome {
                volume: 1.5e6,
                reflexive_routes: 2,
                ..RoutingOutcome::default()
            },
            capital: capital.then(|| CapitalOutcome {
                roi,
                liquidated: roi < 0.0,
                first_liquidation_epoch: (roi < 0.0).then_some(7),
                ..CapitalOutcome::default()
            }),
            importance: None,
        };
        BatchResult {
            first_path,
            paths: vec![path(0.1), path(-0.2)],
            ..BatchResult::default()
        }
    }

    #[test]
    fn csv_rows_carry_global_indices_and_nulls() {
        let text = String::from_utf8(to_csv(&[batch(64, true)]).unwrap()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0].split(',').count(), COLUMNS.len());
        let row: Vec<&str> = lines[2].split(',').collect();
        assert_eq!(row[0], "65");
        assert_eq!(row[2], "-0.2");
        assert_eq!(row[5], "true");
        assert_eq!(row[7], "7");
        let first: Vec<&str> = lines[1].split(',').collect();
        assert_eq!(first[7], "", "no liquidation: a null epoch");
        let routing = String::from_utf8(to_csv(&[batch(0, false)]).unwrap()).unwrap();
        let row: Vec<&str> = routing.lines().nth(1).unwrap().split(',').collect();
        assert_eq!(row[2], "", "a routing-only path has no capital columns");
        assert_eq!(
            row[column_names()
                .iter()
                .position(|c| *c == "volume_usd")
                .unwrap()],
            "1500000"
        );
    }

    #[test]
    fn parquet_starts_and_ends_with_the_magic() {
        let bytes = to_parquet(&[batch(0, true)]).unwrap();
        assert_eq!(&bytes[..4], b"PAR1");
        assert_eq!(&bytes[bytes.len() - 4..], b"PAR1");
        assert_eq!(
            to_parquet(&[batch(0, true)]).unwrap(),
            bytes,
            "deterministic"
        );
    }
}
