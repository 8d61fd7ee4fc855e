//! A `promtool test rules` file for the generated alerting rules: for every threshold
//! rule a series inside the gate, one exactly at it and one just beyond it (only the
//! last fires), plus, for rules that apply only where a gate exists, a series beyond the
//! threshold without that gate; for every rising rule a steady series, a rise of exactly
//! `NOISE_Z` combined standard errors (does not fire), a larger rise (fires) and a fall;
//! for the staleness rule a fresh scorecard, one exactly at the maximum age and one just
//! older (only the last fires); for the absence rule the metric going away (fires only
//! after its hold). A rule with a `for:` hold also gets a blip: beyond its threshold
//! only since the evaluation before the checked one, which must not fire. Built from the
//! same rule list as the rules file, so the two cannot drift apart.

use std::fmt::Write as _;

use super::alert_rules::{annotations, quoted};
use crate::app::alerts::{AlertRule, Arm, Check, Op, RuleSettings, rule_groups};
use crate::config::Policy;
use crate::diff::NOISE_Z;
use crate::report::prometheus::names;

/// Samples are 4 minutes apart, inside PromQL's 5-minute lookback like a scrape of the
/// textfile collector (sparser samples would drop out and reset a `for:` clause); rules
/// are evaluated hourly; a rise happens after the first day; alerts are checked at 30h,
/// when `offset 1d` looks back to the first day.
const INTERVAL: &str = "4m";
const SAMPLES_PER_DAY: u32 = 24 * 60 / 4;
const EVALUATION_INTERVAL: &str = "1h";
const EVAL_TIME: &str = "30h";
/// `EVAL_TIME` in seconds: what `time()` returns at the checked evaluation.
const EVAL_SECONDS: u64 = 30 * 3600;
/// The first sample after the evaluation before `EVAL_TIME` (29h + 4m): a blip starting
/// here is true at `EVAL_TIME` only, so a rule with any `for:` hold is still pending.
const BLIP_AT: u32 = 29 * 60 / 4 + 1;
/// The absence case: the series stops after this sample (20h); checked before (10h),
/// within the hold (21h: absent for an hour) and at `EVAL_TIME`.
const LAST_PRESENT: u32 = 20 * 60 / 4;
const PRESENT_CHECK: &str = "10h";
const HELD_CHECK: &str = "21h";

/// Standard errors before and after a rise: `sqrt(0.375² + 0.5²) = 0.625` exactly.
const SE_BEFORE: f64 = 0.375;
const SE_AFTER: f64 = 0.5;

/// One input series of a test case.
struct Series {
    selector: String,
    values: String,
}

/// One scenario of a test: its series and, when the alert should fire, `$value`.
struct Case {
    scenario: String,
    series: Vec<Series>,
    fires: Option<f64>,
}

/// An alert expected at an evaluation time: its `scenario` label (`None` for an alert
/// without one) and `$value`.
struct Expected {
    scenario: Option<String>,
    value: f64,
}

/// A test group: the input series and the alerts expected at each evaluation time.
struct Group {
    series: Vec<Series>,
    checks: Vec<(&'static str, Vec<Expected>)>,
}

impl Group {
    /// Scenario cases checked at `EVAL_TIME`.
    fn of_cases(cases: Vec<Case>) -> Self {
        let expected = cases
            .iter()
            .filter_map(|c| {
                c.fires.map(|value| Expected {
                    scenario: Some(c.scenario.clone()),
                    value,
                })
            })
            .collect();
        Self {
            series: cases.into_iter().flat_map(|c| c.series).collect(),
            checks: vec![(EVAL_TIME, expected)],
        }
    }
}

/// How Go's `fmt` prints a float64 for `{{ $value }}`: the shortest round-trip digits,
/// in exponent form (`1e+06`, `1e-05`) when the decimal exponent is < -4 or >= 6.
pub fn go_float(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return format!("{v}");
    }
    let sci = format!("{v:e}");
    let Some((mantissa, exp)) = sci.split_once('e') else {
        return format!("{v}");
    };
    let exp: i32 = exp.parse().unwrap_or(0);
    if (-4..6).contains(&exp) {
        format!("{v}")
    } else {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exp.abs())
    }
}

/// `v` rounded to 10 decimals (`0.06`, not `0.060000000000000005`) unless that would
/// land on the threshold `t`.
fn tidy(v: f64, t: f64) -> f64 {
    let rounded: f64 = format!("{v:.10}").parse().unwrap_or(v);
    if rounded == t { v } else { rounded }
}

fn held(selector: String, v: f64) -> Series {
    Series {
        selector,
        values: format!("{v}x{}", 2 * SAMPLES_PER_DAY),
    }
}

/// `before` until `BLIP_AT`, then `after`.
fn blip(selector: String, before: f64, after: f64) -> Series {
    Series {
        selector,
        values: format!(
            "{before}x{} {after}x{}",
            BLIP_AT - 1,
            2 * SAMPLES_PER_DAY - BLIP_AT
        ),
    }
}

