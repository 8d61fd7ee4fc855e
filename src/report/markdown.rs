//! The scorecard as a Markdown summary to paste into a review: the run (scenario, inputs
//! hash, paths, seed), the gate table, the key metrics with their Monte Carlo
//! uncertainty (routing, capital when present) and the top deployable candidate when the
//! optimizer ran. The JSON scorecard stays the full record; this is the digest.
//! Pure rendering: it never runs the engine and computes no statistic.

use std::fmt::Write as _;

use super::table::num;
use crate::optimizer::OptimizerResult;
use crate::scorecard::capital::CapitalMetrics;
use crate::scorecard::gates::{Gate, Severity};
use crate::scorecard::{Interval, RoutingMetrics, Scorecard};

/// The Markdown summary, ending in a newline.
/// Renders the scorecard as a Markdown summary.
#[derive(Debug, Clone, Copy, Default)]
pub struct MarkdownRenderer;

impl super::Renderer for MarkdownRenderer {
    fn render(&self, card: &Scorecard) -> crate::error::Result<Vec<u8>> {
        Ok(render(card).into_bytes())
    }
}

fn render(card: &Scorecard) -> String {
    let mut out = String::new();
    header(&mut out, card);
    gates(&mut out, &card.gates);
    routing(&mut out, &card.routing);
    if let Some(c) = &card.capital {
        capital(&mut out, c);
    }
    if let Some(o) = &card.optimizer {
        optimizer(&mut out, o);
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
    match (g.pass, g.severity) {
        (true, _) => "pass".into(),
        (false, Severity::Critical) => "**FAIL** (critical)".into(),
        (false, Severity::Warning) => "**FAIL** (warning)".into(),
    }
}

fn gates(out: &mut String, gates: &[Gate]) {
    let failing: Vec<&Gate> = gates.iter().filter(|g| !g.pass).collect();
    let verdict = if failing.is_empty() {
        format!("all {} pass", gates.len())
    } else {
        let names: Vec<String> = failing.iter().map(|g| format!("`{}`", g.name)).collect();
        format!(
            "{} of {} fail: {}",
            failing.len(),
            gates.len(),
            names.join(", ")
        )
    };
    let _ = writeln!(out, "\n### Gates: {verdict}\n");
    table_head(out, &["gate", "metric", "threshold", "value", "result"]);
    for g in gates {
        row(
            out,
            &[
                format!("`{}`", cell(&g.name)),
                format!("`{}`", cell(&g.metric)),
                format!("`{}`", g.describe_threshold()),
                num(g.value),
                gate_result(g),
            ],
        );
    }
}

fn pm(v: f64, se: f64) -> (String, String) {
    (num(v), format!("± {}", num(se)))
}

fn ci(v: f64, i: &Interval) -> (String, String) {
    (num(v), format!("95% CI [{}, {}]", num(i.lo), num(i.hi)))
}

fn metric_table(out: &mut String, title: &str, rows: Vec<(&str, (String, String), &str)>) {
    let _ = writeln!(out, "\n### {title}\n");
    table_head(out, &["metric", "value", "uncertainty", "unit"]);
    for (name, (value, unc), unit) in rows {
        row(out, &[format!("`{name}`"), value, unc, unit.to_string()]);
    }
}

fn routing(out: &mut String, r: &RoutingMetrics) {
    let rows = vec![
        (
            "capture_mean",
            pm(r.capture_mean, r.capture_mean_se),
            "share of volume",
        ),
        (
            "capture_p95",
            pm(r.capture_p95, r.capture_p95_se),
            "share of volume",
        ),
        ("churn_mean", pm(r.churn_mean, r.churn_mean_se), "per epoch"),
        ("churn_p95", pm(r.churn_p95, r.churn_p95_se), "per epoch"),
        (
            "intervention_cost_total",
            pm(r.intervention_cost_total, r.intervention_cost_total_se),
            "USD per path",
        ),
        (
            "intervention_cost_per_1M_volume",
            pm(
                r.intervention_cost_per_1m_volume,
                r.intervention_cost_per_1m_volume_se,
            ),
            "USD",
        ),
        (
            "volume_total",
            pm(r.volume_total, r.volume_total_se),
            "USD per path",
        ),
        (
            "fees_total",
            pm(r.fees_total, r.fees_total_se),
            "USD per path",
        ),
        (
            "peak_deviation_bps",
            pm(r.peak_deviation_bps, r.peak_deviation_bps_se),
            "bps",
        ),
        (
            "peak_deviation_bps_post_bot_p95",
            ci(
                r.peak_deviation_bps_post_bot_p95,
                &r.peak_deviation_bps_post_bot_p95_ci95,
            ),
            "bps",
        ),
    ];
    metric_table(out, "Routing (mean over paths)", rows);
}

fn count_per_path(total: u64, per_path: f64, se: f64) -> (String, String) {
    (
        total.to_string(),
        format!("{} ± {} per path", num(per_path), num(se)),
    )
}

fn capital(out: &mut String, c: &CapitalMetrics) {
    let title = format!(
        "Capital (alpha {}, {}x, {} bps; T0 {} USD)",
        c.alpha,
        c.leverage,
        c.spread_bps,
        num(c.initial_capital_usd)
    );
    let liquidation = (
        num(c.liquidation_probability),
        format!(
            "{} paths; Wilson 95% CI [{}, {}]",
            c.liquidation_count,
            num(c.liquidation_probability_ci95.lo),
            num(c.liquidation_probability_ci95.hi)
        ),
    );
    let rows = vec![
        ("roi_mean", pm(c.roi_mean, c.roi_mean_se), "share of T0"),
        ("roi_p05", ci(c.roi_p05, &c.roi_p05_ci95), "share of T0"),
        ("roi_p95", ci(c.roi_p95, &c.roi_p95_ci95), "share of T0"),
        (
            "max_drawdown_p95",
            ci(c.max_drawdown_p95, &c.max_drawdown_p95_ci95),
            "share of peak",
        ),
        ("liquidation_probability", liquidation, "share of paths"),
        (
            "peg_deviation_frequency",
            pm(c.peg_deviation_frequency, c.peg_deviation_frequency_se),
            "share of path-epochs",
        ),
        (
            "external_liquidity_floor_violations",
            count_per_path(
                c.external_liquidity_floor_violations,
                c.external_liquidity_floor_violations_per_path,
                c.external_liquidity_floor_violations_per_path_se,
            ),
            "path-epochs",
        ),
        (
            "volatility_throttle_events",
            count_per_path(
                c.volatility_throttle_events,
                c.volatility_throttle_events_per_path,
                c.volatility_throttle_events_per_path_se,
            ),
            "events",
        ),
        (
            "spread_adjustment_events",
            count_per_path(
                c.spread_adjustment_events,
                c.spread_adjustment_events_per_path,
                c.spread_adjustment_events_per_path_se,
            ),
            "events",
        ),
    ];
    metric_table(out, &title, rows);
}

fn optimizer(out: &mut String, o: &OptimizerResult) {
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
            "No deployable candidate: none passes every gate under the deployable leverage cap."
        );
        return;
    };
    table_head(out, &["top deployable candidate", "value"]);
    let rows = [
        ("rank", t.rank.to_string()),
        (
            "posture",
            format!("{}x, alpha {}, {} bps", t.leverage, t.alpha, t.spread_bps),
        ),
        ("score", num(t.score)),
        (
            "roi_mean",
            format!("{} ± {}", num(t.roi_mean), num(t.roi_mean_se)),
        ),
        ("roi_p05", num(t.roi_p05)),
        ("max_drawdown_p95", num(t.max_drawdown_p95)),
        (
            "liquidation_probability",
            format!(
                "{} (95% CI [{}, {}])",
                num(t.liquidation_probability),
                num(t.liquidation_probability_ci95.lo),
                num(t.liquidation_probability_ci95.hi)
            ),
        ),
        ("peg_deviation_frequency", num(t.peg_deviation_frequency)),
    ];
    for (k, v) in rows {
        row(out, &[format!("`{k}`"), v]);
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
