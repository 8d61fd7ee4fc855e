//! Decision statistics end to end: a sized run (`run --precision`) stops with the verdicts a
//! ten times larger fixed run gives, reuses its paths (its figures equal a fixed run of its
//! final size), and an edited verdict is refused by `diff`.

mod common;

use common::{pmmsim, run_json, without_run_info, write_json};
use serde_json::Value;

const SCENARIO: &str = "chain138_deployed_capital_efficiency";
const EPOCHS: &str = "30";

fn verdicts(card: &Value) -> Vec<(String, String)> {
    card["gates"]
        .as_array()
        .expect("gates")
        .iter()
        .map(|g| {
            (
                g["name"].as_str().expect("name").to_string(),
                g["verdict"].as_str().expect("verdict").to_string(),
            )
        })
        .collect()
}

#[test]
fn a_sized_run_stops_with_the_verdicts_of_a_ten_times_larger_run() {
    let sized = run_json([
        "run",
        SCENARIO,
        "--epochs",
        EPOCHS,
        "--precision",
        "--max-paths",
        "2048",
        "--format",
        "json",
        "--quiet",
    ]);
    let sizing = &sized["sizing"];
    assert_eq!(sizing["resolved"], true, "{sizing}");
    let looks = sizing["looks"].as_array().expect("looks");
    assert!(
        looks.len() >= 2,
        "the first look leaves a gate open: {sizing}"
    );
    let paths = sized["inputs"]["paths"].as_u64().expect("paths");
    assert_eq!(looks.last().expect("a look")["paths"].as_u64(), Some(paths));
    let large = run_json([
        "run",
        SCENARIO,
        "--epochs",
        EPOCHS,
        "--paths",
        &(10 * paths).to_string(),
        "--format",
        "json",
        "--quiet",
    ]);
    let critical_resolved = |card: &Value, name: &str| {
        card["gates"].as_array().expect("gates").iter().any(|g| {
            g["name"] == name && g["severity"] == "critical" && g["verdict"] != "inconclusive"
        })
    };
    for ((name, small), (_, big)) in verdicts(&sized).iter().zip(verdicts(&large)) {
        if critical_resolved(&sized, name) {
            assert_eq!(small, &big, "gate {name}: sized {small}, 10x fixed {big}");
        }
    }
}

#[test]
fn a_sized_run_reuses_its_paths() {
    // The figures of a sized run are those of a fixed run of its final size; only the gates'
    // intervals differ (they are widened for the looks).
    let mut sized = without_run_info(run_json([
        "run",
        SCENARIO,
        "--epochs",
        "5",
        "--precision",
        "--paths",
        "64",
        "--max-paths",
        "256",
        "--format",
        "json",
        "--quiet",
    ]));
    let paths = sized["inputs"]["paths"].as_u64().expect("paths");
    let mut fixed = without_run_info(run_json([
        "run",
        SCENARIO,
        "--epochs",
        "5",
        "--paths",
        &paths.to_string(),
        "--format",
        "json",
        "--quiet",
    ]));
    // The gates, the looks, the plan and so the digest are the sized run's own.
    for card in [&mut sized, &mut fixed] {
        let obj = card.as_object_mut().expect("object");
        for key in ["gates", "sizing", "resolved_inputs", "digest"] {
            obj.remove(key);
        }
    }
    assert_eq!(sized, fixed);
}

#[test]
fn diff_refuses_a_scorecard_whose_verdict_was_edited() {
    let card = run_json([
        "run", SCENARIO, "--epochs", "5", "--paths", "64", "--format", "json", "--quiet",
    ]);
    let dir = tempfile::tempdir().expect("temp dir");
    let base = write_json(dir.path(), "base.json", &card);
    let mut edited = card.clone();
    let gates = edited["gates"].as_array_mut().expect("gates");
    let gate = gates
        .iter_mut()
        .find(|g| g["verdict"] != "pass")
        .expect("a gate that does not pass at 64 paths");
    gate["verdict"] = Value::from("pass");
    // Resealed, so that the digest check passes and the verdict is what diff refuses.
    common::forge::reseal(&mut edited);
    let new = write_json(dir.path(), "new.json", &edited);
    let out = pmmsim()
        .args(["diff"])
        .arg(&base)
        .arg(&new)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("contradicts itself"), "{stderr}");
}
