//! Gates: a metric, a threshold, the value and whether it passed. Routing gates come from
//! the policy's `routingGates`; capital gates from `gates`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::RoutingMetrics;
use crate::config::Policy;

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
    pub value: f64,
    pub pass: bool,
    pub severity: Severity,
}

impl Gate {
    pub fn new(
        name: &str,
        metric: &str,
        comparison: Comparison,
        threshold: f64,
        threshold_high: Option<f64>,
        value: f64,
        severity: Severity,
    ) -> Self {
        let pass = value.is_finite()
            && match comparison {
                Comparison::AtMost => value <= threshold,
                Comparison::AtLeast => value >= threshold,
                Comparison::Within => {
                    value >= threshold && value <= threshold_high.unwrap_or(f64::INFINITY)
                }
            };
        Self {
            name: name.into(),
            metric: metric.into(),
            comparison,
            threshold,
            threshold_high,
            value,
            pass,
            severity,
        }
    }

    /// `<= 0.25`, `>= 0`, `in [0.1, 0.3]`.
    pub fn describe_threshold(&self) -> String {
        match self.comparison {
            Comparison::AtMost => format!("<= {}", short(self.threshold)),
            Comparison::AtLeast => format!(">= {}", short(self.threshold)),
            Comparison::Within => format!(
                "in [{}, {}]",
                short(self.threshold),
                short(self.threshold_high.unwrap_or(f64::INFINITY))
            ),
        }
    }
}

/// A threshold with at most four decimals and no trailing zeros.
fn short(v: f64) -> String {
    let text = format!("{v:.4}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The routing gates of model.md section 3.
pub fn routing_gates(m: &RoutingMetrics, policy: &Policy, stress: bool) -> Vec<Gate> {
    let g = &policy.routing_gates;
    let churn_limit = if stress {
        g.churn_max_stress
    } else {
        g.churn_max_normal
    };
    vec![
        Gate::new(
            "capture_corridor",
            "capture_mean",
            Comparison::Within,
            g.capture_corridor[0],
            Some(g.capture_corridor[1]),
            m.capture_mean,
            Severity::Warning,
        ),
        Gate::new(
            if stress {
                "churn_stress"
            } else {
                "churn_normal"
            },
            "churn_mean",
            Comparison::AtMost,
            churn_limit,
            None,
            m.churn_mean,
            Severity::Critical,
        ),
        Gate::new(
            "post_bot_peak_deviation",
            "peak_deviation_bps_post_bot_p95",
            Comparison::AtMost,
            g.peak_deviation_bps_max,
            None,
            m.peak_deviation_bps_post_bot_p95,
            Severity::Critical,
        ),
    ]
}
