//! The scorecard as a Markdown summary to paste into a review: the run (scenario, inputs
//! hash, paths, seed), the gate table, the key metrics with their Monte Carlo
//! uncertainty (routing, capital when present) and the top deployable candidate when the
//! optimizer ran. The JSON scorecard stays the full record; this is the digest. The
//! metric rows are the catalog's Markdown rows.
//! Pure rendering: it never runs the engine and computes no statistic.

use std::fmt::Write as _;

use super::Renderer;
use super::number::{self, Kind, Notation};
use crate::error::Result;
use crate::gates::{Gate, Verdict};
use crate::optimizer::OptimizerResult;
use crate::scorecard::Scorecard;
use crate::scorecard::catalog::{Catalog, Metric, Section, Uncertainty, Value, View};

/// Renders the scorecard as a Markdown summary, ending in a newline.
#[derive(Debug, Clone, Copy, Default)]
pub struct MarkdownRenderer;

impl Renderer for MarkdownRenderer {
    fn render(&self, card: &Scorecard) -> Result<Vec<u8>> {
        Ok(render(card).into_bytes())
    }
}

fn render(card: &Scorecard) -> String {
    let catalog = Catalog::of(card);
    let mut out = String::new();
    header(&mut out, card);
    gates(&mut out, &card.gates);
    runbook(&mut out, card);
    let routing = catalog.rows(Section::Routing, View::Markdown);
    let paths = card.inputs.paths;
    metric_table(&mut out, "Routing (mean over paths)", &routing, paths);
    if let Some(c) = &card.capital {
        let title = format!(
            "Capital (alpha {}, {}x, {} bps; T0 {})",
            c.alpha,
            c.leverage,
            c.spread_bps,
            number::value(Kind::Usd, c.initial_capital_usd)
        );
        metric_table(
            &mut out,
            &title,
            &catalog.rows(Section::Capital, View::Markdown),
            paths,
        );
    }
    if let Some(o) = &card.optimizer {
        optimizer(
            &mut out,
            o,
            &catalog.rows(Section::Optimizer, View::Markdown),
        );
    }
    let _ = writeln!(
        out,
        "\n<sub>pmmsim {}; the full record is `pmmsim run {} --format json`.</sub>",
        card.run_info.tool_version, card.scenario
    );
    out
}

/// Escapes characters that would break a table cell or start inline markup.
fn cell(s: &str) -> String {
    s.replace('\\', r"\\")
        .replace('|', r"\|")
        .replace('\n', " ")
}

fn row(out: &mut String, cells: &[String]) {
    let _ = writeln!(out, "| {} |", cells.join(" | "));
}

fn table_head(out: &mut String, header: &[&str]) {
    let _ = writeln!(out, "| {} |", header.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(header.len()));
}

fn header(out: &mut String, card: &Scorecard) {
    let i = &card.inputs;
    let _ = writeln!(out, "## pmmsim scorecard: `{}`\n", card.scenario);
    let _ = writeln!(out, "{}\n", card.description.replace('\n', " "));
    table_head(out, &["run", "value"]);
    let rows = [
        ("scenario", format!("`{}`", cell(&card.scenario))),
        ("inputs hash", format!("`{}`", i.inputs_hash)),
        (
            "paths x epochs",
            format!(
                "{} x {} ({} day(s) per epoch)",
                i.paths, i.epochs, i.epoch_days
            ),
        ),
        ("seed", i.seed.to_string()),
        (
            "graph",
            format!(
                "{} / {} ({} pools, {} links, {} routes)",
                cell(&i.graph_mode),
                cell(&i.topology),
                i.pool_count,
                i.link_count,
                i.route_count
            ),
        ),
    ];
    for (k, v) in rows {
        row(out, &[k.to_string(), v]);
    }
}

fn gate_result(g: &Gate) -> String {
    match g.verdict {
        Verdict::Pass => "pass".into(),
        _ => format!("**{}**", super::gate_result(g)),
    }
}

fn gates(out: &mut String, gates: &[Gate]) {
    let failing: Vec<&Gate> = gates.iter().filter(|g| !g.passed()).collect();
    let verdict = if failing.is_empty() {
        format!("all {} pass", gates.len())
    } else {
        let names: Vec<String> = failing
            .iter()
            .map(|g| format!("`{}` ({})", g.name, g.verdict.as_str()))
            .collect();
        format!(
            "{} of {} do not pass: {}",
            failing.len(),
            gates.len(),
            names.join(", ")
        )
    };
    let _ = writeln!(out, "\n### Gates: {verdict}\n");
    table_head(
        out,
        &[
            "gate",
            "metric",
            "threshold",
            "value",
            "interval",
            "result",
            "to settle",
        ],
    );
    for g in gates {
        row(
            out,
            &[
                format!("`{}`", cell(&g.name)),
                format!("`{}`", cell(&g.metric)),
                format!("`{}`", super::gate_threshold(g)),
                number::value(Kind::of_metric(&g.metric), g.value),
                super::gate_interval(g),
                gate_result(g),
                super::gate_paths_needed(g),
            ],
        );
    }
}

