//! Compares two scorecard files metric by metric and grades every difference with the
//! risk dashboard's alert table (seed 001, see `docs/diff-and-dashboard.md`):
//!
//! - **critical**: a critical gate that passed in the base (or did not exist there) fails
//!   in the new scorecard (the gate list in the scorecard is the contract, the same one
//!   `validate` checks; a warning gate such as the capture corridor gives a warning);
//! - **warning**: a gate already failing in the base still fails (a known failure), or an
//!   event count, churn or intervention cost rises by more than its Monte Carlo noise
//!   (`z > NOISE_Z`, from the standard errors both scorecards carry);
//! - **info**: everything else.
//!
//! It reads files and never reruns anything; it ignores `run_info` and computes nothing
//! but differences and z-scores from the numbers in the two files. Rendering lives in
//! `report::diff`.

mod rows;

use std::path::Path;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::config::limits::read_text;
use crate::config::parse::parse_json;
use crate::error::{Error, InputError, Result};
use crate::gates::{Gate, Severity, Verdict};
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
    /// Whether `inputs.inputs_hash` matches.
    pub same_inputs: bool,
    /// `same inputs` or `different inputs`.
    pub inputs: String,
    pub summary: Summary,
    pub gates: Vec<GateDiff>,
    pub metrics: Vec<MetricDiff>,
}

/// A scorecard read from a file, with the name to show for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub file: String,
    pub card: Scorecard,
}

/// Reads both files, checks they share this pmmsim's `schema_version`, and parses them.
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
    if new_version != u64::from(SCHEMA_VERSION) {
        return Err(Error::Input(
            InputError::new(
                new.display().to_string(),
                format!(
                    "schema_version {new_version} is not the layout this pmmsim reads \
                     ({SCHEMA_VERSION})"
                ),
            )
            .at("schema_version"),
        ));
    }
    Ok((
        load_text(&base_text, &base.display().to_string())?,
        load_text(&new_text, &new.display().to_string())?,
    ))
}

/// Reads one scorecard from its text (the contents of `file`): a JSON object with this
/// pmmsim's `schema_version`, parsed, whose stored gate verdicts agree with its own
/// numbers. These are all the checks `diff` makes on one file before comparing.
pub fn load_text(text: &str, file: &str) -> Result<Loaded> {
    let version = schema_version(text, file)?;
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
    check_verdicts(&card, file)?;
    Ok(Loaded {
        file: file.to_string(),
        card,
    })
}

/// Reads a file (within the size limit) and its `schema_version`.
fn probe(path: &Path) -> Result<(String, u64)> {
    let text = read_text(path)?;
    let version = schema_version(&text, &path.display().to_string())?;
    Ok((text, version))
}

/// The `schema_version` of a scorecard's text (syntax errors carry line and column).
fn schema_version(text: &str, file: &str) -> Result<u64> {
    let value: Value = parse_json(text, file)?;
    let not_a_scorecard = |what: &str| {
        InputError::new(file, format!("not a pmmsim scorecard: {what}"))
            .hint("write one with `pmmsim run SCENARIO --format json`")
    };
    let Some(obj) = value.as_object() else {
        return Err(not_a_scorecard("expected a JSON object at the top level").into());
    };
    let version = match obj.get("schema_version") {
        None => {
            return Err(not_a_scorecard("it has no `schema_version`")
                .at("schema_version")
                .into());
        }
        Some(v) => v.as_u64().ok_or_else(|| {
            not_a_scorecard(&format!("`schema_version` is {v}, expected an integer"))
                .at("schema_version")
        })?,
    };
    Ok(version)
}

/// Every gate's stored verdict must be the one its own value, interval and threshold give:
/// a scorecard whose verdicts were edited contradicts itself and is refused.
fn check_verdicts(card: &Scorecard, file: &str) -> Result<()> {
    for (i, gate) in card.gates.iter().enumerate() {
        let derived = gate.rederived_verdict();
        if derived != gate.verdict {
            return Err(InputError::new(
                file,
                format!(
                    "the scorecard contradicts itself: gate `{}` says `{}`, but its value {} \
                     with interval [{}, {}] against {} gives `{}`",
                    gate.name,
                    gate.verdict.as_str(),
                    gate.value,
                    gate.interval.lo,
                    gate.interval.hi,
                    gate.describe_threshold(),
                    derived.as_str()
                ),
            )
            .at(format!("gates[{i}].verdict"))
            .into());
        }
    }
    Ok(())
}

/// Compares two loaded scorecards.
pub fn compare(base: &Loaded, new: &Loaded) -> Result<DiffReport> {
    let gates = gate_diffs(&base.card.gates, &new.card.gates);
    let base_rows = rows::rows(base)?;
    let new_rows = rows::rows(new)?;
    let mut metrics = rows::pair_rows(&base_rows, &new_rows);
    apply_rise_rules(&mut metrics);
    apply_gate_levels(&mut metrics, &gates);
    let same_inputs = base.card.inputs.inputs_hash == new.card.inputs.inputs_hash;
    Ok(DiffReport {
        schema_version: new.card.schema_version,
        base: side(base),
        new: side(new),
        same_inputs,
        inputs: if same_inputs {
            "same inputs"
        } else {
            "different inputs"
        }
        .to_string(),
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
                    .map_or(Level::Info, |g| gate_level(g, b.as_ref())),
            })
        })
        .collect()
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
        .chain(
            metrics
                .iter()
                .filter(|m| m.reason.is_some())
                .map(|m| (m.metric.clone(), Level::Warning)),
        );
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
