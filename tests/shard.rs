//! Sharded runs: `run --shard K/N` parts merged by `pmmsim merge` give exactly the
//! unsharded scorecard (apart from `run_info`). That incomplete or mixed parts are
//! refused is a CLI case: `tests/cmd/merge-refuses-incomplete-or-mixed-parts.md`.

mod common;

use std::ffi::OsString;

use common::{pmmsim, run_json, without_run_info};

const RUN: [&str; 6] = [
    "run",
    "chain138_deployed_capital_efficiency",
    "--paths",
    "150",
    "--epochs",
    "40",
];

#[test]
fn merged_shards_equal_the_unsharded_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut parts = Vec::new();
    for k in [2, 0, 1] {
        let path = dir.path().join(format!("part{k}.json"));
        pmmsim()
            .args(RUN)
            .args(["--quiet", "--shard", &format!("{k}/3"), "-o"])
            .arg(&path)
            .assert()
            .success();
        parts.push(path);
    }
    let mut merge: Vec<OsString> = vec!["merge".into()];
    merge.extend(parts.iter().map(|p| p.as_os_str().to_owned()));
    merge.extend(["--format".into(), "json".into()]);
    let merged = without_run_info(run_json(merge));
    let full = without_run_info(run_json(RUN.iter().chain(&["--quiet", "--format", "json"])));
    assert_eq!(
        serde_json::to_string(&merged).expect("json"),
        serde_json::to_string(&full).expect("json")
    );
}

/// A sweep scenario (`optimizer.enabled`): every shard runs every candidate on its paths.
const SWEEP: [&str; 6] = [
    "run",
    "leverage_sweep_1x_to_4x",
    "--paths",
    "130",
    "--epochs",
    "6",
];

/// Runs `SWEEP` as `n` shards, merges them in reverse order and returns the scorecard
/// JSON without `run_info`.
fn merged_sweep(dir: &std::path::Path, n: u64) -> String {
    let mut merge: Vec<OsString> = vec!["merge".into()];
    for k in (0..n).rev() {
        let path = dir.join(format!("sweep-{k}-of-{n}.json"));
        pmmsim()
            .args(SWEEP)
            .args(["--quiet", "--shard", &format!("{k}/{n}"), "-o"])
            .arg(&path)
            .assert()
            .success();
        merge.push(path.into_os_string());
    }
    merge.extend(["--format".into(), "json".into()]);
    serde_json::to_string(&without_run_info(run_json(merge))).expect("json")
}

/// The sharded optimizer: the merged shards rank, bound and mark deployable exactly as
/// the unsharded sweep, byte for byte, for several splits (5 shards of 3 batches leave
/// two shards empty).
#[test]
fn merged_sweep_shards_equal_the_unsharded_sweep() {
    let dir = tempfile::tempdir().expect("tempdir");
    let full = without_run_info(run_json(
        SWEEP.iter().chain(&["--quiet", "--format", "json"]),
    ));
    assert!(
        full["optimizer"]["candidates"]
            .as_array()
            .is_some_and(|c| c.len() > 1),
        "the sweep ranks its candidates"
    );
    let full = serde_json::to_string(&full).expect("json");
    for n in [2, 3, 5] {
        assert_eq!(merged_sweep(dir.path(), n), full, "{n} shards");
    }
}

/// The folder of the tampered-shard CLI case (`tests/cmd/merge-refuses-tampered-shards.md`).
const TAMPERED: &str = "tests/cmd/merge-refuses-tampered-shards.in";

/// Writes the shards of the tampered-shard CLI case: two good shards of one small run
/// (64 paths and 2 paths) and the tampered copies of the second, each edited the way the
/// issue describes. A copy whose name ends in `-resealed` had its content digest
/// recomputed after the edit, as a deliberate forger would, so that the check behind the
/// digest is the one that must catch it. Regenerate after a change of the shard format:
/// `cargo test --release --test shard -- --ignored regenerate_tampered_shards`.
#[test]
#[ignore = "writes the fixtures of a CLI case"]
fn regenerate_tampered_shards() {
    use pmmsim::shard::PartialRun;
    use serde_json::{Value, json};

    let dir = common::repo_path(TAMPERED);
    std::fs::create_dir_all(&dir).expect("fixture folder");
    for k in 0..2 {
        pmmsim()
            .args([
                "run",
                "hub_only_11",
                "--paths",
                "66",
                "--epochs",
                "3",
                "--seed",
                "7",
            ])
            .args(["--quiet", "--shard", &format!("{k}/2"), "-o"])
            .arg(dir.join(format!("good-{k}.json")))
            .assert()
            .success();
    }
    let good: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("good-1.json")).expect("read"))
            .expect("json");
    let write = |name: &str, edit: &dyn Fn(&mut Value), reseal: bool| {
        let mut v = good.clone();
        edit(&mut v);
        let text = if reseal {
            let mut part: PartialRun = serde_json::from_value(v).expect("still a part");
            part.seal();
            serde_json::to_string(&part).expect("json")
        } else {
            serde_json::to_string(&v).expect("json")
        };
        std::fs::write(dir.join(format!("{name}.json")), text + "\n").expect("write");
    };
    let path0 = |v: &mut Value| v["batches"][0]["paths"][0].clone();
    write(
        "metric-edited",
        &|v| v["batches"][0]["paths"][0]["routing"]["capture_mean"] = json!(0.9),
        false,
    );
    write(
        "volume-negative-resealed",
        &|v| v["batches"][0]["paths"][0]["routing"]["volume"] = json!(-1e12),
        true,
    );
    write(
        "batches-empty-resealed",
        &|v| v["batches"] = json!([]),
        true,
    );
    write(
        "batch-duplicated-resealed",
        &|v| {
            let b = v["batches"][0].clone();
            v["batches"].as_array_mut().expect("batches").push(b);
        },
        true,
    );
    write(
        "chain-array-short-resealed",
        &|v| {
            v["batches"][0]["paths"][0]["routing"]["chain_peak_outflow"]
                .as_array_mut()
                .expect("per-chain array")
                .pop();
        },
        true,
    );
    write(
        "pool-array-long-resealed",
        &|v| {
            v["batches"][0]["totals"]["pool_fees"]
                .as_array_mut()
                .expect("per-pool array")
                .push(json!(0.0));
        },
        true,
    );
    write(
        "first-path-huge-resealed",
        &|v| v["batches"][0]["first_path"] = json!(1_000_000_000_000_000_000u64),
        true,
    );
    write(
        "path-added-resealed",
        &|v| {
            let p = path0(v);
            v["batches"][0]["paths"]
                .as_array_mut()
                .expect("paths")
                .push(p);
        },
        true,
    );
    write(
        "inputs-edited-resealed",
        &|v| v["inputs"]["scenario"]["monteCarlo"]["seed"] = json!(8),
        true,
    );
    write(
        "inputs-and-hash-edited-resealed",
        &|v| {
            v["inputs"]["scenario"]["monteCarlo"]["seed"] = json!(8);
            let mut part: PartialRun = serde_json::from_value(v.clone()).expect("part");
            part.inputs_hash = part.inputs.hash();
            *v = serde_json::to_value(&part).expect("value");
        },
        true,
    );
    write(
        "digest-removed",
        &|v| {
            v.as_object_mut().expect("object").remove("digest");
        },
        false,
    );
}
