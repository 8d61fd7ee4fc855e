//! Flattens a scorecard into comparable rows: every number under `routing`, `capital`
//! and `optimizer`, keyed by its dotted path (array elements by their id fields), each
//! with its standard error when the scorecard carries one (`X_se`, or a 95% interval
//! `X_ci95` read as half-width / 1.96); then pairs the rows of two scorecards.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::{Level, Loaded, MetricDiff, Status};
use crate::error::{Error, Result};
use crate::stats::Z95;

/// Arrays of objects and the fields that identify an element across two scorecards.
const ARRAY_IDS: &[(&str, &[&str])] = &[
    ("intervention_cost_by_chain", &["chain_id"]),
    ("drain_half_life_epochs", &["chain_id", "pool"]),
    ("peakBridgeOutflow", &["chain_id"]),
    ("bridge_links", &["kind", "chain_a", "chain_b"]),
    ("pnl_attribution", &["term"]),
    ("frontier", &["leverage"]),
];

/// Parts not compared row by row: the PnL histogram (its quantiles are), the top-5
/// `worst_pools` diagnostic (its membership moves; every pool's half-life and flow are
/// compared), the optimizer's full candidate list (its counts, top deployable candidate
/// and frontier are) and the candidates rejected before simulation.
const SKIPPED: &[&str] = &["histogram", "worst_pools", "candidates", "rejected"];

/// One flattened number of a scorecard.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Row {
    key: String,
    value: f64,
    se: Option<f64>,
    detail: bool,
}

/// Every compared number of a scorecard, in document order.
pub(super) fn rows(l: &Loaded) -> Result<Vec<Row>> {
    let value = serde_json::to_value(&l.card)
        .map_err(|e| Error::Internal(format!("cannot re-read the scorecard {}: {e}", l.file)))?;
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
        gate: None,
        reason: None,
    })
}

/// Base rows in order, then rows only the new scorecard has.
pub(super) fn pair_rows(base: &[Row], new: &[Row]) -> Vec<MetricDiff> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::Z95;

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
    }

    #[test]
    fn zero_noise_gives_no_z() {
        let d = metric_diff(
            Some(&row("x", 1.0, Some(0.0))),
            Some(&row("x", 2.0, Some(0.0))),
        )
        .expect("a row");
        assert_eq!((d.z, d.status), (None, Status::Changed));
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
    fn array_elements_are_named_by_their_ids() {
        let obj: Map<String, Value> = serde_json::from_str(
            r#"{"pnl_attribution": [{"term": "yield", "mean_usd": 1.0}],
                "other": [{"x": 2.0}, {"x": 3.0}]}"#,
        )
        .expect("json");
        let mut out = Vec::new();
        walk(&obj, "c", false, &mut out);
        let keys: Vec<&str> = out.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "c.pnl_attribution[term=yield].mean_usd",
                "c.other[0].x",
                "c.other[1].x"
            ]
        );
        assert!(out.iter().all(|r| r.detail));
    }
}
