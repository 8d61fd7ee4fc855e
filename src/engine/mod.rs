//! The Monte Carlo engine: splits paths into fixed-size batches, runs batches in
//! parallel with rayon, and collects them in batch order. Nothing here depends on the
//! thread count: every path seeds itself from `(seed, path index)` and batches are
//! merged serially, so results are bit-identical for any `--threads` and any sharding.

pub mod epoch;
pub mod outcome;
pub mod path;
pub mod rare;
pub mod setup;
pub mod sweep;

use std::ops::Range;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

pub use outcome::{BatchResult, BatchTotals, PathOutcome, PathWeight};
pub use rare::{RareEvents, RarePlan};
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
        // In u128, so no count or index a file may claim overflows; `index < count` and
        // `count > 0` are checked where a shard is read (`parse_shard`, `check_parts`).
        let batches = u128::from(paths.div_ceil(BATCH_SIZE));
        let count = u128::from(self.count.max(1));
        let edge = |k: u64| {
            let batch = (batches * u128::from(k) / count).min(batches);
            (batch * u128::from(BATCH_SIZE)).min(u128::from(paths)) as u64
        };
        edge(self.index)..edge(self.index.saturating_add(1))
    }
}

/// The RNG of path `index`: ChaCha8 seeded from `seed`, on stream `index`. Depends on
/// nothing else, so any subset of paths can run anywhere and give the same numbers.
pub fn path_rng(seed: u64, index: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(index);
    rng
}

/// The one batch driver: splits `range` into the fixed [`BATCH_SIZE`] batches, runs them
/// in parallel with a per-thread scratch from `scratch`, and returns their results in
/// batch order. `on_batch` is called (from any thread) with each finished batch's paths.
pub fn run_batched<S, B: Send>(
    range: Range<u64>,
    on_batch: &(dyn Fn(u64) + Sync),
    scratch: impl Fn() -> S + Sync + Send,
    run_batch: impl Fn(&mut S, Range<u64>) -> B + Sync + Send,
) -> Vec<B> {
    let first_batch = range.start / BATCH_SIZE;
    let last_batch = range.end.div_ceil(BATCH_SIZE);
    (first_batch..last_batch)
        .into_par_iter()
        .map_init(scratch, |scratch, batch| {
            let start = (batch * BATCH_SIZE).max(range.start);
            let end = ((batch + 1) * BATCH_SIZE).min(range.end);
            let result = run_batch(scratch, start..end);
            on_batch(end - start);
            result
        })
        .collect()
}

/// Runs the paths in `range` at `candidate` (the scenario's own posture, or none for
/// routing only) and returns their batches in order. `on_batch` is called (from any
/// thread) with the number of paths each finished batch held.
pub fn run_paths(
    setup: &Setup,
    candidate: Option<Candidate>,
    range: Range<u64>,
    on_batch: &(dyn Fn(u64) + Sync),
) -> Vec<BatchResult> {
    let layer = RoutingLayer::new(&setup.graph, setup.routing);
    let g = &setup.graph;
    run_batched(
        range,
        on_batch,
        || PathScratch::new(setup),
        |scratch, paths| {
            let mut totals = BatchTotals::new(g.pools.len(), g.chains.len(), g.links.len());
            let first_path = paths.start;
            let paths = paths
                .map(|i| simulate_path_with(setup, &layer, i, candidate, scratch, &mut totals))
                .collect();
            BatchResult {
                first_path,
                paths,
                totals,
            }
        },
    )
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
