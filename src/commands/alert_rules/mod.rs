//! `pmmsim alert-rules`: Prometheus alerting rules (YAML, written by hand) for the
//! metrics of `pmmsim run --format prometheus`. Critical rules come from the policy's
//! gates (thresholds read from the policy file), warning rules from the risk dashboard's
//! alert table (seed 001); every rule carries the operator runbook's steps as an
//! annotation. `promtool::tests_yaml` writes a `promtool test rules` file that proves each
//! alert fires just beyond its threshold and not at or inside it.
//!
//! It reads only the policy; it never runs the engine.

pub mod promtool;
mod runbook;

use crate::cli::AlertRulesArgs;
use crate::config::{ConfigSource, POLICY_FILE, Policy};
use crate::diff::NOISE_Z;
use crate::error::Result;
use crate::report::output::emit;
use crate::report::prometheus::names;

use super::Outcome;
use runbook::Step;

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

const VALUE: &str = "{{ $value }}";
const SCENARIO: &str = "{{ $labels.scenario }}";

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
            hold: None,
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
            runbook: self.runbook,
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
fn critical_rules(p: &Policy) -> Vec<AlertRule> {
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
            alert: "PmmsimExternalLiquidityFloorViolated",
            metric: names::FLOOR_VIOLATIONS,
            field: "external_liquidity_floor_violations",
            op: Op::Above,
            arms: arm(g.external_liquidity_floor_violations),
            step: 1.0,
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
        hold: None,
        severity: "warning",
        summary: format!("{SCENARIO}: {field} rising beyond Monte Carlo noise"),
        description: format!(
            "Scenario {SCENARIO}: {field} rose by {VALUE} since {BASELINE_OFFSET} ago, more than \
             {NOISE_Z} combined standard errors."
        ),
        dashboard: dashboard.to_string(),
        runbook,
    }
}

/// The warning rules: the dashboard's warning rows.
fn warning_rules(p: &Policy) -> Vec<AlertRule> {
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
        runbook: runbook::annotation(p, &[(Step::SpreadWidening, &[])]),
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

/// Every rule, grouped: (group name, rules).
pub fn rule_groups(p: &Policy) -> Vec<(&'static str, Vec<AlertRule>)> {
    vec![
        ("pmmsim_policy_gates", critical_rules(p)),
        ("pmmsim_dashboard_warnings", warning_rules(p)),
    ]
}

/// A YAML double-quoted scalar.
pub fn quoted(s: &str) -> String {
    let mut out = String::from('"');
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str(r"\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str(r"\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The rules file. `policy_name` is shown in its header comment.
pub fn rules_yaml(p: &Policy, policy_name: &str) -> String {
    let mut out = format!(
        "# Prometheus alerting rules for pmmsim scorecards, written by `pmmsim alert-rules`.\n\
         # Critical thresholds: the policy {policy_name}\n\
         # Warnings: the risk dashboard's alert table (docs/diff-and-dashboard.md).\n\
         # Regenerate rather than edit. The metrics come from\n\
         # `pmmsim run SCENARIO --format prometheus` in node_exporter's textfile directory.\n\
         groups:\n"
    );
    for (group, rules) in rule_groups(p) {
        out.push_str(&format!("  - name: {group}\n    rules:\n"));
        for rule in rules {
            out.push_str(&rule_yaml(&rule));
        }
    }
    out
}

fn rule_yaml(r: &AlertRule) -> String {
    let mut out = format!(
        "      - alert: {}\n        expr: {}\n",
        r.alert,
        quoted(&r.expr())
    );
    if let Some(hold) = r.hold {
        out.push_str(&format!("        for: {hold}\n"));
    }
    out.push_str(&format!(
        "        labels:\n          severity: {}\n        annotations:\n",
        r.severity
    ));
    for (k, v) in annotations(r) {
        out.push_str(&format!("          {k}: {}\n", quoted(&v)));
    }
    out
}

/// The annotations in file order.
pub fn annotations(r: &AlertRule) -> [(&'static str, String); 4] {
    [
        ("summary", r.summary.clone()),
        ("description", r.description.clone()),
        ("dashboard", r.dashboard.clone()),
        ("runbook", r.runbook.clone()),
    ]
}

/// The display name of the policy in use.
fn policy_name(source: &ConfigSource, args: &AlertRulesArgs) -> Result<String> {
    Ok(match &args.policy {
        Some(path) => path.display().to_string(),
        None => source.read(POLICY_FILE)?.display,
    })
}

/// `pmmsim alert-rules`.
pub fn alert_rules(args: &AlertRulesArgs) -> Result<Outcome> {
    let source = ConfigSource::new(args.config_dir.clone());
    let policy = source.policy(args.policy.as_deref())?;
    let text = rules_yaml(&policy, &policy_name(&source, args)?);
    emit(&text, args.output.as_deref())?;
    Ok(Outcome::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_strings_are_escaped() {
        assert_eq!(quoted("a\"b\\c\nd"), r#""a\"b\\c\nd""#);
    }
}
