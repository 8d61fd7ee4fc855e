//! What the integration tests share: the `pmmsim` binary, running it for a JSON
//! scorecard, small file helpers, and every numeric tolerance the tests allow (in
//! [`tol`], each with what it bounds and why it has that size).
//!
//! Each test file includes this module with `mod common;`. A test crate that uses only
//! part of it would warn about the rest, hence the `dead_code` allowance below.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

/// Path of the `pmmsim` binary Cargo built for these tests.
pub fn pmmsim_path() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_pmmsim"))
}

/// A command for the `pmmsim` binary, ready for arguments.
pub fn pmmsim() -> Command {
    Command::new(pmmsim_path())
}

/// Runs `pmmsim ARGS`, asserts it succeeded (printing its stderr if not) and returns
/// its stdout.
pub fn run_stdout<I, S>(args: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let args: Vec<S> = args.into_iter().collect();
    let shown: Vec<String> = args
        .iter()
        .map(|a| a.as_ref().to_string_lossy().into_owned())
        .collect();
    let output = pmmsim().args(&args).output().expect("pmmsim runs");
    assert!(
        output.status.success(),
        "`pmmsim {}` failed ({:?}): {}",
        shown.join(" "),
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("stdout is UTF-8")
}

/// Runs `pmmsim ARGS` (which should ask for JSON, e.g. `--format json`), asserts it
/// succeeded and returns stdout parsed as JSON. Wrap it in [`without_run_info`] to
/// compare runs.
pub fn run_json<I, S>(args: I) -> Value
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let text = run_stdout(args);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("stdout is not JSON: {e}\n{text}"))
}

/// The scorecard without its `run_info` provenance block (time, host, duration), the one
/// part that differs between identical runs. Panics if there is none to remove.
pub fn without_run_info(mut card: Value) -> Value {
    let removed = card
        .as_object_mut()
        .expect("a scorecard is a JSON object")
        .remove("run_info");
    assert!(removed.is_some(), "the scorecard has a run_info block");
    card
}

/// A path inside this repository (`config/...`, `docs/...`, `tests/...`).
pub fn repo_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Writes `value` as pretty JSON to `dir/name` and returns the path.
pub fn write_json(dir: &Path, name: &str, value: &Value) -> PathBuf {
    let path = dir.join(name);
    let text = serde_json::to_string_pretty(value).expect("serialises");
    std::fs::write(&path, text).expect("write temp file");
    path
}

/// Every numeric tolerance the integration tests allow. Seeded runs are compared bit for
/// bit (no tolerance at all); these are for comparisons with closed forms, identities and
/// hand-derived bounds. Relative tolerances are multiplied by the scale named in their doc.
pub mod tol {
    /// Relative: a deterministic capital path (no noise, shocks or flow) against its
    /// closed-form compounding, `|roi - closed| <= CLOSED_FORM_REL * |closed|`. The two
    /// differ only by floating-point rounding over 100 epochs of products and sums
    /// (about 1e-14 relative); 1e-9 leaves room for a different but equivalent order of
    /// operations and still catches a wrong day count or rate (errors of 1e-3 and up).
    pub const CLOSED_FORM_REL: f64 = 1e-9;

    /// Relative to the initial capital: the PnL attribution terms of a path must add up to
    /// its PnL, `|sum(terms) - pnl| <= PNL_ATTRIBUTION_REL * initial_capital`. An identity,
    /// so only rounding over a few hundred epochs of additions separates the two
    /// (about 1e-13 of the capital); a dropped or double-counted term is orders of
    /// magnitude larger.
    pub const PNL_ATTRIBUTION_REL: f64 = 1e-9;

    /// Absolute: a `z` that `pmmsim diff` reports against the same formula recomputed in
    /// the test, `(new - base) / sqrt(se_base^2 + se_new^2)`. Both sides do the same few
    /// float operations on the same inputs; 1e-9 allows for a different evaluation order.
    pub const DIFF_Z_ABS: f64 = 1e-9;

    /// Relative to the trade size: the volume the router reports for one trade against the
    /// size offered, `|volume - size| <= ROUTED_VOLUME_REL * size`. The volume is a sum of
    /// chunks (rounding about 1e-14 of the size); one chunk lost or counted twice is 1/64 of
    /// the size in that test, so 1e-6 sits far from both.
    pub const ROUTED_VOLUME_REL: f64 = 1e-6;

    /// In one-chunk price impacts: how far apart the final marginal (one-chunk) quotes of
    /// the routes a water-filled trade used may be.
    ///
    /// Water-filling sends every chunk to the route that currently pays the most for one
    /// chunk. For routes that share no stateful hop, when the last chunk went to route `r`
    /// its quote was >= every other route's, and afterwards `r`'s quote fell by that one
    /// chunk's price impact while the others' quotes could only fall. So the final
    /// marginal quotes of the used routes differ by at most one chunk's impact on a used
    /// route. From equilibrium a single trade pushes each pool monotonically away from
    /// it, where impact per chunk only grows, so the impact of one *more* chunk at the
    /// final state bounds the impact of the last one. The tolerance is that many chunk
    /// impacts, plus [`QUOTE_FLOAT_REL`] of a chunk.
    pub const WATER_FILL_CHUNK_IMPACTS: f64 = 1.0;

