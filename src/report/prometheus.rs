//! The scorecard in the Prometheus text exposition format (0.0.4), for node_exporter's
//! textfile collector: one `pmmsim_` prefix, `# HELP` and `# TYPE` per family, `_ratio`
//! for shares, `_total` for counts (declared counters; each run starts afresh, which
//! Prometheus reads as a counter reset), `_stderr` for a Monte Carlo standard error,
//! quantiles as separate names (`pmmsim_roi_p05_ratio`, never a `quantile` label), a
//! `scenario` label on every sample, no timestamps, finite values only, a final newline.
//!
//! Pure rendering: it reads the scorecard and never runs the engine. The names are a
//! contract with `pmmsim alert-rules` (see `names`) and `docs/diff-and-dashboard.md`.

use std::fmt::Write as _;

use crate::scorecard::capital::CapitalMetrics;
use crate::scorecard::{RoutingMetrics, Scorecard};

/// Metric names the generated alerting rules read.
pub mod names {
    pub const MAX_DRAWDOWN_P95: &str = "pmmsim_max_drawdown_p95_ratio";
    pub const LIQUIDATION_PROBABILITY: &str = "pmmsim_liquidation_probability_ratio";
    pub const PEG_DEVIATION_FREQUENCY: &str = "pmmsim_peg_deviation_frequency_ratio";
    pub const FLOOR_VIOLATIONS: &str = "pmmsim_external_liquidity_floor_violations_total";
    pub const ROI_P05: &str = "pmmsim_roi_p05_ratio";
    pub const GATE_PASS: &str = "pmmsim_gate_pass";
    pub const CHURN_MEAN: &str = "pmmsim_churn_mean_ratio";
    pub const CHURN_MEAN_STDERR: &str = "pmmsim_churn_mean_stderr_ratio";
    pub const POST_BOT_PEAK_DEVIATION_P95: &str = "pmmsim_peak_deviation_post_bot_p95_bps";
    pub const CAPTURE_MEAN: &str = "pmmsim_capture_mean_ratio";
    pub const THROTTLE_EVENTS_PER_PATH: &str = "pmmsim_volatility_throttle_events_per_path";
    pub const THROTTLE_EVENTS_PER_PATH_STDERR: &str =
        "pmmsim_volatility_throttle_events_per_path_stderr";
    pub const SPREAD_EVENTS_PER_PATH: &str = "pmmsim_spread_adjustment_events_per_path";
    pub const SPREAD_EVENTS_PER_PATH_STDERR: &str =
        "pmmsim_spread_adjustment_events_per_path_stderr";
    pub const COST_PER_1M: &str = "pmmsim_intervention_cost_per_1m_volume_usd";
    pub const COST_PER_1M_STDERR: &str = "pmmsim_intervention_cost_per_1m_volume_stderr_usd";
}

/// Gauge (a level) or counter (a count; name ends in `_total`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Gauge,
    Counter,
}

/// One metric family being built: its samples in the order they were added.
struct Family {
    name: String,
    help: String,
    kind: Kind,
    samples: Vec<(Vec<(String, String)>, f64)>,
}

/// The families of one scorecard, each sample labelled with the scenario.
struct Exposition {
    scenario: String,
    families: Vec<Family>,
}

impl Exposition {
    fn new(scenario: &str) -> Self {
        Self {
            scenario: scenario.to_string(),
            families: Vec::new(),
        }
    }

