//! The routing gates (model.md section 3) from per-path routing outcomes.

use super::{Comparison, Confidence, Gate, GateEstimate, Severity};
use crate::config::Policy;
use crate::engine::PathOutcome;
use crate::engine::outcome::RoutingOutcome;
use crate::stats::weighted::Weights;

/// The routing gates of `paths`, decided at `confidence`; a stress scenario uses the
/// stress churn limit. `weights` (one per path) are the importance weights of a
/// `--rare-events` run; `None` is plain sampling.
pub fn routing_gates(
    paths: &[&PathOutcome],
    weights: Option<Weights>,
    policy: &Policy,
    confidence: &Confidence,
    stress: bool,
) -> Vec<Gate> {
    let g = &policy.routing_gates;
    let values = |f: fn(&RoutingOutcome) -> f64| -> Vec<f64> {
        paths.iter().map(|p| f(&p.routing)).collect()
    };
    let churn_limit = if stress {
        g.churn_max_stress
    } else {
        g.churn_max_normal
    };
    vec![
        Gate::new(
            "capture_corridor",
            "capture_mean",
            (
                Comparison::Within,
                g.capture_corridor[0],
                Some(g.capture_corridor[1]),
            ),
            &GateEstimate::weighted_mean(&values(|o| o.capture_mean), weights),
            confidence,
            Severity::Warning,
        ),
        Gate::new(
            if stress {
                "churn_stress"
            } else {
                "churn_normal"
            },
            "churn_mean",
            (Comparison::AtMost, churn_limit, None),
            &GateEstimate::weighted_mean(&values(|o| o.churn_mean), weights),
            confidence,
            Severity::Critical,
        ),
        Gate::new(
            "post_bot_peak_deviation",
            "peak_deviation_bps_post_bot_p95",
            (Comparison::AtMost, g.peak_deviation_bps_max, None),
            &GateEstimate::weighted_quantile(&values(|o| o.peak_dev_post_bot_bps), weights, 0.95),
            confidence,
            Severity::Critical,
        ),
    ]
}
