//! Compares two scorecard files metric by metric and grades every difference with the
//! risk dashboard's alert table (seed 001, see `docs/diff-and-dashboard.md`):
//!
//! - **critical**: a critical gate that passed in the base (or did not exist there) fails
//!   or is inconclusive in the new scorecard (a warning gate such as the capture corridor
//!   gives a warning); a gate, or the metric it reads, that is missing from the new
//!   scorecard; a headline metric that disappears;
//! - **warning**: a gate already failing in the base still fails (a known failure), or an
//!   event count, churn or intervention cost rises by more than its Monte Carlo noise
//!   (`z > NOISE_Z`, from the standard errors both scorecards carry);
//! - **info**: everything else.
//!
//! It never trusts a stored verdict: each file's content digest and inputs hash are
//! checked (`scorecard::seal`), and every gate is re-derived from the file's own metrics
//! against the thresholds of the policy it embeds (`rederive`); a stored gate that
//! disagrees is refused (exit 2, "the scorecard contradicts itself"). It reports what
//! changed in the inputs by JSON path (`inputs`). It reruns nothing and ignores
//! `run_info`. Rendering lives in `report::diff`.

mod inputs;
mod rederive;
mod rows;

pub use inputs::{InputChange, describe as describe_change, input_changes};
pub use rederive::{MissingGate, Rederived, rederive};

use std::path::Path;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::config::limits::read_text;
use crate::config::parse::parse_json;
use crate::error::{Error, InputError, Result};
use crate::gates::{Gate, Severity, Verdict};
use crate::scorecard::seal::verify;
use crate::scorecard::{SCHEMA_VERSION, Scorecard};

/// A rise is beyond Monte Carlo noise when `z = (new - base) / sqrt(se_base² + se_new²)`
/// exceeds this (one-sided; about a 2.3% false-alarm rate per metric for normal noise).
pub const NOISE_Z: f64 = 2.0;

/// Rows whose rise beyond noise is a dashboard warning ("rising versus baseline",
/// "outside scorecard gates", "nonlinear versus volume"): the row, and the row whose
/// z-score decides (event totals are judged by their per-path means, which carry a
/// standard error and do not scale with the path count).
pub const RISE_RULES: &[(&str, &str)] = &[
    (
        "capital.volatility_throttle_events",
        "capital.volatility_throttle_events_per_path",
    ),
    (
        "capital.volatility_throttle_events_per_path",
        "capital.volatility_throttle_events_per_path",
    ),
    (
        "capital.spread_adjustment_events",
        "capital.spread_adjustment_events_per_path",
    ),
    (
        "capital.spread_adjustment_events_per_path",
        "capital.spread_adjustment_events_per_path",
    ),
    ("routing.churn_mean", "routing.churn_mean"),
    ("routing.churn_p95", "routing.churn_p95"),
    (
        "routing.intervention_cost_total",
        "routing.intervention_cost_total",
    ),
    (
        "routing.intervention_cost_per_1M_volume",
        "routing.intervention_cost_per_1M_volume",
    ),
];

/// How much a difference matters, lowest first.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Info,
    Warning,
    Critical,
}

impl Level {
    /// `info`, `warning`, `critical`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Critical => "critical",
        }
    }
}

/// Whether a metric is on both sides and whether it moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Unchanged,
    Changed,
    /// Only in the new scorecard (e.g. capital metrics of a capital scenario vs a
    /// routing-only base).
    Added,
    /// Only in the base scorecard.
    Removed,
}

/// What happened to a gate between base and new.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GateStatus {
    /// Passes in both.
    Pass,
    /// Passed in base; fails or is inconclusive in new.
    Crossed,
    /// Fails or is inconclusive in both.
    StillFailing,
    /// Failed or was inconclusive in base, passes in new.
    Recovered,
    /// Only in new (its `new_verdict` says whether it passes).
    Added,
    /// Only in base.
    Removed,
    /// The new scorecard's policy asks for it, but the gate or its metric is missing.
    Missing,
}

impl GateStatus {
    /// `pass`, `crossed`, `still failing`, `recovered`, `added`, `removed`.
    pub fn as_str(self) -> &'static str {
        match self {
            GateStatus::Pass => "pass",
            GateStatus::Crossed => "crossed",
            GateStatus::StillFailing => "still failing",
            GateStatus::Recovered => "recovered",
            GateStatus::Added => "added",
            GateStatus::Removed => "removed",
            GateStatus::Missing => "missing",
        }
    }
}

