//! `pmmsim diff` as users drive it: identical runs are unchanged (exit 0); a scorecard
//! edited across a gate is critical (exit 1 under `--fail-on critical`, 0 under
//! `never`); a rise smaller than its noise is not a warning and the same rise with ten
//! times tighter standard errors is; routing-only vs capital pairs show added and
//! removed metrics; `run_info` is ignored; bad files exit 2 naming the file and place
//! (those that need no edited scorecard are CLI cases:
//! `tests/cmd/diff-refuses-malformed-or-foreign-files.md`).

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::{pmmsim, run_json, tol, write_json};
use predicates::prelude::*;
use serde_json::{Value, json};

const CAPITAL: &str = "chain138_deployed_capital_efficiency";
const ROUTING: &str = "hub_only_11";

/// `pmmsim run` JSON output at a small size.
fn run(scenario: &str, paths: &str, epochs: &str) -> Value {
    run_json([
        "run", scenario, "--paths", paths, "--epochs", epochs, "--seed", "7", "--format", "json",
        "--quiet",
    ])
}

fn capital_card() -> &'static Value {
    static CARD: OnceLock<Value> = OnceLock::new();
    CARD.get_or_init(|| run(CAPITAL, "16", "20"))
}

fn routing_card() -> &'static Value {
    static CARD: OnceLock<Value> = OnceLock::new();
    CARD.get_or_init(|| run(ROUTING, "8", "5"))
}

/// Makes gate `g` pass or fail on its current value, consistently: its interval becomes
/// the point `[value, value]` and its threshold is moved so that the verdict follows
/// (diff refuses a gate whose stored verdict its own numbers contradict).
fn set_verdict(g: &mut Value, pass: bool) {
    let v = g["value"].as_f64().expect("value");
    g["interval"] = json!({ "lo": v, "hi": v });
    g["bound"] = json!(v);
    let away = 1.0 + v.abs();
    match (g["comparison"].as_str().expect("comparison"), pass) {
        ("within", true) => {
            g["threshold"] = json!(v);
            g["threshold_high"] = json!(v);
        }
        ("within", false) => {
            g["threshold"] = json!(v + away);
            g["threshold_high"] = json!(v + 2.0 * away);
        }
        (_, true) => g["threshold"] = json!(v),
        ("at_most", false) => g["threshold"] = json!(v - away),
        (_, false) => g["threshold"] = json!(v + away),
    }
    g["verdict"] = json!(if pass { "pass" } else { "fail" });
    g["paths_needed"] = Value::Null;
}

/// A copy with every gate passing, so a test controls which gates fail.
fn all_gates_pass(card: &Value) -> Value {
    let mut c = card.clone();
    for g in c["gates"].as_array_mut().expect("gates").iter_mut() {
        set_verdict(g, true);
    }
    c
}

/// Runs `diff --format json` and returns the exit status and the report.
fn diff_json(base: &Path, new: &Path, extra: &[&str]) -> (i32, Value) {
    let out = pmmsim()
        .arg("diff")
        .arg(base)
        .arg(new)
        .args(["--format", "json"])
        .args(extra)
        .output()
        .expect("pmmsim runs");
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("diff JSON: {e}\n{}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap_or(-1), report)
}

fn diff_code(base: &Path, new: &Path, extra: &[&str]) -> i32 {
    diff_json(base, new, extra).0
}

fn metric<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["metrics"]
        .as_array()
        .expect("metrics")
        .iter()
        .find(|m| m["metric"] == name)
        .unwrap_or_else(|| panic!("no metric {name}"))
}

fn gate<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["gates"]
        .as_array()
        .expect("gates")
        .iter()
        .find(|g| g["name"] == name)
        .unwrap_or_else(|| panic!("no gate {name}"))
}

#[test]
fn two_runs_with_the_same_inputs_and_seed_do_not_differ() {
    let dir = tempfile::tempdir().expect("temp dir");
    let a = write_json(dir.path(), "a.json", capital_card());
    let b = write_json(dir.path(), "b.json", &run(CAPITAL, "16", "20"));
    let (code, report) = diff_json(&a, &b, &[]);
    assert_eq!(code, 0);
    assert_eq!(report["inputs"], "same inputs");
    assert_eq!(report["summary"]["changed"], 0);
    assert!(report["summary"]["unchanged"].as_u64().unwrap_or(0) > 50);
    for g in report["gates"].as_array().expect("gates") {
        assert!(
            g["status"] == "pass" || g["status"] == "still_failing",
            "{g}"
        );
    }
    assert!(
        report["metrics"]
            .as_array()
            .expect("rows")
            .iter()
            .all(|m| m["reason"].is_null())
    );
    pmmsim()
        .arg("diff")
        .arg(&a)
        .arg(&b)
        .assert()
        .success()
        .stdout(predicate::str::contains("inputs: same inputs"))
        .stdout(predicate::str::contains(" 0 of "));
}

