//! Capital metrics (model.md section 5): the time-weighted return with its tail (quantiles,
//! expected shortfall, annualised), PnL distribution, drawdown, the capital level and
//! redemptions, liquidation and floor-breach probabilities (Wilson intervals), peg
//! deviation frequency, event counts and the PnL attribution. The gates are in `gates`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Interval;
use crate::engine::PathOutcome;
use crate::engine::outcome::CapitalOutcome;
use crate::model::overlay::{Candidate, TERMS};
use crate::stats::weighted::{self, Proportion, Weights};
use crate::stats::{Histogram, Z95, histogram};

/// Histogram edges of the PnL distribution, as shares of `T_0`: -50% to +30% by 2%.
const PNL_EDGES: (f64, f64, usize) = (-0.5, 0.02, 41);

/// Epochs at each breaker level (NORMAL, SOFT, HARD), mean per path.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct BreakerEpochs {
    pub normal: f64,
    pub soft: f64,
    pub hard: f64,
}

/// Capital metrics of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CapitalMetrics {
    /// Initial capital `T_0`, USD.
    pub initial_capital_usd: f64,
    /// The horizon every `roi_*` and `capital_*` figure is over, days (epochs x epoch days).
    pub horizon_days: f64,
    /// The posture simulated: yield share, leverage, spread.
    pub alpha: f64,
    pub leverage: f64,
    /// Share of the sleeve's collateral in the external asset simulated.
    pub external_share: f64,
    pub spread_bps: f64,
    /// Mean over paths of the time-weighted return over the horizon (redemptions paid at
    /// par are external flows, kept out; the costs of meeting them stay in).
    pub roi_mean: f64,
    pub roi_mean_se: f64,
    /// 1st percentile of the time-weighted return over paths.
    pub roi_p01: f64,
    pub roi_p01_ci95: Interval,
    /// 5th percentile of the time-weighted return over paths.
    pub roi_p05: f64,
    pub roi_p05_ci95: Interval,
    pub roi_p50: f64,
    /// 95th percentile of the time-weighted return over paths.
    pub roi_p95: f64,
    pub roi_p95_ci95: Interval,
    /// Expected shortfall at 95%: the mean return of the worst 5% of paths.
    pub roi_es_95: f64,
    pub roi_es_95_ci95: Interval,
    /// Expected shortfall at 99%: the mean return of the worst 1% of paths.
    pub roi_es_99: f64,
    pub roi_es_99_ci95: Interval,
    /// The same return figures annualised: `(1 + x)^(365 / horizon_days) - 1`.
    pub roi_annualised: AnnualisedRoi,
    /// PnL net of flows (`T_end - T_0` plus redemptions paid), USD: quantiles and a
    /// fixed-edge histogram.
    pub pnl_distribution: PnlDistribution,
    /// Mean over paths of the largest drawdown of the time-weighted return index.
    pub max_drawdown_mean: f64,
    pub max_drawdown_mean_se: f64,
    /// 95th percentile over paths of the largest drawdown.
    pub max_drawdown_p95: f64,
    pub max_drawdown_p95_ci95: Interval,
    /// 99th percentile over paths of the largest drawdown.
    pub max_drawdown_p99: f64,
    pub max_drawdown_p99_ci95: Interval,
    /// Capital itself, flows included: the change `T_end / T_0 - 1` over the horizon, mean
    /// over paths (the PnL attribution adds up to it).
    pub capital_return_mean: f64,
    pub capital_return_mean_se: f64,
    /// `T_end` over paths, USD.
    pub capital_end: CapitalEnd,
    /// Redemptions paid to holders at par over the horizon, mean per path, USD.
    pub redemptions_total_mean_usd: f64,
    pub redemptions_total_mean_usd_se: f64,
    /// Share of paths liquidated.
    pub liquidation_probability: f64,
    /// Wilson 95% interval of the liquidation probability.
    pub liquidation_probability_ci95: Interval,
    /// Paths liquidated.
    pub liquidation_count: u64,
    /// Mean over paths of the number of liquidations (partial ones count one each).
    pub liquidations_per_path: f64,
    pub liquidations_per_path_se: f64,
    /// Median over liquidated paths of the epoch (0-based) of their first liquidation;
    /// `null` when no path was liquidated.
    pub first_liquidation_epoch_p50: Option<f64>,
    /// Mean over paths of the collateral seized by liquidations, USD at the liquidation
    /// price.
    pub collateral_seized_mean_usd: f64,
    pub collateral_seized_mean_usd_se: f64,
    /// Share of path-epochs ending with `|P - 1|` above the policy's deviation threshold.
    pub peg_deviation_frequency: f64,
    /// Standard error over paths (epochs within a path are not independent).
    pub peg_deviation_frequency_se: f64,
    /// Path-epochs above the threshold.
    pub peg_deviation_count: u64,
    /// Share of paths whose reserve, after the epoch's outflows, fell below the external
    /// liquidity floor at least once (before the clamp).
    pub external_liquidity_floor_breach_probability: f64,
    /// Wilson 95% interval of the breach probability.
    pub external_liquidity_floor_breach_probability_ci95: Interval,
    /// Paths that breached the floor at least once.
    pub external_liquidity_floor_breach_paths: u64,
    /// Path-epochs in which the reserve fell below the floor before the clamp, all paths.
    pub external_liquidity_floor_violations: u64,
    /// The same, mean per path: the breach epochs per path.
    pub external_liquidity_floor_violations_per_path: f64,
    pub external_liquidity_floor_violations_per_path_se: f64,
    /// Path-epochs still below the floor after the clamp, all paths.
    pub external_liquidity_floor_violations_unrepaired: u64,
    /// Entries into the volatility-throttled state, all paths.
    pub volatility_throttle_events: u64,
    pub volatility_throttle_events_per_path: f64,
    pub volatility_throttle_events_per_path_se: f64,
    /// Changes of the spread level, all paths.
    pub spread_adjustment_events: u64,
    pub spread_adjustment_events_per_path: f64,
    pub spread_adjustment_events_per_path_se: f64,
    /// Epochs on the peg circuit breaker (the breaker's HARD level), mean per path.
    pub circuit_breaker_epochs_per_path: f64,
    /// Epochs at each level of the spread policy's breaker, mean per path; they add up to
    /// the epochs of the horizon.
    #[serde(default)]
    pub breaker_epochs_per_path: BreakerEpochs,
    /// Lowest peg in a path, mean over paths.
    pub min_peg_mean: f64,
    /// Where capital went: each term's mean contribution; they add up to
    /// `capital_return_mean` (plus `treasury_deployment`'s inflow when the runbook deploys).
    pub pnl_attribution: Vec<AttributionTerm>,
    /// The allocation-target mode (`endogenous` or `dirichlet`); absent for `fixed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allocation_mode: Option<String>,
    /// What the runbook's actions did; absent when none is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runbook: Option<super::runbook::RunbookMetrics>,
}

