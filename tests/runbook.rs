//! The runbook's actions end to end: on common random numbers the redemption throttle never
//! makes the bank run's p95 drawdown worse, treasury deployment never exceeds the documented
//! commitments, and a deployment naming an undocumented source is refused.

mod common;

use common::{pmmsim, repo_path, run_json, write_json};
use serde_json::{Value, json};

fn read(rel: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(repo_path(rel)).expect("read")).expect("JSON")
}

fn p95_drawdown(card: &Value) -> f64 {
    card["capital"]["max_drawdown_p95"].as_f64().expect("p95")
}

#[test]
fn throttle_never_worsens_the_bank_runs_p95_drawdown_on_the_same_paths() {
    for seed in ["42", "7"] {
        let args = |name: &str| {
            vec![
                "run".to_string(),
                name.to_string(),
                "--paths".into(),
                "192".into(),
                "--seed".into(),
                seed.into(),
                "--format".into(),
                "json".into(),
            ]
        };
        let base = run_json(args("bank_run_redemption_spike"));
        let throttled = run_json(args("bank_run_with_redemption_throttle"));
        let (b, t) = (p95_drawdown(&base), p95_drawdown(&throttled));
        assert!(t <= b, "seed {seed}: throttled p95 drawdown {t} > {b}");
        let action = &throttled["capital"]["runbook"]["actions"][0];
        assert_eq!(action["action"], "redemption_throttle");
        assert!(action["triggers_total"].as_u64().unwrap() > 0);
        assert!(action["cost_mean_usd"].as_f64().unwrap() > 0.0);
        assert!(base["capital"].get("runbook").is_none());
    }
}

/// A config dir whose bank run deploys treasury liquidity (with `sources`, if given) when
/// the reserve ends an epoch below 1.5 times the floor (the shipped bank run never draws it
/// below the floor itself).
fn deployment_dir(sources: Option<Value>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut s = read("config/scenarios/bank_run_redemption_spike.json");
    s["name"] = json!("bank_run_deploy");
    let mut d = json!({ "enabled": true, "targetReserveMultiple": 1.5 });
    if let Some(src) = sources {
        d["sources"] = src;
    }
    s["capitalEfficiency"]["runbook"] = json!({ "treasuryDeployment": d });
    let scenarios = dir.path().join("scenarios");
    std::fs::create_dir_all(&scenarios).expect("mkdir");
    write_json(&scenarios, "bank_run_deploy.json", &s);
    dir
}

#[test]
fn deployment_never_exceeds_the_documented_commitments() {
    let committed: f64 = read("config/treasury-liquidity-commitments.json")["commitments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["amountUsd"].as_f64().unwrap())
        .sum();
    let dir = deployment_dir(None);
    let card = run_json([
        "run",
        "bank_run_deploy",
        "--config-dir",
        dir.path().to_str().unwrap(),
        "--paths",
        "64",
        "--format",
        "json",
    ]);
    let rb = &card["capital"]["runbook"];
    assert_eq!(rb["deployment_committed_usd"].as_f64().unwrap(), committed);
    let max = rb["deployment_requested_max_usd"].as_f64().unwrap();
    assert!(
        max > 0.0,
        "the bank run draws the reserve below 1.5 times the floor: {rb}"
    );
    assert!(max <= committed, "{max} > {committed}");
    // The attribution, deployment included, adds up to the capital return.
    let terms: f64 = card["capital"]["pnl_attribution"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["roi_contribution"].as_f64().unwrap())
        .sum();
    let ret = card["capital"]["capital_return_mean"].as_f64().unwrap();
    assert!(
        (terms - ret).abs() <= common::tol::PNL_ATTRIBUTION_REL * ret.abs().max(1.0),
        "{terms} vs {ret}"
    );
}

#[test]
fn deployment_from_an_undocumented_source_is_refused() {
    let dir = deployment_dir(Some(json!([{ "chainId": 1, "source": "a friend" }])));
    let out = pmmsim()
        .args([
            "run",
            "bank_run_deploy",
            "--config-dir",
            dir.path().to_str().unwrap(),
            "--paths",
            "8",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("treasury-liquidity-commitments.json"), "{err}");
    assert!(err.contains("a friend"), "{err}");
}