    /// Relative to the trade size: rounding allowed when comparing what the router and
    /// the chunk-by-chunk reference deliver to a trader. Sending a trade whole and in
    /// chunks prices the same PMM integral in a different order of operations (each
    /// exact to about 1e-16); real differences from the route choice or a saved fixed
    /// cost are 1e-6 of the size and up.
    pub const ROUTER_QUALITY_REL: f64 = 1e-9;

    /// Relative to the chunk size: floating-point slack added to
    /// [`WATER_FILL_CHUNK_IMPACTS`] for rounding in the quotes (a quote is a chain of a
    /// few pool, fee and link evaluations, each exact to about 1e-16).
    pub const QUOTE_FLOAT_REL: f64 = 1e-9;

    /// Absolute, in deviation units (a fraction; 1e-9 is 0.00001 bps): rounding allowed
    /// on a pool's deviation from the peg when comparing it with the arbitrage threshold.
    /// Arbitrage leaves a pool at the threshold to within a few ulps; the thresholds under
    /// test are tens of bps (1e-3), six orders of magnitude above.
    pub const DEVIATION_ABS: f64 = 1e-9;

    /// Share of the flow that must still arrive with one link down, against the same
    /// trades with every link up (or against the flow offered). Not a statistical
    /// tolerance: a coarse bound that tells "rerouted via the hub or the external route"
    /// (most of the flow, minus some extra cost and the trades that no route serves) from
    /// "stalled" (none of it).
    pub const REROUTED_FLOW_MIN_SHARE: f64 = 0.5;

    /// Smallest `z` that `pmmsim diff` must report for the throttle rise of 0.125 events
    /// per path with standard errors of 0.01 on both sides: exactly
    /// `0.125 / sqrt(2 * 0.01^2)` = 8.84. A lower bound, not the value: the test asks that
    /// the tighter case be far beyond noise (diff warns above `NOISE_Z` = 2), and 8 is
    /// four times that cut yet below the exact value by more than any rounding.
    pub const TIGHT_DIFF_MIN_Z: f64 = 8.0;

    /// Relative: a per-epoch quantile from the engine's sketch against the exact quantile
    /// of the same paths. The sketch's documented accuracy (`stats::sketch`, 0.5%) plus
    /// 1e-12 of float slack; twice that bound would let a sketch with bins twice as wide
    /// pass, so the slack stays tiny.
    pub const EPOCH_SKETCH_REL: f64 = 0.005 * (1.0 + 1e-12);
}

/// Scorecard surgery for the tests of `diff` and `run --from`: a scorecard edited the way
/// a careful forger would (gate re-derived from the edited metric, inputs hash and digest
/// recomputed), so that a test reaches the check it means to exercise.
pub mod forge {
    use pmmsim::config::ResolvedInputs;
    use pmmsim::gates::{Comparison, Confidence, decide};
    use pmmsim::scorecard::Interval;
    use pmmsim::scorecard::seal::content_digest;
    use pmmsim::stats::wilson_cc_interval;
    use serde_json::{Value, json};

    fn end(v: f64) -> Value {
        if v.is_finite() { json!(v) } else { Value::Null }
    }

    /// Recomputes `inputs.inputs_hash` from the embedded inputs, then the content digest.
    pub fn reseal(card: &mut Value) {
        let resolved: ResolvedInputs =
            serde_json::from_value(card["resolved_inputs"].clone()).expect("embedded inputs");
        card["inputs"]["inputs_hash"] = json!(resolved.hash());
        card["digest"] = json!(content_digest(card));
    }

    /// Re-derives gate `name` (a mean or a proportion) from its metric as pmmsim would:
    /// evidence, value, interval, bound and verdict.
    pub fn rederive_gate(card: &mut Value, name: &str) {
        let i = card["gates"]
            .as_array()
            .expect("gates")
            .iter()
            .position(|g| g["name"] == name)
            .expect("the gate");
        let g = card["gates"][i].clone();
        let metric = g["metric"].as_str().expect("metric").to_string();
        let section = if card["routing"].get(&metric).is_some() {
            "routing"
        } else {
            "capital"
        };
        let m = card[section][&metric].as_f64().expect("metric value");
        let paths = g["paths"].as_u64().expect("paths");
        let z = Confidence {
            level: g["confidence"].as_f64().expect("confidence"),
            looks: g["looks"].as_u64().expect("looks") as u32,
        }
        .z();
        let mut evidence = g["evidence"].clone();
        let ci = match evidence["kind"].as_str().expect("kind") {
            "proportion" => {
                let count = (m * paths as f64).round() as u64;
                evidence["count"] = json!(count);
                wilson_cc_interval(count, paths, z)
            }
            "normal" => {
                let se = card[section][format!("{metric}_se")].as_f64().expect("se");
                evidence["se"] = json!(se);
                Interval {
                    lo: m - z * se,
                    hi: m + z * se,
                }
            }
            other => panic!("rederive_gate handles means and proportions, not {other}"),
        };
        let comparison: Comparison =
            serde_json::from_value(g["comparison"].clone()).expect("comparison");
        let (verdict, bound) = decide(
            comparison,
            g["threshold"].as_f64().expect("threshold"),
            g["threshold_high"].as_f64(),
            m,
            ci,
        );
        let gate = &mut card["gates"][i];
        gate["value"] = json!(m);
        gate["interval"] = json!({ "lo": end(ci.lo), "hi": end(ci.hi) });
        gate["bound"] = end(bound);
        gate["verdict"] = serde_json::to_value(verdict).expect("verdict");
        gate["paths_needed"] = Value::Null;
        gate["evidence"] = evidence;
    }
}
