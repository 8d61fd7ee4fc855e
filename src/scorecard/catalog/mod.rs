//! The metric catalog: every metric of a scorecard listed once, with what each output
//! format needs to show it: key, label, unit, description, value, Monte Carlo
//! uncertainty, and where it appears (a row of the human reports, a Prometheus family).
//! The renderers draw their metric lists from here, so a new metric is one entry.
//!
//! Entries are in the order of the Prometheus exposition; the human reports (table,
//! Markdown) sort their rows by [`Topic`], stably. Where the formats differ (which
//! metrics they show, the note a table row carries) the difference is a field of the
//! entry. Tables of records (gates, worst pools, per-chain costs, the PnL attribution,
//! optimizer candidates) are not metrics and stay with their renderers.
//!
//! Pure data: it reads the scorecard and computes nothing.

mod capital;
mod entry;
pub mod prometheus_names;
mod routing;
mod run;

pub use entry::{Alongside, Context, Export, ExportKind, ExportUnit, Row, Topic, View};

use super::{Interval, Scorecard};

/// Which part of the scorecard a metric comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// The run itself: inputs and provenance.
    Run,
    Routing,
    Capital,
    /// One metric per gate: whether it passed.
    Gates,
    /// The optimizer's summary and its top deployable candidate.
    Optimizer,
}

/// A metric's number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    /// An estimate or a setting (a mean, a quantile, a share, a posture).
    Real(f64),
    /// An exact count (paths, path-epochs, events, candidates).
    Count(u64),
}

impl Value {
    /// The number as a float (a count converts exactly up to 2^53).
    pub fn as_f64(self) -> f64 {
        match self {
            Value::Real(v) => v,
            Value::Count(n) => n as f64,
        }
    }
}

/// The Monte Carlo uncertainty the scorecard carries for a metric.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Uncertainty {
    /// None: an exact figure, a setting, or a diagnostic without an error estimate.
    None,
    /// Standard error of a mean.
    StdErr(f64),
    /// 95% confidence interval of a quantile, from order statistics.
    Ci95(Interval),
    /// Wilson 95% confidence interval of a proportion.
    Wilson95(Interval),
    /// For a count over all paths: its mean per path and that mean's standard error.
    PerPath { mean: f64, se: f64 },
}

/// One metric of a scorecard.
#[derive(Debug, Clone, PartialEq)]
pub struct Metric {
    /// Where it lives in the scorecard JSON, e.g. `routing.capture_mean`,
    /// `capital.pnl_distribution.p05`; a label-only metric has its own name
    /// (`scorecard_info`).
    pub key: &'static str,
    /// The name the reports print: the last part of `key` unless set. Consecutive table
    /// rows with the same label share one row (values joined by ` / `).
    pub label: &'static str,
    pub section: Section,
    /// Labels that tell apart the samples of one metric (chain, term, gate), in order.
    pub labels: Vec<(&'static str, String)>,
    /// Unit as the reports print it, e.g. `share of volume`, `USD per path`.
    pub unit: &'static str,
    /// One-sentence description (the Prometheus `# HELP`).
    pub help: &'static str,
    pub value: Value,
    pub uncertainty: Uncertainty,
    /// The Prometheus family it is exported as, if any.
    pub export: Option<Export>,
    /// Its row in the human reports, if it has one.
    pub row: Option<Row>,
}

/// Every metric of one scorecard.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalog {
    metrics: Vec<Metric>,
}

impl Catalog {
    /// The metrics of `card`, in exposition order: run, routing, capital (when present),
    /// gates, optimizer (when it ran).
    pub fn of(card: &Scorecard) -> Self {
        let mut metrics = run::run(card);
        metrics.extend(routing::routing(&card.routing));
        if let Some(c) = &card.capital {
            metrics.extend(capital::capital(c));
        }
        metrics.extend(run::gates(&card.gates));
        if let Some(o) = &card.optimizer {
            metrics.extend(run::optimizer(o));
        }
        Self { metrics }
    }

    /// All metrics, in exposition order.
    pub fn metrics(&self) -> &[Metric] {
        &self.metrics
    }

    /// The rows `view` shows for `section`, in report order (by topic, then catalog order).
    pub fn rows(&self, section: Section, view: View) -> Vec<&Metric> {
        let mut rows: Vec<&Metric> = self
            .metrics
            .iter()
            .filter(|m| m.section == section && m.row.is_some_and(|r| r.shows(view)))
            .collect();
        rows.sort_by_key(|m| m.row.map(|r| r.topic));
        rows
    }
}

impl Metric {
    /// A metric with a real value and nothing else set yet.
    fn real(section: Section, key: &'static str, value: f64) -> Self {
        Self::new(section, key, Value::Real(value))
    }

    /// A metric with a count value and nothing else set yet.
    fn count(section: Section, key: &'static str, value: u64) -> Self {
        Self::new(section, key, Value::Count(value))
    }

    fn new(section: Section, key: &'static str, value: Value) -> Self {
        Self {
            key,
            label: key.rsplit('.').next().unwrap_or(key),
            section,
            labels: Vec::new(),
            unit: "",
            help: "",
            value,
            uncertainty: Uncertainty::None,
            export: None,
            row: None,
        }
    }

    fn se(mut self, se: f64) -> Self {
        self.uncertainty = Uncertainty::StdErr(se);
        self
    }

    fn ci95(mut self, interval: Interval) -> Self {
        self.uncertainty = Uncertainty::Ci95(interval);
        self
    }

    fn wilson95(mut self, interval: Interval) -> Self {
        self.uncertainty = Uncertainty::Wilson95(interval);
        self
    }

    fn per_path(mut self, mean: f64, se: f64) -> Self {
        self.uncertainty = Uncertainty::PerPath { mean, se };
        self
    }

    fn label(mut self, label: &'static str) -> Self {
        self.label = label;
        self
    }

    fn labelled(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.labels.push((name, value.into()));
        self
    }

    /// Unit and description.
    fn about(mut self, unit: &'static str, help: &'static str) -> Self {
        self.unit = unit;
        self.help = help;
        self
    }

    fn export(mut self, export: Export) -> Self {
        self.export = Some(export);
        self
    }

    fn row(mut self, row: Row) -> Self {
        self.row = Some(row);
        self
    }
}

#[cfg(test)]
pub(crate) mod tests;
