//! Prometheus alerting rules for the metrics of `pmmsim run --format prometheus`, as data.
//! Critical rules come from the policy's gates (thresholds read from the policy), warning
//! rules from the risk dashboard's alert table (seed 001), freshness rules from the age
//! of the served scorecard; every rule links its section of the runbook (`runbook_url`)
//! and carries the operator runbook's steps. `report::alert_rules` writes them as YAML
//! and `report::alert_tests` writes the `promtool test rules` file that proves each fires
//! just beyond its threshold and not at or inside it, and that a held rule does not fire
//! on a blip shorter than its hold. Nothing here runs the engine.

mod critical;
mod freshness;
pub mod runbook;
mod warning;

use std::fmt;
use std::str::FromStr;

use crate::config::Policy;
use crate::diff::NOISE_Z;
use crate::scorecard::catalog::prometheus_names as names;

/// Rising-versus-baseline rules compare with the value this long ago (the previous
/// nightly scorecard).
pub const BASELINE_OFFSET: &str = "1d";

/// `for:` of the policy-gate rules. A scorecard's value is served unchanged until the
/// next run, so a hold does not smooth Monte Carlo noise between nightly runs; it keeps a
/// file that is served only briefly (an ad-hoc run written to the textfile directory and
/// replaced, a rerun to confirm a result) from paging.
pub const GATE_HOLD: &str = "1h";

/// `for:` of the rising rules: when a nightly run lands a few minutes earlier than the
/// day before, `offset 1d` still sees the run before that for those minutes, and
/// compares two days apart.
pub const RISE_HOLD: &str = "30m";

/// Default `runbook_url` base: the runbook sections of the repository's monitoring guide.
/// A deployment passes its own absolute URL (`alert-rules --runbook-url`).
pub const DEFAULT_RUNBOOK: &str = "docs/monitoring.md";

/// The age beyond which a served scorecard is stale: a Prometheus duration (`26h`,
/// `1d2h`, `90m`), kept as written for the rule text, and in seconds for the expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaxAge {
    text: String,
    seconds: u64,
}

impl MaxAge {
    pub fn seconds(&self) -> u64 {
        self.seconds
    }
}

impl Default for MaxAge {
    fn default() -> Self {
        Self {
            text: "26h".into(),
            seconds: 26 * 3600,
        }
    }
}

impl fmt::Display for MaxAge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for MaxAge {
    type Err = String;

    /// Whole numbers with units `s`, `m`, `h`, `d`, `w`, largest first (`1d12h`).
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("`{s}` is not a duration such as 90m, 26h or 1d12h");
        let units = [
            ('w', 604_800u64),
            ('d', 86_400),
            ('h', 3_600),
            ('m', 60),
            ('s', 1),
        ];
        let mut seconds: u64 = 0;
        let mut digits = String::new();
        let mut last_unit = 0;
        for ch in s.chars() {
            if ch.is_ascii_digit() {
                digits.push(ch);
                continue;
            }
            let rank = units.iter().position(|(u, _)| *u == ch).ok_or_else(bad)?;
            if digits.is_empty() || rank < last_unit {
                return Err(bad());
            }
            let n: u64 = digits.parse().map_err(|_| bad())?;
            seconds = n
                .checked_mul(units[rank].1)
                .and_then(|v| seconds.checked_add(v))
                .ok_or_else(bad)?;
            digits.clear();
            last_unit = rank + 1;
        }
        if !digits.is_empty() || seconds == 0 {
            return Err(bad());
        }
        Ok(Self {
            text: s.to_string(),
            seconds,
        })
    }
}

/// What the rules depend on besides the policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSettings {
    /// A scenario whose served scorecard is older than this is stale.
    pub max_age: MaxAge,
    /// The runbook: each rule's `runbook_url` is this plus `#` and the alert's anchor.
    pub runbook: String,
}

impl Default for RuleSettings {
    fn default() -> Self {
        Self {
            max_age: MaxAge::default(),
            runbook: DEFAULT_RUNBOOK.into(),
        }
    }
}

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
    /// The timestamp `metric` is more than `max_age_seconds` in the past.
    Stale {
        metric: &'static str,
        max_age_seconds: u64,
    },
    /// No series of `metric` at all.
    Absent { metric: &'static str },
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
    /// The dashboard row it implements; empty for rules the dashboard has no row for.
    pub dashboard: String,
    /// The runbook's numbered steps with the policy's numbers; empty when the runbook
    /// section (`runbook_url`) is all there is.
    pub runbook_steps: String,
    /// The rule's section of the runbook.
    pub runbook_url: String,
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
            Check::Stale {
                metric,
                max_age_seconds,
            } => format!("time() - {metric} > {max_age_seconds}"),
            Check::Absent { metric } => format!("absent({metric})"),
        }
    }
}

/// The runbook anchor of an alert: its name in lower case, as a Markdown renderer makes
/// the anchor of a heading that is the alert's name.
pub fn anchor(alert: &str) -> String {
    alert.to_ascii_lowercase()
}

/// Sets every rule's `runbook_url` to `base#anchor`.
fn link(rules: Vec<AlertRule>, base: &str) -> Vec<AlertRule> {
    rules
        .into_iter()
        .map(|mut r| {
            r.runbook_url = format!("{base}#{}", anchor(r.alert));
            r
        })
        .collect()
}

/// Prometheus template placeholders used in summaries and descriptions.
const VALUE: &str = "{{ $value }}";
const SCENARIO: &str = "{{ $labels.scenario }}";

/// Every rule, grouped: (group name, rules).
pub fn rule_groups(p: &Policy, settings: &RuleSettings) -> Vec<(&'static str, Vec<AlertRule>)> {
    let base = settings.runbook.as_str();
    vec![
        (
            "pmmsim_policy_gates",
            link(critical::critical_rules(p), base),
        ),
        (
            "pmmsim_dashboard_warnings",
            link(warning::warning_rules(p), base),
        ),
        (
            "pmmsim_freshness",
            link(freshness::freshness_rules(&settings.max_age), base),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_age_reads_prometheus_durations() {
        let age = |s: &str| s.parse::<MaxAge>().map(|a| a.seconds());
        assert_eq!(age("26h"), Ok(93_600));
        assert_eq!(age("1d2h"), Ok(93_600));
        assert_eq!(age("90m"), Ok(5_400));
        assert_eq!(age("1w"), Ok(604_800));
        assert_eq!(age("1d12h30m15s"), Ok(131_415));
        for bad in ["", "0h", "26", "h", "2h1d", "1.5h", "26 h", "-1h", "1y"] {
            assert!(age(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            "1d2h".parse::<MaxAge>().map(|a| a.to_string()),
            Ok("1d2h".into())
        );
    }

    #[test]
    fn every_rule_links_its_own_runbook_section() {
        let settings = RuleSettings {
            runbook: "https://example.org/monitoring".into(),
            ..RuleSettings::default()
        };
        let p = crate::config::ConfigSource::default()
            .policy(None)
            .expect("shipped policy");
        let rules: Vec<AlertRule> = rule_groups(&p, &settings)
            .into_iter()
            .flat_map(|(_, r)| r)
            .collect();
        for r in &rules {
            assert_eq!(
                r.runbook_url,
                format!("https://example.org/monitoring#{}", r.alert.to_lowercase())
            );
        }
        let mut names: Vec<&str> = rules.iter().map(|r| r.alert).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), rules.len(), "alert names are unique");
    }
}