#[test]
fn run_info_is_ignored_and_other_inputs_are_reported() {
    let dir = tempfile::tempdir().expect("temp dir");
    let base = all_gates_pass(capital_card());
    let mut moved = base.clone();
    moved["run_info"]["host"] = json!("another-host");
    moved["run_info"]["duration_secs"] = json!(123.0);
    let a = write_json(dir.path(), "a.json", &base);
    let b = write_json(dir.path(), "b.json", &moved);
    let (code, report) = diff_json(&a, &b, &["--fail-on", "warning"]);
    assert_eq!((code, &report["summary"]["changed"]), (0, &json!(0)));
    assert_eq!(report["summary"]["worst"], "info");
    moved["inputs"]["inputs_hash"] = json!("0".repeat(64));
    let c = write_json(dir.path(), "c.json", &moved);
    let (_, report) = diff_json(&a, &c, &[]);
    assert_eq!(report["inputs"], "different inputs");
    assert_eq!(report["same_inputs"], false);
}

/// The base with every gate passing, and the same scorecard edited to a liquidation
/// probability of 0.05 (metric and gate).
fn liquidation_pair(dir: &Path) -> (PathBuf, PathBuf) {
    let base = all_gates_pass(capital_card());
    let mut new = base.clone();
    new["capital"]["liquidation_probability"] = json!(0.05);
    for g in new["gates"].as_array_mut().expect("gates").iter_mut() {
        if g["name"] == "liquidation" {
            g["value"] = json!(0.05);
            set_verdict(g, false);
        }
    }
    (
        write_json(dir, "base.json", &base),
        write_json(dir, "liquidated.json", &new),
    )
}

#[test]
fn crossing_the_liquidation_gate_is_critical() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (base, new) = liquidation_pair(dir.path());
    let (code, report) = diff_json(&base, &new, &["--fail-on", "critical"]);
    assert_eq!(code, 1);
    assert_eq!(report["summary"]["worst"], "critical");
    let g = gate(&report, "liquidation");
    assert_eq!(
        (&g["status"], &g["severity"]),
        (&json!("crossed"), &json!("critical"))
    );
    let m = metric(&report, "capital.liquidation_probability");
    assert_eq!(
        (&m["severity"], &m["gate"]),
        (&json!("critical"), &json!("liquidation"))
    );
    assert_eq!(m["new"], 0.05);
    assert_eq!(diff_code(&base, &new, &[]), 1, "critical is the default");
    assert_eq!(diff_code(&base, &new, &["--fail-on", "warning"]), 1);
    assert_eq!(diff_code(&base, &new, &["--fail-on", "never"]), 0);
    assert_eq!(
        diff_code(&new, &base, &[]),
        0,
        "recovering is not a regression"
    );
    pmmsim()
        .arg("diff")
        .arg(&base)
        .arg(&new)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "critical gate liquidation crossed",
        ));
}

#[test]
fn a_gate_already_failing_in_base_is_a_warning() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_, new) = liquidation_pair(dir.path());
    let (code, report) = diff_json(&new, &new, &[]);
    assert_eq!(code, 0);
    let g = gate(&report, "liquidation");
    assert_eq!(
        (&g["status"], &g["severity"]),
        (&json!("still_failing"), &json!("warning"))
    );
    assert_eq!(diff_code(&new, &new, &["--fail-on", "warning"]), 1);
}

#[test]
fn capture_leaving_its_corridor_is_a_warning() {
    let dir = tempfile::tempdir().expect("temp dir");
    let base = all_gates_pass(capital_card());
    let mut new = base.clone();
    new["routing"]["capture_mean"] = json!(0.35);
    for g in new["gates"].as_array_mut().expect("gates").iter_mut() {
        if g["name"] == "capture_corridor" {
            g["value"] = json!(0.35);
            set_verdict(g, false);
        }
    }
    let a = write_json(dir.path(), "a.json", &base);
    let b = write_json(dir.path(), "b.json", &new);
    let (code, report) = diff_json(&a, &b, &[]);
    assert_eq!((code, &report["summary"]["worst"]), (0, &json!("warning")));
    assert_eq!(
        metric(&report, "routing.capture_mean")["severity"],
        "warning"
    );
    assert_eq!(diff_code(&a, &b, &["--fail-on", "warning"]), 1);
}

