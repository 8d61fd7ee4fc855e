//! The critical rules: one per policy gate (`gates` and `routingGates`), thresholds read
//! from the policy, each held for `GATE_HOLD`.

use super::runbook::{self, Step};
use super::{AlertRule, Arm, Check, GATE_HOLD, Op, SCENARIO, VALUE};
use crate::config::Policy;
use crate::scorecard::catalog::prometheus_names as names;

/// A critical rule from one policy gate.
struct GateSpec {
    alert: &'static str,
    metric: &'static str,
    /// The scorecard field, as the dashboard names it.
    field: &'static str,
    op: Op,
    arms: Vec<Arm>,
    step: f64,
    runbook: String,
}

/// `0.25`, or `1 (churn_normal) / 1.5 (churn_stress)` for gate-specific limits.
fn limits(arms: &[Arm]) -> String {
    let parts: Vec<String> = arms
        .iter()
        .map(|a| match (arms.len(), a.gate) {
            (1, _) | (_, None) => a.threshold.to_string(),
            (_, Some(g)) => format!("{} ({g})", a.threshold),
        })
        .collect();
    parts.join(" / ")
}

impl GateSpec {
    fn rule(self) -> AlertRule {
        let word = match self.op {
            Op::Above => "above",
            Op::Below => "below",
        };
        let limit = limits(&self.arms);
        let only = match self.arms.first().and_then(|a| a.gate) {
            Some("roi_lower_band") => " in a deployable profile",
            _ => "",
        };
        AlertRule {
            alert: self.alert,
            hold: Some(GATE_HOLD),
            severity: "critical",
            summary: format!("{SCENARIO}: {} {word} its policy gate", self.field),
            description: format!(
                "Scenario {SCENARIO}: {} is {VALUE}, {word} the policy gate {limit}.",
                self.field
            ),
            dashboard: format!(
                "{}: critical if {} {limit}{only}",
                self.field,
                self.op.promql()
            ),
            runbook_steps: self.runbook,
            runbook_url: String::new(),
            check: Check::Threshold {
                metric: self.metric,
                op: self.op,
                arms: self.arms,
                step: self.step,
            },
        }
    }
}

fn arm(threshold: f64) -> Vec<Arm> {
    vec![Arm {
        threshold,
        gate: None,
    }]
}

/// The critical rules: the policy's gates (`gates` and `routingGates`). Churn is critical
/// because the scorecard's churn gate is (the dashboard table calls it a warning).
pub(super) fn critical_rules(p: &Policy) -> Vec<AlertRule> {
    let g = &p.gates;
    let r = &p.routing_gates;
    let specs = [
        GateSpec {
            alert: "PmmsimMaxDrawdownP95AboveGate",
            metric: names::MAX_DRAWDOWN_P95,
            field: "max_drawdown_p95",
            op: Op::Above,
            arms: arm(g.max_drawdown_p95),
            step: 0.01,
            runbook: runbook::annotation(
                p,
                &[(Step::Deleverage, &[]), (Step::RedemptionThrottle, &[])],
            ),
        },
        GateSpec {
            alert: "PmmsimLiquidationProbabilityAboveGate",
            metric: names::LIQUIDATION_PROBABILITY,
            field: "liquidation_probability",
            op: Op::Above,
            arms: arm(g.liquidation_probability),
            step: 0.01,
            runbook: runbook::annotation(p, &[(Step::Deleverage, &[])]),
        },
        GateSpec {
            alert: "PmmsimPegDeviationFrequencyAboveGate",
            metric: names::PEG_DEVIATION_FREQUENCY,
            field: "peg_deviation_frequency",
            op: Op::Above,
            arms: arm(g.peg_deviation_frequency),
            step: 0.01,
            runbook: runbook::annotation(
                p,
                &[(Step::PegCircuitBreaker, &[]), (Step::SpreadWidening, &[2])],
            ),
        },
        GateSpec {
            alert: "PmmsimExternalLiquidityFloorBreachProbabilityAboveGate",
            metric: names::FLOOR_BREACH_PROBABILITY,
            field: "external_liquidity_floor_breach_probability",
            op: Op::Above,
            arms: arm(g.external_liquidity_floor_breach_probability),
            step: 0.01,
            runbook: runbook::annotation(
                p,
                &[
                    (Step::Deleverage, &[3]),
                    (Step::TreasuryDeployment, &[1, 2]),
                ],
            ),
        },
        GateSpec {
            alert: "PmmsimRoiLowerBandBelowGate",
            metric: names::ROI_P05,
            field: "roi_p05",
            op: Op::Below,
            arms: vec![Arm {
                threshold: g.roi_p05_min,
                gate: Some("roi_lower_band"),
            }],
            step: 0.01,
            runbook: runbook::annotation(p, &[(Step::Deleverage, &[1, 2, 4, 5])]),
        },
        GateSpec {
            alert: "PmmsimChurnAboveGate",
            metric: names::CHURN_MEAN,
            field: "churn_mean",
            op: Op::Above,
            arms: vec![
                Arm {
                    threshold: r.churn_max_normal,
                    gate: Some("churn_normal"),
                },
                Arm {
                    threshold: r.churn_max_stress,
                    gate: Some("churn_stress"),
                },
            ],
            step: 0.1,
            runbook: runbook::annotation(p, &[(Step::SpreadWidening, &[])]),
        },
        GateSpec {
            alert: "PmmsimPostBotPeakDeviationAboveGate",
            metric: names::POST_BOT_PEAK_DEVIATION_P95,
            field: "peak_deviation_bps_post_bot_p95",
            op: Op::Above,
            arms: arm(r.peak_deviation_bps_max),
            step: 1.0,
            runbook: runbook::annotation(
                p,
                &[
                    (Step::SpreadWidening, &[2]),
                    (Step::PegCircuitBreaker, &[1, 2]),
                ],
            ),
        },
    ];
    specs.into_iter().map(GateSpec::rule).collect()
}
