//! Property tests of the commands that read results back (proptest, through the
//! `pmmsim` binary so each property holds for the files users handle):
//!
//! - any valid shard split of a run (any shard count, any path count, shards given in
//!   any order), merged, equals the unsharded run apart from `run_info`;
//! - `diff` of a scorecard with itself finds nothing critical (exit 0 under `--fail-on
//!   critical`), and under `--fail-on warning` exits 1 only when a gate does not pass (a
//!   gate still failing is a warning), whatever the scenario and its overrides.
//!
//! Runs are small (a few hundred paths, a few epochs) and the case counts low, so the
//! file takes seconds; `PROPTEST_CASES` raises the count for a longer search.

mod common;

use std::ffi::OsString;
use std::path::Path;

use common::{pmmsim, run_json, without_run_info};
use proptest::prelude::*;

/// Scenarios without and with a capital block and shocks, each quick at few epochs.
const SCENARIOS: [&str; 3] = [
    "hub_only_11",
    "chain138_deployed_capital_efficiency",
    "bridge_shock_137_56",
];

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        // A failure is re-run from its seed in proptest-regressions/.
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(cases),
        ..ProptestConfig::default()
    }
}

/// The arguments of a small run of `scenario`.
fn run_args(scenario: &str, paths: u64, epochs: u32, seed: u64) -> Vec<String> {
    vec![
        "run".into(),
        scenario.into(),
        "--paths".into(),
        paths.to_string(),
        "--epochs".into(),
        epochs.to_string(),
        "--seed".into(),
        seed.to_string(),
        "--quiet".into(),
    ]
}

fn json_text(value: &serde_json::Value) -> String {
    serde_json::to_string(value).expect("JSON")
}

proptest! {
    #![proptest_config(config(6))]

    #[test]
    fn any_shard_split_merges_to_the_unsharded_run(
        scenario in prop::sample::select(SCENARIOS.as_slice()),
        // Up to 6 batches of 64 paths, with a partial last batch; more shards than
        // batches leaves some shards empty, which is still a valid split.
        paths in 1u64..=330,
        epochs in 2u32..=8,
        seed in any::<u64>(),
        shards in 1u64..=7,
        order in any::<prop::sample::Index>(),
    ) {
        let dir = tempfile::tempdir().expect("tempdir");
        let args = run_args(scenario, paths, epochs, seed);
        let mut parts = Vec::new();
        for k in 0..shards {
            let path = dir.path().join(format!("part-{k}.json"));
            pmmsim()
                .args(&args)
                .args(["--shard", &format!("{k}/{shards}"), "-o"])
                .arg(&path)
                .assert()
                .success();
            parts.push(path);
        }
        // merge sorts the parts itself: give them rotated.
        let shift = order.index(parts.len());
        parts.rotate_left(shift);
        let mut merge: Vec<OsString> = vec!["merge".into()];
        merge.extend(parts.iter().map(|p| p.as_os_str().to_owned()));
        merge.extend(["--format".into(), "json".into()]);
        let merged = without_run_info(run_json(merge));
        let mut whole = args.clone();
        whole.extend(["--format".into(), "json".into()]);
        let full = without_run_info(run_json(whole));
        prop_assert_eq!(json_text(&merged), json_text(&full));
    }

    #[test]
    fn diff_of_a_scorecard_with_itself_changes_nothing(
        scenario in prop::sample::select(SCENARIOS.as_slice()),
        paths in 16u64..=200,
        epochs in 2u32..=8,
        seed in any::<u64>(),
        volume_scale in prop::option::of(0.0f64..4.0),
    ) {
        let dir = tempfile::tempdir().expect("tempdir");
        let card = dir.path().join("card.json");
        let mut args = run_args(scenario, paths, epochs, seed);
        if let Some(scale) = volume_scale {
            args.extend(["--volume-scale".into(), scale.to_string()]);
        }
        pmmsim().args(&args).arg("-o").arg(&card).assert().success();
        // Nothing changed, so nothing is critical; a gate that does not pass is still
        // failing, a warning, and only then does `--fail-on warning` exit 1.
        let text = std::fs::read_to_string(&card).expect("the scorecard");
        let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        let all_pass = value["gates"]
            .as_array()
            .expect("gates")
            .iter()
            .all(|g| g["verdict"] == "pass");
        for (fail_on, expected) in [("critical", 0), ("warning", i32::from(!all_pass))] {
            let output = pmmsim()
                .args(["diff", "--fail-on", fail_on])
                .args([&card, &card].map(|p: &std::path::PathBuf| p.as_os_str()))
                .output()
                .expect("pmmsim runs");
            prop_assert_eq!(
                output.status.code(),
                Some(expected),
                "diff --fail-on {} of {} with itself: {}",
                fail_on,
                Path::new(&card).display(),
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }
}
