//! Golden scorecards: three small seeded runs (routing only, routing with the capital
//! overlay, and the optimizer sweep) compared byte for byte with the committed files in
//! `tests/golden/`, apart from the `run_info` provenance block.
//!
//! A change that moves any number shows up here, in review. When the change is meant,
//! regenerate the files in their own commit and give the reason in its message:
//!
//! ```sh
//! PMMSIM_BLESS=1 cargo test --release --test golden
//! ```

mod common;

use common::pmmsim;
use serde_json::Value;
use std::path::PathBuf;

/// (scenario, paths, epochs): small enough to run in a second, with more than one engine
/// batch of paths for the routing and capital runs.
const GOLDEN_RUNS: [(&str, u32, u32); 3] = [
    ("hub_only_11", 64, 60),
    ("chain138_deployed_capital_efficiency", 64, 120),
    ("leverage_sweep_1x_to_4x", 32, 60),
];
const SEED: &str = "7";

fn golden_path(scenario: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(format!("{scenario}.json"))
}

/// The scorecard of `pmmsim run` as pretty JSON with a final newline, `run_info` removed.
fn scorecard_without_run_info(scenario: &str, paths: u32, epochs: u32) -> String {
    let output = pmmsim()
        .args([
            "run", scenario, "--seed", SEED, "--format", "json", "--quiet",
        ])
        .args([
            "--paths",
            &paths.to_string(),
            "--epochs",
            &epochs.to_string(),
        ])
        .output()
        .expect("pmmsim runs");
    assert!(
        output.status.success(),
        "{scenario}: pmmsim failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut card: Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    let removed = card
        .as_object_mut()
        .expect("a JSON object")
        .remove("run_info");
    assert!(removed.is_some(), "{scenario}: the scorecard has run_info");
    serde_json::to_string_pretty(&card).expect("serialises") + "\n"
}

/// Line number and both lines of the first difference, for a readable failure.
fn first_difference(expected: &str, actual: &str) -> String {
    for (number, (e, a)) in expected.lines().zip(actual.lines()).enumerate() {
        if e != a {
            return format!("line {}:\n  golden: {e}\n  actual: {a}", number + 1);
        }
    }
    format!(
        "one is a prefix of the other ({} vs {} lines)",
        expected.lines().count(),
        actual.lines().count()
    )
}

#[test]
fn scorecards_match_the_committed_goldens() {
    let bless = std::env::var_os("PMMSIM_BLESS").is_some();
    let mut failures = Vec::new();
    for (scenario, paths, epochs) in GOLDEN_RUNS {
        let actual = scorecard_without_run_info(scenario, paths, epochs);
        let path = golden_path(scenario);
        if bless {
            std::fs::write(&path, &actual).expect("writes the golden file");
            continue;
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_else(|error| {
            panic!("{}: {error}; create it with PMMSIM_BLESS=1", path.display())
        });
        if expected != actual {
            failures.push(format!(
                "{scenario} differs from {}: {}",
                path.display(),
                first_difference(&expected, &actual)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "golden scorecards changed (regenerate with PMMSIM_BLESS=1 only when the change is meant):\n{}",
        failures.join("\n")
    );
}
