//! What changed between the inputs two scorecards embed: every leaf of the resolved
//! scenario, policy, deployment and commitments, the overrides and the run options that
//! differs, named by its JSON path (`scenario.monteCarlo.seed`,
//! `policy.gates.liquidation_probability`, `options.rare_events`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::scorecard::seal::EmbeddedInputs;

/// One input that differs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct InputChange {
    /// JSON path in the embedded inputs (`resolved_inputs`), arrays by index.
    pub path: String,
    /// The base's value; absent when only the new scorecard has it.
    #[schemars(with = "Option<serde_json::Value>")]
    pub base: Option<Value>,
    /// The new value; absent when only the base has it.
    #[schemars(with = "Option<serde_json::Value>")]
    pub new: Option<Value>,
}

/// Every difference between `base` and `new`, in document order.
pub fn input_changes(base: &EmbeddedInputs, new: &EmbeddedInputs) -> Vec<InputChange> {
    let (b, n) = (
        serde_json::to_value(base).unwrap_or(Value::Null),
        serde_json::to_value(new).unwrap_or(Value::Null),
    );
    let mut out = Vec::new();
    walk("", Some(&b), Some(&n), &mut out);
    out
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

fn walk(path: &str, base: Option<&Value>, new: Option<&Value>, out: &mut Vec<InputChange>) {
    match (base, new) {
        (Some(Value::Object(b)), Some(Value::Object(n))) => {
            for (k, v) in b {
                walk(&join(path, k), Some(v), n.get(k), out);
            }
            for (k, v) in n.iter().filter(|(k, _)| !b.contains_key(*k)) {
                walk(&join(path, k), None, Some(v), out);
            }
        }
        (Some(Value::Array(b)), Some(Value::Array(n))) => {
            for i in 0..b.len().max(n.len()) {
                walk(&format!("{path}[{i}]"), b.get(i), n.get(i), out);
            }
        }
        (b, n) if b == n => {}
        (b, n) => out.push(InputChange {
            path: path.to_string(),
            base: b.cloned(),
            new: n.cloned(),
        }),
    }
}

/// `path: base -> new` for one change (JSON text, `absent` for a missing side),
/// shortened to `max` characters per value.
pub fn describe(c: &InputChange, max: usize) -> String {
    let text = |v: &Option<Value>| {
        let s = v.as_ref().map_or("absent".to_string(), Value::to_string);
        if s.chars().count() > max {
            let cut: String = s.chars().take(max.saturating_sub(3)).collect();
            format!("{cut}...")
        } else {
            s
        }
    };
    format!("{}: {} -> {}", c.path, text(&c.base), text(&c.new))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn changes_are_named_by_their_json_path() {
        let mut out = Vec::new();
        let b = json!({"scenario": {"monteCarlo": {"seed": 1, "paths": 8}, "pools": [1, 2]},
                       "policy": {"gates": {"liquidation_probability": 0.02}}});
        let n = json!({"scenario": {"monteCarlo": {"seed": 2, "paths": 8}, "pools": [1, 2, 3]},
                       "policy": {"gates": {"liquidation_probability": 0.03}, "extra": true}});
        walk("", Some(&b), Some(&n), &mut out);
        let shown: Vec<String> = out.iter().map(|c| describe(c, 20)).collect();
        assert_eq!(
            shown,
            [
                "scenario.monteCarlo.seed: 1 -> 2",
                "scenario.pools[2]: absent -> 3",
                "policy.gates.liquidation_probability: 0.02 -> 0.03",
                "policy.extra: absent -> true"
            ]
        );
    }
}