/// One scorecard file as `diff` saw it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Side {
    /// The file, as named on the command line.
    pub file: String,
    pub scenario: String,
    pub inputs_hash: String,
    pub seed: u64,
    pub paths: u64,
    pub epochs: u32,
}

/// One gate, side by side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct GateDiff {
    pub name: String,
    /// The scorecard field it reads.
    pub metric: String,
    /// The new scorecard's threshold (the base's when the gate was removed).
    pub threshold: String,
    pub base_value: Option<f64>,
    pub new_value: Option<f64>,
    pub base_verdict: Option<Verdict>,
    pub new_verdict: Option<Verdict>,
    pub status: GateStatus,
    pub severity: Level,
    /// Why a removed or missing gate is critical.
    pub reason: Option<String>,
}

/// One metric, side by side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MetricDiff {
    /// Dotted path in the scorecard, with array elements named by their id fields,
    /// e.g. `capital.liquidation_probability`,
    /// `routing.intervention_cost_by_chain[chain_id=137].total`.
    pub metric: String,
    /// A per-chain, per-pool, per-link, per-term or frontier row (the table shows these
    /// only when they changed).
    pub detail: bool,
    pub base: Option<f64>,
    pub new: Option<f64>,
    /// `new - base`.
    pub change: Option<f64>,
    /// `(new - base) / |base|`; absent when base is 0.
    pub relative_change: Option<f64>,
    /// Standard errors (from `_se`, or a 95% interval's half-width / 1.96).
    pub base_se: Option<f64>,
    pub new_se: Option<f64>,
    /// `change / sqrt(base_se² + new_se²)`; absent when both are 0 or unknown.
    pub z: Option<f64>,
    pub status: Status,
    /// The highest of the noise rule's level and the level of a gate on this metric.
    pub severity: Level,
    /// The gate on this metric whose failure in new raised `severity`, if any.
    pub gate: Option<String>,
    /// Why the noise rule made it a warning (a rise beyond Monte Carlo noise), if it did.
    pub reason: Option<String>,
}

/// Highest level and what reached it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Summary {
    pub worst: Level,
    /// Gates (`gate:NAME`) at critical.
    pub critical: Vec<String>,
    /// Gates (`gate:NAME`) at warning and metrics that rose beyond their noise.
    pub warning: Vec<String>,
    /// Metrics whose value moved, was added or was removed.
    pub changed: u64,
    pub unchanged: u64,
}

/// The whole comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DiffReport {
    /// The scorecards' layout version (both are the same, or `diff` refuses).
    pub schema_version: u32,
    pub base: Side,
    pub new: Side,
    /// Whether the embedded inputs (scenario, policy, deployment, commitments, overrides
    /// and run options) are the same: `inputs_changed` is empty.
    pub same_inputs: bool,
    /// `same inputs`, or `different inputs (N changes)`.
    pub inputs: String,
    /// Every input that differs, by JSON path in `resolved_inputs`.
    pub inputs_changed: Vec<InputChange>,
    pub summary: Summary,
    pub gates: Vec<GateDiff>,
    pub metrics: Vec<MetricDiff>,
}

/// A scorecard read from a file, with the name to show for it and its gates as its
/// metrics give them.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub file: String,
    pub card: Scorecard,
    pub gates: Rederived,
}

/// Reads both files with [`load_text`]; the new one's `schema_version` must be the base's.
/// Any failure is an `Error::Input`/`Error::Io` naming the file (exit status 2).
pub fn load_pair(base: &Path, new: &Path) -> Result<(Loaded, Loaded)> {
    let (base_text, base_version) = probe(base)?;
    let (new_text, new_version) = probe(new)?;
    if base_version != new_version {
        return Err(Error::Input(
            InputError::new(
                new.display().to_string(),
                format!(
                    "schema_version {new_version} differs from the base scorecard's \
                     {base_version} ({}); diff compares scorecards of the same layout only",
                    base.display()
                ),
            )
            .at("schema_version")
            .hint("rerun both scenarios with the same pmmsim version"),
        ));
    }
    Ok((
        load_text(&base_text, &base.display().to_string())?,
        load_text(&new_text, &new.display().to_string())?,
    ))
}

