//! The Prometheus side: `run --format prometheus` output follows the exposition rules the
//! textfile collector and promtool expect; `alert-rules` output matches the committed
//! `tests/promtool/` files (regenerate with `UPDATE_RULES=1 cargo test --release --test
//! prometheus`), takes its thresholds from the policy, and reads only metrics the
//! exposition has; promtool itself checks all three when it is installed (CI installs it).
//! That a policy file's thresholds reach the rules, and that a bad policy is exit 2, are
//! CLI cases (`tests/cmd/alert-rules-*`).

mod common;

use std::collections::BTreeSet;
use std::process::Command as Process;

use common::{pmmsim, repo_path, run_stdout};
use pmmsim::app::alerts::{DEFAULT_RUNBOOK, RuleSettings, anchor, rule_groups};
use pmmsim::config::{ConfigSource, POLICY_FILE, Policy};
use pmmsim::report::alert_rules::rules_yaml;
use pmmsim::report::alert_tests as promtool;

const RULES: &str = "tests/promtool/pmmsim-rules.yml";
const RULE_TESTS: &str = "tests/promtool/pmmsim-rules.test.yml";

fn shipped_policy() -> (Policy, String) {
    let source = ConfigSource::default();
    let policy = source.policy(None).expect("shipped policy is valid");
    let name = source.read(POLICY_FILE).expect("embedded policy").display;
    (policy, name)
}

/// `pmmsim run NAME --format prometheus` at a tiny size.
fn exposition(scenario: &str) -> String {
    run_stdout([
        "run",
        scenario,
        "--paths",
        "8",
        "--epochs",
        "5",
        "--format",
        "prometheus",
        "--quiet",
    ])
}

/// Compares `text` with the committed file, or rewrites it under `UPDATE_RULES=1`.
fn check_committed(rel: &str, text: &str) {
    let path = repo_path(rel);
    if std::env::var_os("UPDATE_RULES").is_some() {
        std::fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
        std::fs::write(&path, text).expect("write committed file");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "{rel} is stale: regenerate with `UPDATE_RULES=1 cargo test --release --test prometheus`"
    );
}

/// Metric name and the label text of a sample line.
fn split_sample(line: &str) -> (&str, &str, &str) {
    let open = line
        .find('{')
        .unwrap_or_else(|| panic!("no labels: {line}"));
    let close = line
        .rfind('}')
        .unwrap_or_else(|| panic!("no labels: {line}"));
    (
        &line[..open],
        &line[open + 1..close],
        line[close + 1..].trim(),
    )
}

/// Checks the exposition rules and returns the family names.
fn check_exposition(text: &str, scenario: &str) -> BTreeSet<String> {
    assert!(text.ends_with('\n'), "final newline");
    let mut families = BTreeSet::new();
    let mut declared: Option<(String, String)> = None;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# HELP ") {
            let name = rest.split(' ').next().unwrap_or_default().to_string();
            assert!(
                families.insert(name.clone()),
                "family {name} declared twice"
            );
            declared = Some((name, String::new()));
            continue;
        }
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let mut parts = rest.split(' ');
            let (name, kind) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
            let d = declared.as_mut().expect("HELP before TYPE");
            assert_eq!(d.0, name, "TYPE follows its HELP");
            assert!(kind == "gauge" || kind == "counter", "{line}");
            assert_eq!(kind == "counter", name.ends_with("_total"), "{line}");
            d.1 = kind.to_string();
            continue;
        }
        let (name, labels, value) = split_sample(line);
        let d = declared.as_ref().expect("a family before its samples");
        assert_eq!(d.0, name, "sample under its own family: {line}");
        assert!(!d.1.is_empty(), "TYPE before samples: {line}");
        assert!(name.starts_with("pmmsim_"), "{line}");
        assert!(
            name.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
            "{line}"
        );
        assert!(
            labels.starts_with(&format!("scenario=\"{scenario}\"")),
            "{line}"
        );
        assert!(!labels.contains("quantile="), "{line}");
        assert!(!value.contains(' '), "no timestamp: {line}");
        let v: f64 = value.parse().unwrap_or_else(|_| panic!("value: {line}"));
        assert!(v.is_finite(), "{line}");
        if name == "pmmsim_gate_pass" {
            assert!(v == 0.0 || v == 1.0, "{line}");
        }
    }
    families
}

