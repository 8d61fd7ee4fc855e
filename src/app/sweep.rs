//! The optimizer sweep: every candidate posture of the grid on the same paths (common
//! random numbers), then the ranking, frontier and deployability.

use super::{Progress, with_threads};
use crate::engine::outcome::CapitalOutcome;
use crate::engine::sweep::{SweepBatches, run_sweep_counted};
use crate::engine::{Setup, Shard};
use crate::error::{Error, Result};
use crate::optimizer::{self, OptimizerResult};

/// Whether the sweep runs: asked for (`--optimizer`), or the scenario's
/// `optimizer.enabled`. Asking for it on a routing-only scenario is an error.
pub fn optimizer_enabled(setup: &Setup, asked: bool) -> Result<bool> {
    let enabled = setup.scenario.optimizer.as_ref().is_some_and(|o| o.enabled);
    if (asked || enabled) && setup.scenario.capital.is_none() {
        return Err(Error::Usage(format!(
            "--optimizer needs a capital scenario; `{}` is routing-only (no capitalEfficiency block)",
            setup.scenario.name
        )));
    }
    Ok(asked || enabled)
}

/// What a sweep did, for the throughput report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SweepCounts {
    pub paths: u64,
    pub candidates: u64,
    pub trades_routed: u64,
}

/// A finished sweep.
pub struct Sweep {
    pub result: OptimizerResult,
    pub counts: SweepCounts,
}

/// The candidate grid of a capital scenario's sweep.
pub fn sweep_grid(setup: &Setup) -> Result<optimizer::Grid> {
    let spec = setup
        .scenario
        .capital
        .as_ref()
        .ok_or_else(|| Error::Usage("the optimizer needs a capital scenario".into()))?;
    Ok(optimizer::grid(
        setup.scenario.optimizer.as_ref(),
        spec,
        &setup.policy,
    ))
}

/// Runs every candidate of `grid` on the paths of `range` (common random numbers);
/// returns per batch in order each path's outcomes for every candidate, and the trades
/// routed.
pub fn sweep_range(
    setup: &Setup,
    grid: &optimizer::Grid,
    range: std::ops::Range<u64>,
    threads: usize,
    progress: &dyn Progress,
) -> Result<(SweepBatches, u64)> {
    progress.note(&format!(
        "optimizer: {} candidates ({} rejected) x {} paths",
        grid.candidates.len(),
        grid.rejected.len(),
        range.end - range.start
    ));
    progress.start(range.end - range.start);
    let out = with_threads(threads, || {
        run_sweep_counted(setup, &grid.candidates, range, &|n| progress.advance(n))
    })?;
    progress.finish();
    Ok(out)
}

/// Ranks the candidates of `grid` from the sweep's paths (`paths`: every path of the run
/// in order, each with its outcome for every candidate). Used by an unsharded sweep and
/// by `merge`, so the two rank the very same numbers.
pub fn rank_paths(
    setup: &Setup,
    grid: optimizer::Grid,
    paths: impl IntoIterator<Item = Vec<CapitalOutcome>>,
) -> OptimizerResult {
    let mut per_candidate = vec![Vec::new(); grid.candidates.len()];
    for path in paths {
        for (c, outcome) in path.into_iter().enumerate() {
            per_candidate[c].push(outcome);
        }
    }
    optimizer::rank(
        &grid.candidates,
        &per_candidate,
        &setup.policy,
        setup.scenario.monte_carlo.epochs,
        grid.rejected,
    )
}

/// Runs the optimizer sweep of a capital scenario and ranks its candidates. `paths`
/// replaces the optimizer block's (and the scenario's) path count.
pub fn sweep(
    setup: &Setup,
    threads: usize,
    paths: Option<u64>,
    progress: &dyn Progress,
) -> Result<Sweep> {
    let grid = sweep_grid(setup)?;
    let block = setup.scenario.optimizer.as_ref();
    let paths = paths
        .or(block.and_then(|b| b.paths))
        .unwrap_or(setup.scenario.monte_carlo.paths);
    let range = Shard::ALL.path_range(paths);
    let (batches, trades_routed) = sweep_range(setup, &grid, range, threads, progress)?;
    let counts = SweepCounts {
        paths,
        candidates: grid.candidates.len() as u64,
        trades_routed,
    };
    let result = rank_paths(setup, grid, batches.into_iter().flatten());
    Ok(Sweep { result, counts })
}