/// Reads one scorecard with the checks `load_pair` applies to each of its files: a
/// JSON object with this pmmsim's `schema_version`, a scorecard's shape, and stored
/// verdicts that agree with their own numbers.
pub fn load(path: &Path) -> Result<Loaded> {
    let (text, _) = probe(path)?;
    load_text(&text, &path.display().to_string())
}

/// Reads a file (within the size limit) and its `schema_version`.
fn probe(path: &Path) -> Result<(String, u64)> {
    let text = read_text(path)?;
    let file = path.display().to_string();
    let version = version_of(&parse_json(&text, &file)?, &file)?;
    Ok((text, version))
}

/// The `schema_version` of a scorecard's JSON.
fn version_of(value: &Value, file: &str) -> Result<u64> {
    let not_a_scorecard = |what: &str| {
        InputError::new(file, format!("not a pmmsim scorecard: {what}"))
            .hint("write one with `pmmsim run SCENARIO --format json`")
    };
    let Some(obj) = value.as_object() else {
        return Err(not_a_scorecard("expected a JSON object at the top level").into());
    };
    match obj.get("schema_version") {
        None => Err(not_a_scorecard("it has no `schema_version`")
            .at("schema_version")
            .into()),
        Some(v) => Ok(v.as_u64().ok_or_else(|| {
            not_a_scorecard(&format!("`schema_version` is {v}, expected an integer"))
                .at("schema_version")
        })?),
    }
}

/// Reads one scorecard from its text (`file` names it in errors), as `diff` and
/// `run --from` do: syntax (errors carry line and column), this pmmsim's
/// `schema_version`, the layout, the content digest and inputs hash
/// (`scorecard::seal::verify`), and every gate re-derived from the metrics
/// ([`rederive`]). Any failure is exit status 2.
pub fn load_text(text: &str, file: &str) -> Result<Loaded> {
    let value: Value = parse_json(text, file)?;
    let version = version_of(&value, file)?;
    if version != u64::from(SCHEMA_VERSION) {
        return Err(Error::Input(
            InputError::new(
                file,
                format!(
                    "schema_version {version} is not the layout this pmmsim reads \
                     ({SCHEMA_VERSION})"
                ),
            )
            .at("schema_version"),
        ));
    }
    let card: Scorecard = parse_json(text, file)?;
    verify(&value, &card, file)?;
    let gates = rederive(&card, &value, file)?;
    Ok(Loaded {
        file: file.to_string(),
        card,
        gates,
    })
}

/// Compares two loaded scorecards.
pub fn compare(base: &Loaded, new: &Loaded) -> Result<DiffReport> {
    let missing = &new.gates.missing;
    let mut gates: Vec<GateDiff> = gate_diffs(&base.gates.gates, &new.gates.gates)
        .into_iter()
        .filter(|g| !missing.iter().any(|m| m.spec.name == g.name))
        .collect();
    gates.extend(missing_gates(base, missing));
    let base_rows = rows::rows(base)?;
    let new_rows = rows::rows(new)?;
    let mut metrics = rows::pair_rows(&base_rows, &new_rows);
    apply_removal_levels(&mut metrics);
    apply_rise_rules(&mut metrics);
    apply_gate_levels(&mut metrics, &gates);
    let inputs_changed = input_changes(&base.card.resolved_inputs, &new.card.resolved_inputs);
    let same_inputs =
        inputs_changed.is_empty() && base.card.inputs.inputs_hash == new.card.inputs.inputs_hash;
    Ok(DiffReport {
        schema_version: new.card.schema_version,
        base: side(base),
        new: side(new),
        same_inputs,
        inputs: match inputs_changed.len() {
            0 if same_inputs => "same inputs".to_string(),
            1 => "different inputs (1 change)".to_string(),
            n => format!("different inputs ({n} changes)"),
        },
        inputs_changed,
        summary: summarise(&gates, &metrics),
        gates,
        metrics,
    })
}

fn side(l: &Loaded) -> Side {
    let i = &l.card.inputs;
    Side {
        file: l.file.clone(),
        scenario: l.card.scenario.clone(),
        inputs_hash: i.inputs_hash.clone(),
        seed: i.seed,
        paths: i.paths,
        epochs: i.epochs,
    }
}

fn gate_level(new: &Gate, base: Option<&Gate>) -> Level {
    match (new.passed(), base.map(Gate::passed)) {
        (true, _) => Level::Info,
        (false, Some(false)) => Level::Warning,
        (false, _) => match new.severity {
            Severity::Critical => Level::Critical,
            Severity::Warning => Level::Warning,
        },
    }
}

