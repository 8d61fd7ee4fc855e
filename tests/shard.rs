//! Sharded runs: `run --shard K/N` parts merged by `pmmsim merge` give exactly the
//! unsharded scorecard (apart from `run_info`); incomplete or mixed parts are refused.

use assert_cmd::Command;

fn pmmsim() -> Command {
    Command::cargo_bin("pmmsim").expect("binary")
}

fn without_run_info(text: &[u8]) -> String {
    let mut v: serde_json::Value = serde_json::from_slice(text).expect("json");
    v.as_object_mut().expect("object").remove("run_info");
    serde_json::to_string(&v).expect("json")
}

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
    let merged = pmmsim()
        .arg("merge")
        .args(&parts)
        .args(["--format", "json"])
        .output()
        .expect("merge");
    assert!(
        merged.status.success(),
        "{}",
        String::from_utf8_lossy(&merged.stderr)
    );
    let full = pmmsim()
        .args(RUN)
        .args(["--quiet", "--format", "json"])
        .output()
        .expect("run");
    assert_eq!(
        without_run_info(&merged.stdout),
        without_run_info(&full.stdout)
    );
}

#[test]
fn incomplete_or_foreign_parts_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let part = |k: u32, seed: &str| {
        let path = dir.path().join(format!("p{k}-{seed}.json"));
        pmmsim()
            .args(RUN)
            .args([
                "--quiet",
                "--seed",
                seed,
                "--shard",
                &format!("{k}/2"),
                "-o",
            ])
            .arg(&path)
            .assert()
            .success();
        path
    };
    let (a0, a1, b1) = (part(0, "1"), part(1, "1"), part(1, "2"));
    let missing = pmmsim().arg("merge").arg(&a0).output().expect("merge");
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("missing"));
    let mixed = pmmsim()
        .arg("merge")
        .arg(&a0)
        .arg(&b1)
        .output()
        .expect("merge");
    assert_eq!(mixed.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&mixed.stderr).contains("inputs_hash"));
    pmmsim().arg("merge").arg(&a0).arg(&a1).assert().success();
}
