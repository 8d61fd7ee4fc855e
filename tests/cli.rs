//! The command line as users drive it, where the checks need code: every listed scenario
//! runs and writes JSON, `-o` is written atomically, `-o -` is stdout, and a closed stdout
//! pipe is not a panic. The cases checked by their text alone (`list`, bad input: exit 2,
//! a message that names the file and the place in it, no panic, no output file) live in
//! `tests/cmd/` and run from `tests/cli_cases.rs`.

mod common;

use std::path::Path;

use common::{pmmsim, pmmsim_path, run_json};
use predicates::prelude::*;
use serde_json::Value;

/// Small runs: these tests check behaviour, not numbers.
const SMALL: [&str; 4] = ["--paths", "8", "--epochs", "10"];

/// Files in `dir` other than `keep`.
fn other_files(dir: &Path, keep: &[&Path]) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("read temp dir")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| !keep.contains(&p.as_path()))
        .map(|p| p.display().to_string())
        .collect()
}

fn no_panic() -> impl Predicate<str> {
    predicate::str::contains("panicked")
        .or(predicate::str::contains("backtrace"))
        .or(predicate::str::contains("RUST_BACKTRACE"))
        .not()
}

/// The scenario names `pmmsim list` prints (its first column, below the header).
fn listed_scenarios() -> Vec<String> {
    let out = pmmsim()
        .arg("list")
        .assert()
        .success()
        .stderr(no_panic())
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).expect("UTF-8");
    text.lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

#[test]
fn every_listed_scenario_runs_and_writes_json() {
    let names = listed_scenarios();
    assert!(!names.is_empty());
    let mut failures = Vec::new();
    for name in &names {
        let output = pmmsim()
            .args(["run", name])
            .args(SMALL)
            .args(["--format", "json", "--quiet"])
            .output()
            .expect("pmmsim runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        if !output.status.success() {
            failures.push(format!(
                "{name}: exit {:?}: {}",
                output.status.code(),
                stderr.trim()
            ));
            continue;
        }
        let card: Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("{name}: invalid JSON: {e}"));
        assert!(
            card["schema_version"].is_u64(),
            "{name}: no integer schema_version"
        );
        assert_eq!(card["scenario"], name.as_str());
    }
    assert!(
        failures.is_empty(),
        "scenarios that failed with --paths 8 --epochs 10:\n{}",
        failures.join("\n")
    );
}

#[test]
fn output_file_is_written_whole() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out.json");
    pmmsim()
        .args(["run", "hub_only_11"])
        .args(SMALL)
        .args(["--format", "json", "--quiet", "-o"])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::is_empty())
        .stderr(no_panic());
    let text = std::fs::read_to_string(&out).expect("output file exists");
    let card: Value = serde_json::from_str(&text).expect("valid JSON");
    assert!(card["schema_version"].is_u64());
    assert!(text.ends_with('\n'), "final newline");
    assert_eq!(
        other_files(dir.path(), &[&out]),
        Vec::<String>::new(),
        "leftover files (temp files?)"
    );
}

#[test]
fn dash_output_is_stdout() {
    let card = run_json(
        ["run", "hub_only_11"]
            .iter()
            .chain(&SMALL)
            .chain(&["--format", "json", "--quiet", "-o", "-"]),
    );
    assert!(card["schema_version"].is_u64());
}

#[test]
fn closed_stdout_pipe_is_not_a_panic() {
    let bin = pmmsim_path();
    // `true` exits at once, so pmmsim writes into a closed pipe; `head -c 10` closes it
    // after the first bytes. Either way pmmsim itself must exit 0 without a panic.
    for reader in ["true", "head -c 10 >/dev/null"] {
        let script = format!(
            "\"$0\" run hub_only_11 --paths 8 --epochs 5 | {reader}; exit \"${{PIPESTATUS[0]}}\""
        );
        let output = std::process::Command::new("bash")
            .args(["-c", &script])
            .arg(bin)
            .output()
            .expect("bash runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "| {reader}: {stderr}");
        assert_eq!(
            output.status.code(),
            Some(0),
            "| {reader}: pmmsim exit status; stderr: {stderr}"
        );
    }
}