fn gate_status(base: Option<&Gate>, new: Option<&Gate>) -> GateStatus {
    match (base.map(Gate::passed), new.map(Gate::passed)) {
        (Some(true), Some(true)) => GateStatus::Pass,
        (Some(true), Some(false)) => GateStatus::Crossed,
        (Some(false), Some(false)) => GateStatus::StillFailing,
        (Some(false), Some(true)) => GateStatus::Recovered,
        (None, _) => GateStatus::Added,
        (Some(_), None) => GateStatus::Removed,
    }
}

fn gate_diffs(base: &[Gate], new: &[Gate]) -> Vec<GateDiff> {
    let find = |gates: &'_ [Gate], name: &str| gates.iter().find(|g| g.name == name).cloned();
    let mut names: Vec<&str> = base.iter().map(|g| g.name.as_str()).collect();
    for g in new {
        if !names.contains(&g.name.as_str()) {
            names.push(&g.name);
        }
    }
    names
        .into_iter()
        .filter_map(|name| {
            let b = find(base, name);
            let n = find(new, name);
            let shown = n.as_ref().or(b.as_ref())?;
            Some(GateDiff {
                name: name.to_string(),
                metric: shown.metric.clone(),
                threshold: shown.describe_threshold(),
                base_value: b.as_ref().map(|g| g.value),
                new_value: n.as_ref().map(|g| g.value),
                base_verdict: b.as_ref().map(|g| g.verdict),
                new_verdict: n.as_ref().map(|g| g.verdict),
                status: gate_status(b.as_ref(), n.as_ref()),
                severity: n
                    .as_ref()
                    .map_or(Level::Critical, |g| gate_level(g, b.as_ref())),
                reason: n
                    .is_none()
                    .then(|| format!("gate `{name}` disappeared from the new scorecard")),
            })
        })
        .collect()
}

/// The gates the new scorecard's policy asks for that it lacks (or whose metric it
/// lacks): critical, whatever the base says.
fn missing_gates(base: &Loaded, missing: &[MissingGate]) -> Vec<GateDiff> {
    missing
        .iter()
        .map(|m| {
            let b = base.gates.gates.iter().find(|g| g.name == m.spec.name);
            GateDiff {
                name: m.spec.name.to_string(),
                metric: m.spec.metric.to_string(),
                threshold: rederive::threshold_text(&m.spec),
                base_value: b.map(|g| g.value),
                new_value: None,
                base_verdict: b.map(|g| g.verdict),
                new_verdict: None,
                status: GateStatus::Missing,
                severity: Level::Critical,
                reason: Some(m.reason.clone()),
            }
        })
        .collect()
}

/// A headline metric that disappears is critical; a per-chain, per-pool or other detail
/// row that disappears is a warning (the deployment's shape changed).
fn apply_removal_levels(metrics: &mut [MetricDiff]) {
    for m in metrics.iter_mut().filter(|m| m.status == Status::Removed) {
        m.severity = if m.detail {
            Level::Warning
        } else {
            Level::Critical
        };
        m.reason = Some("disappeared from the new scorecard".into());
    }
}

/// Why a rise is beyond noise, or `None` when it is not (or is not a rise).
fn rise_beyond_noise(d: &MetricDiff) -> Option<String> {
    let change = d.change.filter(|c| *c > 0.0)?;
    match d.z {
        Some(z) if z > NOISE_Z => Some(format!(
            "rose by {} = {z:.1} standard errors (> {NOISE_Z}): beyond Monte Carlo noise",
            short(change)
        )),
        Some(_) => None,
        None => Some(format!(
            "rose by {} with no Monte Carlo noise on either side",
            short(change)
        )),
    }
}

fn apply_rise_rules(metrics: &mut [MetricDiff]) {
    let verdicts: Vec<(String, String)> = RISE_RULES
        .iter()
        .filter_map(|(row, judge)| {
            let judged = metrics.iter().find(|m| m.metric == *judge)?;
            let why = rise_beyond_noise(judged)?;
            let why = if row == judge {
                why
            } else {
                format!("per path: {why}")
            };
            Some(((*row).to_string(), why))
        })
        .collect();
    for (row, why) in verdicts {
        if let Some(m) = metrics.iter_mut().find(|m| m.metric == row) {
            m.severity = m.severity.max(Level::Warning);
            m.reason = Some(why);
        }
    }
}