    /// Adds a sample with extra labels (after `scenario`) to family `name`.
    fn sample(&mut self, name: &str, help: &str, kind: Kind, labels: &[(&str, &str)], v: f64) {
        let mut all = vec![("scenario".to_string(), self.scenario.clone())];
        all.extend(labels.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        if let Some(f) = self.families.iter_mut().find(|f| f.name == name) {
            f.samples.push((all, v));
            return;
        }
        self.families.push(Family {
            name: name.to_string(),
            help: help.to_string(),
            kind,
            samples: vec![(all, v)],
        });
    }

    fn gauge(&mut self, name: &str, help: &str, v: f64) {
        self.sample(name, help, Kind::Gauge, &[], v);
    }

    fn counter(&mut self, name: &str, help: &str, v: u64) {
        self.sample(name, help, Kind::Counter, &[], v as f64);
    }

    /// `pmmsim_{stem}_{unit}` and its standard error `pmmsim_{stem}_stderr_{unit}`.
    fn with_se(&mut self, stem: &str, unit: &str, help: &str, v: f64, se: f64) {
        let suffix = if unit.is_empty() {
            String::new()
        } else {
            format!("_{unit}")
        };
        self.gauge(&format!("pmmsim_{stem}{suffix}"), help, v);
        self.gauge(
            &format!("pmmsim_{stem}_stderr{suffix}"),
            &format!("Monte Carlo standard error of pmmsim_{stem}{suffix}."),
            se,
        );
    }

    /// `pmmsim_{stem}_ci95_lower_{unit}` / `_upper_`: a 95% confidence interval.
    fn ci(&mut self, stem: &str, unit: &str, lo: f64, hi: f64) {
        let of = format!("pmmsim_{stem}_{unit}");
        self.gauge(
            &format!("pmmsim_{stem}_ci95_lower_{unit}"),
            &format!("Lower end of the 95% confidence interval of {of}."),
            lo,
        );
        self.gauge(
            &format!("pmmsim_{stem}_ci95_upper_{unit}"),
            &format!("Upper end of the 95% confidence interval of {of}."),
            hi,
        );
    }

    fn render(&self) -> String {
        let mut out = String::new();
        for f in &self.families {
            let finite: Vec<_> = f.samples.iter().filter(|(_, v)| v.is_finite()).collect();
            if finite.is_empty() {
                continue;
            }
            let kind = match f.kind {
                Kind::Gauge => "gauge",
                Kind::Counter => "counter",
            };
            let _ = writeln!(out, "# HELP {} {}", f.name, escape_help(&f.help));
            let _ = writeln!(out, "# TYPE {} {kind}", f.name);
            for (labels, v) in finite {
                let _ = writeln!(out, "{}{} {}", f.name, label_set(labels), value(*v));
            }
        }
        out
    }
}

/// Escapes `\` and newlines in HELP text.
fn escape_help(s: &str) -> String {
    s.replace('\\', r"\\").replace('\n', r"\n")
}

/// `{a="x",b="y"}` with `\`, `"` and newlines escaped.
fn label_set(labels: &[(String, String)]) -> String {
    let parts: Vec<String> = labels
        .iter()
        .map(|(k, v)| {
            let v = v
                .replace('\\', r"\\")
                .replace('"', "\\\"")
                .replace('\n', r"\n");
            format!("{k}=\"{v}\"")
        })
        .collect();
    format!("{{{}}}", parts.join(","))
}

/// Shortest round-trip decimal; scientific notation for very large or small magnitudes.
fn value(v: f64) -> String {
    let a = v.abs();
    if v == 0.0 {
        "0".into()
    } else if (1e-6..1e15).contains(&a) {
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}

/// The scorecard as a textfile-collector file.
/// Renders the scorecard as a Prometheus textfile-collector file.
#[derive(Debug, Clone, Copy, Default)]
pub struct PrometheusRenderer;

impl super::Renderer for PrometheusRenderer {
    fn render(&self, card: &Scorecard) -> crate::error::Result<Vec<u8>> {
        Ok(render(card).into_bytes())
    }
}

fn render(card: &Scorecard) -> String {
    let mut e = Exposition::new(&card.scenario);
    inputs(&mut e, card);
    routing(&mut e, &card.routing);
    if let Some(c) = &card.capital {
        capital(&mut e, c);
    }
    for g in &card.gates {
        e.sample(
            names::GATE_PASS,
            "Whether the scorecard gate passed (1) or failed (0).",
            Kind::Gauge,
            &[("gate", &g.name)],
            if g.pass { 1.0 } else { 0.0 },
        );
    }
    if let Some(o) = &card.optimizer {
        optimizer(&mut e, o);
    }
    e.render()
}

fn inputs(e: &mut Exposition, card: &Scorecard) {
    let i = &card.inputs;
    let seed = i.seed.to_string();
    e.sample(
        "pmmsim_scorecard_info",
        "The run that produced these metrics (always 1).",
        Kind::Gauge,
        &[
            ("inputs_hash", &i.inputs_hash),
            ("seed", &seed),
            ("graph_mode", &i.graph_mode),
            ("topology", &i.topology),
            ("tool_version", &card.run_info.tool_version),
        ],
        1.0,
    );
    e.gauge(
        "pmmsim_paths",
        "Monte Carlo paths simulated.",
        i.paths as f64,
    );
    e.gauge("pmmsim_epochs", "Epochs per path.", f64::from(i.epochs));
    e.gauge(
        "pmmsim_run_started_timestamp_seconds",
        "When the run started, seconds since the Unix epoch.",
        card.run_info.started_unix as f64,
    );
    e.gauge(
        "pmmsim_run_duration_seconds",
        "How long the run took, seconds.",
        card.run_info.duration_secs,
    );
}

fn routing(e: &mut Exposition, r: &RoutingMetrics) {
    e.with_se(
        "capture_mean",
        "ratio",
        "Mean share of routed volume captured by our pools.",
        r.capture_mean,
        r.capture_mean_se,
    );
    e.with_se(
        "capture_p95",
        "ratio",
        "Per-path 95th percentile of epoch capture, averaged over paths.",
        r.capture_p95,
        r.capture_p95_se,
    );
    e.with_se(
        "churn_mean",
        "ratio",
        "Mean epoch inventory churn (sum |dI| / sum I*).",
        r.churn_mean,
        r.churn_mean_se,
    );
    e.with_se(
        "churn_p95",
        "ratio",
        "Per-path 95th percentile of epoch churn, averaged over paths.",
        r.churn_p95,
        r.churn_p95_se,
    );
    e.gauge(
        "pmmsim_churn_max_ratio",
        "Largest epoch churn in any path.",
        r.churn_max,
    );
    e.with_se(
        "intervention_cost_per_path",
        "usd",
        "Bot intervention cost per path over the horizon, USD.",
        r.intervention_cost_total,
        r.intervention_cost_total_se,
    );
    e.with_se(
        "intervention_cost_per_1m_volume",
        "usd",
        "Intervention cost per USD 1M of routed volume.",
        r.intervention_cost_per_1m_volume,
        r.intervention_cost_per_1m_volume_se,
    );
    routing_volumes(e, r);
    routing_deviation(e, r);
    routing_chains(e, r);
}

fn routing_volumes(e: &mut Exposition, r: &RoutingMetrics) {
    e.with_se(
        "volume_per_path",
        "usd",
        "Routed volume per path, USD.",
        r.volume_total,
        r.volume_total_se,
    );
    e.gauge(
        "pmmsim_stalled_volume_per_path_usd",
        "Volume per path that found no route within the cost limit, USD.",
        r.stalled_volume_total,
    );
    e.with_se(
        "fees_per_path",
        "usd",
        "Fees earned by our pools per path, USD.",
        r.fees_total,
        r.fees_total_se,
    );
    e.with_se(
        "arb_volume_per_path",
        "usd",
        "Arbitrage volume per path, USD.",
        r.arb_volume_total,
        r.arb_volume_total_se,
    );
    e.with_se(
        "arb_profit_per_path",
        "usd",
        "Arbitrage profit per path, USD.",
        r.arb_profit_total,
        r.arb_profit_total_se,
    );
    e.with_se(
        "path_concentration_index",
        "ratio",
        "Herfindahl index of route shares of volume (1 = one route carries all).",
        r.path_concentration_index,
        r.path_concentration_index_se,
    );
    e.counter(
        "pmmsim_reflexive_routes_total",
        "Chunks routed through more than one of our pools on one chain, all paths.",
        r.reflexive_route_count,
    );
    e.with_se(
        "reflexive_routes_per_path",
        "",
        "Reflexive routes, mean per path.",
        r.reflexive_route_count_per_path,
        r.reflexive_route_count_per_path_se,
    );
}

fn routing_deviation(e: &mut Exposition, r: &RoutingMetrics) {
    e.with_se(
        "peak_deviation_pre_arb_mean",
        "bps",
        "Peak |pool deviation| before arbitrage, mean over paths, bps.",
        r.peak_deviation_bps_pre_arb,
        r.peak_deviation_bps_pre_arb_se,
    );
    e.with_se(
        "peak_deviation_mean",
        "bps",
        "Peak |pool deviation| after arbitrage, mean over paths, bps.",
        r.peak_deviation_bps,
        r.peak_deviation_bps_se,
    );
    e.gauge(
        "pmmsim_peak_deviation_p95_bps",
        "95th percentile over paths of the post-arbitrage peak deviation, bps.",
        r.peak_deviation_bps_p95,
    );
    e.with_se(
        "peak_deviation_post_bot_mean",
        "bps",
        "Peak |pool deviation| after the bot, mean over paths, bps.",
        r.peak_deviation_bps_post_bot,
        r.peak_deviation_bps_post_bot_se,
    );
    e.gauge(
        names::POST_BOT_PEAK_DEVIATION_P95,
        "95th percentile over paths of the post-bot peak deviation, bps (gated).",
        r.peak_deviation_bps_post_bot_p95,
    );
    let ci = &r.peak_deviation_bps_post_bot_p95_ci95;
    e.ci("peak_deviation_post_bot_p95", "bps", ci.lo, ci.hi);
}

fn routing_chains(e: &mut Exposition, r: &RoutingMetrics) {
    for c in &r.intervention_cost_by_chain {
        let id = c.chain_id.to_string();
        e.sample(
            "pmmsim_chain_intervention_cost_per_path_usd",
            "Intervention cost on one chain, mean per path, USD.",
            Kind::Gauge,
            &[("chain_id", &id), ("chain", &c.chain)],
            c.total,
        );
    }
    for o in &r.peak_bridge_outflow {
        let id = o.chain_id.to_string();
        e.sample(
            "pmmsim_chain_peak_bridge_outflow_p95_usd",
            "95th percentile over paths of a chain's peak epoch bridge outflow, USD per epoch.",
            Kind::Gauge,
            &[("chain_id", &id), ("chain", &o.chain)],
            o.p95_usd_per_epoch,
        );
    }
}

fn capital(e: &mut Exposition, c: &CapitalMetrics) {
    e.gauge(
        "pmmsim_initial_capital_usd",
        "Initial capital T0, USD.",
        c.initial_capital_usd,
    );
    e.gauge(
        "pmmsim_posture_alpha_ratio",
        "Yield sleeve share simulated.",
        c.alpha,
    );
    e.gauge(
        "pmmsim_posture_leverage",
        "Leverage simulated, x.",
        c.leverage,
    );
    e.gauge(
        "pmmsim_posture_spread_bps",
        "Spread simulated, bps.",
        c.spread_bps,
    );
    capital_returns(e, c);
    capital_risk(e, c);
    capital_events(e, c);
    for a in &c.pnl_attribution {
        e.sample(
            "pmmsim_pnl_attribution_ratio",
            "Contribution of one term to roi_mean.",
            Kind::Gauge,
            &[("term", &a.term)],
            a.roi_contribution,
        );
    }
}

fn capital_returns(e: &mut Exposition, c: &CapitalMetrics) {
    e.with_se(
        "roi_mean",
        "ratio",
        "Mean ROI T_end / T0 - 1 over paths.",
        c.roi_mean,
        c.roi_mean_se,
    );
    e.gauge(
        names::ROI_P05,
        "5th percentile of ROI over paths (dashboard: ROI lower band).",
        c.roi_p05,
    );
    e.ci("roi_p05", "ratio", c.roi_p05_ci95.lo, c.roi_p05_ci95.hi);
    e.gauge("pmmsim_roi_p50_ratio", "Median ROI over paths.", c.roi_p50);
    e.gauge(
        "pmmsim_roi_p95_ratio",
        "95th percentile of ROI over paths (dashboard: ROI upper band).",
        c.roi_p95,
    );
    e.ci("roi_p95", "ratio", c.roi_p95_ci95.lo, c.roi_p95_ci95.hi);
    let p = &c.pnl_distribution;
    for (name, help, v) in [
        ("pmmsim_pnl_mean_usd", "Mean PnL T_end - T0, USD.", p.mean),
        ("pmmsim_pnl_p05_usd", "5th percentile of PnL, USD.", p.p05),
        ("pmmsim_pnl_p50_usd", "Median PnL, USD.", p.p50),
        ("pmmsim_pnl_p95_usd", "95th percentile of PnL, USD.", p.p95),
    ] {
        e.gauge(name, help, v);
    }
}

fn capital_risk(e: &mut Exposition, c: &CapitalMetrics) {
    e.with_se(
        "max_drawdown_mean",
        "ratio",
        "Mean over paths of the largest drawdown of T from its running peak.",
        c.max_drawdown_mean,
        c.max_drawdown_mean_se,
    );
    e.gauge(
        names::MAX_DRAWDOWN_P95,
        "95th percentile over paths of the largest drawdown (dashboard: critical above the gate).",
        c.max_drawdown_p95,
    );
    let ci = &c.max_drawdown_p95_ci95;
    e.ci("max_drawdown_p95", "ratio", ci.lo, ci.hi);
    e.gauge(
        names::LIQUIDATION_PROBABILITY,
        "Share of paths liquidated (dashboard: critical above the gate).",
        c.liquidation_probability,
    );
    let ci = &c.liquidation_probability_ci95;
    e.ci("liquidation_probability", "ratio", ci.lo, ci.hi);
    e.counter(
        "pmmsim_liquidated_paths_total",
        "Paths liquidated.",
        c.liquidation_count,
    );
    e.gauge(
        names::PEG_DEVIATION_FREQUENCY,
        "Share of path-epochs with |P - 1| above the policy threshold (dashboard: critical above the gate).",
        c.peg_deviation_frequency,
    );
    e.gauge(
        "pmmsim_peg_deviation_frequency_stderr_ratio",
        "Monte Carlo standard error of pmmsim_peg_deviation_frequency_ratio.",
        c.peg_deviation_frequency_se,
    );
    e.counter(
        "pmmsim_peg_deviation_epochs_total",
        "Path-epochs with |P - 1| above the policy threshold.",
        c.peg_deviation_count,
    );
    e.gauge(
        "pmmsim_min_peg_mean_ratio",
        "Lowest peg in a path, mean over paths.",
        c.min_peg_mean,
    );
    e.gauge(
        "pmmsim_circuit_breaker_epochs_per_path",
        "Epochs on the peg circuit breaker, mean per path.",
        c.circuit_breaker_epochs_per_path,
    );
}

fn capital_events(e: &mut Exposition, c: &CapitalMetrics) {
    e.counter(
        names::FLOOR_VIOLATIONS,
        "Path-epochs with the reserve below the external liquidity floor before the clamp (dashboard: critical above 0).",
        c.external_liquidity_floor_violations,
    );
    e.with_se(
        "external_liquidity_floor_violations_per_path",
        "",
        "External liquidity floor violations, mean per path.",
        c.external_liquidity_floor_violations_per_path,
        c.external_liquidity_floor_violations_per_path_se,
    );
    e.counter(
        "pmmsim_external_liquidity_floor_unrepaired_total",
        "Path-epochs still below the floor after the clamp.",
        c.external_liquidity_floor_violations_unrepaired,
    );
    e.counter(
        "pmmsim_volatility_throttle_events_total",
        "Entries into the volatility-throttled state, all paths.",
        c.volatility_throttle_events,
    );
    e.with_se(
        "volatility_throttle_events_per_path",
        "",
        "Volatility throttle events, mean per path (dashboard: warning when rising).",
        c.volatility_throttle_events_per_path,
        c.volatility_throttle_events_per_path_se,
    );
    e.counter(
        "pmmsim_spread_adjustment_events_total",
        "Changes of the spread level, all paths.",
        c.spread_adjustment_events,
    );
    e.with_se(
        "spread_adjustment_events_per_path",
        "",
        "Spread adjustment events, mean per path (dashboard: warning when rising).",
        c.spread_adjustment_events_per_path,
        c.spread_adjustment_events_per_path_se,
    );
}

fn optimizer(e: &mut Exposition, o: &crate::optimizer::OptimizerResult) {
    let deployable = o.candidates.iter().filter(|c| c.deployable).count();
    e.gauge(
        "pmmsim_optimizer_candidates",
        "Optimizer candidates simulated.",
        o.candidates.len() as f64,
    );
    e.gauge(
        "pmmsim_optimizer_deployable_candidates",
        "Optimizer candidates that pass every gate under the deployable leverage cap.",
        deployable as f64,
    );
    e.gauge(
        "pmmsim_optimizer_rejected_candidates",
        "Optimizer candidates rejected before simulation (above the hard leverage limit).",
        o.rejected.len() as f64,
    );
    let Some(t) = &o.top_deployable else { return };
    for (name, help, v) in [
        (
            "pmmsim_optimizer_top_deployable_leverage",
            "Leverage of the best deployable candidate, x.",
            t.leverage,
        ),
        (
            "pmmsim_optimizer_top_deployable_alpha_ratio",
            "Yield sleeve share of the best deployable candidate.",
            t.alpha,
        ),
        (
            "pmmsim_optimizer_top_deployable_spread_bps",
            "Spread of the best deployable candidate, bps.",
            t.spread_bps,
        ),
        (
            "pmmsim_optimizer_top_deployable_score",
            "Score of the best deployable candidate.",
            t.score,
        ),
        (
            "pmmsim_optimizer_top_deployable_roi_mean_ratio",
            "Mean ROI of the best deployable candidate.",
            t.roi_mean,
        ),
        (
            "pmmsim_optimizer_top_deployable_roi_p05_ratio",
            "5th percentile ROI of the best deployable candidate.",
            t.roi_p05,
        ),
    ] {
        e.gauge(name, help, v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_escaped() {
        let labels = vec![("scenario".to_string(), "a\"b\\c\nd".to_string())];
        assert_eq!(label_set(&labels), r#"{scenario="a\"b\\c\nd"}"#);
    }

    #[test]
    fn values_are_plain_or_scientific() {
        assert_eq!(value(0.0), "0");
        assert_eq!(value(0.25), "0.25");
        assert_eq!(value(250_000_000.0), "250000000");
        assert_eq!(value(1.5e-9), "1.5e-9");
    }

    #[test]
    fn non_finite_samples_are_dropped_with_their_family() {
        let mut e = Exposition::new("s");
        e.gauge("pmmsim_a_ratio", "A.", f64::NAN);
        e.gauge("pmmsim_b_ratio", "B.", 0.5);
        assert_eq!(
            e.render(),
            "# HELP pmmsim_b_ratio B.\n# TYPE pmmsim_b_ratio gauge\npmmsim_b_ratio{scenario=\"s\"} 0.5\n"
        );
    }
}
