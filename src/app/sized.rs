//! Sized runs (`validate --paths auto`, `run --precision`): paths are added in doubling
//! looks until every critical gate's verdict is resolved (pass or fail) or the path budget
//! runs out. Every look's intervals are widened for the number of looks planned
//! (Bonferroni), so stopping at the first look that resolves keeps the policy's confidence
//! (docs/statistics.md).

use std::time::Instant;

use super::run::{PreparedRun, RunRequest, prepare, run_info};
use super::{Progress, unix_now, with_threads};
use crate::engine::{self, BATCH_SIZE, BatchResult};
use crate::error::{Error, Result};
use crate::gates::{Confidence, Verdict};
use crate::scorecard::Scorecard;
use crate::scorecard::assemble::assemble_at;
use crate::scorecard::sizing::{GateSizing, Look, Sizing};

/// The default first look of a sized run, paths (a multiple of the batch size).
pub const DEFAULT_INITIAL_PATHS: u64 = 512;
/// The default path budget of a sized run.
pub const DEFAULT_MAX_PATHS: u64 = 16_384;

/// The looks of a sized run: `initial`, doubling, up to `max` (the last look is `max`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SizePlan {
    initial: u64,
    max: u64,
}

impl SizePlan {
    /// A plan from `initial` (rounded up to a whole batch) to `max` paths.
    pub fn new(initial: u64, max: u64) -> Result<Self> {
        if max == 0 {
            return Err(Error::Usage("--max-paths must be at least 1".into()));
        }
        let initial = initial.max(1).div_ceil(BATCH_SIZE) * BATCH_SIZE;
        Ok(Self {
            initial: initial.min(max),
            max,
        })
    }

    /// The path budget.
    pub fn max(&self) -> u64 {
        self.max
    }

    /// The path count of every look, ascending.
    pub fn looks(&self) -> Vec<u64> {
        let mut out = vec![self.initial];
        while let Some(&last) = out.last() {
            if last >= self.max {
                break;
            }
            out.push((last * 2).min(self.max));
        }
        out
    }
}

/// Runs `request` in looks of `plan` and returns the scorecard of the last look, with its
/// `sizing` block. The paths of earlier looks are reused, so the run costs no more than
/// one fixed run of its final size, and its scorecard equals a fixed run of that many
/// paths but for the gates' wider (multi-look) intervals.
pub fn simulate_sized(
    request: &RunRequest,
    plan: &SizePlan,
    threads: usize,
    progress: &dyn Progress,
) -> Result<Scorecard> {
    simulate_sized_batches(request, plan, threads, progress).map(|(card, _)| card)
}

/// [`simulate_sized`], also returning the batches of every path the scorecard covers
/// (for `--paths-out`).
pub fn simulate_sized_batches(
    request: &RunRequest,
    plan: &SizePlan,
    threads: usize,
    progress: &dyn Progress,
) -> Result<(Scorecard, Vec<BatchResult>)> {
    let looks = plan.looks();
    let planned = looks.len() as u32;
    let started = Instant::now();
    let started_unix = unix_now();
    let mut batches: Vec<BatchResult> = Vec::new();
    let mut done = 0;
    let mut taken: Vec<Look> = Vec::new();
    let mut gates: Vec<GateSizing> = Vec::new();
    for (i, &paths) in looks.iter().enumerate() {
        let mut look_request = request.clone();
        look_request.overrides.paths = Some(paths);
        let prepared = prepare(&look_request)?;
        let confidence = Confidence {
            level: prepared.setup.policy.gates.confidence,
            looks: planned,
        };
        progress.note(&format!(
            "{}: look {} of {planned} at {paths} paths",
            prepared.setup.scenario.name,
            i + 1
        ));
        let (more, used) = run_range(&prepared, done..paths, threads, progress)?;
        batches.extend(more);
        done = paths;
        let info = run_info(started_unix, started.elapsed().as_secs_f64(), used);
        let mut card = assemble_at(
            &prepared.setup,
            &prepared.inputs,
            &batches,
            info,
            &confidence,
        );
        for gate in &card.gates {
            let resolved = gate.verdict != Verdict::Inconclusive;
            match gates.iter_mut().find(|g| g.name == gate.name) {
                Some(g) => {
                    if resolved && g.resolved_at_paths.is_none() {
                        g.resolved_at_paths = Some(paths);
                    }
                }
                None => gates.push(GateSizing {
                    name: gate.name.clone(),
                    resolved_at_paths: resolved.then_some(paths),
                }),
            }
        }
        let unresolved: Vec<String> = card
            .gates
            .iter()
            .filter(|g| g.blocks() && g.verdict == Verdict::Inconclusive)
            .map(|g| g.name.clone())
            .collect();
        let finished = unresolved.is_empty() || i + 1 == looks.len();
        taken.push(Look {
            paths,
            unresolved_critical: unresolved,
        });
        if finished {
            card.sizing = Some(Sizing {
                confidence: confidence.level,
                looks_planned: planned,
                max_paths: plan.max,
                resolved: taken
                    .last()
                    .is_some_and(|l| l.unresolved_critical.is_empty()),
                looks: taken,
                gates,
            });
            return Ok((card, batches));
        }
    }
    Err(Error::Internal("a sized run planned no looks".into()))
}

/// Runs the paths in `range` at the scenario's own posture; returns their batches and the
/// threads used.
fn run_range(
    prepared: &PreparedRun,
    range: std::ops::Range<u64>,
    threads: usize,
    progress: &dyn Progress,
) -> Result<(Vec<BatchResult>, usize)> {
    let setup = &prepared.setup;
    progress.start(range.end - range.start);
    let out = with_threads(threads, || {
        let advance = |n| progress.advance(n);
        (
            engine::run_paths(setup, setup.default_candidate(), range, &advance),
            rayon::current_num_threads(),
        )
    })?;
    progress.finish();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn looks_double_from_a_whole_batch_to_the_budget() {
        let plan = SizePlan::new(500, 5000).expect("plan");
        assert_eq!(plan.looks(), [512, 1024, 2048, 4096, 5000]);
        assert_eq!(SizePlan::new(10, 64).expect("plan").looks(), [64]);
        assert_eq!(SizePlan::new(512, 100).expect("plan").looks(), [100]);
        assert!(SizePlan::new(512, 0).is_err());
    }
}