/// Throttle events per path 1.0 -> 1.125 (16 -> 18 over 16 paths) with standard error
/// `se` on both sides.
fn throttle_pair(dir: &Path, se: f64) -> (PathBuf, PathBuf) {
    let mut base = all_gates_pass(capital_card());
    base["inputs"]["paths"] = json!(16);
    let set = |card: &mut Value, per_path: f64| {
        let c = &mut card["capital"];
        c["volatility_throttle_events"] = json!((per_path * 16.0) as u64);
        c["volatility_throttle_events_per_path"] = json!(per_path);
        c["volatility_throttle_events_per_path_se"] = json!(se);
    };
    let mut new = base.clone();
    set(&mut base, 1.0);
    set(&mut new, 1.125);
    (
        write_json(dir, &format!("base-{se}.json"), &base),
        write_json(dir, &format!("new-{se}.json"), &new),
    )
}

#[test]
fn a_rise_within_its_noise_is_not_a_warning_but_ten_times_tighter_is() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (base, new) = throttle_pair(dir.path(), 0.1);
    let (code, report) = diff_json(&base, &new, &["--fail-on", "warning"]);
    let m = metric(&report, "capital.volatility_throttle_events_per_path");
    let z = m["z"].as_f64().expect("z");
    assert!(
        (z - 0.125 / (2.0f64 * 0.01).sqrt()).abs() < tol::DIFF_Z_ABS,
        "{z}"
    );
    assert_eq!((code, &m["severity"]), (0, &json!("info")), "{m}");
    assert_eq!(report["summary"]["worst"], "info");

    let (base, new) = throttle_pair(dir.path(), 0.01);
    let (code, report) = diff_json(&base, &new, &["--fail-on", "warning"]);
    let m = metric(&report, "capital.volatility_throttle_events_per_path");
    assert!(m["z"].as_f64().expect("z") > tol::TIGHT_DIFF_MIN_Z, "{m}");
    assert_eq!((code, &m["severity"]), (1, &json!("warning")), "{m}");
    assert_eq!(
        metric(&report, "capital.volatility_throttle_events")["severity"],
        "warning",
        "the total is judged by its per-path rate"
    );
    assert_eq!(diff_code(&base, &new, &[]), 0, "a warning is not critical");
}

#[test]
fn a_fall_beyond_noise_is_not_a_warning() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (base, new) = throttle_pair(dir.path(), 0.01);
    let (code, report) = diff_json(&new, &base, &["--fail-on", "warning"]);
    assert_eq!(code, 0);
    assert_eq!(
        metric(&report, "capital.volatility_throttle_events_per_path")["severity"],
        "info"
    );
}

#[test]
fn routing_only_against_capital_shows_added_and_removed_metrics() {
    let dir = tempfile::tempdir().expect("temp dir");
    let routing = write_json(dir.path(), "routing.json", &all_gates_pass(routing_card()));
    let capital = write_json(dir.path(), "capital.json", &all_gates_pass(capital_card()));
    let (code, report) = diff_json(&routing, &capital, &[]);
    assert_eq!(code, 0);
    assert_eq!(report["inputs"], "different inputs");
    let roi = metric(&report, "capital.roi_mean");
    assert_eq!(
        (&roi["status"], &roi["base"]),
        (&json!("added"), &Value::Null)
    );
    assert_eq!(gate(&report, "liquidation")["status"], "added");
    let (_, report) = diff_json(&capital, &routing, &[]);
    assert_eq!(metric(&report, "capital.roi_mean")["status"], "removed");
    assert_eq!(gate(&report, "liquidation")["status"], "removed");
    pmmsim()
        .arg("diff")
        .arg(&routing)
        .arg(&capital)
        .assert()
        .success()
        .stdout(predicate::str::contains("different scenarios"))
        .stdout(predicate::str::contains("added"));
}

/// Asserts exit 2 and a message naming `file` and containing every `needle`.
fn rejected(base: &Path, new: &Path, file: &Path, needles: &[&str]) {
    let mut expect = predicate::str::contains(file.display().to_string()).boxed();
    for n in needles {
        expect = expect.and(predicate::str::contains(*n)).boxed();
    }
    pmmsim()
        .arg("diff")
        .arg(base)
        .arg(new)
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(expect)
        .stderr(predicate::str::contains("panicked").not());
}

#[test]
fn a_wrongly_typed_field_exits_2_naming_its_path() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = write_json(dir.path(), "good.json", capital_card());
    let mut typed = capital_card().clone();
    typed["capital"]["liquidation_count"] = json!("many");
    let typed = write_json(dir.path(), "typed.json", &typed);
    rejected(
        &good,
        &typed,
        &typed,
        &["capital.liquidation_count", "line"],
    );
}

#[test]
fn different_schema_versions_are_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = write_json(dir.path(), "good.json", capital_card());
    let mut future = capital_card().clone();
    future["schema_version"] = json!(3);
    let future = write_json(dir.path(), "future.json", &future);
    rejected(&good, &future, &future, &["schema_version 3", "differs"]);
    rejected(&future, &future, &future, &["schema_version 3"]);
}
