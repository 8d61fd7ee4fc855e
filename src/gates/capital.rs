//! The policy's capital gates (model.md section 6) from per-path capital outcomes, for the
//! scenario's own posture and for every optimizer candidate alike.

use super::{Comparison, Confidence, Gate, GateEstimate, Severity};
use crate::config::Policy;
use crate::engine::outcome::CapitalOutcome;
use crate::stats::weighted::Weights;

/// The capital gates of `outcomes` (one per path), decided at `confidence`. The
/// `roi_lower_band` gate applies to deployable profiles only.
pub fn capital_gates(
    outcomes: &[&CapitalOutcome],
    epochs: u32,
    policy: &Policy,
    confidence: &Confidence,
    deployable_profile: bool,
) -> Vec<Gate> {
    capital_gates_weighted(
        outcomes,
        None,
        epochs,
        policy,
        confidence,
        deployable_profile,
    )
}

/// [`capital_gates`] of an importance-weighted sample (`--rare-events`), one weight per
/// outcome; `None` is plain sampling.
pub fn capital_gates_weighted(
    outcomes: &[&CapitalOutcome],
    weights: Option<Weights>,
    epochs: u32,
    policy: &Policy,
    confidence: &Confidence,
    deployable_profile: bool,
) -> Vec<Gate> {
    let g = &policy.gates;
    let values = |f: &dyn Fn(&CapitalOutcome) -> f64| -> Vec<f64> {
        outcomes.iter().map(|c| f(c)).collect()
    };
    let flags = |f: &dyn Fn(&CapitalOutcome) -> bool| -> Vec<bool> {
        outcomes.iter().map(|c| f(c)).collect()
    };
    let at_most = |t: f64| (Comparison::AtMost, t, None);
    let mut gates = vec![
        Gate::new(
            "max_drawdown",
            "max_drawdown_p95",
            at_most(g.max_drawdown_p95),
            &GateEstimate::weighted_quantile(&values(&|c| c.max_drawdown), weights, 0.95),
            confidence,
            Severity::Critical,
        ),
        Gate::new(
            "liquidation",
            "liquidation_probability",
            at_most(g.liquidation_probability),
            &GateEstimate::weighted_proportion(&flags(&|c| c.liquidated), weights),
            confidence,
            Severity::Critical,
        ),
        Gate::new(
            "peg_deviation",
            "peg_deviation_frequency",
            at_most(g.peg_deviation_frequency),
            &GateEstimate::weighted_share_mean(
                &values(&|c| f64::from(c.peg_deviation_epochs) / f64::from(epochs.max(1))),
                weights,
            ),
            confidence,
            Severity::Critical,
        ),
        Gate::new(
            "external_liquidity_floor",
            "external_liquidity_floor_breach_probability",
            at_most(g.external_liquidity_floor_breach_probability),
            &GateEstimate::weighted_proportion(&flags(&|c| c.floor_violations > 0), weights),
            confidence,
            Severity::Critical,
        ),
    ];
    if deployable_profile {
        gates.push(Gate::new(
            "roi_lower_band",
            "roi_p05",
            (Comparison::AtLeast, g.roi_p05_min, None),
            &GateEstimate::weighted_quantile(&values(&|c| c.roi), weights, 0.05),
            confidence,
            Severity::Critical,
        ));
    }
    gates
}