#[test]
fn exposition_follows_the_text_format() {
    for scenario in [
        "hub_only_11",
        "chain138_deployed_capital_efficiency",
        "leverage_sweep_1x_to_4x",
    ] {
        let text = exposition(scenario);
        let families = check_exposition(&text, scenario);
        assert!(families.contains("pmmsim_gate_pass"), "{scenario}");
        assert!(families.contains("pmmsim_capture_mean_ratio"), "{scenario}");
        let capital = scenario != "hub_only_11";
        assert_eq!(
            families.contains("pmmsim_roi_p05_ratio"),
            capital,
            "{scenario}"
        );
    }
}

#[test]
fn gates_are_exported_one_sample_each() {
    let text = exposition("chain138_deployed_capital_efficiency");
    let gates: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("pmmsim_gate_pass{"))
        .collect();
    for gate in [
        "liquidation",
        "max_drawdown",
        "roi_lower_band",
        "capture_corridor",
    ] {
        let needle = format!("gate=\"{gate}\"");
        assert_eq!(
            gates.iter().filter(|l| l.contains(&needle)).count(),
            1,
            "{gate}"
        );
    }
}

/// Every `pmmsim_*` name the rules read.
fn rule_metrics(yaml: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in yaml.lines().filter(|l| l.trim_start().starts_with("expr:")) {
        for token in line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
            if token.starts_with("pmmsim_") {
                out.insert(token.to_string());
            }
        }
    }
    out
}

#[test]
fn rules_read_only_exported_metrics() {
    let (policy, name) = shipped_policy();
    let yaml = rules_yaml(&policy, &name, &RuleSettings::default());
    let families = check_exposition(
        &exposition("chain138_deployed_capital_efficiency"),
        "chain138_deployed_capital_efficiency",
    );
    let read = rule_metrics(&yaml);
    assert!(read.len() >= 10, "{read:?}");
    for metric in read {
        assert!(
            families.contains(&metric),
            "rules read {metric}, not exported"
        );
    }
}

#[test]
fn committed_rules_and_promtool_tests_are_current() {
    let (policy, name) = shipped_policy();
    let settings = RuleSettings::default();
    let rules = rules_yaml(&policy, &name, &settings);
    check_committed(RULES, &rules);
    check_committed(
        RULE_TESTS,
        &promtool::tests_yaml(&policy, &settings, "pmmsim-rules.yml"),
    );
    assert_eq!(
        run_stdout(["alert-rules"]),
        rules,
        "the CLI writes the same rules"
    );
}