/// The runbook procedures answering the failed gates (and the advice, after `--advise`).
fn runbook(out: &mut String, card: &Scorecard) {
    let lines = super::advice::lines(card);
    if lines.is_empty() {
        return;
    }
    out.push_str("\n#### Runbook\n\n");
    for line in lines {
        let _ = writeln!(out, "- {}", cell(&line));
    }
}

/// The notation of a metric's row: its unit's kind, scaled by its value.
fn notation(m: &Metric) -> Notation {
    Notation::of(Kind::of_unit(m.unit), m.value.as_f64())
}

/// The number, or the count.
fn value(m: &Metric) -> String {
    match m.value {
        Value::Real(v) => notation(m).value(v),
        Value::Count(n) => number::count(n),
    }
}

/// The value column: rounded to the standard error when the row has one.
fn n_value(m: &Metric, paths: u64) -> String {
    match (m.value, m.uncertainty) {
        (Value::Real(v), Uncertainty::StdErr(se)) => {
            notation(m).value_at_error(v, number::error_of(se, paths))
        }
        _ => value(m),
    }
}

/// The uncertainty column: the context count when the digest shows it, then the
/// standard error (`± n/a` from fewer than two paths), the interval or a count's mean
/// per path.
fn uncertainty(m: &Metric, paths: u64) -> String {
    let mut parts = Vec::new();
    if let Some(c) = m.row.and_then(|r| r.context).filter(|c| c.in_markdown) {
        parts.push(format!("{} {}", number::count(c.count), c.noun));
    }
    let n = notation(m);
    match m.uncertainty {
        Uncertainty::None => {}
        Uncertainty::StdErr(se) => parts.push(n.error(number::error_of(se, paths))),
        Uncertainty::Ci95(i) => parts.push(format!("95% CI {}", n.interval(i.lo, i.hi))),
        Uncertainty::Wilson95(i) => {
            parts.push(format!("Wilson 95% CI {}", n.interval(i.lo, i.hi)));
        }
        Uncertainty::PerPath { mean, se } => {
            parts.push(format!(
                "{} per path",
                number::with_error(Kind::Plain, mean, number::error_of(se, paths))
            ));
        }
    }
    parts.join("; ")
}

/// The value with its uncertainty in one cell: `v ± se`, `v (95% CI [lo, hi])`.
fn value_inline(m: &Metric, paths: u64) -> String {
    let n = notation(m);
    match (m.value, m.uncertainty) {
        (Value::Real(v), Uncertainty::StdErr(se)) => n.with_error(v, number::error_of(se, paths)),
        (_, Uncertainty::Ci95(i) | Uncertainty::Wilson95(i)) => {
            format!("{} (95% CI {})", value(m), n.interval(i.lo, i.hi))
        }
        _ => value(m),
    }
}

fn metric_table(out: &mut String, title: &str, rows: &[&Metric], paths: u64) {
    let _ = writeln!(out, "\n### {title}\n");
    table_head(out, &["metric", "value", "uncertainty", "unit"]);
    for m in rows {
        row(
            out,
            &[
                format!("`{}`", m.label),
                n_value(m, paths),
                uncertainty(m, paths),
                m.unit.to_string(),
            ],
        );
    }
}

/// The optimizer's counts and its top deployable candidate: rank and posture, then the
/// candidate's rows.
fn optimizer(out: &mut String, o: &OptimizerResult, rows: &[&Metric]) {
    let deployable = o.candidates.iter().filter(|c| c.deployable).count();
    let _ = writeln!(
        out,
        "\n### Optimizer: {} candidates on the same {} paths, {} deployable, {} rejected before simulation\n",
        o.candidates.len(),
        o.paths,
        deployable,
        o.rejected.len()
    );
    let Some(t) = &o.top_deployable else {
        let _ = writeln!(
            out,
            "No deployable candidate: no candidate's gates all pass under the deployable leverage cap."
        );
        return;
    };
    table_head(out, &["top deployable candidate", "value"]);
    row(out, &["`rank`".to_string(), t.rank.to_string()]);
    row(
        out,
        &[
            "`posture`".to_string(),
            format!("{}x, alpha {}, {} bps", t.leverage, t.alpha, t.spread_bps),
        ],
    );
    for m in rows {
        row(out, &[format!("`{}`", m.label), value_inline(m, o.paths)]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_escape_pipes_and_newlines() {
        assert_eq!(cell("a|b\nc"), r"a\|b c");
    }
}
