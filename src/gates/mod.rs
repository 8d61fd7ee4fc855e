//! Gates: a metric, a threshold, the metric's estimate with its confidence interval, and a
//! verdict decided on the interval, not the point estimate (docs/statistics.md):
//!
//! - `pass` when the whole interval meets the threshold;
//! - `fail` when the whole interval misses it;
//! - `inconclusive` otherwise, with an estimate of the paths that would settle it.
//!
//! - this file: the gate type and the decision;
//! - `estimate`: a gate's estimate (a mean, a quantile or a proportion over paths) and how
//!   its interval narrows with more paths;
//! - `evidence`: what a gate's interval rests on, stored with it so a reader can
//!   recompute the interval from the metric's value;
//! - `spec`: the gates a policy asks of a scenario, without outcomes (what `diff` expects);
//! - `capital`, `routing`: the policy's gates, built from per-path outcomes;
//! - `procedure`: the runbook procedures that answer a failed gate.

mod capital;
mod estimate;
mod evidence;
mod procedure;
mod routing;
mod spec;
mod unbounded;

pub use capital::{capital_gates, capital_gates_weighted};
pub use estimate::{Confidence, GateEstimate};
pub use evidence::{Evidence, close, order_statistic_ranks};
pub use procedure::Procedure;
pub use routing::routing_gates;
pub use spec::{GateSpec, gate_specs};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::stats::Interval;

/// How a gate compares its value with its threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    /// value <= threshold
    AtMost,
    /// value >= threshold
    AtLeast,
    /// threshold <= value <= threshold_high
    Within,
}

/// What failing a gate means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Critical,
    Warning,
}

/// A gate's verdict, decided on the confidence interval of its metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The whole interval meets the threshold.
    Pass,
    /// The whole interval misses the threshold.
    Fail,
    /// The interval straddles the threshold: more paths are needed to tell.
    Inconclusive,
}

impl Verdict {
    /// `pass`, `fail` or `inconclusive`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::Inconclusive => "inconclusive",
        }
    }
}

/// One gate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Gate {
    /// Short identifier, e.g. `capture_corridor`.
    pub name: String,
    /// The scorecard field it reads.
    pub metric: String,
    pub comparison: Comparison,
    pub threshold: f64,
    /// Upper end for `within`.
    pub threshold_high: Option<f64>,
    /// The metric's point estimate.
    pub value: f64,
    /// Confidence interval of `value` at `confidence` (per look, see `looks`); an end the
    /// paths cannot bound is infinite, written `null`.
    #[serde(with = "unbounded::interval")]
    #[schemars(with = "unbounded::OpenInterval")]
    pub interval: Interval,
    /// The confidence level the policy asks of a verdict (`gates.confidence`).
    pub confidence: f64,
    /// Looks taken at the data before this verdict (1 for a fixed-size run); the interval
    /// is widened for them so the verdict keeps its confidence (a Bonferroni correction).
    pub looks: u32,
    /// The end of the interval the verdict rests on: the upper end of an `at_most` gate
    /// (the lower end when it failed), the lower end of an `at_least` gate (the upper end
    /// when it failed), the end nearest the violated side for `within`; `null` when that
    /// end is unbounded or nothing was measured.
    #[serde(with = "unbounded::number")]
    #[schemars(with = "Option<f64>")]
    pub bound: f64,
    pub verdict: Verdict,
    /// Paths the estimate rests on.
    pub paths: u64,
    /// For an inconclusive gate, the paths that would resolve it if the point estimate
    /// stayed where it is; `null` when it is resolved, or sits exactly on the threshold.
    pub paths_needed: Option<u64>,
    pub severity: Severity,
    /// What the interval rests on, so that it can be recomputed from the metric's value
    /// (`diff` does, and refuses a gate its own metric contradicts).
    pub evidence: Evidence,
}

