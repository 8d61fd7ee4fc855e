//! Catalog entries of the capital metrics (model.md section 5): the posture, returns,
//! risk, event counts, then the PnL attribution per term.

use super::entry::{Export, ExportUnit::*, Row, Topic::*};
use super::{Metric, Section};
use crate::scorecard::capital::CapitalMetrics;

/// The label the table gives its one row of PnL quantiles.
const PNL_ROW: &str = "pnl p05 / p50 / p95";

/// The label the table gives its one row of end-capital quantiles.
const CAPITAL_END_ROW: &str = "capital_end p05 / p50 / p95";

/// The capital metrics, in exposition order.
pub(super) fn capital(c: &CapitalMetrics) -> Vec<Metric> {
    let mut out = posture(c);
    out.extend(returns(c));
    out.extend(risk(c));
    out.extend(events(c));
    out.extend(c.pnl_attribution.iter().map(|a| {
        Metric::real(
            Section::Capital,
            "capital.pnl_attribution.roi_contribution",
            a.roi_contribution,
        )
        .se(a.roi_contribution_se)
        .labelled("term", a.term.as_str())
        .about(
            "share of T0",
            "Contribution of one term to capital_return_mean (the change of capital, flows included).",
        )
        .export(Export::gauge("pnl_attribution", Ratio))
    }));
    out
}

/// The posture simulated (the reports print it as a heading, not as rows).
fn posture(c: &CapitalMetrics) -> Vec<Metric> {
    let m = |key, v| Metric::real(Section::Capital, key, v);
    vec![
        m("capital.initial_capital_usd", c.initial_capital_usd)
            .about("USD", "Initial capital T0, USD.")
            .export(Export::gauge("initial_capital", Usd)),
        m("capital.horizon_days", c.horizon_days)
            // Not exported: Prometheus wants base units, and `pmmsim_epochs` with the
            // epoch length already gives the horizon.
            .about("days", "Horizon of every roi_* and capital_* figure, days."),
        m("capital.alpha", c.alpha)
            .about("share", "Yield sleeve share simulated.")
            .export(Export::gauge("posture_alpha", Ratio)),
        m("capital.leverage", c.leverage)
            .about("x", "Leverage simulated, x.")
            .export(Export::gauge("posture_leverage", Unitless)),
        m("capital.external_share", c.external_share)
            .about(
                "share",
                "External-asset share of the sleeve's collateral simulated.",
            )
            .export(Export::gauge("posture_external_share", Ratio)),
        m("capital.spread_bps", c.spread_bps)
            .about("bps", "Spread simulated, bps.")
            .export(Export::gauge("posture_spread", Bps)),
    ]
}

