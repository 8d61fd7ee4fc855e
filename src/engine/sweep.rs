//! The optimizer's path loop: every candidate posture runs on the same path stream
//! (common random numbers). [`PathRun`] routes once per distinct pool fee rather than once
//! per candidate, and every candidate still sees exactly the routing it would see alone,
//! so a candidate's results are bit-identical to a single run at its posture.

use std::ops::Range;

use super::epoch::{EpochScratch, PathRun};
use super::outcome::CapitalOutcome;
use super::{Setup, run_batched};
use crate::model::overlay::Candidate;
use crate::model::routing::RoutingLayer;

/// Per batch in order, each path's outcomes for every candidate.
pub type SweepBatches = Vec<Vec<Vec<CapitalOutcome>>>;

/// Runs the sweep over the paths in `range`; returns, per batch in order, each path's
/// outcomes for every candidate. `on_batch` gets the number of paths each batch held.
pub fn run_sweep(
    setup: &Setup,
    candidates: &[Candidate],
    range: Range<u64>,
    on_batch: &(dyn Fn(u64) + Sync),
) -> SweepBatches {
    run_sweep_counted(setup, candidates, range, on_batch).0
}

/// [`run_sweep`], plus the number of trades routed over all paths (each epoch's trades
/// once per fee branch), for the throughput report.
pub fn run_sweep_counted(
    setup: &Setup,
    candidates: &[Candidate],
    range: Range<u64>,
    on_batch: &(dyn Fn(u64) + Sync),
) -> (SweepBatches, u64) {
    let layer = RoutingLayer::new(&setup.graph, setup.routing);
    let batches = run_batched(
        range,
        on_batch,
        || EpochScratch::new(&setup.graph),
        |scratch, paths| {
            let mut routed = 0;
            let outcomes = paths
                .map(|index| {
                    let mut run = PathRun::new(setup, index, candidates);
                    routed += run.run(&layer, scratch, |_| {});
                    run.outcomes()
                })
                .collect::<Vec<_>>();
            (outcomes, routed)
        },
    );
    let routed = batches.iter().map(|(_, n)| n).sum();
    (batches.into_iter().map(|(b, _)| b).collect(), routed)
}
