//! A `diff` comparison rendered as tables (the header with the inputs that changed and
//! the verdict, every gate, every
//! headline metric, and the detail rows that changed) or as JSON (every row). Pure
//! rendering: the comparison itself is `crate::diff`.

use super::DataFormat;
use super::json::pretty_json;
use super::number::{Kind, Notation};
use super::table::new_table;
use crate::diff::{DiffReport, GateDiff, Level, MetricDiff, Side, Status, describe_change};
use crate::error::Result;
use crate::gates::Verdict;

/// Changed detail rows the table lists; more than this (typical when the inputs differ)
/// are counted, and `--format json` has them all.
const MAX_DETAIL_ROWS: usize = 40;

/// Changed inputs the table lists; `--format json` has them all.
const MAX_INPUT_CHANGES: usize = 20;

/// The comparison in `format`.
pub fn render(report: &DiffReport, format: DataFormat) -> Result<Vec<u8>> {
    match format {
        DataFormat::Table => Ok(render_table(report).into_bytes()),
        DataFormat::Json => pretty_json(report, "the diff"),
    }
}

/// The notation of a metric's row (base, new and change share it).
fn notation(metric: &str, values: &[Option<f64>]) -> Notation {
    Notation::for_column(Kind::of_metric(metric), values.iter().flatten().copied())
}

/// A value rounded to its standard error when it has one; `-` when absent.
fn opt(n: &Notation, v: Option<f64>, se: Option<f64>) -> String {
    v.map_or("-".into(), |v| n.value_at_error(v, se))
}

fn signed(n: &Notation, v: Option<f64>, se: Option<f64>) -> String {
    match v {
        Some(c) if c > 0.0 => format!("+{}", n.value_at_error(c, se)),
        other => opt(n, other, se),
    }
}

fn percent(v: Option<f64>) -> String {
    v.map_or("-".into(), |r| format!("{:+.2}%", r * 100.0))
}

fn verdict(v: Option<Verdict>) -> &'static str {
    v.map_or("-", super::verdict_word)
}

/// The header: files, runs, inputs and the verdict with its reasons.
fn header(r: &DiffReport) -> String {
    let side = |label: &str, s: &Side| {
        format!(
            "{label} {}: {}, {} paths x {} epochs, seed {}, inputs {}\n",
            s.file,
            s.scenario,
            s.paths,
            s.epochs,
            s.seed,
            &s.inputs_hash[..12.min(s.inputs_hash.len())]
        )
    };
    let mut out = String::from("pmmsim diff\n");
    out.push_str(&side("base", &r.base));
    out.push_str(&side("new ", &r.new));
    out.push_str(&format!("inputs: {}\n", r.inputs));
    for c in r.inputs_changed.iter().take(MAX_INPUT_CHANGES) {
        out.push_str(&format!("  changed {}\n", describe_change(c, 60)));
    }
    if r.inputs_changed.len() > MAX_INPUT_CHANGES {
        out.push_str(&format!(
            "  ... and {} more; --format json lists every change\n",
            r.inputs_changed.len() - MAX_INPUT_CHANGES
        ));
    }
    if r.base.scenario != r.new.scenario {
        out.push_str("note: the two scorecards are of different scenarios\n");
    }
    let s = &r.summary;
    out.push_str(&format!(
        "result: {} ({} critical, {} warning; {} of {} metrics changed)\n",
        s.worst.as_str(),
        s.critical.len(),
        s.warning.len(),
        s.changed,
        s.changed + s.unchanged
    ));
    for g in r.gates.iter().filter(|g| g.severity > Level::Info) {
        out.push_str(&format!(
            "  {:<8} gate {} {}: {} {}, threshold {}",
            g.severity.as_str(),
            g.name,
            g.status.as_str(),
            g.metric,
            opt(&notation(&g.metric, &[g.new_value]), g.new_value, None),
            g.threshold
        ));
        if let Some(reason) = &g.reason {
            out.push_str(&format!(" ({reason})"));
        }
        out.push('\n');
    }
    for m in &r.metrics {
        if let Some(reason) = &m.reason {
            let level = if m.status == Status::Removed {
                m.severity
            } else {
                Level::Warning
            };
            out.push_str(&format!("  {:<8} {}: {reason}\n", level.as_str(), m.metric));
        }
    }
    out
}

fn gate_table(gates: &[GateDiff]) -> String {
    let mut t = new_table(&[
        "gate",
        "metric",
        "threshold",
        "base",
        "new",
        "base result",
        "new result",
        "status",
        "severity",
    ]);
    for g in gates {
        let n = notation(&g.metric, &[g.base_value, g.new_value]);
        t.add_row(vec![
            g.name.clone(),
            g.metric.clone(),
            g.threshold.clone(),
            opt(&n, g.base_value, None),
            opt(&n, g.new_value, None),
            verdict(g.base_verdict).to_string(),
            verdict(g.new_verdict).to_string(),
            g.status.as_str().to_string(),
            g.severity.as_str().to_string(),
        ]);
    }
    t.to_string()
}

fn metric_table(rows: &[&MetricDiff]) -> String {
    let mut t = new_table(&[
        "metric", "base", "new", "change", "relative", "z", "severity",
    ]);
    for m in rows {
        let n = notation(&m.metric, &[m.base, m.new]);
        // The change's error: both sides' combined (they are independent estimates).
        let change_se = match (m.base_se, m.new_se) {
            (Some(a), Some(b)) => Some(a.hypot(b)),
            (a, b) => a.or(b),
        };
        let change = match m.status {
            Status::Added => "added".to_string(),
            Status::Removed => "removed".to_string(),
            _ => signed(&n, m.change, change_se),
        };
        t.add_row(vec![
            m.metric.clone(),
            opt(&n, m.base, m.base_se),
            opt(&n, m.new, m.new_se),
            change,
            percent(m.relative_change),
            m.z.map_or("-".into(), |z| format!("{z:+.2}")),
            m.severity.as_str().to_string(),
        ]);
    }
    t.to_string()
}

/// The comparison as tables: every gate, every headline metric, and the per-chain,
/// per-pool, per-link, per-term and frontier rows that changed.
fn render_table(r: &DiffReport) -> String {
    let mut out = header(r);
    out.push_str("\nGates\n");
    out.push_str(&gate_table(&r.gates));
    let headline: Vec<&MetricDiff> = r.metrics.iter().filter(|m| !m.detail).collect();
    out.push_str("\n\nMetrics (z = change / combined standard error)\n");
    out.push_str(&metric_table(&headline));
    let (changed, unchanged): (Vec<&MetricDiff>, Vec<&MetricDiff>) = r
        .metrics
        .iter()
        .filter(|m| m.detail)
        .partition(|m| m.status != Status::Unchanged);
    if changed.is_empty() || changed.len() > MAX_DETAIL_ROWS {
        out.push_str(&format!(
            "\n\nDetail rows (per chain, pool, link, term, leverage): {} changed, {} unchanged; \
             --format json lists every row.\n",
            changed.len(),
            unchanged.len()
        ));
    } else {
        out.push_str("\n\nDetail rows that changed (per chain, pool, link, term, leverage)\n");
        out.push_str(&metric_table(&changed));
        out.push_str(&format!(
            "\n{} unchanged detail row(s) not shown; --format json lists every row.\n",
            unchanged.len()
        ));
    }
    out
}