/// Return figures annualised from the horizon: `(1 + x)^(365 / horizon_days) - 1`, a
/// monotone map, so quantiles map to quantiles. The mean is the horizon mean annualised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AnnualisedRoi {
    pub mean: f64,
    pub p01: f64,
    pub p05: f64,
    pub p50: f64,
    pub p95: f64,
    pub es_95: f64,
    pub es_99: f64,
}

/// Capital at the end of the horizon over paths, USD.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CapitalEnd {
    pub mean: f64,
    pub p05: f64,
    pub p50: f64,
    pub p95: f64,
}

/// PnL distribution in USD.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PnlDistribution {
    pub mean: f64,
    pub p05: f64,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
    pub p95: f64,
    /// Paths per bin; edges in USD, fixed as -50% to +30% of `T_0` in 2% steps.
    pub histogram: Histogram,
}

/// One term of the PnL attribution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AttributionTerm {
    /// `yield`, `collateral_market`, `market_making`, `volatility_drag`,
    /// `intervention_drag`, `redemptions_paid`, `unwind_and_liquidation_costs`.
    pub term: String,
    /// Mean change of `T` per path, USD (drags and costs negative).
    pub mean_usd: f64,
    /// The same as a share of `T_0` (a contribution to `capital_return_mean`).
    pub roi_contribution: f64,
    pub roi_contribution_se: f64,
}

fn values(caps: &[&CapitalOutcome], f: impl Fn(&CapitalOutcome) -> f64) -> Vec<f64> {
    caps.iter().map(|c| f(c)).collect()
}

/// `(1 + x)^(1 / years) - 1`: a horizon return annualised.
fn annualise(x: f64, years: f64) -> f64 {
    if years > 0.0 {
        (1.0 + x).max(0.0).powf(1.0 / years) - 1.0
    } else {
        x
    }
}