impl Gate {
    /// A gate on `estimate`, decided at `confidence`.
    pub fn new(
        name: &str,
        metric: &str,
        (comparison, threshold, threshold_high): (Comparison, f64, Option<f64>),
        estimate: &GateEstimate,
        confidence: &Confidence,
        severity: Severity,
    ) -> Self {
        let interval = estimate.interval(confidence.z());
        let (verdict, bound) = decide(
            comparison,
            threshold,
            threshold_high,
            estimate.value,
            interval,
        );
        let paths_needed = (verdict == Verdict::Inconclusive)
            .then(|| {
                estimate.paths_to_resolve(confidence.z(), |ci| {
                    decide(comparison, threshold, threshold_high, estimate.value, ci).0
                        != Verdict::Inconclusive
                })
            })
            .flatten();
        Self {
            name: name.into(),
            metric: metric.into(),
            comparison,
            threshold,
            threshold_high,
            value: estimate.value,
            interval,
            confidence: confidence.level,
            looks: confidence.looks,
            bound,
            verdict,
            paths: estimate.paths,
            paths_needed,
            severity,
            evidence: estimate.evidence(confidence.z()),
        }
    }

    /// Whether the verdict is `pass`.
    pub fn passed(&self) -> bool {
        self.verdict == Verdict::Pass
    }

    /// A critical gate whose verdict is not `pass` (failed or inconclusive).
    pub fn blocks(&self) -> bool {
        self.severity == Severity::Critical && !self.passed()
    }

    /// The verdict the gate's own numbers give: `decide` on its stored interval. A stored
    /// verdict that differs means the gate was edited.
    pub fn rederived_verdict(&self) -> Verdict {
        decide(
            self.comparison,
            self.threshold,
            self.threshold_high,
            self.value,
            self.interval,
        )
        .0
    }

    /// `<= 0.25`, `>= 0`, `in [0.1, 0.3]`.
    pub fn describe_threshold(&self) -> String {
        describe_threshold(self.comparison, self.threshold, self.threshold_high)
    }
}

/// A threshold in words: `<= 0.25`, `>= 0`, `in [0.1, 0.3]`.
pub fn describe_threshold(comparison: Comparison, threshold: f64, high: Option<f64>) -> String {
    match comparison {
        Comparison::AtMost => format!("<= {}", short(threshold)),
        Comparison::AtLeast => format!(">= {}", short(threshold)),
        Comparison::Within => format!(
            "in [{}, {}]",
            short(threshold),
            short(high.unwrap_or(f64::INFINITY))
        ),
    }
}

/// The verdict of `value` with confidence interval `ci` against a threshold, and the bound
/// it rests on. A NaN value or interval is inconclusive: nothing was measured.
pub fn decide(
    comparison: Comparison,
    threshold: f64,
    threshold_high: Option<f64>,
    value: f64,
    ci: Interval,
) -> (Verdict, f64) {
    if value.is_nan() || ci.lo.is_nan() || ci.hi.is_nan() {
        return (Verdict::Inconclusive, f64::NAN);
    }
    match comparison {
        Comparison::AtMost => {
            if ci.hi <= threshold {
                (Verdict::Pass, ci.hi)
            } else if ci.lo > threshold {
                (Verdict::Fail, ci.lo)
            } else {
                (Verdict::Inconclusive, ci.hi)
            }
        }
        Comparison::AtLeast => {
            if ci.lo >= threshold {
                (Verdict::Pass, ci.lo)
            } else if ci.hi < threshold {
                (Verdict::Fail, ci.hi)
            } else {
                (Verdict::Inconclusive, ci.lo)
            }
        }
        Comparison::Within => {
            let high = threshold_high.unwrap_or(f64::INFINITY);
            if ci.lo >= threshold && ci.hi <= high {
                // The tighter side is the one the pass rests on.
                let bound = if ci.lo - threshold <= high - ci.hi {
                    ci.lo
                } else {
                    ci.hi
                };
                (Verdict::Pass, bound)
            } else if ci.hi < threshold {
                (Verdict::Fail, ci.hi)
            } else if ci.lo > high {
                (Verdict::Fail, ci.lo)
            } else if ci.lo < threshold {
                (Verdict::Inconclusive, ci.lo)
            } else {
                (Verdict::Inconclusive, ci.hi)
            }
        }
    }
}

/// A threshold with at most four decimals and no trailing zeros.
fn short(v: f64) -> String {
    let text = format!("{v:.4}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests;
