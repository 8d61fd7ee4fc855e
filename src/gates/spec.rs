//! The gates a policy asks of a scenario, named with their metric, comparison, thresholds
//! and severity but no outcome: what `diff` expects to find in a scorecard, so that a gate
//! removed from a scorecard, or one whose threshold is not the policy's, is caught. The
//! builders in `routing` and `capital` make the same gates from outcomes (a test checks
//! that the two agree).

use super::{Comparison, Severity};
use crate::config::Policy;

/// One gate the policy asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct GateSpec {
    pub name: &'static str,
    /// The scorecard section of its metric: `routing` or `capital`.
    pub section: &'static str,
    pub metric: &'static str,
    pub comparison: Comparison,
    pub threshold: f64,
    pub threshold_high: Option<f64>,
    pub severity: Severity,
}

/// The gates of a scenario under `policy`, in the order a run lists them: the routing
/// gates (the stress churn limit when `stress`), then, for a scenario with the capital
/// overlay (`capital` is `Some(deployable_profile)`), the capital gates.
pub fn gate_specs(policy: &Policy, stress: bool, capital: Option<bool>) -> Vec<GateSpec> {
    let r = &policy.routing_gates;
    let g = &policy.gates;
    let spec = |name, section, metric, comparison, threshold, threshold_high, severity| GateSpec {
        name,
        section,
        metric,
        comparison,
        threshold,
        threshold_high,
        severity,
    };
    use Comparison::{AtLeast, AtMost, Within};
    use Severity::{Critical, Warning};
    let mut out = vec![
        spec(
            "capture_corridor",
            "routing",
            "capture_mean",
            Within,
            r.capture_corridor[0],
            Some(r.capture_corridor[1]),
            Warning,
        ),
        if stress {
            spec(
                "churn_stress",
                "routing",
                "churn_mean",
                AtMost,
                r.churn_max_stress,
                None,
                Critical,
            )
        } else {
            spec(
                "churn_normal",
                "routing",
                "churn_mean",
                AtMost,
                r.churn_max_normal,
                None,
                Critical,
            )
        },
        spec(
            "post_bot_peak_deviation",
            "routing",
            "peak_deviation_bps_post_bot_p95",
            AtMost,
            r.peak_deviation_bps_max,
            None,
            Critical,
        ),
    ];
    let Some(deployable) = capital else {
        return out;
    };
    out.extend([
        spec(
            "max_drawdown",
            "capital",
            "max_drawdown_p95",
            AtMost,
            g.max_drawdown_p95,
            None,
            Critical,
        ),
        spec(
            "liquidation",
            "capital",
            "liquidation_probability",
            AtMost,
            g.liquidation_probability,
            None,
            Critical,
        ),
        spec(
            "peg_deviation",
            "capital",
            "peg_deviation_frequency",
            AtMost,
            g.peg_deviation_frequency,
            None,
            Critical,
        ),
        spec(
            "external_liquidity_floor",
            "capital",
            "external_liquidity_floor_breach_probability",
            AtMost,
            g.external_liquidity_floor_breach_probability,
            None,
            Critical,
        ),
    ]);
    if deployable {
        out.push(spec(
            "roi_lower_band",
            "capital",
            "roi_p05",
            AtLeast,
            g.roi_p05_min,
            None,
            Critical,
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ConfigSource;
    use crate::gates::{Confidence, Gate, capital_gates, routing_gates};

    fn shape(g: &Gate) -> (String, String, Comparison, f64, Option<f64>, Severity) {
        (
            g.name.clone(),
            g.metric.clone(),
            g.comparison,
            g.threshold,
            g.threshold_high,
            g.severity,
        )
    }

    fn spec_shape(s: &GateSpec) -> (String, String, Comparison, f64, Option<f64>, Severity) {
        (
            s.name.into(),
            s.metric.into(),
            s.comparison,
            s.threshold,
            s.threshold_high,
            s.severity,
        )
    }

    #[test]
    fn the_specs_are_the_gates_the_builders_make() {
        let policy = ConfigSource::default()
            .policy(None)
            .expect("built-in policy");
        let confidence = Confidence::fixed(policy.gates.confidence);
        for stress in [false, true] {
            for deployable in [false, true] {
                let mut built = routing_gates(&[], None, &policy, &confidence, stress);
                built.extend(capital_gates(&[], 10, &policy, &confidence, deployable));
                let built: Vec<_> = built.iter().map(shape).collect();
                let specs: Vec<_> = gate_specs(&policy, stress, Some(deployable))
                    .iter()
                    .map(spec_shape)
                    .collect();
                assert_eq!(built, specs, "stress {stress}, deployable {deployable}");
            }
        }
        assert_eq!(gate_specs(&policy, false, None).len(), 3);
    }
}