#[test]
fn rules_have_the_expected_shape() {
    let (policy, name) = shipped_policy();
    let settings = RuleSettings::default();
    let yaml = rules_yaml(&policy, &name, &settings);
    assert!(yaml.starts_with("# ") && yaml.ends_with('\n'));
    assert!(yaml.contains("\ngroups:\n  - name: pmmsim_policy_gates\n    rules:\n"));
    assert!(yaml.contains("\n  - name: pmmsim_freshness\n    rules:\n"));
    let alerts = yaml.matches("\n      - alert: ").count();
    let groups = rule_groups(&policy, &settings);
    let total: usize = groups.iter().map(|(_, r)| r.len()).sum();
    assert_eq!(alerts, total);
    for key in [
        "expr:",
        "severity:",
        "summary:",
        "description:",
        "runbook_url:",
    ] {
        assert_eq!(yaml.matches(&format!(" {key} ")).count(), total, "{key}");
    }
    assert!(
        !yaml.contains(" runbook: "),
        "the annotation is runbook_url"
    );
    // Every policy and dashboard rule keeps its runbook steps and its dashboard row.
    let (gates, warnings) = (&groups[0].1, &groups[1].1);
    let steps = gates.len() + warnings.len();
    assert_eq!(yaml.matches(" runbook_steps: ").count(), steps);
    assert_eq!(yaml.matches(" dashboard: ").count(), steps);
    // Holds: every gate and rising rule is held; the staleness rule is not (its age
    // only grows).
    for rule in gates.iter().chain(warnings) {
        assert!(rule.hold.is_some(), "{} has no for: hold", rule.alert);
    }
    assert_eq!(yaml.matches("\n        for: ").count(), total - 1);
    assert!(yaml.contains(
        "- alert: PmmsimScorecardStale\n        expr: \"time() - pmmsim_run_started_timestamp_seconds > 93600\"\n        labels:"
    ));
    assert!(yaml.contains(
        "- alert: PmmsimScorecardsAbsent\n        expr: \"absent(pmmsim_run_started_timestamp_seconds)\"\n        for: 1h\n"
    ));
    assert!(yaml.contains("runbook_url: \"docs/monitoring.md#pmmsimmaxdrawdownp95abovegate\""));
    for expr in [
        "pmmsim_max_drawdown_p95_ratio > 0.25",
        "pmmsim_liquidation_probability_ratio > 0.02",
        "pmmsim_peg_deviation_frequency_ratio > 0.05",
        "pmmsim_external_liquidity_floor_breach_probability_ratio > 0.01",
        "(pmmsim_roi_p05_ratio < 0 and on(scenario) pmmsim_gate_pass{gate=\\\"roi_lower_band\\\"})",
        "(pmmsim_volatility_throttle_events_per_path - pmmsim_volatility_throttle_events_per_path offset 1d) > 2 * sqrt(",
    ] {
        assert!(yaml.contains(expr), "missing {expr}");
    }
    assert!(yaml.contains("severity: critical") && yaml.contains("severity: warning"));
    assert!(yaml.contains("Deleverage:\\n1. Stop new leverage increases."));
    assert!(yaml.contains("leverage <= 1.5"));
}

#[test]
fn max_age_and_runbook_url_reach_the_rules() {
    let yaml = run_stdout([
        "alert-rules",
        "--max-age",
        "2d",
        "--runbook-url",
        "https://wiki.example.org/pmmsim",
    ]);
    assert!(yaml.contains("time() - pmmsim_run_started_timestamp_seconds > 172800"));
    assert!(yaml.contains("older than 2d"));
    assert!(yaml.contains("runbook_url: \"https://wiki.example.org/pmmsim#pmmsimscorecardstale\""));
    let out = pmmsim()
        .args(["alert-rules", "--max-age", "26"])
        .output()
        .expect("pmmsim runs");
    assert_eq!(out.status.code(), Some(2), "a duration needs a unit");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not a duration"), "{err}");
}

/// Every alert has a section in docs/monitoring.md, under a heading that is its name (so
/// that `runbook_url`'s anchor lands on it).
#[test]
fn every_alert_has_a_runbook_section() {
    let (policy, _) = shipped_policy();
    let guide = std::fs::read_to_string(repo_path(DEFAULT_RUNBOOK)).expect("monitoring guide");
    let headings: BTreeSet<&str> = guide
        .lines()
        .filter_map(|l| l.strip_prefix("### "))
        .collect();
    for (_, rules) in rule_groups(&policy, &RuleSettings::default()) {
        for rule in rules {
            assert!(
                headings.contains(rule.alert),
                "{DEFAULT_RUNBOOK} has no `### {}` section",
                rule.alert
            );
            assert_eq!(
                rule.runbook_url,
                format!("{DEFAULT_RUNBOOK}#{}", anchor(rule.alert))
            );
        }
    }
}

fn promtool_available() -> bool {
    Process::new("promtool").arg("--version").output().is_ok()
}

