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
