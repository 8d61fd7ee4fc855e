//! The runbook advisor (`run --advise`): a failed gate is answered by its runbook
//! procedures, each simulated on the same seed and paths (the advice's gates equal a
//! direct run of the posture after it), the scorecard records it and `run --from`
//! reproduces it; the reports name the procedure even without `--advise`.

mod common;

use common::{pmmsim, repo_path, run_json, run_stdout, without_run_info, write_json};
use serde_json::{Value, json};

const BANK_RUN: &str = "bank_run_redemption_spike";
const PATHS: &str = "200";

fn advised() -> Value {
    run_json([
        "run", BANK_RUN, "--paths", PATHS, "--advise", "--format", "json", "--quiet",
    ])
}

fn entry<'a>(card: &'a Value, procedure: &str) -> &'a Value {
    card["advice"]
        .as_array()
        .expect("an advice block")
        .iter()
        .find(|a| a["procedure"] == procedure)
        .unwrap_or_else(|| panic!("no {procedure} advice in {}", card["advice"]))
}

fn gate<'a>(card: &'a Value, name: &str) -> &'a Value {
    card["gates"]
        .as_array()
        .expect("gates")
        .iter()
        .find(|g| g["name"] == name)
        .expect("the gate")
}

#[test]
fn a_failed_drawdown_gate_is_answered_on_the_same_paths() {
    let card = advised();
    // The shipped bank run fails its drawdown gate at 1.5x (a finding of the sourced model).
    assert_eq!(gate(&card, "max_drawdown")["verdict"], "fail");
    assert_eq!(card["resolved_inputs"]["options"]["advise"], true);
    let deleverage = entry(&card, "deleverage");
    assert_eq!(deleverage["answers"], json!(["max_drawdown"]));
    let throttle = entry(&card, "redemption_throttle");
    assert_eq!(throttle["answers"], json!(["max_drawdown"]));
    // The deleveraged posture, run directly on the same seed and paths, gives the very
    // gates the advice reports: the advice runs on common random numbers.
    let dir = tempfile::tempdir().expect("temp dir");
    let mut scenario: Value = serde_json::from_str(
        &std::fs::read_to_string(repo_path(&format!("config/scenarios/{BANK_RUN}.json")))
            .expect("the shipped scenario"),
    )
    .expect("JSON");
    scenario["capitalEfficiency"]["leverage"] = json!(1.0);
    let file = write_json(dir.path(), "deleveraged.json", &scenario);
    let direct = run_json([
        "run",
        file.to_str().expect("UTF-8"),
        "--paths",
        PATHS,
        "--format",
        "json",
        "--quiet",
    ]);
    let after = deleverage["gates_after"].as_array().expect("gates after");
    assert_eq!(after.len(), direct["gates"].as_array().unwrap().len());
    for g in after {
        let d = gate(&direct, g["gate"].as_str().unwrap());
        assert_eq!(g["value_after"], d["value"], "{g}");
        assert_eq!(g["verdict_after"], d["verdict"], "{g}");
        assert_eq!(
            g["value_before"],
            gate(&card, g["gate"].as_str().unwrap())["value"]
        );
    }
    // Unlevered, the drawdown falls and the gate passes.
    let dd = after.iter().find(|g| g["gate"] == "max_drawdown").unwrap();
    assert!(
        dd["value_after"].as_f64() < dd["value_before"].as_f64(),
        "{dd}"
    );
    assert_eq!(dd["verdict_after"], "pass");
    // The throttle never worsens the drawdown on the same paths.
    let dd = throttle["gates_after"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["gate"] == "max_drawdown")
        .unwrap();
    assert!(
        dd["value_after"].as_f64() <= dd["value_before"].as_f64(),
        "{dd}"
    );
}

#[test]
fn an_advised_scorecard_is_reproduced_by_run_from() {
    let dir = tempfile::tempdir().expect("temp dir");
    let card = advised();
    let file = write_json(dir.path(), "advised.json", &card);
    let again = run_json([
        "run",
        "--from",
        file.to_str().expect("UTF-8"),
        "--format",
        "json",
        "--quiet",
    ]);
    assert_eq!(without_run_info(again), without_run_info(card));
}

#[test]
fn the_reports_name_the_procedure_of_a_failed_gate() {
    let table = run_stdout(["run", BANK_RUN, "--paths", PATHS, "--quiet"]);
    assert!(
        table.contains("max_drawdown failed: Redemption throttle, then Deleverage"),
        "{table}"
    );
    assert!(table.contains("--advise"), "{table}");
    let markdown = run_stdout([
        "run", BANK_RUN, "--paths", PATHS, "--advise", "--quiet", "--format", "markdown",
    ]);
    assert!(markdown.contains("#### Runbook"), "{markdown}");
    assert!(
        markdown.contains("- Deleverage (answers max_drawdown): leverage 1.5x to 1x"),
        "{markdown}"
    );
}

#[test]
fn a_run_whose_gates_do_not_fail_has_nothing_to_advise() {
    let card = run_json([
        "run",
        "hub_only_11",
        "--paths",
        "16",
        "--epochs",
        "3",
        "--advise",
        "--format",
        "json",
        "--quiet",
    ]);
    for g in card["gates"].as_array().unwrap() {
        assert_ne!(g["verdict"], "fail", "{g}");
    }
    assert_eq!(card["advice"], json!([]));
}

#[test]
fn advise_is_refused_with_a_shard() {
    let out = pmmsim()
        .args([
            "run", BANK_RUN, "--paths", "8", "--advise", "--shard", "0/2",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--advise") && err.contains("--shard"), "{err}");
}