fn stepped(selector: String, before: f64, after: f64) -> Series {
    Series {
        selector,
        values: format!(
            "{before}x{} {after}x{}",
            SAMPLES_PER_DAY,
            SAMPLES_PER_DAY - 1
        ),
    }
}

fn selector(metric: &str, scenario: &str) -> String {
    format!("{metric}{{scenario=\"{scenario}\"}}")
}

fn gate_series(scenario: &str, gate: &str) -> Series {
    held(
        format!(
            "{}{{scenario=\"{scenario}\",gate=\"{gate}\"}}",
            names::GATE_PASS
        ),
        1.0,
    )
}

fn threshold_cases(metric: &str, op: Op, arms: &[Arm], step: f64, held_rule: bool) -> Vec<Case> {
    let mut cases = Vec::new();
    for arm in arms {
        let prefix = match (arms.len(), arm.gate) {
            (1, _) | (_, None) => String::new(),
            (_, Some(g)) => format!("{g}_"),
        };
        let t = arm.threshold;
        let (inside, beyond) = match op {
            Op::Above => (tidy(t - step, t), tidy(t + step, t)),
            Op::Below => (tidy(t + step, t), tidy(t - step, t)),
        };
        let mut points = vec![("at_gate", t, false), ("beyond_gate", beyond, true)];
        if op == Op::Below || inside >= 0.0 {
            points.insert(0, ("inside_gate", inside, false));
        }
        for (name, v, fires) in points {
            let scenario = format!("{prefix}{name}");
            let mut series = vec![held(selector(metric, &scenario), v)];
            series.extend(arm.gate.map(|g| gate_series(&scenario, g)));
            cases.push(Case {
                scenario,
                series,
                fires: fires.then_some(v),
            });
        }
        if arm.gate.is_some() {
            let scenario = format!("{prefix}beyond_gate_without_the_gate");
            cases.push(Case {
                series: vec![held(selector(metric, &scenario), beyond)],
                scenario,
                fires: None,
            });
        }
        if held_rule {
            let scenario = format!("{prefix}beyond_gate_briefly");
            let mut series = vec![blip(selector(metric, &scenario), t, beyond)];
            series.extend(arm.gate.map(|g| gate_series(&scenario, g)));
            cases.push(Case {
                scenario,
                series,
                fires: None,
            });
        }
    }
    cases
}

fn rise_cases(metric: &str, stderr: &str, held_rule: bool) -> Vec<Case> {
    let noise = (SE_BEFORE * SE_BEFORE + SE_AFTER * SE_AFTER).sqrt();
    let base = 1.0;
    let at = base + NOISE_Z * noise;
    let beyond = at + 0.25;
    let briefly = held_rule.then(|| Case {
        scenario: "rise_briefly".into(),
        series: vec![
            blip(selector(metric, "rise_briefly"), base, beyond),
            blip(selector(stderr, "rise_briefly"), SE_BEFORE, SE_AFTER),
        ],
        fires: None,
    });
    [
        ("steady", base, base, None),
        ("rise_at_noise", base, at, None),
        ("rise_beyond_noise", base, beyond, Some(beyond - base)),
        ("falling", beyond, base, None),
    ]
    .into_iter()
    .map(|(scenario, before, after, fires)| Case {
        scenario: scenario.to_string(),
        series: vec![
            stepped(selector(metric, scenario), before, after),
            stepped(selector(stderr, scenario), SE_BEFORE, SE_AFTER),
        ],
        fires,
    })
    .chain(briefly)
    .collect()
}

/// A scorecard from a run that started `max_age` seconds before `EVAL_TIME`, an hour
/// less (fresh) and a minute more (fires, `$value` = its age).
fn stale_cases(metric: &str, max_age: u64) -> Vec<Case> {
    let now = EVAL_SECONDS as f64;
    let max_age = max_age as f64;
    [
        ("fresh", max_age - 3600.0, false),
        ("at_max_age", max_age, false),
        ("beyond_max_age", max_age + 60.0, true),
    ]
    .into_iter()
    .map(|(scenario, age, fires)| Case {
        scenario: scenario.to_string(),
        series: vec![held(selector(metric, scenario), now - age)],
        fires: fires.then_some(age),
    })
    .collect()
}

/// One series that stops at `LAST_PRESENT`: nothing while it is there or within the
/// hold, the alert (no labels but its own, `$value` 1) afterwards.
fn absent_group(metric: &str) -> Group {
    let total = 2 * SAMPLES_PER_DAY + 1;
    let series = Series {
        selector: selector(metric, "gone"),
        // `1xN` is N + 1 samples, `_xN` is N missing ones.
        values: format!("1x{LAST_PRESENT} _x{}", total - LAST_PRESENT - 1),
    };
    Group {
        series: vec![series],
        checks: vec![
            (PRESENT_CHECK, Vec::new()),
            (HELD_CHECK, Vec::new()),
            (
                EVAL_TIME,
                vec![Expected {
                    scenario: None,
                    value: 1.0,
                }],
            ),
        ],
    }
}

