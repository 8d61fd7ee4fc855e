//! Compares two scorecard files metric by metric and grades every difference with the
//! risk dashboard's alert table (seed 001, see `docs/diff-and-dashboard.md`):
//!
//! - **critical**: a gate that passed in the base (or did not exist there) fails in the
//!   new scorecard, with the gate's own severity (the gate list in the scorecard is the
//!   contract, the same one `validate` checks);
//! - **warning**: a gate already failing in the base still fails (a known failure), or an
//!   event count, churn or intervention cost rises by more than its Monte Carlo noise
//!   (`z > NOISE_Z`, from the standard errors both scorecards carry);
//! - **info**: everything else.
//!
//! It reads files and never reruns anything; it ignores `run_info` and computes nothing
//! but differences and z-scores from the numbers in the two files. Rendering lives in
//! `commands::diff`.

use std::collections::HashMap;
use std::path::Path;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::config::parse::parse_json;
use crate::error::{Error, InputError, Result};
use crate::scorecard::gates::{Gate, Severity};
use crate::scorecard::{SCHEMA_VERSION, Scorecard};
use crate::stats::Z95;

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

/// Arrays of objects and the fields that identify an element across two scorecards.
const ARRAY_IDS: &[(&str, &[&str])] = &[
    ("intervention_cost_by_chain", &["chain_id"]),
    ("drain_half_life_epochs", &["chain_id", "pool"]),
    ("worst_pools", &["chain_id", "pool"]),
    ("peakBridgeOutflow", &["chain_id"]),
    ("bridge_links", &["kind", "chain_a", "chain_b"]),
    ("pnl_attribution", &["term"]),
    ("frontier", &["leverage"]),
];

/// Parts not compared row by row: the PnL histogram (its quantiles are), the optimizer's
/// full candidate list (its counts, top deployable candidate and frontier are) and the
/// candidates rejected before simulation.
const SKIPPED: &[&str] = &["histogram", "candidates", "rejected"];

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
    /// Passed in base, fails in new.
    Crossed,
    /// Fails in both.
    StillFailing,
    /// Failed in base, passes in new.
    Recovered,
    /// Only in new (its `new_pass` says whether it passes).
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
    pub base_pass: Option<bool>,
    pub new_pass: Option<bool>,
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
    pub severity: Level,
    /// Why the severity is above info.
    pub reason: Option<String>,
}

/// Highest level and what reached it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Summary {
    pub worst: Level,
    /// Gates (`gate:NAME`) and metrics at critical.
    pub critical: Vec<String>,
    /// Gates and metrics at warning.
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

/// Just enough of a document to check its layout version before the full parse.
#[derive(Deserialize)]
#[serde(expecting = "a pmmsim scorecard (a JSON object)")]
struct VersionProbe {
    schema_version: Option<u32>,
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
    if new_version != SCHEMA_VERSION {
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
    Ok((parse(base, &base_text)?, parse(new, &new_text)?))
}

fn probe(path: &Path) -> Result<(String, u32)> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let file = path.display().to_string();
    let probe: VersionProbe = parse_json(&text, &file)?;
    let version = probe.schema_version.ok_or_else(|| {
        InputError::new(
            file.as_str(),
            "not a pmmsim scorecard: it has no `schema_version`",
        )
        .at("schema_version")
        .hint("write one with `pmmsim run SCENARIO --format json`")
    })?;
    Ok((text, version))
}

fn parse(path: &Path, text: &str) -> Result<Loaded> {
    let file = path.display().to_string();
    let card: Scorecard = parse_json(text, &file)?;
    Ok(Loaded { file, card })
}

/// Compares two loaded scorecards.
pub fn compare(base: &Loaded, new: &Loaded) -> Result<DiffReport> {
    let gates = gate_diffs(&base.card.gates, &new.card.gates);
    let base_rows = rows(base)?;
    let new_rows = rows(new)?;
    let mut metrics = pair_rows(&base_rows, &new_rows);
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
    match (new.pass, base.map(|b| b.pass)) {
        (true, _) => Level::Info,
        (false, Some(false)) => Level::Warning,
        (false, _) => match new.severity {
            Severity::Critical => Level::Critical,
            Severity::Warning => Level::Warning,
        },
    }
}

fn gate_status(base: Option<&Gate>, new: Option<&Gate>) -> GateStatus {
    match (base.map(|g| g.pass), new.map(|g| g.pass)) {
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
                base_pass: b.as_ref().map(|g| g.pass),
                new_pass: n.as_ref().map(|g| g.pass),
                status: gate_status(b.as_ref(), n.as_ref()),
                severity: n.as_ref().map_or(Level::Info, |g| gate_level(g, b.as_ref())),
            })
        })
        .collect()
}

/// One flattened number of a scorecard.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    key: String,
    value: f64,
    se: Option<f64>,
    detail: bool,
}

