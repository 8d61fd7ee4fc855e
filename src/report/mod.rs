//! Renderers: turn a `Scorecard` into the bytes of one output format, one file per format
//! (`json`, `table`, `markdown`, `prometheus`, `csv`, `html` with its SVG charts in `svg`),
//! each behind the [`Renderer`] trait. They
//! never run the engine and never compute a statistic that is not in the scorecard; the
//! metrics they list come from `crate::scorecard::catalog`. `diff` renders a comparison
//! of two scorecards, `validate` the CI gate's report, `alert_rules` and `alert_tests`
//! the alerting rules and their promtool tests; `output` writes the bytes;
//! `number` writes every number a person reads (table, Markdown, HTML).

pub mod advice;
pub mod alert_rules;
pub mod alert_tests;
pub mod csv;
pub mod diff;
pub mod html;
pub mod json;
pub mod markdown;
pub mod number;
pub mod output;
pub mod paths;
pub mod prometheus;
pub mod svg;
pub mod table;
pub mod validate;

use clap::ValueEnum;

use crate::error::Result;
use crate::scorecard::Scorecard;

/// Output format of a scorecard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Human-readable tables.
    Table,
    /// The full scorecard as JSON (stable, diffable).
    Json,
    /// A Markdown summary to paste into a review: run, gates, key metrics.
    Markdown,
    /// Prometheus text exposition format for node_exporter's textfile collector.
    Prometheus,
    /// The metric rows as CSV (RFC 4180): one row per metric, full precision.
    Csv,
    /// One self-contained offline HTML page with inline SVG charts (no scripts, no URLs).
    Html,
}

/// Output format of a report that is not a scorecard (`validate`, `diff`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DataFormat {
    /// Human-readable tables.
    Table,
    /// JSON.
    Json,
}

/// Turns a scorecard into the bytes of one output format.
pub trait Renderer {
    /// The rendered scorecard; an error is a failure of pmmsim itself
    /// (`Error::Internal`), never of the scorecard.
    fn render(&self, card: &Scorecard) -> Result<Vec<u8>>;
}

/// The renderer of `format`.
pub fn renderer(format: Format) -> Box<dyn Renderer> {
    match format {
        Format::Table => Box::new(table::TableRenderer),
        Format::Json => Box::new(json::JsonRenderer),
        Format::Markdown => Box::new(markdown::MarkdownRenderer),
        Format::Prometheus => Box::new(prometheus::PrometheusRenderer),
        Format::Csv => Box::new(csv::CsvRenderer),
        Format::Html => Box::new(html::HtmlRenderer),
    }
}

/// Renders `card` in `format`.
pub fn render(card: &Scorecard, format: Format) -> Result<Vec<u8>> {
    renderer(format).render(card)
}

/// How every report shows a verdict: `pass`, `FAIL`, `INCONCLUSIVE` (the two that block
/// in capitals).
pub fn verdict_word(v: crate::gates::Verdict) -> &'static str {
    match v {
        crate::gates::Verdict::Pass => "pass",
        crate::gates::Verdict::Fail => "FAIL",
        crate::gates::Verdict::Inconclusive => "INCONCLUSIVE",
    }
}

/// A gate's result for a report row: `pass`, `FAIL (critical)`, `INCONCLUSIVE (warning)`.
pub fn gate_result(g: &crate::gates::Gate) -> String {
    match g.verdict {
        crate::gates::Verdict::Pass => "pass".into(),
        v => {
            let severity = match g.severity {
                crate::gates::Severity::Critical => "critical",
                crate::gates::Severity::Warning => "warning",
            };
            format!("{} ({severity})", verdict_word(v))
        }
    }
}

/// A gate's interval and confidence for a report row: `[21.0%, 26.0%] at 95%`, with the
/// looks when there were several (`at 95%, 3 looks`).
pub fn gate_interval(g: &crate::gates::Gate) -> String {
    let looks = if g.looks > 1 {
        format!(", {} looks", g.looks)
    } else {
        String::new()
    };
    let n = number::Notation::of(number::Kind::of_metric(&g.metric), g.value);
    format!(
        "{} at {}{looks}",
        n.interval(g.interval.lo, g.interval.hi),
        percent(g.confidence)
    )
}

/// A gate's threshold in its metric's notation, without trailing zeros: `<= 2%`,
/// `in [10%, 30%]`, `<= 0.25`, `>= $0`.
pub fn gate_threshold(g: &crate::gates::Gate) -> String {
    use crate::gates::Comparison;
    let kind = number::Kind::of_metric(&g.metric);
    let show = |v: f64| trim_zeros(&number::value(kind, v));
    match g.comparison {
        Comparison::AtMost => format!("<= {}", show(g.threshold)),
        Comparison::AtLeast => format!(">= {}", show(g.threshold)),
        Comparison::Within => format!(
            "in [{}, {}]",
            show(g.threshold),
            show(g.threshold_high.unwrap_or(f64::INFINITY))
        ),
    }
}

/// `2.00%` as `2%`, `0.2500` as `0.25`, `$1.50M` as `$1.5M`: the zeros after a decimal
/// point dropped (a threshold is exact; it has no error to round to).
fn trim_zeros(text: &str) -> String {
    let Some(end) = text.rfind(|c: char| c.is_ascii_digit()) else {
        return text.to_string();
    };
    let (number, suffix) = text.split_at(end + 1);
    if !number.contains('.') {
        return text.to_string();
    }
    format!(
        "{}{suffix}",
        number.trim_end_matches('0').trim_end_matches('.')
    )
}

/// A confidence level as a percentage without trailing zeros: `95%`, `99.5%`.
pub fn percent(level: f64) -> String {
    let text = format!("{:.4}", level * 100.0);
    format!("{}%", text.trim_end_matches('0').trim_end_matches('.'))
}

/// What would settle an inconclusive gate: `~2,400 paths`, `-` when resolved, `unresolvable`
/// for an estimate on the threshold.
pub fn gate_paths_needed(g: &crate::gates::Gate) -> String {
    match (g.verdict, g.paths_needed) {
        (crate::gates::Verdict::Inconclusive, Some(n)) => format!("~{n} paths"),
        (crate::gates::Verdict::Inconclusive, None) => "not resolvable by paths".into(),
        _ => "-".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::trim_zeros;

    #[test]
    fn a_threshold_drops_the_zeros_after_its_point_only() {
        assert_eq!(trim_zeros("2.00%"), "2%");
        assert_eq!(trim_zeros("0.2500"), "0.25");
        assert_eq!(trim_zeros("$1.50M"), "$1.5M");
        assert_eq!(trim_zeros("1,000"), "1,000");
        assert_eq!(trim_zeros("200"), "200");
        assert_eq!(trim_zeros("n/a"), "n/a");
    }
}
