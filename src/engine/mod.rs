//! The Monte Carlo engine: splits paths into fixed-size batches, runs batches in
//! parallel with rayon, and collects them in batch order. Nothing here depends on the
//! thread count: every path seeds itself from `(seed, path index)` and batches are
//! merged serially, so results are bit-identical for any `--threads` and any sharding.

pub mod outcome;
pub mod path;
pub mod setup;
pub mod sweep;

use std::ops::Range;

use rayon::prelude::*;

pub use outcome::{BatchResult, BatchTotals, PathOutcome};
pub use setup::Setup;

use crate::model::overlay::Candidate;
use crate::model::routing::RoutingLayer;
use path::{PathScratch, simulate_path_with};

/// Paths per batch. Fixed (not derived from the thread count) so that batch sums, and
/// hence every reported bit, are the same however the work is scheduled.
pub const BATCH_SIZE: u64 = 64;

/// Which batches of a run a shard covers: shard `index` of `count` (0-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    /// The whole run.
    pub const ALL: Shard = Shard { index: 0, count: 1 };

    /// The path indices this shard runs out of `paths`; shards split on batch boundaries.
    pub fn path_range(&self, paths: u64) -> Range<u64> {
        let batches = paths.div_ceil(BATCH_SIZE);
        let first = batches * self.index / self.count;
        let last = batches * (self.index + 1) / self.count;
        (first * BATCH_SIZE).min(paths)..(last * BATCH_SIZE).min(paths)
    }
}

/// Runs the paths in `range` and returns their batches in order. `on_batch` is called
/// (from any thread) with the number of paths each finished batch held.
pub fn run_paths(
    setup: &Setup,
    candidate: Option<Candidate>,
    range: Range<u64>,
    on_batch: &(dyn Fn(u64) + Sync),
) -> Vec<BatchResult> {
    let first_batch = range.start / BATCH_SIZE;
    let last_batch = range.end.div_ceil(BATCH_SIZE);
    let layer = RoutingLayer::new(&setup.graph, setup.routing);
    (first_batch..last_batch)
        .into_par_iter()
        .map_init(
            || PathScratch::new(setup),
            |scratch, batch| {
                let start = (batch * BATCH_SIZE).max(range.start);
                let end = ((batch + 1) * BATCH_SIZE).min(range.end);
                let result = run_batch(setup, &layer, candidate, start..end, scratch);
                on_batch(end - start);
                result
            },
        )
        .collect()
}

fn run_batch(
    setup: &Setup,
    layer: &RoutingLayer,
    candidate: Option<Candidate>,
    range: Range<u64>,
    scratch: &mut PathScratch,
) -> BatchResult {
    let g = &setup.graph;
    let mut totals = BatchTotals::new(g.pools.len(), g.chains.len(), g.links.len());
    let paths = range
        .clone()
        .map(|i| simulate_path_with(setup, layer, i, candidate, scratch, &mut totals))
        .collect();
    BatchResult {
        first_path: range.start,
        paths,
        totals,
    }
}

/// Runs `f` on a rayon pool of `threads` threads (0 = one per core).
pub fn with_threads<T: Send>(
    threads: usize,
    f: impl FnOnce() -> T + Send,
) -> Result<T, rayon::ThreadPoolBuildError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?;
    Ok(pool.install(f))
}