fn returns(c: &CapitalMetrics) -> Vec<Metric> {
    let m = |key, v| Metric::real(Section::Capital, key, v);
    let p = &c.pnl_distribution;
    vec![
        m("capital.roi_mean", c.roi_mean)
            .se(c.roi_mean_se)
            .about(
                "over the horizon",
                "Mean time-weighted return over the horizon (redemptions paid at par kept out as flows).",
            )
            .export(Export::gauge("roi_mean", Ratio).with_uncertainty())
            .row(Row::both(Returns)),
        m("capital.roi_annualised.mean", c.roi_annualised.mean)
            .about("per year", "roi_mean annualised: (1 + roi_mean)^(365 / horizon_days) - 1.")
            .export(Export::gauge("roi_mean_annualised", Ratio))
            .row(Row::table(Returns)),
        m("capital.roi_p01", c.roi_p01)
            .ci95(c.roi_p01_ci95)
            .about("over the horizon", "1st percentile of the time-weighted return over paths.")
            .export(Export::gauge("roi_p01", Ratio).with_uncertainty())
            .row(Row::table(Returns)),
        m("capital.roi_p05", c.roi_p05)
            .ci95(c.roi_p05_ci95)
            .about(
                "share of T0",
                "5th percentile of the time-weighted return over the horizon (dashboard: ROI lower band).",
            )
            .export(Export::gauge("roi_p05", Ratio).with_uncertainty())
            .row(Row::both(Returns)),
        m("capital.roi_p50", c.roi_p50)
            .about("over the horizon", "Median time-weighted return over paths.")
            .export(Export::gauge("roi_p50", Ratio)),
        m("capital.roi_p95", c.roi_p95)
            .ci95(c.roi_p95_ci95)
            .about(
                "share of T0",
                "95th percentile of the time-weighted return over the horizon (dashboard: ROI upper band).",
            )
            .export(Export::gauge("roi_p95", Ratio).with_uncertainty())
            .row(Row::both(Returns)),
        m("capital.roi_es_95", c.roi_es_95)
            .ci95(c.roi_es_95_ci95)
            .about(
                "over the horizon",
                "Expected shortfall at 95%: mean time-weighted return of the worst 5% of paths.",
            )
            .export(Export::gauge("roi_es_95", Ratio).with_uncertainty())
            .row(Row::both(Returns)),
        m("capital.roi_es_99", c.roi_es_99)
            .ci95(c.roi_es_99_ci95)
            .about(
                "over the horizon",
                "Expected shortfall at 99%: mean time-weighted return of the worst 1% of paths.",
            )
            .export(Export::gauge("roi_es_99", Ratio).with_uncertainty())
            .row(Row::table(Returns)),
        m("capital.pnl_distribution.mean", p.mean)
            .about("USD", "Mean PnL net of flows (T_end - T0 + redemptions paid), USD.")
            .export(Export::gauge("pnl_mean", Usd)),
        m("capital.pnl_distribution.p05", p.p05)
            .label(PNL_ROW)
            .about("USD", "5th percentile of PnL, USD.")
            .export(Export::gauge("pnl_p05", Usd))
            .row(Row::table(Returns)),
        m("capital.pnl_distribution.p50", p.p50)
            .label(PNL_ROW)
            .about("USD", "Median PnL, USD.")
            .export(Export::gauge("pnl_p50", Usd))
            .row(Row::table(Returns)),
        m("capital.pnl_distribution.p95", p.p95)
            .label(PNL_ROW)
            .about("USD", "95th percentile of PnL, USD.")
            .export(Export::gauge("pnl_p95", Usd))
            .row(Row::table(Returns)),
        m("capital.capital_return_mean", c.capital_return_mean)
            .se(c.capital_return_mean_se)
            .about(
                "over the horizon",
                "Mean change of capital T_end / T0 - 1, redemptions included (the attribution adds up to it).",
            )
            .export(Export::gauge("capital_return_mean", Ratio).with_uncertainty())
            .row(Row::table(Returns)),
        m("capital.capital_end.p05", c.capital_end.p05)
            .label(CAPITAL_END_ROW)
            .about("USD", "5th percentile of capital at the end of the horizon, USD.")
            .export(Export::gauge("capital_end_p05", Usd))
            .row(Row::table(Returns)),
        m("capital.capital_end.p50", c.capital_end.p50)
            .label(CAPITAL_END_ROW)
            .about("USD", "Median capital at the end of the horizon, USD.")
            .export(Export::gauge("capital_end_p50", Usd))
            .row(Row::table(Returns)),
        m("capital.capital_end.p95", c.capital_end.p95)
            .label(CAPITAL_END_ROW)
            .about("USD", "95th percentile of capital at the end of the horizon, USD.")
            .export(Export::gauge("capital_end_p95", Usd))
            .row(Row::table(Returns)),
        m("capital.redemptions_total_mean_usd", c.redemptions_total_mean_usd)
            .se(c.redemptions_total_mean_usd_se)
            .about("USD per path", "Redemptions paid at par over the horizon, mean per path, USD.")
            .export(Export::gauge("redemptions_total_mean", Usd).with_uncertainty())
            .row(Row::table(Returns)),
    ]
}

fn risk(c: &CapitalMetrics) -> Vec<Metric> {
    let m = |key, v| Metric::real(Section::Capital, key, v);
    let n = |key, v| Metric::count(Section::Capital, key, v);
    vec![
        m("capital.max_drawdown_mean", c.max_drawdown_mean)
            .se(c.max_drawdown_mean_se)
            .about(
                "share of peak",
                "Mean over paths of the largest drawdown of the time-weighted return index from its running peak.",
            )
            .export(Export::gauge("max_drawdown_mean", Ratio).with_uncertainty()),
        m("capital.max_drawdown_p95", c.max_drawdown_p95)
            .ci95(c.max_drawdown_p95_ci95)
            .about(
                "share of peak",
                "95th percentile over paths of the largest drawdown (dashboard: critical above the gate).",
            )
            .export(Export::gauge("max_drawdown_p95", Ratio).with_uncertainty())
            .row(Row::both(Risk)),
        m("capital.max_drawdown_p99", c.max_drawdown_p99)
            .ci95(c.max_drawdown_p99_ci95)
            .about(
                "share of peak",
                "99th percentile over paths of the largest drawdown of the time-weighted return.",
            )
            .export(Export::gauge("max_drawdown_p99", Ratio).with_uncertainty())
            .row(Row::table(Risk)),
        m("capital.liquidation_probability", c.liquidation_probability)
            .wilson95(c.liquidation_probability_ci95)
            .about(
                "share of paths",
                "Share of paths liquidated (dashboard: critical above the gate).",
            )
            .export(Export::gauge("liquidation_probability", Ratio).with_uncertainty())
            .row(Row::both(Risk).context_everywhere(c.liquidation_count, "paths")),
        n("capital.liquidation_count", c.liquidation_count)
            .about("paths", "Paths liquidated.")
            .export(Export::counter("liquidated_paths")),
        m("capital.liquidations_per_path", c.liquidations_per_path)
            .se(c.liquidations_per_path_se)
            .about(
                "per path",
                "Mean number of liquidations per path (partial liquidations count one each).",
            )
            .export(Export::gauge("liquidations_per_path", Unitless).with_uncertainty())
            .row(Row::table(Risk)),
        m("capital.collateral_seized_mean_usd", c.collateral_seized_mean_usd)
            .se(c.collateral_seized_mean_usd_se)
            .about(
                "USD per path",
                "Mean collateral seized by liquidations per path, USD at the liquidation price.",
            )
            .export(Export::gauge("collateral_seized_mean", Usd).with_uncertainty())
            .row(Row::table(Risk)),
        m("capital.peg_deviation_frequency", c.peg_deviation_frequency)
            .se(c.peg_deviation_frequency_se)
            .about(
                "share of path-epochs",
                "Share of path-epochs with |P - 1| above the policy threshold (dashboard: critical above the gate).",
            )
            .export(Export::gauge("peg_deviation_frequency", Ratio).with_uncertainty())
            .row(Row::both(Risk).context(c.peg_deviation_count, "path-epochs")),
        n("capital.peg_deviation_count", c.peg_deviation_count)
            .about(
                "path-epochs",
                "Path-epochs with |P - 1| above the policy threshold.",
            )
            .export(Export::counter("peg_deviation_epochs")),
        m("capital.min_peg_mean", c.min_peg_mean)
            .about("price", "Lowest peg in a path, mean over paths.")
            .export(Export::gauge("min_peg_mean", Ratio)),
        m(
            "capital.circuit_breaker_epochs_per_path",
            c.circuit_breaker_epochs_per_path,
        )
        .about(
            "epochs per path",
            "Epochs on the peg circuit breaker, mean per path.",
        )
        .export(Export::gauge("circuit_breaker_epochs_per_path", Unitless)),
        m(
            "capital.breaker_epochs_per_path.normal",
            c.breaker_epochs_per_path.normal,
        )
        .about(
            "epochs per path",
            "Epochs at the spread breaker's NORMAL level, mean per path.",
        ),
        m(
            "capital.breaker_epochs_per_path.soft",
            c.breaker_epochs_per_path.soft,
        )
        .about(
            "epochs per path",
            "Epochs at the spread breaker's SOFT level (the volatility throttle), mean per path.",
        ),
        m(
            "capital.breaker_epochs_per_path.hard",
            c.breaker_epochs_per_path.hard,
        )
        .about(
            "epochs per path",
            "Epochs at the spread breaker's HARD level (the peg circuit breaker), mean per path.",
        ),
    ]
}

