//! Catalog entries of the run (inputs and provenance), the gates (one per gate) and the
//! optimizer (its counts and its top deployable candidate).

use super::entry::{Export, ExportUnit::*, Row, Topic};
use super::{Metric, Section};
use crate::gates::Gate;
use crate::optimizer::OptimizerResult;
use crate::scorecard::Scorecard;

/// The run: an info metric whose labels identify it, the size, and the provenance.
pub(super) fn run(card: &Scorecard) -> Vec<Metric> {
    let i = &card.inputs;
    let n = |key, v| Metric::count(Section::Run, key, v);
    vec![
        Metric::real(Section::Run, "scorecard_info", 1.0)
            .labelled("inputs_hash", i.inputs_hash.as_str())
            .labelled("seed", i.seed.to_string())
            .labelled("graph_mode", i.graph_mode.as_str())
            .labelled("topology", i.topology.as_str())
            .labelled("tool_version", card.run_info.tool_version.as_str())
            .about("", "The run that produced these metrics (always 1).")
            .export(Export::gauge("scorecard_info", Unitless)),
        n("inputs.paths", i.paths)
            .about("paths", "Monte Carlo paths simulated.")
            .export(Export::gauge("paths", Unitless)),
        n("inputs.epochs", u64::from(i.epochs))
            .about("epochs", "Epochs per path.")
            .export(Export::gauge("epochs", Unitless)),
        n("run_info.started_unix", card.run_info.started_unix)
            .about(
                "seconds since the Unix epoch",
                "When the run started, seconds since the Unix epoch.",
            )
            .export(Export::gauge("run_started_timestamp", Seconds)),
        Metric::real(
            Section::Run,
            "run_info.duration_secs",
            card.run_info.duration_secs,
        )
        .about("seconds", "How long the run took, seconds.")
        .export(Export::gauge("run_duration", Seconds)),
    ]
}

/// Whether each gate passed (1) or not (0), and whether it was inconclusive, labelled by
/// the gate's name.
pub(super) fn gates(gates: &[Gate]) -> Vec<Metric> {
    let flag = |b: bool| if b { 1.0 } else { 0.0 };
    gates
        .iter()
        .flat_map(|g| {
            [
                Metric::real(Section::Gates, "gates.pass", flag(g.passed()))
                    .labelled("gate", g.name.as_str())
                    .about(
                        "1 = pass",
                        "Whether the gate's verdict is pass (1) or not (0: fail or inconclusive).",
                    )
                    .export(Export::gauge("gate_pass", Unitless)),
                Metric::real(
                    Section::Gates,
                    "gates.inconclusive",
                    flag(g.verdict == crate::gates::Verdict::Inconclusive),
                )
                .labelled("gate", g.name.as_str())
                .about(
                    "1 = inconclusive",
                    "Whether the gate's confidence interval straddles its threshold (1): more paths are needed.",
                )
                .export(Export::gauge("gate_inconclusive", Unitless)),
            ]
        })
        .collect()
}

/// The optimizer's counts, then its top deployable candidate when there is one.
pub(super) fn optimizer(o: &OptimizerResult) -> Vec<Metric> {
    let n = |key, v: usize| Metric::count(Section::Optimizer, key, v as u64);
    let deployable = o.candidates.iter().filter(|c| c.deployable).count();
    let mut out = vec![
        n("optimizer.candidates", o.candidates.len())
            .about("candidates", "Optimizer candidates simulated.")
            .export(Export::gauge("optimizer_candidates", Unitless)),
        n("optimizer.deployable_candidates", deployable)
            .about(
                "candidates",
                "Optimizer candidates that pass every gate under the deployable leverage cap.",
            )
            .export(Export::gauge("optimizer_deployable_candidates", Unitless)),
        n("optimizer.rejected", o.rejected.len())
            .about(
                "candidates",
                "Optimizer candidates rejected before simulation (above the hard leverage limit).",
            )
            .export(Export::gauge("optimizer_rejected_candidates", Unitless)),
    ];
    let Some(t) = &o.top_deployable else {
        return out;
    };
    let m = |key, v| Metric::real(Section::Optimizer, key, v);
    let shown = Row::markdown(Topic::Candidate);
    out.extend([
        m("optimizer.top_deployable.leverage", t.leverage)
            .about("x", "Leverage of the best deployable candidate, x.")
            .export(Export::gauge("optimizer_top_deployable_leverage", Unitless)),
        m("optimizer.top_deployable.alpha", t.alpha)
            .about(
                "share",
                "Yield sleeve share of the best deployable candidate.",
            )
            .export(Export::gauge("optimizer_top_deployable_alpha", Ratio)),
        m("optimizer.top_deployable.spread_bps", t.spread_bps)
            .about("bps", "Spread of the best deployable candidate, bps.")
            .export(Export::gauge("optimizer_top_deployable_spread", Bps)),
        m("optimizer.top_deployable.score", t.score)
            .about("score", "Score of the best deployable candidate.")
            .export(Export::gauge("optimizer_top_deployable_score", Unitless))
            .row(shown),
        m("optimizer.top_deployable.roi_mean", t.roi_mean)
            .se(t.roi_mean_se)
            .about("share of T0", "Mean ROI of the best deployable candidate.")
            .export(Export::gauge("optimizer_top_deployable_roi_mean", Ratio))
            .row(shown),
        m("optimizer.top_deployable.roi_p05", t.roi_p05)
            .about(
                "share of T0",
                "5th percentile ROI of the best deployable candidate.",
            )
            .export(Export::gauge("optimizer_top_deployable_roi_p05", Ratio))
            .row(shown),
        m(
            "optimizer.top_deployable.max_drawdown_p95",
            t.max_drawdown_p95,
        )
        .about(
            "share of peak",
            "95th percentile drawdown of the best deployable candidate.",
        )
        .row(shown),
        m(
            "optimizer.top_deployable.liquidation_probability",
            t.liquidation_probability,
        )
        .wilson95(t.liquidation_probability_ci95)
        .about(
            "share of paths",
            "Share of paths liquidated under the best deployable candidate.",
        )
        .row(shown),
        m(
            "optimizer.top_deployable.peg_deviation_frequency",
            t.peg_deviation_frequency,
        )
        .about(
            "share of path-epochs",
            "Peg deviation frequency under the best deployable candidate.",
        )
        .row(shown),
    ]);
    out
}
