//! `pmmsim run --from SCORECARD` reproduces the scorecard it is given byte for byte apart
//! from `run_info`: a plain run, a sharded run merged, an optimizer sweep and a sized run;
//! an edited scorecard is refused (exit 2) and `--from` takes no other input flag.

mod common;

use std::path::Path;

use common::{pmmsim, run_stdout};
use predicates::prelude::*;
use serde_json::Value;

/// The file's JSON without `run_info`, pretty, as bytes to compare.
fn content(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("scorecard written");
    let mut v: Value = serde_json::from_str(&text).expect("JSON");
    v.as_object_mut().expect("object").remove("run_info");
    serde_json::to_string_pretty(&v).expect("serialises")
}

fn rerun_matches(dir: &Path, card: &Path) {
    let again = dir.join("again.json");
    run_stdout([
        "run".as_ref(),
        "--from".as_ref(),
        card.as_os_str(),
        "-q".as_ref(),
        "-o".as_ref(),
        again.as_os_str(),
    ]);
    assert_eq!(content(card), content(&again), "{}", card.display());
}

fn run_to(dir: &Path, name: &str, args: &[&str]) -> std::path::PathBuf {
    let out = dir.join(name);
    let mut all: Vec<&str> = vec!["run"];
    all.extend(args);
    all.extend(["-q", "-o", out.to_str().expect("UTF-8")]);
    run_stdout(all);
    out
}

#[test]
fn a_plain_run_is_reproduced() {
    let dir = tempfile::tempdir().expect("temp dir");
    let card = run_to(
        dir.path(),
        "plain.json",
        &[
            "chain138_deployed_capital_efficiency",
            "--paths",
            "40",
            "--epochs",
            "12",
            "--seed",
            "5",
            "--volume-scale",
            "1.5",
        ],
    );
    rerun_matches(dir.path(), &card);
}

#[test]
fn a_sharded_and_merged_run_is_reproduced() {
    let dir = tempfile::tempdir().expect("temp dir");
    let args = [
        "hub_only_11",
        "--paths",
        "24",
        "--epochs",
        "6",
        "--seed",
        "3",
    ];
    let mut parts = Vec::new();
    for k in 0..3 {
        let shard = format!("{k}/3");
        let mut a: Vec<&str> = args.to_vec();
        a.extend(["--shard", &shard]);
        parts.push(run_to(dir.path(), &format!("part-{k}.json"), &a));
    }
    let merged = dir.path().join("merged.json");
    let mut merge = pmmsim();
    merge.arg("merge").args(&parts).arg("-o").arg(&merged);
    merge.assert().success();
    rerun_matches(dir.path(), &merged);
    // And the merged scorecard is the unsharded one.
    let whole = run_to(dir.path(), "whole.json", &args);
    let strip = |p: &Path| {
        let mut v: Value = serde_json::from_str(&content(p)).expect("JSON");
        // The merged run did not see the command line: its overrides are unknown.
        v["resolved_inputs"]["overrides"] = Value::Null;
        v.as_object_mut().expect("object").remove("digest");
        v
    };
    assert_eq!(strip(&whole), strip(&merged));
}

#[test]
fn an_optimizer_sweep_and_a_sized_run_are_reproduced() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sweep = run_to(
        dir.path(),
        "sweep.json",
        &[
            "leverage_sweep_1x_to_4x",
            "--paths",
            "16",
            "--epochs",
            "20",
            "--seed",
            "7",
        ],
    );
    let v: Value = serde_json::from_str(&content(&sweep)).expect("JSON");
    assert!(v["optimizer"].is_object(), "the sweep ran");
    rerun_matches(dir.path(), &sweep);
    let sized = run_to(
        dir.path(),
        "sized.json",
        &[
            "hub_only_11",
            "--precision",
            "--paths",
            "8",
            "--max-paths",
            "32",
            "--epochs",
            "4",
        ],
    );
    rerun_matches(dir.path(), &sized);
}

#[test]
fn an_edited_scorecard_is_not_rerun_and_from_takes_no_other_input() {
    let dir = tempfile::tempdir().expect("temp dir");
    let card = run_to(
        dir.path(),
        "card.json",
        &["hub_only_11", "--paths", "8", "--epochs", "4"],
    );
    let mut v: Value =
        serde_json::from_str(&std::fs::read_to_string(&card).expect("read")).expect("JSON");
    v["resolved_inputs"]["scenario"]["monteCarlo"]["seed"] = serde_json::json!(99);
    let edited = common::write_json(dir.path(), "edited.json", &v);
    pmmsim()
        .args(["run", "--from"])
        .arg(&edited)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("edited"));
    pmmsim()
        .args(["run", "--from"])
        .arg(&card)
        .args(["--seed", "3"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot be used with"));
}
