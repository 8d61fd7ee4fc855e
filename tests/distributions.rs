//! The scorecard's `distributions` section on a real capital run: the per-epoch quantiles
//! the engine reads from its sketches agree with the exact quantiles of the same paths
//! (the last epoch's capital is each path's `T_end`), every array has one element per
//! epoch, and the histograms count every path. That sharded and threaded runs give the
//! same bits is checked by `shard.rs` and `determinism.rs` on whole scorecards.

mod common;

use common::{run_json, tol};
use serde_json::Value;

const EPOCHS: usize = 40;

fn arr(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_f64().expect("number"))
        .collect()
}

#[test]
fn epoch_series_agree_with_the_exact_quantiles_and_histograms_count_every_path() {
    let card = run_json([
        "run",
        "chain138_deployed_capital_efficiency",
        "--paths",
        "150",
        "--epochs",
        &EPOCHS.to_string(),
        "--quiet",
        "--format",
        "json",
    ]);
    let d = &card["distributions"];
    let series = &d["epoch_series"];
    assert_eq!(series["paths"], 150);
    for name in ["capital_usd", "drawdown"] {
        for q in ["p05", "p25", "p50", "p75", "p95"] {
            let v = arr(&series[name][q]);
            assert_eq!(v.len(), EPOCHS, "{name}.{q}");
            assert!(v.iter().all(|x| x.is_finite() && *x >= 0.0), "{name}.{q}");
        }
        // Quantiles are ordered at every epoch.
        let bands: Vec<Vec<f64>> = ["p05", "p25", "p50", "p75", "p95"]
            .iter()
            .map(|q| arr(&series[name][q]))
            .collect();
        for e in 0..EPOCHS {
            assert!(
                bands.windows(2).all(|w| w[0][e] <= w[1][e]),
                "{name} epoch {e}"
            );
        }
    }
    let end = &card["capital"]["capital_end"];
    for q in ["p05", "p50", "p95"] {
        let sketch = *arr(&series["capital_usd"][q]).last().expect("epochs");
        let exact = end[q].as_f64().expect("capital_end");
        assert!(
            (sketch - exact).abs() <= tol::EPOCH_SKETCH_REL * exact.abs(),
            "capital at the last epoch, {q}: sketch {sketch}, exact {exact}"
        );
    }
    // The largest drawdown of a path is at least its drawdown at any epoch.
    let dd_max_p95 = card["capital"]["max_drawdown_p95"].as_f64().expect("p95");
    let dd_last_p95 = *arr(&series["drawdown"]["p95"]).last().expect("epochs");
    assert!(dd_last_p95 <= dd_max_p95 * (1.0 + tol::EPOCH_SKETCH_REL));
    for h in ["roi_histogram", "max_drawdown_histogram"] {
        let counts: u64 = d[h]["counts"]
            .as_array()
            .expect("counts")
            .iter()
            .map(|c| c.as_u64().expect("count"))
            .sum();
        let outside =
            d[h]["underflow"].as_u64().unwrap_or(0) + d[h]["overflow"].as_u64().unwrap_or(0);
        assert_eq!(counts + outside, 150, "{h}");
        assert_eq!(outside, 0, "{h}: the edges span every value");
    }
}

#[test]
fn routing_only_runs_have_no_distributions() {
    let card = run_json([
        "run",
        "hub_only_11",
        "--paths",
        "64",
        "--epochs",
        "5",
        "--quiet",
        "--format",
        "json",
    ]);
    assert!(card.get("distributions").is_none());
}