/// Every compared number of a scorecard, in document order.
fn rows(l: &Loaded) -> Result<Vec<Row>> {
    let value = serde_json::to_value(&l.card).map_err(|e| {
        InputError::new(l.file.as_str(), format!("cannot re-read the scorecard: {e}"))
    })?;
    let mut out = Vec::new();
    for section in ["routing", "capital", "optimizer"] {
        if let Some(Value::Object(map)) = value.get(section) {
            walk(map, section, false, &mut out);
        }
    }
    if let Some(o) = &l.card.optimizer {
        let deployable = o.candidates.iter().filter(|c| c.deployable).count();
        for (key, v) in [
            ("optimizer.candidates", o.candidates.len()),
            ("optimizer.deployable_candidates", deployable),
            ("optimizer.rejected", o.rejected.len()),
        ] {
            out.push(Row {
                key: key.into(),
                value: v as f64,
                se: None,
                detail: false,
            });
        }
    }
    Ok(out)
}

/// `X_se` beside `X`, or `X_ci95` beside `X`: shown with `X`, not as rows of their own.
fn is_companion(obj: &Map<String, Value>, key: &str) -> bool {
    ["_se", "_ci95"].iter().any(|suffix| {
        key.strip_suffix(suffix)
            .is_some_and(|stem| obj.contains_key(stem))
    })
}

/// The standard error of `obj[key]`: `key_se`, or a 95% interval's half-width / 1.96.
fn se_of(obj: &Map<String, Value>, key: &str) -> Option<f64> {
    if let Some(se) = obj.get(&format!("{key}_se")).and_then(Value::as_f64) {
        return Some(se);
    }
    let ci = obj.get(&format!("{key}_ci95"))?;
    let lo = ci.get("lo")?.as_f64()?;
    let hi = ci.get("hi")?.as_f64()?;
    Some((hi - lo).abs() / (2.0 * Z95))
}

fn walk(obj: &Map<String, Value>, prefix: &str, detail: bool, out: &mut Vec<Row>) {
    for (key, value) in obj {
        if is_companion(obj, key) || SKIPPED.contains(&key.as_str()) {
            continue;
        }
        let path = format!("{prefix}.{key}");
        let number = match value {
            Value::Number(n) => n.as_f64(),
            Value::Bool(b) => Some(f64::from(u8::from(*b))),
            Value::Object(inner) => {
                walk(inner, &path, detail, out);
                None
            }
            Value::Array(items) => {
                walk_array(key, items, &path, out);
                None
            }
            Value::Null | Value::String(_) => None,
        };
        if let Some(v) = number {
            out.push(Row {
                key: path,
                value: v,
                se: se_of(obj, key),
                detail,
            });
        }
    }
}

fn walk_array(name: &str, items: &[Value], path: &str, out: &mut Vec<Row>) {
    let ids: &[&str] = ARRAY_IDS
        .iter()
        .find(|(array, _)| *array == name)
        .map_or(&[], |(_, ids)| ids);
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        let Value::Object(obj) = item else { continue };
        let mut id = element_id(obj, ids).unwrap_or_else(|| i.to_string());
        let count = seen.entry(id.clone()).or_insert(0);
        *count += 1;
        if *count > 1 {
            id = format!("{id}#{count}");
        }
        let element: Map<String, Value> = obj
            .iter()
            .filter(|(k, _)| !ids.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        walk(&element, &format!("{path}[{id}]"), true, out);
    }
}

/// `chain_id=137,pool=cWUSDC/USDC`, or `None` when the array has no id fields.
fn element_id(obj: &Map<String, Value>, ids: &[&str]) -> Option<String> {
    if ids.is_empty() {
        return None;
    }
    let parts: Vec<String> = ids
        .iter()
        .map(|id| match obj.get(*id) {
            Some(Value::String(s)) => format!("{id}={s}"),
            Some(v) => format!("{id}={v}"),
            None => format!("{id}=?"),
        })
        .collect();
    Some(parts.join(","))
}

fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

fn metric_diff(base: Option<&Row>, new: Option<&Row>) -> Option<MetricDiff> {
    let shown = new.or(base)?;
    let (b, n) = (base.map(|r| r.value), new.map(|r| r.value));
    let change = b.zip(n).map(|(b, n)| n - b);
    let relative_change = b
        .zip(change)
        .filter(|(b, _)| *b != 0.0)
        .and_then(|(b, c)| finite(c / b.abs()));
    let (base_se, new_se) = (base.and_then(|r| r.se), new.and_then(|r| r.se));
    let noise = base_se
        .zip(new_se)
        .map(|(x, y)| (x * x + y * y).sqrt())
        .filter(|s| *s > 0.0);
    let z = change.zip(noise).and_then(|(c, s)| finite(c / s));
    let status = match (b, n) {
        (Some(b), Some(n)) if b == n => Status::Unchanged,
        (Some(_), Some(_)) => Status::Changed,
        (None, _) => Status::Added,
        (Some(_), None) => Status::Removed,
    };
    Some(MetricDiff {
        metric: shown.key.clone(),
        detail: shown.detail,
        base: b,
        new: n,
        change,
        relative_change,
        base_se,
        new_se,
        z,
        status,
        severity: Level::Info,
        reason: None,
    })
}

