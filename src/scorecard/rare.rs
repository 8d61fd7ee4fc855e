//! The `rare_events` block of an importance-sampled run (`--rare-events`): the mixture's
//! parameters, how many paths were tilted, the weights' effective sample size and mean,
//! the variance reduction of the main estimates against plain sampling, and the figures
//! that stay unweighted.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::engine::{PathOutcome, RareEvents, RarePlan, Setup};
use crate::stats::weighted::{self, MIN_HITS, Proportion, Weights, effective_sample_size};

/// Figures of a weighted scorecard that are not weighted: counts of simulated events and
/// maxima over the paths simulated describe the sample, not the model; the optimizer sweep
/// runs plain paths.
pub const UNWEIGHTED: &[&str] = &[
    "routing.churn_max",
    "routing.reflexive_route_count",
    "routing.worst_pools[].peak_deviation_bps_max",
    "routing.peakBridgeOutflow[].max_usd_per_epoch",
    "routing.bridge_links[].peak_flow_max_usd",
    "capital.pnl_distribution.histogram",
    "capital.liquidation_count",
    "capital.peg_deviation_count",
    "capital.external_liquidity_floor_breach_paths",
    "capital.external_liquidity_floor_violations",
    "capital.external_liquidity_floor_violations_unrepaired",
    "capital.volatility_throttle_events",
    "capital.spread_adjustment_events",
    "optimizer",
];

/// How an importance-sampled run drew its paths, and what it gained.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RareEventsReport {
    /// `defensive_mixture`: a share of paths drawn from the tilted proposal, the rest from
    /// the model, every path weighted by its likelihood ratio against the mixture.
    pub method: String,
    /// The mixture's parameters.
    pub params: RareEvents,
    /// `k`: the asset shock's downward mean shift per unit of annualised volatility off the
    /// crash epochs (`theta_t = k sigma_t`, in standard deviations of the epoch's shock); 0
    /// in a scenario with a crash.
    pub asset_shift_per_sigma: f64,
    /// The asset shock's downward mean shift on each scheduled crash epoch, standard
    /// deviations; 0 in a scenario without a crash.
    pub crash_shift: f64,
    /// `c`: the heavy-redemption intensity's multiplier under the proposal.
    pub redemption_factor: f64,
    /// `M`: the horizon's nominal heavy-redemption count `c` was sized on.
    pub nominal_redemption_events: f64,
    /// The largest weight a path can carry, `1 / (1 - tilted_share)`.
    pub weight_bound: f64,
    /// Paths in the scorecard, and how many of them were drawn tilted.
    pub paths: u64,
    pub paths_tilted: u64,
    /// `(sum w)^2 / sum w^2`: the plain paths the weighted sample is worth for a mean of a
    /// bounded figure.
    pub effective_sample_size: f64,
    /// Mean weight over paths, with its standard error: 1 in expectation (a check on the
    /// weights).
    pub weight_mean: f64,
    pub weight_mean_se: f64,
    /// Plain sampling's variance over the weighted estimator's, at the same paths.
    pub variance_reduction: VarianceReduction,
    /// Figures of this scorecard that are not weighted (see `docs/scorecard.md`).
    pub unweighted: Vec<String>,
}

/// Variance of plain sampling over that of the weighted estimator, both at the paths run:
/// above 1 the weighting paid off. `null` for a probability when fewer than 10 paths had
/// the event (the ratio of two variances that small means nothing), or when the weighted
/// estimate has no spread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct VarianceReduction {
    /// `p (1 - p) / n` at the weighted liquidation probability `p`, over its squared
    /// standard error.
    pub liquidation_probability: Option<f64>,
    /// The same for the external liquidity floor's breach probability.
    pub external_liquidity_floor_breach_probability: Option<f64>,
    /// `Var_p(roi) / n` (the weighted estimate of the plain variance) over `roi_mean`'s
    /// squared standard error.
    pub roi_mean: Option<f64>,
}

/// The block of a run whose paths carry importance weights, `None` for a plain run.
pub fn report(
    setup: &Setup,
    paths: &[&PathOutcome],
    weights: Option<Weights>,
) -> Option<RareEventsReport> {
    let w = weights?;
    let params = setup.rare.map_or(RareEvents::DEFAULT, |r| r.params);
    let plan = setup.rare.or_else(|| RarePlan::new(setup, params));
    let n = paths.len() as u64;
    let mean_w = weighted::mean(w.w, None);
    let caps: Vec<(f64, &crate::engine::outcome::CapitalOutcome)> = paths
        .iter()
        .zip(w.w)
        .filter_map(|(p, w)| p.capital.as_ref().map(|c| (*w, c)))
        .collect();
    let cw: Vec<f64> = caps.iter().map(|(w, _)| *w).collect();
    let cap_weights = Some(Weights {
        w: &cw,
        bound: w.bound,
    });
    let prop_gain = |flags: Vec<bool>| {
        let p = Proportion::new(&flags, cap_weights);
        let plain = p.p * (1.0 - p.p) / p.n.max(1) as f64;
        // A few hits of tiny weight make both variances tiny and their ratio meaningless.
        ratio(plain, p.se * p.se).filter(|_| p.hits >= MIN_HITS)
    };
    let roi: Vec<f64> = caps.iter().map(|(_, c)| c.roi).collect();
    let roi_est = weighted::mean(&roi, cap_weights);
    let plain_var = if roi.is_empty() {
        0.0
    } else {
        caps.iter()
            .map(|(w, c)| w * (c.roi - roi_est.mean) * (c.roi - roi_est.mean))
            .sum::<f64>()
            / roi.len() as f64
            / roi.len() as f64
    };
    Some(RareEventsReport {
        method: "defensive_mixture".into(),
        params,
        asset_shift_per_sigma: plan.map_or(0.0, |p| p.asset_shift_per_sigma),
        crash_shift: plan.map_or(0.0, |p| p.crash_shift),
        redemption_factor: plan.map_or(1.0, |p| p.redemption_factor),
        nominal_redemption_events: plan.map_or(0.0, |p| p.nominal_redemption_events),
        weight_bound: w.bound,
        paths: n,
        paths_tilted: paths
            .iter()
            .filter(|p| p.importance.is_some_and(|i| i.tilted))
            .count() as u64,
        effective_sample_size: effective_sample_size(w.w),
        weight_mean: mean_w.mean,
        weight_mean_se: mean_w.se,
        variance_reduction: VarianceReduction {
            liquidation_probability: prop_gain(caps.iter().map(|(_, c)| c.liquidated).collect()),
            external_liquidity_floor_breach_probability: prop_gain(
                caps.iter().map(|(_, c)| c.floor_violations > 0).collect(),
            ),
            roi_mean: ratio(plain_var, roi_est.se * roi_est.se),
        },
        unweighted: UNWEIGHTED.iter().map(|s| (*s).to_string()).collect(),
    })
}

/// `plain / weighted`, or `None` when the weighted variance is 0 (or either is not finite).
fn ratio(plain: f64, weighted: f64) -> Option<f64> {
    (weighted > 0.0 && plain.is_finite() && weighted.is_finite()).then(|| plain / weighted)
}