fn events(c: &CapitalMetrics) -> Vec<Metric> {
    let n = |key, v| Metric::count(Section::Capital, key, v);
    vec![
        Metric::real(
            Section::Capital,
            "capital.external_liquidity_floor_breach_probability",
            c.external_liquidity_floor_breach_probability,
        )
        .wilson95(c.external_liquidity_floor_breach_probability_ci95)
        .about(
            "share of paths",
            "Share of paths whose reserve ever fell below the external liquidity floor (critical above the policy's tolerance).",
        )
        .export(Export::gauge("external_liquidity_floor_breach_probability", Ratio).with_uncertainty())
        .row(
            Row::both(Events)
                .context_everywhere(c.external_liquidity_floor_breach_paths, "paths"),
        ),
        n(
            "capital.external_liquidity_floor_breach_paths",
            c.external_liquidity_floor_breach_paths,
        )
        .about("paths", "Paths whose reserve fell below the floor at least once.")
        .export(Export::counter("external_liquidity_floor_breach_paths")),
        n(
            "capital.external_liquidity_floor_violations",
            c.external_liquidity_floor_violations,
        )
        .per_path(
            c.external_liquidity_floor_violations_per_path,
            c.external_liquidity_floor_violations_per_path_se,
        )
        .about(
            "path-epochs",
            "Path-epochs with the reserve below the external liquidity floor before the clamp (the breach epochs; per path alongside).",
        )
        .export(
            Export::counter("external_liquidity_floor_violations")
                .with_per_path("External liquidity floor violations, mean per path."),
        )
        .row(Row::both(Events).context(
            c.external_liquidity_floor_violations_unrepaired,
            "unrepaired after the clamp",
        )),
        n(
            "capital.external_liquidity_floor_violations_unrepaired",
            c.external_liquidity_floor_violations_unrepaired,
        )
        .about(
            "path-epochs",
            "Path-epochs still below the floor after the clamp.",
        )
        .export(Export::counter("external_liquidity_floor_unrepaired")),
        n(
            "capital.volatility_throttle_events",
            c.volatility_throttle_events,
        )
        .per_path(
            c.volatility_throttle_events_per_path,
            c.volatility_throttle_events_per_path_se,
        )
        .about(
            "events",
            "Entries into the volatility-throttled state, all paths.",
        )
        .export(Export::counter("volatility_throttle_events").with_per_path(
            "Volatility throttle events, mean per path (dashboard: warning when rising).",
        ))
        .row(Row::both(Events)),
        n("capital.spread_adjustment_events", c.spread_adjustment_events)
            .per_path(
                c.spread_adjustment_events_per_path,
                c.spread_adjustment_events_per_path_se,
            )
            .about("events", "Changes of the spread level, all paths.")
            .export(Export::counter("spread_adjustment_events").with_per_path(
                "Spread adjustment events, mean per path (dashboard: warning when rising).",
            ))
            .row(Row::both(Events)),
    ]
}
