//! Seeded runs are reproducible: the same seed gives the same scorecard (apart from the
//! `run_info` provenance block) whatever the thread count, and another seed gives
//! different numbers.

mod common;

use common::{run_json, without_run_info};
use serde_json::Value;

/// More than one engine batch (64 paths), so that two threads really split the work.
const PATHS: &str = "200";
const EPOCHS: &str = "30";

/// Runs `pmmsim run <scenario>` and returns the JSON scorecard without `run_info`.
fn scorecard(scenario: &str, seed: &str, threads: &str) -> Value {
    without_run_info(run_json([
        "run",
        scenario,
        "--paths",
        PATHS,
        "--epochs",
        EPOCHS,
        "--seed",
        seed,
        "--threads",
        threads,
        "--format",
        "json",
        "--quiet",
    ]))
}

#[test]
fn same_seed_same_scorecard_for_any_thread_count() {
    // Routing only, routing with the capital overlay, and the optimizer sweep.
    for scenario in [
        "hub_only_11",
        "chain138_deployed_capital_efficiency",
        "leverage_sweep_1x_to_4x",
    ] {
        let one = scorecard(scenario, "42", "1");
        let two = scorecard(scenario, "42", "2");
        let (a, b) = (
            serde_json::to_string_pretty(&one).expect("serialises"),
            serde_json::to_string_pretty(&two).expect("serialises"),
        );
        assert!(
            a == b,
            "{scenario}: --threads 1 and --threads 2 differ:\n{}",
            first_difference(&a, &b)
        );
    }
}

#[test]
fn another_seed_gives_different_numbers() {
    let base = scorecard("hub_only_11", "42", "2");
    let other = scorecard("hub_only_11", "43", "2");
    assert_eq!(base["inputs"]["seed"], 42);
    assert_eq!(other["inputs"]["seed"], 43);
    assert_ne!(
        base["inputs"]["inputs_hash"],
        other["inputs"]["inputs_hash"]
    );
    for metric in ["capture_mean", "churn_mean", "volume_total", "fees_total"] {
        let (a, b) = (&base["routing"][metric], &other["routing"][metric]);
        assert!(a.is_number(), "routing.{metric} is a number: {a}");
        assert_ne!(a, b, "routing.{metric} is the same for seeds 42 and 43");
    }
}

/// The first differing line of two texts, for a readable failure.
fn first_difference(a: &str, b: &str) -> String {
    a.lines()
        .zip(b.lines())
        .enumerate()
        .find(|(_, (x, y))| x != y)
        .map(|(i, (x, y))| format!("line {}: {x}\n     vs: {y}", i + 1))
        .unwrap_or_else(|| "(one output is a prefix of the other)".into())
}