fn apply_gate_levels(metrics: &mut [MetricDiff], gates: &[GateDiff]) {
    for g in gates.iter().filter(|g| g.severity > Level::Info) {
        for section in ["routing", "capital"] {
            let key = format!("{section}.{}", g.metric);
            if let Some(m) = metrics.iter_mut().find(|m| m.metric == key) {
                m.severity = m.severity.max(g.severity);
                m.gate = Some(g.name.clone());
            }
        }
    }
}

fn summarise(gates: &[GateDiff], metrics: &[MetricDiff]) -> Summary {
    let named = gates
        .iter()
        .map(|g| (format!("gate:{}", g.name), g.severity))
        .chain(metrics.iter().filter(|m| m.reason.is_some()).map(|m| {
            let level = if m.status == Status::Removed {
                m.severity
            } else {
                Level::Warning
            };
            (m.metric.clone(), level)
        }));
    let mut critical = Vec::new();
    let mut warning = Vec::new();
    for (name, level) in named {
        match level {
            Level::Critical => critical.push(name),
            Level::Warning => warning.push(name),
            Level::Info => {}
        }
    }
    let changed = metrics
        .iter()
        .filter(|m| m.status != Status::Unchanged)
        .count() as u64;
    Summary {
        worst: gates
            .iter()
            .map(|g| g.severity)
            .chain(metrics.iter().map(|m| m.severity))
            .max()
            .unwrap_or(Level::Info),
        critical,
        warning,
        changed,
        unchanged: metrics.len() as u64 - changed,
    }
}

/// A compact number for reasons: four significant digits.
pub fn short(v: f64) -> String {
    if v != 0.0 && (v.abs() >= 1e6 || v.abs() < 1e-3) {
        format!("{v:.3e}")
    } else {
        let s = format!("{v:.4}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        if s.is_empty() || s == "-" {
            "0".into()
        } else {
            s.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(base: f64, new: f64, se: f64) -> MetricDiff {
        let z = (se > 0.0).then(|| (new - base) / (2.0 * se * se).sqrt());
        MetricDiff {
            metric: "x".into(),
            detail: false,
            base: Some(base),
            new: Some(new),
            change: Some(new - base),
            relative_change: None,
            base_se: Some(se),
            new_se: Some(se),
            z,
            status: Status::Changed,
            severity: Level::Info,
            gate: None,
            reason: None,
        }
    }

    #[test]
    fn rises_are_judged_against_noise() {
        assert_eq!(rise_beyond_noise(&change(1.0, 1.1, 0.1)), None);
        assert!(rise_beyond_noise(&change(1.0, 1.1, 0.01)).is_some());
        assert!(
            rise_beyond_noise(&change(1.0, 2.0, 0.0)).is_some(),
            "no noise at all"
        );
        assert_eq!(rise_beyond_noise(&change(2.0, 1.0, 0.01)), None, "a fall");
    }

    #[test]
    fn gate_levels_follow_the_transition() {
        use crate::gates::{Comparison, Confidence, GateEstimate};
        let gate = |count| {
            Gate::new(
                "liquidation",
                "liquidation_probability",
                (Comparison::AtMost, 0.02, None),
                &GateEstimate::proportion(count, 1000),
                &Confidence::fixed(0.95),
                Severity::Critical,
            )
        };
        let (pass, fail, unsure) = (gate(0), gate(60), gate(20));
        assert_eq!(pass.verdict, Verdict::Pass);
        assert_eq!(fail.verdict, Verdict::Fail);
        assert_eq!(unsure.verdict, Verdict::Inconclusive);
        assert_eq!(gate_level(&fail, Some(&pass)), Level::Critical);
        assert_eq!(gate_level(&unsure, Some(&pass)), Level::Critical);
        assert_eq!(gate_level(&fail, None), Level::Critical);
        assert_eq!(gate_level(&fail, Some(&fail)), Level::Warning);
        assert_eq!(gate_level(&pass, Some(&fail)), Level::Info);
        assert_eq!(gate_status(Some(&pass), Some(&unsure)), GateStatus::Crossed);
    }

    #[test]
    fn short_numbers() {
        assert_eq!(short(0.05), "0.05");
        assert_eq!(short(0.0), "0");
        assert_eq!(short(2.0), "2");
        assert_eq!(short(1.0e7), "1.000e7");
    }
}
