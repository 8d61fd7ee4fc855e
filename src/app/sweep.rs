//! The optimizer sweep: every candidate posture of the grid on the same paths (common
//! random numbers), then the ranking, frontier and deployability.

use super::{Progress, with_threads};
use crate::engine::{Setup, Shard, sweep::run_sweep_counted};
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

/// Runs the optimizer sweep of a capital scenario and ranks its candidates. `paths`
/// replaces the optimizer block's (and the scenario's) path count.
pub fn sweep(
    setup: &Setup,
    threads: usize,
    paths: Option<u64>,
    progress: &dyn Progress,
) -> Result<Sweep> {
    let spec = setup
        .scenario
        .capital
        .as_ref()
        .ok_or_else(|| Error::Usage("the optimizer needs a capital scenario".into()))?;
    let block = setup.scenario.optimizer.as_ref();
    let grid = optimizer::grid(block, spec, &setup.policy);
    let paths = paths
        .or(block.and_then(|b| b.paths))
        .unwrap_or(setup.scenario.monte_carlo.paths);
    progress.note(&format!(
        "optimizer: {} candidates ({} rejected) x {} paths",
        grid.candidates.len(),
        grid.rejected.len(),
        paths
    ));
    progress.start(paths);
    let range = Shard::ALL.path_range(paths);
    let (batches, trades_routed) = with_threads(threads, || {
        run_sweep_counted(setup, &grid.candidates, range, &|n| progress.advance(n))
    })?;
    progress.finish();
    let mut per_candidate = vec![Vec::with_capacity(paths as usize); grid.candidates.len()];
    for path in batches.iter().flatten() {
        for (c, outcome) in path.iter().enumerate() {
            per_candidate[c].push(outcome.clone());
        }
    }
    let counts = SweepCounts {
        paths,
        candidates: grid.candidates.len() as u64,
        trades_routed,
    };
    let result = optimizer::rank(
        &grid.candidates,
        &per_candidate,
        &setup.policy,
        setup.scenario.monte_carlo.epochs,
        grid.rejected,
    );
    Ok(Sweep { result, counts })
}
