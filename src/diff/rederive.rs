//! Re-derives every gate of a scorecard from its own metrics, never trusting its stored
//! verdicts: the gates expected are the ones the embedded policy asks of the embedded
//! scenario (thresholds included); each gate's interval is recomputed from its metric's
//! value in `routing`/`capital` and the evidence stored with the gate (standard error,
//! event count, order-statistic bounds), at the policy's confidence and the run's looks;
//! the verdict is decided on it. A stored gate that disagrees with that (another value,
//! interval, bound, verdict or threshold, or a gate the policy does not ask for) means the
//! scorecard contradicts itself: exit 2, naming the gate. A gate, or the metric it reads,
//! that is missing is returned as missing (critical in a comparison).

use serde_json::Value;

use crate::config::RunInputs;
use crate::error::{InputError, Result};
use crate::gates::{Confidence, Gate, GateSpec, close, decide, describe_threshold, gate_specs};
use crate::scorecard::Scorecard;

/// A gate the policy asks for that the scorecard does not have, or whose metric is gone.
#[derive(Debug, Clone, PartialEq)]
pub struct MissingGate {
    pub spec: GateSpec,
    /// What is missing.
    pub reason: String,
}

/// The gates of a scorecard as its metrics give them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rederived {
    /// The gates present, re-derived (equal to the stored ones, or the scorecard is
    /// refused), in the policy's order.
    pub gates: Vec<Gate>,
    pub missing: Vec<MissingGate>,
}

fn contradiction(file: &str, at: String, what: String) -> crate::error::Error {
    InputError::new(file, format!("the scorecard contradicts itself: {what}"))
        .at(at)
        .hint(
            "a scorecard's gates follow from its metrics; rerun the scenario instead of editing it",
        )
        .into()
}

fn interval_text(lo: f64, hi: f64) -> String {
    let end = |v: f64| {
        if v.is_finite() {
            crate::diff::short(v)
        } else {
            "unbounded".into()
        }
    };
    format!("[{}, {}]", end(lo), end(hi))
}

/// `s`'s threshold in words (`<= 0.02`).
pub fn threshold_text(s: &GateSpec) -> String {
    describe_threshold(s.comparison, s.threshold, s.threshold_high)
}

