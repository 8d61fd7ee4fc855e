//! The command line as users drive it: `list`, every shipped scenario, `-o` written
//! atomically, a closed stdout pipe, and bad input (exit 2, a message that names the file
//! and the place in it, no panic, no output file).

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

/// Small runs: these tests check behaviour, not numbers.
const SMALL: [&str; 4] = ["--paths", "8", "--epochs", "10"];

fn pmmsim() -> Command {
    Command::cargo_bin("pmmsim").expect("binary builds")
}

fn shipped_scenario(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("config/scenarios/{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("shipped scenario is JSON")
}

fn write_json(dir: &Path, name: &str, value: &Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(
        &path,
        serde_json::to_string_pretty(value).expect("serialises"),
    )
    .expect("write temp file");
    path
}

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

/// The scenario names `pmmsim list` prints (its first column).
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
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

#[test]
fn list_names_the_shipped_scenarios() {
    let names = listed_scenarios();
    for name in ["hub_only_11", "full_quote_1_56_137", "bridge_shock_137_56"] {
        assert!(
            names.iter().any(|n| n == name),
            "`pmmsim list` lacks {name}: {names:?}"
        );
    }
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
    let assert = pmmsim()
        .args(["run", "hub_only_11"])
        .args(SMALL)
        .args(["--format", "json", "--quiet", "-o", "-"])
        .assert()
        .success();
    let card: Value = serde_json::from_slice(&assert.get_output().stdout).expect("JSON on stdout");
    assert!(card["schema_version"].is_u64());
}

#[test]
fn closed_stdout_pipe_is_not_a_panic() {
    let bin = env!("CARGO_BIN_EXE_pmmsim");
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

/// Runs `pmmsim run <scenario> -o <dir>/out.json`, expects exit 2 with every `needles`
/// in stderr, no panic, and nothing written to the directory.
fn rejects(scenario: &str, dir: &Path, needles: &[&str]) -> String {
    let out = dir.join("out.json");
    let before = other_files(dir, &[]);
    let assert = pmmsim()
        .args(["run", scenario])
        .args(SMALL)
        .args(["--quiet", "-o"])
        .arg(&out)
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(no_panic());
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    for needle in needles {
        assert!(stderr.contains(needle), "stderr lacks `{needle}`: {stderr}");
    }
    assert!(!out.exists(), "an output file was left behind");
    assert_eq!(
        other_files(dir, &[]),
        before,
        "files appeared in the output directory"
    );
    stderr
}

#[test]
fn missing_scenario_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    rejects("/nonexistent/x.json", dir.path(), &["/nonexistent/x.json"]);
}

#[test]
fn malformed_json_gives_line_and_column() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("broken.json");
    std::fs::write(
        &path,
        "{\n  \"name\": \"broken\",\n  \"chains\": [1,, 56]\n}\n",
    )
    .expect("write");
    let stderr = rejects(
        path.to_str().expect("UTF-8 path"),
        dir.path(),
        &["broken.json", "line 3", "column"],
    );
    assert!(stderr.lines().count() <= 3, "one short paragraph: {stderr}");
}

#[test]
fn unknown_key_names_path_and_suggests() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut s = shipped_scenario("hub_only_11");
    let flow = s["orderFlow"].as_object_mut().expect("orderFlow object");
    let trades = flow.remove("tradesPerEpoch").expect("tradesPerEpoch");
    flow.insert("tradesPerEpok".into(), trades);
    let path = write_json(dir.path(), "typo.json", &s);
    rejects(
        path.to_str().expect("UTF-8 path"),
        dir.path(),
        &[
            "typo.json",
            "orderFlow.tradesPerEpok",
            "line",
            "did you mean `tradesPerEpoch`",
        ],
    );
}

#[test]
fn out_of_range_pool_k_names_the_path() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut s = shipped_scenario("hub_only_11");
    s["pools"] = serde_json::json!({ "depthUsd": 2000000, "k": 1.5, "feeBps": 5 });
    let path = write_json(dir.path(), "k.json", &s);
    rejects(
        path.to_str().expect("UTF-8 path"),
        dir.path(),
        &["k.json", "pools.k", "1.5"],
    );
}

#[test]
fn negative_epoch_days_names_the_path() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut s = shipped_scenario("full_quote_1_56_137");
    s["monteCarlo"]["epochDays"] = serde_json::json!(-1.0);
    let path = write_json(dir.path(), "days.json", &s);
    rejects(
        path.to_str().expect("UTF-8 path"),
        dir.path(),
        &["days.json", "monteCarlo.epochDays"],
    );
}

#[test]
fn wrong_type_names_the_path() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut s = shipped_scenario("hub_only_11");
    s["orderFlow"]["tradesPerEpoch"] = serde_json::json!("many");
    let path = write_json(dir.path(), "type.json", &s);
    rejects(
        path.to_str().expect("UTF-8 path"),
        dir.path(),
        &["type.json", "orderFlow.tradesPerEpoch"],
    );
}

#[test]
fn unknown_scenario_name_lists_and_suggests() {
    let dir = tempfile::tempdir().expect("temp dir");
    rejects(
        "hub_onyl_11",
        dir.path(),
        &[
            "hub_onyl_11",
            "hub_only_11",
            "full_quote_1_56_137",
            "did you mean `hub_only_11`",
        ],
    );
}

#[test]
fn bad_arguments_exit_2() {
    pmmsim()
        .args(["run", "hub_only_11", "--paths", "lots"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--paths").and(no_panic()));
    pmmsim()
        .arg("frobnicate")
        .assert()
        .code(2)
        .stderr(no_panic());
}
