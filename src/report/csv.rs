//! The scorecard's metric rows as CSV (RFC 4180, through the `csv` crate): one row per
//! catalog metric with its key, labels, value, Monte Carlo uncertainty and unit, at full
//! precision (Rust's shortest round-trip form of each float), for spreadsheets, pandas,
//! polars or DuckDB. Pure rendering: the rows are the metric catalog's.

use super::Renderer;
use crate::error::{Error, Result};
use crate::scorecard::Scorecard;
use crate::scorecard::catalog::{Catalog, Metric, Section, Uncertainty, Value};

/// The header of the metric CSV, in column order (docs/scorecard.md describes each).
pub const HEADER: [&str; 12] = [
    "scenario",
    "section",
    "metric",
    "labels",
    "value",
    "stderr",
    "interval",
    "lo",
    "hi",
    "per_path_mean",
    "per_path_stderr",
    "unit",
];

/// Renders the metric rows as CSV.
#[derive(Debug, Clone, Copy, Default)]
pub struct CsvRenderer;

impl Renderer for CsvRenderer {
    fn render(&self, card: &Scorecard) -> Result<Vec<u8>> {
        let catalog = Catalog::of(card);
        let mut w = csv::Writer::from_writer(Vec::new());
        let fail = |e: csv::Error| Error::Internal(format!("cannot write the metric CSV: {e}"));
        w.write_record(HEADER).map_err(fail)?;
        for m in catalog.metrics() {
            w.write_record(record(&card.scenario, m)).map_err(fail)?;
        }
        w.into_inner()
            .map_err(|e| Error::Internal(format!("cannot write the metric CSV: {e}")))
    }
}

/// A float at full precision (shortest form that reads back to the same bits).
pub fn full(v: f64) -> String {
    format!("{v}")
}

fn section(s: Section) -> &'static str {
    match s {
        Section::Run => "run",
        Section::Routing => "routing",
        Section::Capital => "capital",
        Section::Gates => "gates",
        Section::Optimizer => "optimizer",
    }
}

/// One metric's row, in [`HEADER`] order.
fn record(scenario: &str, m: &Metric) -> [String; 12] {
    let labels: Vec<String> = m.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let value = match m.value {
        Value::Real(v) => full(v),
        Value::Count(n) => n.to_string(),
    };
    let none = String::new;
    let (stderr, interval, lo, hi, pp_mean, pp_se) = match m.uncertainty {
        Uncertainty::None => (none(), none(), none(), none(), none(), none()),
        Uncertainty::StdErr(se) => (full(se), none(), none(), none(), none(), none()),
        Uncertainty::Ci95(i) => (
            none(),
            "ci95".into(),
            full(i.lo),
            full(i.hi),
            none(),
            none(),
        ),
        Uncertainty::Wilson95(i) => (
            none(),
            "wilson95".into(),
            full(i.lo),
            full(i.hi),
            none(),
            none(),
        ),
        Uncertainty::PerPath { mean, se } => (none(), none(), none(), none(), full(mean), full(se)),
    };
    [
        scenario.to_string(),
        section(m.section).to_string(),
        m.key.to_string(),
        labels.join(";"),
        value,
        stderr,
        interval,
        lo,
        hi,
        pp_mean,
        pp_se,
        m.unit.to_string(),
    ]
}