/// Re-derives the gates of `card` (whose JSON as read is `value`) read from `file`.
pub fn rederive(card: &Scorecard, value: &Value, file: &str) -> Result<Rederived> {
    let inputs = RunInputs::from_resolved(card.resolved_inputs.resolved.clone(), file)?;
    let capital = inputs
        .scenario
        .capital
        .as_ref()
        .map(|c| c.deployable_profile);
    let specs = gate_specs(&inputs.policy, inputs.scenario.stress_profile, capital);
    let looks = card.sizing.as_ref().map_or(1, |s| s.looks_planned);
    let confidence = Confidence {
        level: inputs.policy.gates.confidence,
        looks,
    };
    let z = confidence.z();
    for (i, g) in card.gates.iter().enumerate() {
        if !specs.iter().any(|s| s.name == g.name) {
            return Err(contradiction(
                file,
                format!("gates[{i}].name"),
                format!(
                    "gate `{}` is not one the embedded policy asks of this scenario",
                    g.name
                ),
            ));
        }
        if card.gates[..i].iter().any(|o| o.name == g.name) {
            return Err(contradiction(
                file,
                format!("gates[{i}].name"),
                format!("gate `{}` appears twice", g.name),
            ));
        }
    }
    let mut out = Rederived::default();
    for spec in specs {
        let Some(i) = card.gates.iter().position(|g| g.name == spec.name) else {
            out.missing.push(MissingGate {
                reason: format!("gate `{}` is missing from the scorecard", spec.name),
                spec,
            });
            continue;
        };
        let at = |field: &str| format!("gates[{i}].{field}");
        let stored = &card.gates[i];
        let same_threshold = stored.comparison == spec.comparison
            && close(stored.threshold, spec.threshold)
            && match (stored.threshold_high, spec.threshold_high) {
                (Some(a), Some(b)) => close(a, b),
                (a, b) => a.is_none() && b.is_none(),
            };
        if !same_threshold {
            return Err(contradiction(
                file,
                at("threshold"),
                format!(
                    "gate `{}` has threshold {}, but the embedded policy's is {}",
                    spec.name,
                    stored.describe_threshold(),
                    threshold_text(&spec)
                ),
            ));
        }
        if stored.metric != spec.metric || stored.severity != spec.severity {
            return Err(contradiction(
                file,
                at("metric"),
                format!(
                    "gate `{}` reads `{}` at severity {:?}, but the policy's gate reads `{}` at {:?}",
                    spec.name, stored.metric, stored.severity, spec.metric, spec.severity
                ),
            ));
        }
        if !close(stored.confidence, confidence.level) || stored.looks != looks {
            return Err(contradiction(
                file,
                at("confidence"),
                format!(
                    "gate `{}` is decided at confidence {} over {} look(s), but the policy asks \
                     {} over the run's {looks}",
                    spec.name, stored.confidence, stored.looks, confidence.level
                ),
            ));
        }
        if stored.paths != card.inputs.paths {
            return Err(contradiction(
                file,
                at("paths"),
                format!(
                    "gate `{}` rests on {} paths, but the run has {}",
                    spec.name, stored.paths, card.inputs.paths
                ),
            ));
        }
        let metric_path = format!("{}.{}", spec.section, spec.metric);
        let Some(m) = value
            .get(spec.section)
            .and_then(|s| s.get(spec.metric))
            .and_then(Value::as_f64)
        else {
            out.missing.push(MissingGate {
                reason: format!("its metric {metric_path} is missing from the scorecard"),
                spec,
            });
            continue;
        };
        let metric_se = value
            .get(spec.section)
            .and_then(|s| s.get(format!("{}_se", spec.metric)))
            .and_then(Value::as_f64);
        let ci = stored
            .evidence
            .interval(m, metric_se, stored.paths, z)
            .map_err(|why| {
                contradiction(
                    file,
                    at("evidence"),
                    format!(
                        "gate `{}` cannot rest on {metric_path} = {} over {} paths: {why}",
                        spec.name,
                        crate::diff::short(m),
                        stored.paths
                    ),
                )
            })?;
        let (verdict, bound) = decide(spec.comparison, spec.threshold, spec.threshold_high, m, ci);
        let agrees = close(stored.value, m)
            && close(stored.interval.lo, ci.lo)
            && close(stored.interval.hi, ci.hi)
            // An unbounded bound is written `null` and read back as NaN.
            && (close(stored.bound, bound) || (stored.bound.is_nan() && !bound.is_finite()))
            && stored.verdict == verdict;
        if !agrees {
            return Err(contradiction(
                file,
                at("verdict"),
                format!(
                    "gate `{}` says `{}` (value {}, interval {}), but {metric_path} = {} over \
                     {} paths gives `{}` (interval {}) against {}",
                    spec.name,
                    stored.verdict.as_str(),
                    crate::diff::short(stored.value),
                    interval_text(stored.interval.lo, stored.interval.hi),
                    crate::diff::short(m),
                    stored.paths,
                    verdict.as_str(),
                    interval_text(ci.lo, ci.hi),
                    threshold_text(&spec)
                ),
            ));
        }
        if verdict != crate::gates::Verdict::Inconclusive && stored.paths_needed.is_some() {
            return Err(contradiction(
                file,
                at("paths_needed"),
                format!(
                    "gate `{}` is resolved (`{}`) yet asks for more paths",
                    spec.name,
                    verdict.as_str()
                ),
            ));
        }
        out.gates.push(Gate {
            value: m,
            interval: ci,
            bound,
            verdict,
            ..stored.clone()
        });
    }
    Ok(out)
}