/// Base rows in order, then rows only the new scorecard has.
fn pair_rows(base: &[Row], new: &[Row]) -> Vec<MetricDiff> {
    let new_by_key: HashMap<&str, &Row> = new.iter().map(|r| (r.key.as_str(), r)).collect();
    let base_by_key: HashMap<&str, &Row> = base.iter().map(|r| (r.key.as_str(), r)).collect();
    let from_base = base
        .iter()
        .filter_map(|r| metric_diff(Some(r), new_by_key.get(r.key.as_str()).copied()));
    let only_new = new
        .iter()
        .filter(|r| !base_by_key.contains_key(r.key.as_str()))
        .filter_map(|r| metric_diff(None, Some(r)));
    from_base.chain(only_new).collect()
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
            raise(m, Level::Warning, why);
        }
    }
}

fn apply_gate_levels(metrics: &mut [MetricDiff], gates: &[GateDiff]) {
    for g in gates.iter().filter(|g| g.severity > Level::Info) {
        let why = format!(
            "gate {} {}: {} {}",
            g.name,
            match g.status {
                GateStatus::StillFailing => "still fails (it failed in base too)",
                _ => "fails in new",
            },
            g.new_value.map_or("-".into(), short),
            g.threshold
        );
        for section in ["routing", "capital"] {
            let key = format!("{section}.{}", g.metric);
            if let Some(m) = metrics.iter_mut().find(|m| m.metric == key) {
                raise(m, g.severity, why.clone());
            }
        }
    }
}

/// Lifts `m` to `level` (never lowers it); reasons at the same level accumulate.
fn raise(m: &mut MetricDiff, level: Level, why: String) {
    if level < m.severity {
        return;
    }
    let reason = match m.reason.take() {
        Some(old) if level == m.severity && old != why => format!("{why}; {old}"),
        _ => why,
    };
    m.severity = level;
    m.reason = Some(reason);
}

fn summarise(gates: &[GateDiff], metrics: &[MetricDiff]) -> Summary {
    let named = gates
        .iter()
        .map(|g| (format!("gate:{}", g.name), g.severity))
        .chain(metrics.iter().map(|m| (m.metric.clone(), m.severity)));
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

    fn row(key: &str, value: f64, se: Option<f64>) -> Row {
        Row {
            key: key.into(),
            value,
            se,
            detail: false,
        }
    }

    #[test]
    fn z_uses_both_standard_errors() {
        let d = metric_diff(
            Some(&row("routing.churn_mean", 1.0, Some(0.3))),
            Some(&row("routing.churn_mean", 1.5, Some(0.4))),
        )
        .expect("a row");
        assert_eq!(d.change, Some(0.5));
        assert_eq!(d.relative_change, Some(0.5));
        assert!((d.z.unwrap_or(0.0) - 1.0).abs() < 1e-12);
        assert_eq!(rise_beyond_noise(&d), None);
    }

    #[test]
    fn a_rise_with_zero_noise_counts() {
        let d = metric_diff(Some(&row("x", 1.0, Some(0.0))), Some(&row("x", 2.0, Some(0.0))))
            .expect("a row");
        assert_eq!(d.z, None);
        assert!(rise_beyond_noise(&d).is_some());
    }

    #[test]
    fn a_fall_is_never_a_rise() {
        let d = metric_diff(
            Some(&row("x", 2.0, Some(0.01))),
            Some(&row("x", 1.0, Some(0.01))),
        )
        .expect("a row");
        assert_eq!(rise_beyond_noise(&d), None);
    }

    #[test]
    fn companions_are_not_rows() {
        let obj: Map<String, Value> = serde_json::from_str(
            r#"{"a": 1.0, "a_se": 0.1, "b": 2.0, "b_ci95": {"lo": 1.0, "hi": 3.0}, "c_se": 5}"#,
        )
        .expect("json");
        let mut out = Vec::new();
        walk(&obj, "s", false, &mut out);
        let keys: Vec<&str> = out.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(keys, ["s.a", "s.b", "s.c_se"]);
        assert_eq!(out[0].se, Some(0.1));
        assert!((out[1].se.unwrap_or(0.0) - 1.0 / Z95).abs() < 1e-12);
    }

    #[test]
    fn gate_levels_follow_the_transition() {
        let gate = |pass| Gate {
            name: "liquidation".into(),
            metric: "liquidation_probability".into(),
            comparison: crate::scorecard::gates::Comparison::AtMost,
            threshold: 0.02,
            threshold_high: None,
            value: if pass { 0.0 } else { 0.05 },
            pass,
            severity: Severity::Critical,
        };
        assert_eq!(gate_level(&gate(false), Some(&gate(true))), Level::Critical);
        assert_eq!(gate_level(&gate(false), None), Level::Critical);
        assert_eq!(gate_level(&gate(false), Some(&gate(false))), Level::Warning);
        assert_eq!(gate_level(&gate(true), Some(&gate(false))), Level::Info);
    }

    #[test]
    fn short_numbers() {
        assert_eq!(short(0.05), "0.05");
        assert_eq!(short(0.0), "0");
        assert_eq!(short(2.0), "2");
        assert_eq!(short(1.0e7), "1.000e7");
    }
}