fn group(rule: &AlertRule) -> Group {
    let held_rule = rule.hold.is_some();
    let cases = match &rule.check {
        Check::Threshold {
            metric,
            op,
            arms,
            step,
        } => threshold_cases(metric, *op, arms, *step, held_rule),
        Check::Rise { metric, stderr } => rise_cases(metric, stderr, held_rule),
        Check::Stale {
            metric,
            max_age_seconds,
        } => stale_cases(metric, *max_age_seconds),
        Check::Absent { metric } => return absent_group(metric),
    };
    Group::of_cases(cases)
}

/// How Prometheus's `humanizeDuration` prints a number of seconds of at least 1
/// (`1d 2h 1m 0s`, `2h 0m 5s`, `3m 0s`, `42s`); the tests only expand ages of minutes.
pub fn humanize_duration(v: f64) -> String {
    if v < 1.0 {
        return format!("{}s", go_float(v));
    }
    let whole = v as u64;
    let (d, h, m, s) = (
        whole / 86_400,
        whole / 3_600 % 24,
        whole / 60 % 60,
        whole % 60,
    );
    if d > 0 {
        format!("{d}d {h}h {m}m {s}s")
    } else if h > 0 {
        format!("{h}h {m}m {s}s")
    } else if m > 0 {
        format!("{m}m {s}s")
    } else {
        format!("{}s", go_float(v))
    }
}

/// An annotation as Prometheus expands it for `scenario` and `value`.
fn expand(template: &str, scenario: Option<&str>, value: f64) -> String {
    let mut text = template
        .replace("{{ $value | humanizeDuration }}", &humanize_duration(value))
        .replace("{{ $value }}", &go_float(value));
    if let Some(scenario) = scenario {
        text = text.replace("{{ $labels.scenario }}", scenario);
    }
    text
}

fn test_group(out: &mut String, rule: &AlertRule) {
    let group = group(rule);
    let _ = writeln!(
        out,
        "  - name: {}\n    interval: {INTERVAL}\n    input_series:",
        rule.alert
    );
    for s in &group.series {
        let _ = writeln!(
            out,
            "      - series: {}\n        values: {}",
            quoted(&s.selector),
            quoted(&s.values)
        );
    }
    let _ = writeln!(out, "    alert_rule_test:");
    for (eval_time, expected) in &group.checks {
        let _ = writeln!(
            out,
            "      - eval_time: {eval_time}\n        alertname: {}",
            rule.alert
        );
        if expected.is_empty() {
            let _ = writeln!(out, "        exp_alerts: []");
            continue;
        }
        let _ = writeln!(out, "        exp_alerts:");
        for e in expected {
            let _ = writeln!(
                out,
                "          - exp_labels:\n              severity: {}",
                rule.severity
            );
            if let Some(scenario) = &e.scenario {
                let _ = writeln!(out, "              scenario: {}", quoted(scenario));
            }
            let _ = writeln!(out, "            exp_annotations:");
            for (k, v) in annotations(rule) {
                let text = expand(&v, e.scenario.as_deref(), e.value);
                let _ = writeln!(out, "              {k}: {}", quoted(&text));
            }
        }
    }
}

/// The test file; `rules_file` is the rules file's path relative to the test file.
pub fn tests_yaml(p: &Policy, settings: &RuleSettings, rules_file: &str) -> String {
    let mut out = format!(
        "# promtool unit tests for the pmmsim alerting rules (`promtool test rules` on this\n\
         # file). Generated with the rules from the same policy; regenerate, do not edit.\n\
         rule_files:\n  - {}\nevaluation_interval: {EVALUATION_INTERVAL}\ntests:\n",
        quoted(rules_file)
    );
    for (_, rules) in rule_groups(p, settings) {
        for rule in &rules {
            test_group(&mut out, rule);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_float_matches_go_fmt() {
        // Checked against promtool 2.42's expansion of `{{ $value }}`.
        assert_eq!(go_float(1_000_000.0), "1e+06");
        assert_eq!(go_float(123_456.0), "123456");
        assert_eq!(go_float(0.00001), "1e-05");
        assert_eq!(go_float(0.0001), "0.0001");
        assert_eq!(go_float(1_234_567.5), "1.2345675e+06");
        assert_eq!(go_float(0.26), "0.26");
        assert_eq!(go_float(-0.01), "-0.01");
        assert_eq!(go_float(0.0), "0");
    }

    #[test]
    fn humanize_duration_matches_prometheus() {
        assert_eq!(humanize_duration(93_660.0), "1d 2h 1m 0s");
        assert_eq!(humanize_duration(7_205.0), "2h 0m 5s");
        assert_eq!(humanize_duration(180.0), "3m 0s");
        assert_eq!(humanize_duration(42.0), "42s");
    }

    #[test]
    fn a_blip_is_seen_by_one_evaluation_only() {
        // Evaluations are hourly: the one before EVAL_TIME (29h) precedes the blip.
        let blip_minutes = BLIP_AT * 4;
        assert!(blip_minutes > 29 * 60 && blip_minutes <= 30 * 60);
    }

    #[test]
    fn a_rise_at_exactly_the_noise_limit_is_exact() {
        let noise = (SE_BEFORE * SE_BEFORE + SE_AFTER * SE_AFTER).sqrt();
        assert_eq!(noise, 0.625);
    }
}