/// Builds the capital metrics; `None` when no path carried capital. `weights` (one per
/// path of `paths`) are the importance weights of a `--rare-events` run, `None` plain
/// sampling; the counts (`liquidation_count`, `peg_deviation_count`, the floor's breach
/// paths and violations, the throttle and spread events) and the PnL histogram are of the
/// paths simulated, unweighted.
pub fn capital_metrics(
    paths: &[&PathOutcome],
    weights: Option<Weights>,
    t0: f64,
    candidate: &Candidate,
    epochs: u32,
    epoch_days: f64,
) -> Option<CapitalMetrics> {
    let caps: Vec<&CapitalOutcome> = paths.iter().filter_map(|p| p.capital.as_ref()).collect();
    if caps.is_empty() {
        return None;
    }
    let cap_w: Option<Vec<f64>> = weights.map(|w| {
        paths
            .iter()
            .zip(w.w)
            .filter(|(p, _)| p.capital.is_some())
            .map(|(_, w)| *w)
            .collect()
    });
    let weights = weights.zip(cap_w.as_deref()).map(|(w, cw)| Weights {
        w: cw,
        bound: w.bound,
    });
    let mean_estimate = |v: &[f64]| weighted::mean(v, weights);
    let quantile_with_ci = |v: &[f64], p: f64| weighted::quantile_with_ci95(v, weights, p);
    let expected_shortfall = |v: &[f64], a: f64, z: f64| weighted::shortfall(v, weights, a, z);
    let proportion = |flags: Vec<bool>| Proportion::new(&flags, weights);
    let horizon_days = f64::from(epochs) * epoch_days;
    let years = horizon_days / 365.0;
    let roi = values(&caps, |c| c.roi);
    let roi_est = mean_estimate(&roi);
    let (roi_p01, roi_p01_ci) = quantile_with_ci(&roi, 0.01);
    let (roi_p05, roi_p05_ci) = quantile_with_ci(&roi, 0.05);
    let (roi_p50, _) = quantile_with_ci(&roi, 0.50);
    let (roi_p95, roi_p95_ci) = quantile_with_ci(&roi, 0.95);
    let (es95, es95_ci) = expected_shortfall(&roi, 0.05, Z95);
    let (es99, es99_ci) = expected_shortfall(&roi, 0.01, Z95);
    let pnl = values(&caps, |c| c.pnl);
    let q = |p| quantile_with_ci(&pnl, p).0;
    let edges: Vec<f64> = (0..PNL_EDGES.2)
        .map(|i| (PNL_EDGES.0 + PNL_EDGES.1 * i as f64) * t0)
        .collect();
    let dd = values(&caps, |c| c.max_drawdown);
    let dd_est = mean_estimate(&dd);
    let (dd95, dd95_ci) = quantile_with_ci(&dd, 0.95);
    let (dd99, dd99_ci) = quantile_with_ci(&dd, 0.99);
    let capital_return = mean_estimate(&values(&caps, |c| c.capital_return));
    let capital_end = values(&caps, |c| c.capital_end);
    let end_q = |p| quantile_with_ci(&capital_end, p).0;
    let redemptions = mean_estimate(&values(&caps, |c| c.redemptions));
    let liq = proportion(caps.iter().map(|c| c.liquidated).collect());
    let liq_ci = liq.ci95();
    let liquidated = liq.hits;
    let breach = proportion(caps.iter().map(|c| c.floor_violations > 0).collect());
    let breach_ci = breach.ci95();
    let breached = breach.hits;
    let liquidations = mean_estimate(&values(&caps, |c| f64::from(c.liquidations)));
    let seized = mean_estimate(&values(&caps, |c| c.collateral_seized));
    let (first, first_w): (Vec<f64>, Vec<f64>) = caps
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let w = weights.map_or(1.0, |w| w.w[i]);
            c.first_liquidation_epoch.map(|e| (f64::from(e), w))
        })
        .unzip();
    let first_liquidation_epoch_p50 = weighted::median(&first, weights.map(|_| first_w.as_slice()));
    let peg_freq = mean_estimate(&values(&caps, |c| {
        f64::from(c.peg_deviation_epochs) / f64::from(epochs)
    }));
    let count = |f: fn(&CapitalOutcome) -> u32| caps.iter().map(|c| u64::from(f(c))).sum::<u64>();
    let per_path =
        |f: fn(&CapitalOutcome) -> u32| mean_estimate(&values(&caps, |c| f64::from(f(c))));
    let violations = per_path(|c| c.floor_violations);
    let throttles = per_path(|c| c.throttle_events);
    let spreads = per_path(|c| c.spread_events);
    let attribution = TERMS
        .iter()
        .enumerate()
        .map(|(i, term)| {
            let share = mean_estimate(&values(&caps, |c| c.attribution[i] / t0));
            AttributionTerm {
                term: (*term).to_string(),
                mean_usd: share.mean * t0,
                roi_contribution: share.mean,
                roi_contribution_se: share.se,
            }
        })
        .collect();
    Some(CapitalMetrics {
        initial_capital_usd: t0,
        horizon_days,
        alpha: candidate.alpha,
        leverage: candidate.leverage,
        external_share: candidate.external_share,
        spread_bps: candidate.spread_bps,
        roi_mean: roi_est.mean,
        roi_mean_se: roi_est.se,
        roi_p01,
        roi_p01_ci95: roi_p01_ci,
        roi_p05,
        roi_p05_ci95: roi_p05_ci,
        roi_p50,
        roi_p95,
        roi_p95_ci95: roi_p95_ci,
        roi_es_95: es95,
        roi_es_95_ci95: es95_ci,
        roi_es_99: es99,
        roi_es_99_ci95: es99_ci,
        roi_annualised: AnnualisedRoi {
            mean: annualise(roi_est.mean, years),
            p01: annualise(roi_p01, years),
            p05: annualise(roi_p05, years),
            p50: annualise(roi_p50, years),
            p95: annualise(roi_p95, years),
            es_95: annualise(es95, years),
            es_99: annualise(es99, years),
        },
        pnl_distribution: PnlDistribution {
            mean: mean_estimate(&pnl).mean,
            p05: q(0.05),
            p25: q(0.25),
            p50: q(0.50),
            p75: q(0.75),
            p95: q(0.95),
            histogram: histogram(&pnl, &edges),
        },
        max_drawdown_mean: dd_est.mean,
        max_drawdown_mean_se: dd_est.se,
        max_drawdown_p95: dd95,
        max_drawdown_p95_ci95: dd95_ci,
        max_drawdown_p99: dd99,
        max_drawdown_p99_ci95: dd99_ci,
        capital_return_mean: capital_return.mean,
        capital_return_mean_se: capital_return.se,
        capital_end: CapitalEnd {
            mean: mean_estimate(&capital_end).mean,
            p05: end_q(0.05),
            p50: end_q(0.50),
            p95: end_q(0.95),
        },
        redemptions_total_mean_usd: redemptions.mean,
        redemptions_total_mean_usd_se: redemptions.se,
        liquidation_probability: liq.p,
        liquidation_probability_ci95: liq_ci,
        liquidation_count: liquidated,
        liquidations_per_path: liquidations.mean,
        liquidations_per_path_se: liquidations.se,
        first_liquidation_epoch_p50,
        collateral_seized_mean_usd: seized.mean,
        collateral_seized_mean_usd_se: seized.se,
        peg_deviation_frequency: peg_freq.mean,
        peg_deviation_frequency_se: peg_freq.se,
        peg_deviation_count: count(|c| c.peg_deviation_epochs),
        external_liquidity_floor_breach_probability: breach.p,
        external_liquidity_floor_breach_probability_ci95: breach_ci,
        external_liquidity_floor_breach_paths: breached,
        external_liquidity_floor_violations: count(|c| c.floor_violations),
        external_liquidity_floor_violations_per_path: violations.mean,
        external_liquidity_floor_violations_per_path_se: violations.se,
        external_liquidity_floor_violations_unrepaired: count(|c| c.floor_unrepaired),
        volatility_throttle_events: count(|c| c.throttle_events),
        volatility_throttle_events_per_path: throttles.mean,
        volatility_throttle_events_per_path_se: throttles.se,
        spread_adjustment_events: count(|c| c.spread_events),
        spread_adjustment_events_per_path: spreads.mean,
        spread_adjustment_events_per_path_se: spreads.se,
        circuit_breaker_epochs_per_path: per_path(|c| c.breaker_epochs).mean,
        breaker_epochs_per_path: BreakerEpochs {
            normal: per_path(|c| c.normal_epochs).mean,
            soft: per_path(|c| c.soft_epochs).mean,
            hard: per_path(|c| c.breaker_epochs).mean,
        },
        min_peg_mean: mean_estimate(&values(&caps, |c| c.min_peg)).mean,
        pnl_attribution: attribution,
        allocation_mode: None,
        runbook: None,
    })
}
