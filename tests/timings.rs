//! `pmmsim run --timings`: the throughput report goes to stderr with every figure it
//! promises, and the scorecard on stdout is the same as without it. No speed is asserted
//! here (speed lives in `benches/` and in the report itself).

mod common;

use common::{pmmsim, without_run_info};
use serde_json::Value;

/// The scorecard without `run_info`, and stderr, of a small sweep run (`extra` appended).
fn run(extra: &[&str]) -> (Value, String) {
    let out = pmmsim()
        .args([
            "run",
            "leverage_sweep_1x_to_4x",
            "--paths",
            "8",
            "--epochs",
            "5",
        ])
        .args(["--format", "json", "--quiet"])
        .args(extra)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let card: Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    (
        without_run_info(card),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn timings_report_goes_to_stderr_and_leaves_the_scorecard_alone() {
    let (plain, quiet_stderr) = run(&[]);
    let (timed, report) = run(&["--timings"]);
    assert_eq!(plain, timed, "--timings must not change the scorecard");
    assert!(quiet_stderr.is_empty(), "{quiet_stderr}");
    for needle in [
        "timings for leverage_sweep_1x_to_4x",
        "setup",
        "simulate",
        "optimizer",
        "path-epochs/s",
        "trades routed/s",
        "total wall",
        "threads",
        "peak memory",
    ] {
        assert!(report.contains(needle), "missing {needle:?} in:\n{report}");
    }
}
