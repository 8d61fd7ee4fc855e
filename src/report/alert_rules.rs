//! The alerting rules of `app::alerts` as a Prometheus rules file (YAML).

use crate::app::alerts::{AlertRule, RuleSettings, rule_groups};
use crate::config::Policy;

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
pub fn rules_yaml(p: &Policy, policy_name: &str, settings: &RuleSettings) -> String {
    let mut out = format!(
        "# Prometheus alerting rules for pmmsim scorecards, written by `pmmsim alert-rules`.\n\
         # Critical thresholds: the policy {policy_name}\n\
         # Warnings: the risk dashboard's alert table (docs/diff-and-dashboard.md).\n\
         # Freshness: a scenario's scorecard older than {}, or none served.\n\
         # Runbook: {}\n\
         # Regenerate rather than edit. The metrics come from\n\
         # `pmmsim run SCENARIO --format prometheus` in node_exporter's textfile directory.\n\
         groups:\n",
        settings.max_age, settings.runbook
    );
    for (group, rules) in rule_groups(p, settings) {
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

/// The annotations in file order; `dashboard` and `runbook_steps` only when the rule has
/// them.
pub fn annotations(r: &AlertRule) -> Vec<(&'static str, String)> {
    [
        ("summary", r.summary.clone()),
        ("description", r.description.clone()),
        ("runbook_url", r.runbook_url.clone()),
        ("dashboard", r.dashboard.clone()),
        ("runbook_steps", r.runbook_steps.clone()),
    ]
    .into_iter()
    .filter(|(k, v)| !v.is_empty() || *k == "summary" || *k == "description")
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_strings_are_escaped() {
        assert_eq!(quoted("a\"b\\c\nd"), r#""a\"b\\c\nd""#);
    }
}