fn promtool(args: &[&str], stdin: Option<&str>) {
    use std::io::Write;
    let mut child = Process::new("promtool")
        .args(args)
        .current_dir(repo_path("."))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("promtool starts");
    if let (Some(text), Some(mut input)) = (stdin, child.stdin.take()) {
        input.write_all(text.as_bytes()).expect("write to promtool");
    }
    let out = child.wait_with_output().expect("promtool runs");
    assert!(
        out.status.success(),
        "promtool {args:?}:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn promtool_accepts_metrics_rules_and_tests() {
    if !promtool_available() {
        eprintln!("promtool not installed: skipped (CI installs it and runs it in .ci/run)");
        return;
    }
    for scenario in ["hub_only_11", "leverage_sweep_1x_to_4x"] {
        promtool(&["check", "metrics"], Some(&exposition(scenario)));
    }
    promtool(&["check", "rules", RULES], None);
    promtool(&["test", "rules", RULE_TESTS], None);
}

const DASHBOARD: &str = "deploy/grafana/pmmsim-dashboard.json";

/// Every PromQL string of the dashboard (panel targets and template queries), with where
/// it is.
fn dashboard_queries(v: &serde_json::Value, at: &str, out: &mut Vec<(String, String)>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, child) in map {
                let here = format!("{at}.{k}");
                match (k.as_str(), child) {
                    ("expr" | "definition", serde_json::Value::String(q)) => {
                        out.push((here, q.clone()));
                    }
                    _ => dashboard_queries(child, &here, out),
                }
            }
        }
        serde_json::Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                dashboard_queries(child, &format!("{at}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// The `pmmsim_*` names a query reads.
fn query_metrics(q: &str) -> BTreeSet<String> {
    q.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|t| t.starts_with("pmmsim_"))
        .map(str::to_string)
        .collect()
}

/// The metric families of a routing run, a capital run and an optimizer sweep together.
fn exported_families() -> BTreeSet<String> {
    let mut families = BTreeSet::new();
    for scenario in [
        "hub_only_11",
        "chain138_deployed_capital_efficiency",
        "leverage_sweep_1x_to_4x",
    ] {
        families.extend(check_exposition(&exposition(scenario), scenario));
    }
    families
}

#[test]
fn the_dashboard_reads_only_exported_metrics() {
    let text = std::fs::read_to_string(repo_path(DASHBOARD)).expect("dashboard file");
    let dashboard: serde_json::Value = serde_json::from_str(&text).expect("dashboard is JSON");
    let families = exported_families();
    let mut queries = Vec::new();
    dashboard_queries(&dashboard, "", &mut queries);
    assert!(queries.len() >= 20, "{queries:?}");
    let mut read = BTreeSet::new();
    for (at, q) in &queries {
        let metrics = query_metrics(q);
        assert!(!metrics.is_empty(), "{at}: `{q}` reads no pmmsim metric");
        for m in metrics {
            assert!(
                families.contains(&m),
                "{at}: `{q}` reads {m}, which pmmsim does not export"
            );
            read.insert(m);
        }
    }
    // Each panel that draws data has a query; panel ids are unique; every query goes to
    // the chosen data source.
    let panels = dashboard["panels"].as_array().expect("panels");
    let mut ids = BTreeSet::new();
    for p in panels {
        assert!(
            ids.insert(p["id"].as_u64().expect("panel id")),
            "duplicate id"
        );
        if p["type"] != "row" {
            let targets = p["targets"].as_array().expect("targets");
            assert!(!targets.is_empty(), "{}", p["title"]);
            for t in targets {
                assert_eq!(t["datasource"]["uid"], "${datasource}", "{}", p["title"]);
            }
        }
    }
    // The dashboard shows everything the alerting rules read, apart from the standard
    // errors the rising rules use.
    let (policy, name) = shipped_policy();
    let rules = rules_yaml(&policy, &name, &RuleSettings::default());
    for metric in rule_metrics(&rules) {
        if !metric.contains("_stderr") {
            assert!(
                read.contains(&metric),
                "the dashboard does not show {metric}"
            );
        }
    }
}
