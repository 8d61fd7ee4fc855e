//! Human-readable tables (comfy-table). Styled (UTF-8 frames, coloured headers) as
//! `--color` says: by default only when stdout is a terminal and `NO_COLOR` is unset or
//! empty; otherwise plain ASCII so the output is stable for snapshots. On a terminal the
//! tables fit its width, or [`FALLBACK_WIDTH`] when it reports none (0 under `script` and
//! some CI pseudo-terminals).
//! The routing and capital rows come from the metric catalog; the gates, pools, chains,
//! attribution terms and optimizer candidates are tables of the scorecard's records.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU8, Ordering};

use clap::ValueEnum;
use comfy_table::presets::{ASCII_MARKDOWN, UTF8_FULL_CONDENSED};
use comfy_table::{Attribute, Cell, Color, ContentArrangement, Table};

use super::Renderer;
use super::number::{self, Kind, Notation};
use crate::error::Result;
use crate::optimizer::OptimizerResult;
use crate::scorecard::Scorecard;
use crate::scorecard::capital::CapitalMetrics;
use crate::scorecard::catalog::{Catalog, Metric, Section, Uncertainty, Value, View};

/// When tables are styled (`--color`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// When stdout is a terminal and `NO_COLOR` is unset or empty.
    #[default]
    Auto,
    /// Always, also into a pipe or a file.
    Always,
    /// Never: plain ASCII.
    Never,
}

/// The process's `--color` choice (0 auto, 1 always, 2 never), set once by the command.
static COLOR: AtomicU8 = AtomicU8::new(0);

/// Sets how every table of this process is styled.
pub fn set_color(choice: ColorChoice) {
    let code = match choice {
        ColorChoice::Auto => 0,
        ColorChoice::Always => 1,
        ColorChoice::Never => 2,
    };
    COLOR.store(code, Ordering::Relaxed);
}

