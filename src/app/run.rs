//! A single run: load and check its inputs with the command-line overrides, simulate every
//! path (or one shard of them) and build the scorecard (or the shard's partial result).

use std::path::PathBuf;
use std::time::Instant;

use super::sweep::{sweep_grid, sweep_range};
use super::{Progress, unix_now, with_threads};
use crate::config::{ConfigSource, Overrides, ResolvedInputs, RunInputs};
use crate::engine::{self, BatchResult, RareEvents, Setup, Shard};
use crate::error::{Error, Result};
use crate::scorecard::assemble::assemble;
use crate::scorecard::seal::{EmbeddedInputs, RecordedOverrides};
use crate::scorecard::{RunInfo, SCHEMA_VERSION, Scorecard};
use crate::shard::{PARTIAL_KIND, PartialRun, SweepBatch};

/// What to run: a scenario (name or file), where configs come from, and overrides.
#[derive(Debug, Clone, Default)]
pub struct RunRequest {
    pub scenario: String,
    pub config_dir: Option<PathBuf>,
    pub policy: Option<PathBuf>,
    pub overrides: Overrides,
    /// Importance-sample the tail drivers (`--rare-events`, docs/statistics.md).
    pub rare_events: bool,
    /// Rerun these inputs (embedded in a scorecard, `run --from`) instead of loading
    /// `scenario` from the config source; `overrides` still apply (a sized run's looks).
    pub from: Option<Rerun>,
}

/// The inputs of a scorecard being run again, and the file they came from.
#[derive(Debug, Clone)]
pub struct Rerun {
    pub file: String,
    pub inputs: EmbeddedInputs,
    /// The treasury commitments the scorecard's own advice drew on (`--advise`), if any.
    pub advice_commitments: Option<serde_json::Value>,
}

/// A run whose inputs are loaded and checked.
pub struct PreparedRun {
    pub setup: Setup,
    pub inputs_hash: String,
    /// The resolved inputs the hash covers (embedded in sharded partial results).
    pub inputs: ResolvedInputs,
}

/// Loads and checks the policy, deployment and scenario of `request`, applying its
/// overrides; the inputs hash is computed at load time, in `config`. With `rare_events`
/// the setup importance-samples the tail drivers (a scenario without capital is an error).
pub fn prepare(request: &RunRequest) -> Result<PreparedRun> {
    let inputs = match &request.from {
        Some(from) => {
            RunInputs::rerun(from.inputs.resolved.clone(), &request.overrides, &from.file)?
        }
        None => {
            let source = ConfigSource::new(request.config_dir.clone())?;
            source.load_run(
                &request.scenario,
                request.policy.as_deref(),
                &request.overrides,
            )?
        }
    };
    let mut setup = Setup::new(inputs.scenario, inputs.policy)?;
    if request.rare_events && !setup.enable_rare_events(RareEvents::DEFAULT) {
        return Err(Error::Usage(format!(
            "--rare-events tilts the capital overlay's draws, and scenario `{}` has no \
             capitalEfficiency block",
            setup.scenario.name
        )));
    }
    Ok(PreparedRun {
        setup,
        inputs_hash: inputs.inputs_hash,
        inputs: inputs.resolved,
    })
}

/// The batches of one (possibly sharded) run, and how it went.
pub struct Batches {
    pub batches: Vec<BatchResult>,
    pub threads: usize,
    pub started_unix: u64,
    pub duration_secs: f64,
}

/// Runs the paths of `shard` at the scenario's own posture.
pub fn run_batches(
    prepared: &PreparedRun,
    threads: usize,
    shard: Shard,
    progress: &dyn Progress,
) -> Result<Batches> {
    let setup = &prepared.setup;
    let started = Instant::now();
    let started_unix = unix_now();
    let range = shard.path_range(setup.scenario.monte_carlo.paths);
    progress.start(range.end - range.start);
    let (batches, used) = with_threads(threads, || {
        let candidate = setup.default_candidate();
        let advance = |n| progress.advance(n);
        (
            engine::run_paths(setup, candidate, range, &advance),
            rayon::current_num_threads(),
        )
    })?;
    progress.finish();
    Ok(Batches {
        batches,
        threads: used,
        started_unix,
        duration_secs: started.elapsed().as_secs_f64(),
    })
}

/// Provenance of a run: the only volatile part of a scorecard.
pub fn run_info(started_unix: u64, duration_secs: f64, threads: usize) -> RunInfo {
    RunInfo {
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        started_unix,
        duration_secs,
        threads: threads as u64,
        host: hostname(),
    }
}

/// Simulates every path of a prepared run and builds its scorecard.
pub fn simulate(
    prepared: &PreparedRun,
    threads: usize,
    progress: &dyn Progress,
) -> Result<Scorecard> {
    simulate_batches(prepared, threads, progress).map(|(card, _)| card)
}

/// [`simulate`], also returning the batches the scorecard was built from (every path's
/// outcome, for `--paths-out`).
pub fn simulate_batches(
    prepared: &PreparedRun,
    threads: usize,
    progress: &dyn Progress,
) -> Result<(Scorecard, Vec<BatchResult>)> {
    let b = run_batches(prepared, threads, Shard::ALL, progress)?;
    let info = run_info(b.started_unix, b.duration_secs, b.threads);
    let card = assemble(&prepared.setup, &prepared.inputs, &b.batches, info);
    Ok((card, b.batches))
}

/// Simulates one shard of a prepared run and returns its partial result for `merge`.
/// With `optimizer`, the shard also runs every candidate of the sweep on its paths;
/// `overrides` are the command line's, recorded for the merged scorecard.
pub fn run_shard(
    prepared: &PreparedRun,
    overrides: RecordedOverrides,
    shard: Shard,
    optimizer: bool,
    threads: usize,
    progress: &dyn Progress,
) -> Result<PartialRun> {
    let mc = prepared.setup.scenario.monte_carlo;
    let mut b = run_batches(prepared, threads, shard, progress)?;
    let range = shard.path_range(mc.paths);
    let sweep = if optimizer {
        let started = Instant::now();
        let grid = sweep_grid(&prepared.setup)?;
        let (batches, _) = sweep_range(&prepared.setup, &grid, range.clone(), threads, progress)?;
        b.duration_secs += started.elapsed().as_secs_f64();
        Some(
            batches
                .into_iter()
                .zip(&b.batches)
                .map(|(paths, run)| SweepBatch {
                    first_path: run.first_path,
                    paths,
                })
                .collect(),
        )
    } else {
        None
    };
    let mut part = PartialRun {
        schema_version: SCHEMA_VERSION,
        kind: PARTIAL_KIND.to_string(),
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        scenario: prepared.setup.scenario.name.clone(),
        inputs_hash: prepared.inputs_hash.clone(),
        inputs: prepared.inputs.clone(),
        overrides,
        total_paths: mc.paths,
        shard_index: shard.index,
        shard_count: shard.count,
        path_start: range.start,
        path_end: range.end,
        duration_secs: b.duration_secs,
        digest: String::new(),
        batches: b.batches,
        sweep,
    };
    part.seal();
    Ok(part)
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|s| s.trim().to_string())
        .or_else(|_| std::env::var("HOSTNAME"))
        .unwrap_or_else(|_| "unknown".into())
}
