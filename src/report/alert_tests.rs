//! A `promtool test rules` file for the generated alerting rules: for every threshold
//! rule a series inside the gate, one exactly at it and one just beyond it (only the
//! last fires), plus, for rules that apply only where a gate exists, a series beyond the
//! threshold without that gate; for every rising rule a steady series, a rise of exactly
//! `NOISE_Z` combined standard errors (does not fire), a larger rise (fires) and a fall.
//! Built from the same rule list as the rules file, so the two cannot drift apart.

use std::fmt::Write as _;

use super::alert_rules::{annotations, quoted};
use crate::app::alerts::{AlertRule, Arm, Check, Op, rule_groups};
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

fn threshold_cases(metric: &str, op: Op, arms: &[Arm], step: f64) -> Vec<Case> {
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
    }
    cases
}

fn rise_cases(metric: &str, stderr: &str) -> Vec<Case> {
    let noise = (SE_BEFORE * SE_BEFORE + SE_AFTER * SE_AFTER).sqrt();
    let base = 1.0;
    let at = base + NOISE_Z * noise;
    let beyond = at + 0.25;
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
    .collect()
}

fn cases(rule: &AlertRule) -> Vec<Case> {
    match &rule.check {
        Check::Threshold {
            metric,
            op,
            arms,
            step,
        } => threshold_cases(metric, *op, arms, *step),
        Check::Rise { metric, stderr } => rise_cases(metric, stderr),
    }
}

/// An annotation as Prometheus expands it for `scenario` and `value`.
fn expand(template: &str, scenario: &str, value: f64) -> String {
    template
        .replace("{{ $labels.scenario }}", scenario)
        .replace("{{ $value }}", &go_float(value))
}

fn test_group(out: &mut String, rule: &AlertRule) {
    let cases = cases(rule);
    let _ = writeln!(
        out,
        "  - name: {}\n    interval: {INTERVAL}\n    input_series:",
        rule.alert
    );
    for s in cases.iter().flat_map(|c| &c.series) {
        let _ = writeln!(
            out,
            "      - series: {}\n        values: {}",
            quoted(&s.selector),
            quoted(&s.values)
        );
    }
    let _ = writeln!(
        out,
        "    alert_rule_test:\n      - eval_time: {EVAL_TIME}\n        alertname: {}",
        rule.alert
    );
    let firing: Vec<&Case> = cases.iter().filter(|c| c.fires.is_some()).collect();
    if firing.is_empty() {
        let _ = writeln!(out, "        exp_alerts: []");
        return;
    }
    let _ = writeln!(out, "        exp_alerts:");
    for case in firing {
        let value = case.fires.unwrap_or_default();
        let _ = writeln!(
            out,
            "          - exp_labels:\n              severity: {}\n              scenario: {}\n            exp_annotations:",
            rule.severity,
            quoted(&case.scenario)
        );
        for (k, v) in annotations(rule) {
            let text = expand(&v, &case.scenario, value);
            let _ = writeln!(out, "              {k}: {}", quoted(&text));
        }
    }
}

/// The test file; `rules_file` is the rules file's path relative to the test file.
pub fn tests_yaml(p: &Policy, rules_file: &str) -> String {
    let mut out = format!(
        "# promtool unit tests for the pmmsim alerting rules (`promtool test rules` on this\n\
         # file). Generated with the rules from the same policy; regenerate, do not edit.\n\
         rule_files:\n  - {}\nevaluation_interval: {EVALUATION_INTERVAL}\ntests:\n",
        quoted(rules_file)
    );
    for (_, rules) in rule_groups(p) {
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
    fn a_rise_at_exactly_the_noise_limit_is_exact() {
        let noise = (SE_BEFORE * SE_BEFORE + SE_AFTER * SE_AFTER).sqrt();
        assert_eq!(noise, 0.625);
    }
}
