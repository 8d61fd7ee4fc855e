//! Importance sampling (`run --rare-events`): the weighted estimates are unbiased (they
//! match plain sampling, while the tilted sample unweighted does not); a plain run carries
//! no weight and no `rare_events` block; a weighted run is the same for any thread count
//! and any sharding; a scenario without capital is refused.

mod common;

use std::ffi::OsString;

use common::{pmmsim, repo_path, run_json, without_run_info};
use pmmsim::app::run::{RunRequest, prepare};
use pmmsim::config::Overrides;
use pmmsim::engine::{self, PathOutcome, Setup};

/// The 1e-2 measurement case (docs/statistics.md, "Rare events") cut to 130 epochs, just
/// past its crash at epoch 120, so thousands of paths run in seconds.
fn case(paths: u64, rare_events: bool) -> Setup {
    let request = RunRequest {
        scenario: repo_path("tests/data/rare_liquidation_1e2.json")
            .to_string_lossy()
            .into_owned(),
        overrides: Overrides {
            paths: Some(paths),
            epochs: Some(130),
            ..Overrides::default()
        },
        rare_events,
        ..RunRequest::default()
    };
    prepare(&request).expect("the case loads").setup
}

fn outcomes(setup: &Setup) -> Vec<PathOutcome> {
    let n = setup.scenario.monte_carlo.paths;
    engine::run_paths(setup, setup.default_candidate(), 0..n, &|_| {})
        .into_iter()
        .flat_map(|b| b.paths)
        .collect()
}

/// A per-path figure by name.
type Figure = (&'static str, fn(&PathOutcome) -> f64);

/// Mean and standard error of `x`.
fn mean_se(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let m = x.iter().sum::<f64>() / n;
    let var = x.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (n - 1.0);
    (m, (var / n).sqrt())
}

/// How many standard errors apart two independent estimates are.
fn z_apart(a: (f64, f64), b: (f64, f64)) -> f64 {
    (a.0 - b.0).abs() / (a.1 * a.1 + b.1 * b.1).sqrt()
}

#[test]
fn weighted_estimates_match_plain_sampling_and_unweighted_ones_do_not() {
    const PATHS: u64 = 4096;
    let plain = outcomes(&case(PATHS, false));
    let tilted = outcomes(&case(PATHS, true));
    assert!(
        plain
            .iter()
            .all(|p| p.importance.is_none() && p.weight() == 1.0)
    );
    assert!(tilted.iter().all(|p| p.importance.is_some()));
    let share_tilted = tilted
        .iter()
        .filter(|p| p.importance.is_some_and(|i| i.tilted))
        .count() as f64
        / PATHS as f64;
    assert!(
        (share_tilted - 0.5).abs() < 0.04,
        "tilted share {share_tilted}"
    );
    let figures: [Figure; 3] = [
        ("roi", |p| p.capital.as_ref().map_or(0.0, |c| c.roi)),
        ("liquidated", |p| {
            f64::from(u8::from(p.capital.as_ref().is_some_and(|c| c.liquidated)))
        }),
        ("max_drawdown", |p| {
            p.capital.as_ref().map_or(0.0, |c| c.max_drawdown)
        }),
    ];
    let mut unweighted_apart: f64 = 0.0;
    for (name, f) in figures {
        let x0: Vec<f64> = plain.iter().map(f).collect();
        let xw: Vec<f64> = tilted.iter().map(|p| p.weight() * f(p)).collect();
        let xu: Vec<f64> = tilted.iter().map(f).collect();
        let (p0, pw, pu) = (mean_se(&x0), mean_se(&xw), mean_se(&xu));
        // 4 standard errors: three figures checked, a false alarm below 1 in 5,000.
        assert!(
            z_apart(p0, pw) < 4.0,
            "{name}: plain {p0:?} vs weighted {pw:?}"
        );
        unweighted_apart = unweighted_apart.max(z_apart(p0, pu));
    }
    // Teeth: the tilted sample taken at face value is far off, so the check above can fail
    // if the weights are wrong.
    assert!(
        unweighted_apart > 8.0,
        "the tilt hardly moved the sample: {unweighted_apart} se"
    );
    // The weights average to 1 (E[w] = 1 under the mixture).
    let w: Vec<f64> = tilted.iter().map(PathOutcome::weight).collect();
    let (wm, wse) = mean_se(&w);
    assert!((wm - 1.0).abs() < 4.0 * wse, "mean weight {wm} (se {wse})");
    assert!(w.iter().all(|&w| w > 0.0 && w <= 2.0));
}

const RUN: [&str; 7] = [
    "run",
    "crash_40pct_external_asset",
    "--paths",
    "130",
    "--epochs",
    "30",
    "--quiet",
];

#[test]
fn a_plain_run_has_no_rare_events_block_and_a_weighted_run_has_one() {
    let plain = run_json(RUN.iter().chain(&["--format", "json"]));
    assert!(plain.get("rare_events").is_none());
    let card = run_json(RUN.iter().chain(&["--format", "json", "--rare-events"]));
    let block = &card["rare_events"];
    assert_eq!(block["paths"], 130);
    assert_eq!(block["weight_bound"], 2.0);
    let ess = block["effective_sample_size"].as_f64().expect("ess");
    assert!(ess > 0.0 && ess <= 130.0, "ess {ess}");
    assert!(
        block["unweighted"]
            .as_array()
            .expect("list")
            .iter()
            .any(|v| v == "capital.liquidation_count")
    );
    assert_ne!(plain["capital"]["roi_mean"], card["capital"]["roi_mean"]);
}

#[test]
fn a_weighted_run_is_the_same_for_any_thread_count_and_sharding() {
    let with = |extra: &[&str]| {
        let args: Vec<&str> = RUN
            .iter()
            .copied()
            .chain(["--format", "json", "--rare-events"])
            .chain(extra.iter().copied())
            .collect();
        serde_json::to_string(&without_run_info(run_json(args))).expect("json")
    };
    let one = with(&["--threads", "1"]);
    assert_eq!(one, with(&["--threads", "2"]));
    let dir = tempfile::tempdir().expect("tempdir");
    let mut merge: Vec<OsString> = vec!["merge".into()];
    for k in [1, 0] {
        let path = dir.path().join(format!("part{k}.json"));
        pmmsim()
            .args(RUN)
            .args(["--rare-events", "--shard", &format!("{k}/2"), "-o"])
            .arg(&path)
            .assert()
            .success();
        merge.push(path.into_os_string());
    }
    merge.extend(["--format".into(), "json".into()]);
    let merged = serde_json::to_string(&without_run_info(run_json(merge))).expect("json");
    assert_eq!(one, merged);
}

#[test]
fn a_scenario_without_capital_is_refused() {
    let out = pmmsim()
        .args([
            "run",
            "hub_only_11",
            "--paths",
            "8",
            "--epochs",
            "2",
            "--quiet",
        ])
        .arg("--rare-events")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--rare-events"), "{err}");
}