fn styled() -> bool {
    match COLOR.load(Ordering::Relaxed) {
        1 => true,
        2 => false,
        _ => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// The table width on a terminal that reports no usable width.
pub const FALLBACK_WIDTH: u16 = 100;

/// A terminal narrower than this is taken as one that reports no width.
const MIN_WIDTH: u16 = 20;

/// The width to lay tables out in, from what the terminal reports.
fn layout_width(reported: Option<u16>) -> u16 {
    match reported {
        Some(w) if w >= MIN_WIDTH => w,
        _ => FALLBACK_WIDTH,
    }
}

/// A table with the shared style (plain ASCII unless styled, see the module doc).
pub fn new_table(header: &[&str]) -> Table {
    let mut t = Table::new();
    let terminal = std::io::stdout().is_terminal();
    let reported = if terminal { t.width() } else { None };
    let styled = styled();
    if styled {
        t.load_style(UTF8_FULL_CONDENSED);
        if !terminal {
            t.force_no_tty().enforce_styling();
        }
    } else {
        t.load_style(ASCII_MARKDOWN).force_no_tty();
    }
    if terminal {
        t.set_width(layout_width(reported));
    }
    t.set_content_arrangement(ContentArrangement::Dynamic);
    t.set_header(header.iter().map(|h| {
        let cell = Cell::new(h);
        if styled {
            cell.fg(Color::Cyan).add_attribute(Attribute::Bold)
        } else {
            cell
        }
    }));
    t
}

/// A number with a sensible number of digits for its size.
pub fn num(v: f64) -> String {
    let a = v.abs();
    if v == 0.0 {
        "0".into()
    } else if a >= 1e6 {
        format!("{:.3e}", v)
    } else if a >= 100.0 {
        format!("{v:.1}")
    } else if a >= 1.0 {
        format!("{v:.3}")
    } else if a >= 1e-4 {
        format!("{v:.5}")
    } else {
        format!("{v:.3e}")
    }
}

/// `v ± se` in the notation of `kind`; `± n/a` from fewer than two paths.
fn pm(kind: Kind, v: f64, se: f64, paths: u64) -> String {
    number::with_error(kind, v, number::error_of(se, paths))
}

/// The cells of one column in one notation.
fn column(kind: Kind, values: &[f64]) -> Vec<String> {
    let n = Notation::for_column(kind, values.iter().copied());
    values.iter().map(|v| n.value(*v)).collect()
}

/// Renders the scorecard as human-readable tables.
#[derive(Debug, Clone, Copy, Default)]
pub struct TableRenderer;

impl Renderer for TableRenderer {
    fn render(&self, card: &Scorecard) -> Result<Vec<u8>> {
        Ok(render(card).into_bytes())
    }
}

/// The whole scorecard as tables.
fn render(card: &Scorecard) -> String {
    let catalog = Catalog::of(card);
    let i = &card.inputs;
    let mut out = format!(
        "pmmsim scorecard: {}\n{}\n{} paths x {} epochs of {} day(s), seed {}, graph {}/{}, inputs {}\n\n",
        card.scenario,
        card.description,
        i.paths,
        i.epochs,
        i.epoch_days,
        i.seed,
        i.graph_mode,
        i.topology,
        &i.inputs_hash[..12.min(i.inputs_hash.len())]
    );
    out.push_str("Routing (mean over paths ± standard error)\n");
    out.push_str(&routing_table(&catalog.rows(Section::Routing, View::Table), i.paths).to_string());
    if let Some(c) = &card.capital {
        out.push_str("\n\nCapital (mean over paths ± standard error; intervals are 95%)\n");
        let rows = catalog.rows(Section::Capital, View::Table);
        out.push_str(&capital_table(c, &rows, i.paths).to_string());
        out.push_str("\n\nPnL attribution (contribution to roi_mean)\n");
        let mut t = new_table(&["term", "roi contribution", "USD per path"]);
        let usd: Vec<f64> = c.pnl_attribution.iter().map(|a| a.mean_usd).collect();
        for (a, usd) in c.pnl_attribution.iter().zip(column(Kind::Usd, &usd)) {
            t.add_row(vec![
                a.term.clone(),
                pm(
                    Kind::Percent,
                    a.roi_contribution,
                    a.roi_contribution_se,
                    i.paths,
                ),
                usd,
            ]);
        }
        out.push_str(&t.to_string());
    }
    if let Some(o) = &card.optimizer {
        out.push_str(&optimizer_tables(o));
    }
    out.push_str("\n\nGates\n");
    let mut gates = new_table(&[
        "gate",
        "metric",
        "threshold",
        "value",
        "interval",
        "result",
        "to settle",
    ]);
    for g in &card.gates {
        gates.add_row(vec![
            g.name.clone(),
            g.metric.clone(),
            super::gate_threshold(g),
            number::value(Kind::of_metric(&g.metric), g.value),
            super::gate_interval(g),
            super::gate_result(g),
            super::gate_paths_needed(g),
        ]);
    }
    out.push_str(&gates.to_string());
    let runbook = super::advice::lines(card);
    if !runbook.is_empty() {
        out.push_str("\n\nRunbook\n");
        for line in runbook {
            out.push_str("  ");
            out.push_str(&line);
            out.push('\n');
        }
        out.pop();
    }
    out.push_str("\n\nWorst pools (post-arbitrage peak deviation)\n");
    let mut worst = new_table(&[
        "chain",
        "pool",
        "depth USD",
        "peak dev bps (mean)",
        "peak dev bps (max)",
        "churn/epoch",
        "half-life epochs",
    ]);
    let pools = &card.routing.worst_pools;
    let depth = Notation::for_column(Kind::Usd, pools.iter().map(|p| p.depth_usd));
    let plain = |v: f64| number::value(Kind::Plain, v);
    for p in pools {
        worst.add_row(vec![
            p.chain_id.to_string(),
            p.pool.clone(),
            depth.value(p.depth_usd),
            plain(p.peak_deviation_bps_mean),
            plain(p.peak_deviation_bps_max),
            plain(p.churn_per_epoch),
            p.half_life_epochs.map_or("-".into(), plain),
        ]);
    }
    out.push_str(&worst.to_string());
    out.push_str("\n\nIntervention cost and bridge outflow by chain (mean per path)\n");
    let mut chains = new_table(&[
        "chain",
        "name",
        "inject USD",
        "withdraw USD",
        "peak outflow USD/epoch (p95)",
    ]);
    let costs = &card.routing.intervention_cost_by_chain;
    let outflows = &card.routing.peak_bridge_outflow;
    let cost = Notation::for_column(Kind::Usd, costs.iter().flat_map(|c| [c.inject, c.withdraw]));
    let outflow = Notation::for_column(Kind::Usd, outflows.iter().map(|o| o.p95_usd_per_epoch));
    for (c, o) in costs.iter().zip(outflows) {
        chains.add_row(vec![
            c.chain_id.to_string(),
            c.chain.clone(),
            cost.value(c.inject),
            cost.value(c.withdraw),
            outflow.value(o.p95_usd_per_epoch),
        ]);
    }
    out.push_str(&chains.to_string());
    out.push('\n');
    out
}

/// Routing rows: value (± standard error) and unit. A count shows its mean per path in
/// parentheses; an interval is not shown (the JSON and the Markdown digest have it).
fn routing_table(rows: &[&Metric], paths: u64) -> Table {
    let mut t = new_table(&["metric", "value", "unit"]);
    for m in rows {
        let value = match (m.value, m.uncertainty) {
            (Value::Count(n), Uncertainty::PerPath { mean, .. }) => {
                format!(
                    "{} ({} per path)",
                    number::count(n),
                    number::value(Kind::Plain, mean)
                )
            }
            _ => value(m, paths),
        };
        t.add_row(vec![m.label.to_string(), value, m.unit.to_string()]);
    }
    t
}

/// Capital rows: the posture, then value (± standard error) and a note. Rows that share
/// a label share one row (values joined by ` / `, the unit as the note).
fn capital_table(c: &CapitalMetrics, rows: &[&Metric], paths: u64) -> Table {
    let mut t = new_table(&["metric", "value", "note"]);
    t.add_row(vec![
        "posture".to_string(),
        format!("alpha {} / {}x / {} bps", c.alpha, c.leverage, c.spread_bps),
        format!("T0 {}", number::value(Kind::Usd, c.initial_capital_usd)),
    ]);
    for group in rows.chunk_by(|a, b| a.label == b.label) {
        let (first, note) = match group {
            [one] => (one, note(one)),
            [first, ..] => (first, first.unit.to_string()),
            [] => continue,
        };
        let values: Vec<String> = group.iter().map(|m| value(m, paths)).collect();
        t.add_row(vec![first.label.to_string(), values.join(" / "), note]);
    }
    t
}

/// `v ± se` for a mean, the count for a count, the number otherwise.
fn value(m: &Metric, paths: u64) -> String {
    let kind = Kind::of_unit(m.unit);
    match (m.value, m.uncertainty) {
        (Value::Real(v), Uncertainty::StdErr(se)) => pm(kind, v, se, paths),
        (Value::Real(v), _) => number::value(kind, v),
        (Value::Count(n), _) => number::count(n),
    }
}

/// The note of a capital row: its context count and its interval, else a count's mean
/// per path.
fn note(m: &Metric) -> String {
    let mut parts = Vec::new();
    if let Some(c) = m.row.and_then(|r| r.context) {
        parts.push(format!("{} {}", c.count, c.noun));
    }
    let n = Notation::of(Kind::of_unit(m.unit), m.value.as_f64());
    match m.uncertainty {
        Uncertainty::Ci95(i) => parts.push(n.interval(i.lo, i.hi)),
        Uncertainty::Wilson95(i) => parts.push(format!("Wilson {}", n.interval(i.lo, i.hi))),
        Uncertainty::PerPath { mean, .. } if parts.is_empty() => {
            parts.push(format!("{} per path", number::value(Kind::Plain, mean)));
        }
        _ => {}
    }
    parts.join(", ")
}

/// Rows of the candidates table shown (the JSON has them all).
const TOP_CANDIDATES: usize = 10;

fn optimizer_tables(o: &OptimizerResult) -> String {
    let mut out = format!(
        "\n\nOptimizer: {} candidates on the same {} paths (top {})\n",
        o.candidates.len(),
        o.paths,
        TOP_CANDIDATES.min(o.candidates.len())
    );
    let mut t = new_table(&[
        "rank",
        "leverage",
        "alpha",
        "ext share",
        "spread bps",
        "score",
        "vs top",
        "roi_mean",
        "roi_p05",
        "dd p95",
        "liq prob",
        "deployable",
    ]);
    let shown: Vec<_> = o.candidates.iter().take(TOP_CANDIDATES).collect();
    let paths = o.paths;
    let plain = |v: f64| number::value(Kind::Plain, v);
    let pct = |v: f64| number::value(Kind::Percent, v);
    for c in &shown {
        let gap = pm(Kind::Plain, c.gap_to_top, c.gap_to_top_se, paths);
        t.add_row(vec![
            c.rank.to_string(),
            plain(c.leverage),
            plain(c.alpha),
            pct(c.external_share),
            plain(c.spread_bps),
            pm(Kind::Plain, c.score, c.score_se, paths),
            if c.rank == 1 {
                "top".into()
            } else if c.ties_top {
                format!("tie (-{gap})")
            } else {
                format!("-{gap}")
            },
            pct(c.roi_mean),
            pct(c.roi_p05),
            pct(c.max_drawdown_p95),
            pct(c.liquidation_probability),
            if c.deployable {
                "yes".into()
            } else {
                format!("no: {}", c.reasons.join("; "))
            },
        ]);
    }
    out.push_str(&t.to_string());
    let ties = o.candidates.iter().filter(|c| c.ties_top).count();
    if ties > 1 {
        out.push_str(&format!(
            "\n{} candidates cannot be told apart from the top at {} confidence on these paths (\"tie\").",
            ties,
            super::percent(o.confidence)
        ));
    }
    out.push_str("\n\nFrontier (best score at each leverage)\n");
    let mut f = new_table(&[
        "leverage",
        "rank",
        "alpha",
        "spread bps",
        "score",
        "roi_mean",
        "liq prob",
        "deployable",
    ]);
    for p in &o.frontier {
        f.add_row(vec![
            plain(p.leverage),
            p.best_rank.to_string(),
            plain(p.alpha),
            plain(p.spread_bps),
            plain(p.score),
            pct(p.roi_mean),
            pct(p.liquidation_probability),
            if p.deployable { "yes" } else { "no" }.to_string(),
        ]);
    }
    out.push_str(&f.to_string());
    match &o.top_deployable {
        Some(c) => out.push_str(&format!(
            "\n\nTop deployable: rank {} at {}x, alpha {}, {} bps: roi_mean {}\n",
            c.rank,
            c.leverage,
            c.alpha,
            c.spread_bps,
            pm(Kind::Percent, c.roi_mean, c.roi_mean_se, paths)
        )),
        None => {
            out.push_str("\n\nTop deployable: none (no candidate's gates all pass under the cap)\n")
        }
    }
    for r in &o.rejected {
        out.push_str(&format!(
            "rejected: {}x alpha {} {} bps: {}\n",
            r.leverage, r.alpha, r.spread_bps, r.reason
        ));
    }
    out
}

#[cfg(test)]
mod width_tests {
    use super::*;

    #[test]
    fn a_terminal_without_a_width_gets_the_fallback() {
        assert_eq!(layout_width(None), FALLBACK_WIDTH);
        assert_eq!(layout_width(Some(0)), FALLBACK_WIDTH);
        assert_eq!(layout_width(Some(5)), FALLBACK_WIDTH);
        assert_eq!(layout_width(Some(160)), 160);
    }
}
