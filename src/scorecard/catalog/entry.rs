//! Where a catalog metric appears: as a Prometheus family (`Export`) and as a row of the
//! human reports (`Row`), with the flags that say how.

/// A human report that lists metric rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// `--format table`.
    Table,
    /// `--format markdown`, the review digest (a subset of the table's rows).
    Markdown,
}

/// What a row is about; the reports list a section's rows in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Topic {
    /// Routing: share of volume through our pools.
    Capture,
    /// Routing: inventory turnover.
    Churn,
    /// Routing: bot intervention cost.
    Cost,
    /// Routing: routed volume and fees.
    Volume,
    /// Routing: peak pool deviation.
    Deviation,
    /// Routing: arbitrage.
    Arbitrage,
    /// Routing: the shape of the routes taken.
    Routes,
    /// Routing: diagnostics listed last (volume that found no route).
    Diagnostics,
    /// Capital: ROI and PnL.
    Returns,
    /// Capital: drawdown, liquidation, peg deviation.
    Risk,
    /// Capital: floor violations, throttle and spread events.
    Events,
    /// Optimizer: the top deployable candidate.
    Candidate,
}

/// A count shown beside a row's value, e.g. `3 paths` beside the liquidation probability.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Context {
    pub count: u64,
    /// What is counted, printed after the count: `paths`, `unrepaired after the clamp`.
    pub noun: &'static str,
    /// Shown in the Markdown digest too (the table always shows it).
    pub in_markdown: bool,
}

/// A metric's row in the human reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    pub topic: Topic,
    pub in_table: bool,
    pub in_markdown: bool,
    /// A related count printed with the row (the table's note column).
    pub context: Option<Context>,
}

impl Row {
    /// A row of the table only.
    pub(super) fn table(topic: Topic) -> Self {
        Self {
            topic,
            in_table: true,
            in_markdown: false,
            context: None,
        }
    }

    /// A row of the table and of the Markdown digest.
    pub(super) fn both(topic: Topic) -> Self {
        Self {
            in_markdown: true,
            ..Self::table(topic)
        }
    }

    /// A row of the Markdown digest only.
    pub(super) fn markdown(topic: Topic) -> Self {
        Self {
            in_table: false,
            ..Self::both(topic)
        }
    }

    /// With `count noun` beside the value, in the table only.
    pub(super) fn context(mut self, count: u64, noun: &'static str) -> Self {
        self.context = Some(Context {
            count,
            noun,
            in_markdown: false,
        });
        self
    }

    /// With `count noun` beside the value, in the table and the Markdown digest.
    pub(super) fn context_everywhere(self, count: u64, noun: &'static str) -> Self {
        let mut row = self.context(count, noun);
        if let Some(c) = &mut row.context {
            c.in_markdown = true;
        }
        row
    }

    /// Whether `view` lists this row.
    pub fn shows(self, view: View) -> bool {
        match view {
            View::Table => self.in_table,
            View::Markdown => self.in_markdown,
        }
    }
}

/// Gauge (a level) or counter (a count; its family name ends in `_total`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    Gauge,
    Counter,
}

/// The unit suffix of a Prometheus family name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportUnit {
    /// `_ratio`: a share or a fraction.
    Ratio,
    /// `_usd`.
    Usd,
    /// `_bps`.
    Bps,
    /// `_seconds`.
    Seconds,
    /// No suffix (counts per path, leverage, scores; counters end in `_total` instead).
    Unitless,
}

impl ExportUnit {
    /// `_ratio`, `_usd`, `_bps`, `_seconds` or nothing.
    pub fn suffix(self) -> &'static str {
        match self {
            ExportUnit::Ratio => "_ratio",
            ExportUnit::Usd => "_usd",
            ExportUnit::Bps => "_bps",
            ExportUnit::Seconds => "_seconds",
            ExportUnit::Unitless => "",
        }
    }
}

/// What is exported beside a metric's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alongside {
    /// The value alone.
    Nothing,
    /// Its uncertainty: a `_stderr` family, or `_ci95_lower` and `_ci95_upper` families.
    Uncertainty,
    /// A count's mean per path and its standard error (`pmmsim_{stem}_per_path`, with
    /// this `# HELP`, and `pmmsim_{stem}_per_path_stderr`).
    PerPath(&'static str),
}

/// A metric's Prometheus family: `pmmsim_{stem}{unit suffix}`, or `pmmsim_{stem}_total`
/// for a counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Export {
    pub stem: &'static str,
    pub unit: ExportUnit,
    pub kind: ExportKind,
    pub alongside: Alongside,
}

impl Export {
    /// A gauge, value only.
    pub(super) fn gauge(stem: &'static str, unit: ExportUnit) -> Self {
        Self {
            stem,
            unit,
            kind: ExportKind::Gauge,
            alongside: Alongside::Nothing,
        }
    }

    /// A counter (`pmmsim_{stem}_total`), value only.
    pub(super) fn counter(stem: &'static str) -> Self {
        Self {
            kind: ExportKind::Counter,
            ..Self::gauge(stem, ExportUnit::Unitless)
        }
    }

    /// Also exports the metric's standard error or interval.
    pub(super) fn with_uncertainty(mut self) -> Self {
        self.alongside = Alongside::Uncertainty;
        self
    }

    /// Also exports a count's mean per path, described by `help`, with its standard error.
    pub(super) fn with_per_path(mut self, help: &'static str) -> Self {
        self.alongside = Alongside::PerPath(help);
        self
    }
}
