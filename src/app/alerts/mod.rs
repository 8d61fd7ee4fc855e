//! Prometheus alerting rules for the metrics of `pmmsim run --format prometheus`, as data.
//! Critical rules come from the policy's gates (thresholds read from the policy), warning
//! rules from the risk dashboard's alert table (seed 001); every rule carries the operator
//! runbook's steps as an annotation. `report::alert_rules` writes them as YAML and
//! `report::alert_tests` writes the `promtool test rules` file that proves each fires just
//! beyond its threshold and not at or inside it. Nothing here runs the engine.

mod critical;
pub mod runbook;
mod warning;

use crate::config::Policy;
use crate::diff::NOISE_Z;
use crate::scorecard::catalog::prometheus_names as names;

/// Rising-versus-baseline rules compare with the value this long ago (the previous
/// nightly scorecard).
pub const BASELINE_OFFSET: &str = "1d";

/// Which side of the threshold fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Above,
    Below,
}

impl Op {
    fn promql(self) -> &'static str {
        match self {
            Op::Above => ">",
            Op::Below => "<",
        }
    }
}

/// One threshold, optionally only for scenarios whose scorecard has gate `gate` (the
/// ROI lower band exists only in deployable profiles; churn has a normal and a stress
/// limit).
#[derive(Debug, Clone, PartialEq)]
pub struct Arm {
    pub threshold: f64,
    pub gate: Option<&'static str>,
}

/// What a rule checks.
#[derive(Debug, Clone, PartialEq)]
pub enum Check {
    /// `metric op threshold` on any arm; `step` is how far beyond the threshold the
    /// generated test puts its firing case.
    Threshold {
        metric: &'static str,
        op: Op,
        arms: Vec<Arm>,
        step: f64,
    },
    /// `metric` rose by more than `NOISE_Z` combined standard errors since
    /// `BASELINE_OFFSET` ago (the same rule `pmmsim diff` applies).
    Rise {
        metric: &'static str,
        stderr: &'static str,
    },
}

/// One alerting rule.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertRule {
    pub alert: &'static str,
    pub check: Check,
    /// `for:`; `None` fires on the first evaluation.
    pub hold: Option<&'static str>,
    /// `critical` or `warning`.
    pub severity: &'static str,
    /// Templates: `{{ $labels.scenario }}` and `{{ $value }}` are expanded by Prometheus.
    pub summary: String,
    pub description: String,
    /// The dashboard row it implements.
    pub dashboard: String,
    pub runbook: String,
}

impl AlertRule {
    /// The PromQL expression.
    pub fn expr(&self) -> String {
        match &self.check {
            Check::Threshold {
                metric, op, arms, ..
            } => {
                let parts: Vec<String> = arms
                    .iter()
                    .map(|a| match a.gate {
                        None => format!("{metric} {} {}", op.promql(), a.threshold),
                        Some(g) => format!(
                            "({metric} {} {} and on(scenario) {}{{gate=\"{g}\"}})",
                            op.promql(),
                            a.threshold,
                            names::GATE_PASS
                        ),
                    })
                    .collect();
                parts.join(" or ")
            }
            Check::Rise { metric, stderr } => format!(
                "({metric} - {metric} offset {BASELINE_OFFSET}) > {NOISE_Z} * \
                 sqrt({stderr} ^ 2 + ({stderr} offset {BASELINE_OFFSET}) ^ 2)"
            ),
        }
    }
}

/// Prometheus template placeholders used in summaries and descriptions.
const VALUE: &str = "{{ $value }}";
const SCENARIO: &str = "{{ $labels.scenario }}";

/// Every rule, grouped: (group name, rules).
pub fn rule_groups(p: &Policy) -> Vec<(&'static str, Vec<AlertRule>)> {
    vec![
        ("pmmsim_policy_gates", critical::critical_rules(p)),
        ("pmmsim_dashboard_warnings", warning::warning_rules(p)),
    ]
}
