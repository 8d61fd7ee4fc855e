//! Human-readable tables (comfy-table). Styling only when stdout is a terminal and
//! `NO_COLOR` is unset; otherwise plain ASCII so the output is stable for snapshots.

use std::io::IsTerminal;

use comfy_table::presets::{ASCII_MARKDOWN, UTF8_FULL_CONDENSED};
use comfy_table::{Cell, ContentArrangement, Table};

use crate::scorecard::{RoutingMetrics, Scorecard};

/// A table with the shared style (plain ASCII unless stdout is a styled terminal).
pub fn new_table(header: &[&str]) -> Table {
    let mut t = Table::new();
    let styled = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    if styled {
        t.load_style(UTF8_FULL_CONDENSED);
    } else {
        t.load_style(ASCII_MARKDOWN).force_no_tty();
    }
    t.set_content_arrangement(ContentArrangement::Dynamic);
    t.set_header(header.iter().map(Cell::new));
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

fn pm(v: f64, se: f64) -> String {
    format!("{} ± {}", num(v), num(se))
}

/// The whole scorecard as tables.
/// Renders the scorecard as human-readable tables.
#[derive(Debug, Clone, Copy, Default)]
pub struct TableRenderer;

impl super::Renderer for TableRenderer {
    fn render(&self, card: &Scorecard) -> crate::error::Result<Vec<u8>> {
        Ok(render(card).into_bytes())
    }
}

fn render(card: &Scorecard) -> String {
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
    out.push_str(&routing_table(&card.routing).to_string());
    if let Some(c) = &card.capital {
        out.push_str("\n\nCapital (mean over paths ± standard error; intervals are 95%)\n");
        out.push_str(&capital_table(c).to_string());
        out.push_str("\n\nPnL attribution (contribution to roi_mean)\n");
        let mut t = new_table(&["term", "roi contribution", "USD per path"]);
        for a in &c.pnl_attribution {
            t.add_row(vec![
                a.term.clone(),
                pm(a.roi_contribution, a.roi_contribution_se),
                num(a.mean_usd),
            ]);
        }
        out.push_str(&t.to_string());
    }
    if let Some(o) = &card.optimizer {
        out.push_str(&optimizer_tables(o));
    }
    out.push_str("\n\nGates\n");
    let mut gates = new_table(&["gate", "metric", "threshold", "value", "result"]);
    for g in &card.gates {
        let result = if g.pass {
            "pass".to_string()
        } else {
            format!("FAIL ({:?})", g.severity).to_lowercase()
        };
        gates.add_row(vec![
            g.name.clone(),
            g.metric.clone(),
            g.describe_threshold(),
            num(g.value),
            result,
        ]);
    }
    out.push_str(&gates.to_string());
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
    for p in &card.routing.worst_pools {
        worst.add_row(vec![
            p.chain_id.to_string(),
            p.pool.clone(),
            num(p.depth_usd),
            num(p.peak_deviation_bps_mean),
            num(p.peak_deviation_bps_max),
            num(p.churn_per_epoch),
            p.half_life_epochs.map_or("-".into(), num),
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
    for (c, o) in card
        .routing
        .intervention_cost_by_chain
        .iter()
        .zip(&card.routing.peak_bridge_outflow)
    {
        chains.add_row(vec![
            c.chain_id.to_string(),
            c.chain.clone(),
            num(c.inject),
            num(c.withdraw),
            num(o.p95_usd_per_epoch),
        ]);
    }
    out.push_str(&chains.to_string());
    out.push('\n');
    out
}

fn routing_table(r: &RoutingMetrics) -> Table {
    let mut t = new_table(&["metric", "value", "unit"]);
    let rows: Vec<(&str, String, &str)> = vec![
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
        ("churn_max", num(r.churn_max), "per epoch"),
        (
            "intervention_cost_total",
            pm(r.intervention_cost_total, r.intervention_cost_total_se),
            "USD per path",
        ),
        (
            "intervention_cost_inject_total",
            pm(
                r.intervention_cost_inject_total,
                r.intervention_cost_inject_total_se,
            ),
            "USD per path",
        ),
        (
            "intervention_cost_withdraw_total",
            pm(
                r.intervention_cost_withdraw_total,
                r.intervention_cost_withdraw_total_se,
            ),
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
            "peak_deviation_bps_pre_arb",
            pm(
                r.peak_deviation_bps_pre_arb,
                r.peak_deviation_bps_pre_arb_se,
            ),
            "bps",
        ),
        (
            "peak_deviation_bps",
            pm(r.peak_deviation_bps, r.peak_deviation_bps_se),
            "bps",
        ),
        (
            "peak_deviation_bps_post_bot",
            pm(
                r.peak_deviation_bps_post_bot,
                r.peak_deviation_bps_post_bot_se,
            ),
            "bps",
        ),
        (
            "peak_deviation_bps_post_bot_p95",
            num(r.peak_deviation_bps_post_bot_p95),
            "bps",
        ),
        (
            "arb_volume_total",
            pm(r.arb_volume_total, r.arb_volume_total_se),
            "USD per path",
        ),
        (
            "arb_profit_total",
            pm(r.arb_profit_total, r.arb_profit_total_se),
            "USD per path",
        ),
        (
            "path_concentration_index",
            pm(r.path_concentration_index, r.path_concentration_index_se),
            "HHI",
        ),
        (
            "reflexive_route_count",
            format!(
                "{} ({} per path)",
                r.reflexive_route_count,
                num(r.reflexive_route_count_per_path)
            ),
            "routes",
        ),
        (
            "stalled_volume_total",
            num(r.stalled_volume_total),
            "USD per path",
        ),
    ];
    for (name, value, unit) in rows {
        t.add_row(vec![name.to_string(), value, unit.to_string()]);
    }
    t
}

fn ci(i: &crate::scorecard::Interval) -> String {
    format!("[{}, {}]", num(i.lo), num(i.hi))
}

fn capital_table(c: &crate::scorecard::capital::CapitalMetrics) -> Table {
    let mut t = new_table(&["metric", "value", "note"]);
    let rows: Vec<(&str, String, String)> = vec![
        (
            "posture",
            format!("alpha {} / {}x / {} bps", c.alpha, c.leverage, c.spread_bps),
            format!("T0 {} USD", num(c.initial_capital_usd)),
        ),
        ("roi_mean", pm(c.roi_mean, c.roi_mean_se), String::new()),
        ("roi_p05", num(c.roi_p05), ci(&c.roi_p05_ci95)),
        ("roi_p95", num(c.roi_p95), ci(&c.roi_p95_ci95)),
        (
            "pnl p05 / p50 / p95",
            format!(
                "{} / {} / {}",
                num(c.pnl_distribution.p05),
                num(c.pnl_distribution.p50),
                num(c.pnl_distribution.p95)
            ),
            "USD".into(),
        ),
        (
            "max_drawdown_p95",
            num(c.max_drawdown_p95),
            ci(&c.max_drawdown_p95_ci95),
        ),
        (
            "liquidation_probability",
            num(c.liquidation_probability),
            format!(
                "{} paths, Wilson {}",
                c.liquidation_count,
                ci(&c.liquidation_probability_ci95)
            ),
        ),
        (
            "peg_deviation_frequency",
            pm(c.peg_deviation_frequency, c.peg_deviation_frequency_se),
            format!("{} path-epochs", c.peg_deviation_count),
        ),
        (
            "external_liquidity_floor_violations",
            c.external_liquidity_floor_violations.to_string(),
            format!(
                "{} unrepaired after the clamp",
                c.external_liquidity_floor_violations_unrepaired
            ),
        ),
        (
            "volatility_throttle_events",
            c.volatility_throttle_events.to_string(),
            format!("{} per path", num(c.volatility_throttle_events_per_path)),
        ),
        (
            "spread_adjustment_events",
            c.spread_adjustment_events.to_string(),
            format!("{} per path", num(c.spread_adjustment_events_per_path)),
        ),
    ];
    for (name, value, note) in rows {
        t.add_row(vec![name.to_string(), value, note]);
    }
    t
}

/// Rows of the candidates table shown (the JSON has them all).
const TOP_CANDIDATES: usize = 10;

fn optimizer_tables(o: &crate::optimizer::OptimizerResult) -> String {
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
        "spread bps",
        "score",
        "roi_mean",
        "roi_p05",
        "dd p95",
        "liq prob",
        "deployable",
    ]);
    for c in o.candidates.iter().take(TOP_CANDIDATES) {
        t.add_row(vec![
            c.rank.to_string(),
            num(c.leverage),
            num(c.alpha),
            num(c.spread_bps),
            num(c.score),
            num(c.roi_mean),
            num(c.roi_p05),
            num(c.max_drawdown_p95),
            num(c.liquidation_probability),
            if c.deployable {
                "yes".into()
            } else {
                format!("no: {}", c.reasons.join("; "))
            },
        ]);
    }
    out.push_str(&t.to_string());
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
            num(p.leverage),
            p.best_rank.to_string(),
            num(p.alpha),
            num(p.spread_bps),
            num(p.score),
            num(p.roi_mean),
            num(p.liquidation_probability),
            if p.deployable { "yes" } else { "no" }.to_string(),
        ]);
    }
    out.push_str(&f.to_string());
    match &o.top_deployable {
        Some(c) => out.push_str(&format!(
            "\n\nTop deployable: rank {} at {}x, alpha {}, {} bps: roi_mean {} ± {}\n",
            c.rank,
            c.leverage,
            c.alpha,
            c.spread_bps,
            num(c.roi_mean),
            num(c.roi_mean_se)
        )),
        None => out
            .push_str("\n\nTop deployable: none (no candidate passes every gate under the cap)\n"),
    }
    for r in &o.rejected {
        out.push_str(&format!(
            "rejected: {}x alpha {} {} bps: {}\n",
            r.leverage, r.alpha, r.spread_bps, r.reason
        ));
    }
    out
}
