//! The warning rules: the risk dashboard's warning rows, thresholds from the policy, and
//! rises beyond Monte Carlo noise (the rule `pmmsim diff` applies).

use super::runbook::{self, Step};
use super::{AlertRule, Arm, BASELINE_OFFSET, Check, Op, RISE_HOLD, SCENARIO, VALUE};
use crate::config::Policy;
use crate::diff::NOISE_Z;
use crate::scorecard::catalog::prometheus_names as names;

fn rise_rule(
    alert: &'static str,
    (metric, stderr): (&'static str, &'static str),
    field: &str,
    dashboard: &str,
    runbook: String,
) -> AlertRule {
    AlertRule {
        alert,
        check: Check::Rise { metric, stderr },
        hold: Some(RISE_HOLD),
        severity: "warning",
        summary: format!("{SCENARIO}: {field} rising beyond Monte Carlo noise"),
        description: format!(
            "Scenario {SCENARIO}: {field} rose by {VALUE} since {BASELINE_OFFSET} ago, more than \
             {NOISE_Z} combined standard errors."
        ),
        dashboard: dashboard.to_string(),
        runbook_steps: runbook,
        runbook_url: String::new(),
    }
}

/// The warning rules: the dashboard's warning rows.
pub(super) fn warning_rules(p: &Policy) -> Vec<AlertRule> {
    let upper = p.routing_gates.capture_corridor[1];
    let capture = AlertRule {
        alert: "PmmsimCaptureAboveCorridor",
        check: Check::Threshold {
            metric: names::CAPTURE_MEAN,
            op: Op::Above,
            arms: vec![Arm {
                threshold: upper,
                gate: None,
            }],
            step: 0.01,
        },
        hold: Some("1h"),
        severity: "warning",
        summary: format!("{SCENARIO}: PMM capture above its target corridor"),
        description: format!(
            "Scenario {SCENARIO}: capture_mean is {VALUE}, above the corridor's upper end {upper}."
        ),
        dashboard: format!("capture_mean: warning if sustained above the corridor ({upper})"),
        runbook_steps: runbook::annotation(p, &[(Step::SpreadWidening, &[])]),
        runbook_url: String::new(),
    };
    vec![
        capture,
        rise_rule(
            "PmmsimVolatilityThrottleEventsRising",
            (
                names::THROTTLE_EVENTS_PER_PATH,
                names::THROTTLE_EVENTS_PER_PATH_STDERR,
            ),
            "volatility_throttle_events per path",
            "volatility_throttle_events: warning if rising versus baseline",
            runbook::annotation(p, &[(Step::SpreadWidening, &[1, 3])]),
        ),
        rise_rule(
            "PmmsimSpreadAdjustmentEventsRising",
            (
                names::SPREAD_EVENTS_PER_PATH,
                names::SPREAD_EVENTS_PER_PATH_STDERR,
            ),
            "spread_adjustment_events per path",
            "spread_adjustment_events: warning if rising versus baseline",
            runbook::annotation(p, &[(Step::SpreadWidening, &[3])]),
        ),
        rise_rule(
            "PmmsimChurnRising",
            (names::CHURN_MEAN, names::CHURN_MEAN_STDERR),
            "churn_mean",
            "churn_mean, churn_p95: inventory churn (warning when it rises within its gate)",
            runbook::annotation(p, &[(Step::SpreadWidening, &[])]),
        ),
        rise_rule(
            "PmmsimInterventionCostRising",
            (names::COST_PER_1M, names::COST_PER_1M_STDERR),
            "intervention_cost_per_1M_volume",
            "intervention_cost_per_1M_volume: warning if nonlinear versus volume (cost per \
             volume rising)",
            runbook::annotation(p, &[(Step::TreasuryDeployment, &[1, 2, 3])]),
        ),
    ]
}
