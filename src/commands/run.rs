//! `pmmsim run`: load and check the inputs, apply command-line overrides, simulate with
//! a progress bar, build the scorecard and write it.

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::RunArgs;
use crate::config::{ConfigSource, Overrides, ResolvedInputs};
use crate::engine::{self, BatchResult, Setup, Shard};
use crate::error::{Error, Result};
use crate::optimizer::{self, OptimizerResult};
use crate::report::{self, output::emit};
use crate::scorecard::assemble::assemble;
use crate::scorecard::{RunInfo, SCHEMA_VERSION, Scorecard};
use crate::shard::{PARTIAL_KIND, PartialRun};
use crate::timings;

use super::Outcome;

/// Everything `run` resolved from its arguments.
pub struct Prepared {
    pub setup: Setup,
    pub inputs_hash: String,
    /// The resolved inputs the hash covers (embedded in sharded partial results).
    pub inputs: ResolvedInputs,
}

/// Loads the policy, deployment and scenario, applying `--paths/--epochs/--seed` and
/// `--volume-scale`.
pub fn prepare(args: &RunArgs) -> Result<Prepared> {
    let source = ConfigSource::new(args.config_dir.clone());
    let overrides = Overrides {
        paths: args.paths,
        epochs: args.epochs,
        seed: args.seed,
        volume_scale: args.volume_scale,
    };
    let run = source.load_run(&args.scenario, args.policy.as_deref(), &overrides)?;
    Ok(Prepared {
        setup: Setup::new(run.scenario, run.policy)?,
        inputs_hash: run.inputs_hash,
        inputs: run.resolved,
    })
}

/// The batches of one (possibly sharded) run, and how it went.
pub struct Batches {
    pub batches: Vec<BatchResult>,
    pub threads: usize,
    pub started_unix: u64,
    pub duration_secs: f64,
}

/// Runs the paths of `shard` with a progress bar.
pub fn run_batches(
    prepared: &Prepared,
    threads: usize,
    quiet: bool,
    shard: Shard,
) -> Result<Batches> {
    let setup = &prepared.setup;
    let started = Instant::now();
    let started_unix = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let range = shard.path_range(setup.scenario.monte_carlo.paths);
    let bar = progress_bar(range.end - range.start, quiet);
    let (batches, used) = engine::with_threads(threads, || {
        (
            engine::run_paths(setup, setup.default_candidate(), range, &|n| bar.inc(n)),
            rayon::current_num_threads(),
        )
    })
    .map_err(|e| Error::Usage(format!("cannot start {threads} threads: {e}")))?;
    bar.finish_and_clear();
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

/// Simulates a prepared run and builds its scorecard.
pub fn simulate(prepared: &Prepared, threads: usize, quiet: bool) -> Result<Scorecard> {
    let b = run_batches(prepared, threads, quiet, Shard::ALL)?;
    let info = run_info(b.started_unix, b.duration_secs, b.threads);
    Ok(assemble(
        &prepared.setup,
        &prepared.inputs_hash,
        &b.batches,
        info,
    ))
}

/// `run --shard K/N`: runs one shard and writes its partial result as JSON.
fn run_shard(args: &RunArgs, prepared: &Prepared, shard: Shard) -> Result<Outcome> {
    if optimizer_on(&prepared.setup, args.optimizer)? {
        return Err(Error::Usage(
            "--shard runs the scenario's own posture only; run the optimizer unsharded".into(),
        ));
    }
    let mc = prepared.setup.scenario.monte_carlo;
    let b = run_batches(prepared, args.threads, args.quiet, shard)?;
    let range = shard.path_range(mc.paths);
    let part = PartialRun {
        schema_version: SCHEMA_VERSION,
        kind: PARTIAL_KIND.to_string(),
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        scenario: prepared.setup.scenario.name.clone(),
        inputs_hash: prepared.inputs_hash.clone(),
        inputs: prepared.inputs.clone(),
        total_paths: mc.paths,
        shard_index: shard.index,
        shard_count: shard.count,
        path_start: range.start,
        path_end: range.end,
        duration_secs: b.duration_secs,
        batches: b.batches,
    };
    let mut text = serde_json::to_string(&part)
        .map_err(|e| Error::Usage(format!("cannot serialise the partial result: {e}")))?;
    text.push('\n');
    emit(&text, args.output.as_deref())?;
    Ok(Outcome::Success)
}

fn progress_bar(paths: u64, quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(paths), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} paths ({per_sec}, eta {eta})",
    ) {
        bar.set_style(style);
    }
    bar
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|s| s.trim().to_string())
        .or_else(|_| std::env::var("HOSTNAME"))
        .unwrap_or_else(|_| "unknown".into())
}

/// `pmmsim run`.
pub fn run(args: &RunArgs) -> Result<Outcome> {
    let started = Instant::now();
    let prepared = prepare(args)?;
    let setup_time = started.elapsed();
    let mc = prepared.setup.scenario.monte_carlo;
    if !args.quiet {
        eprintln!(
            "pmmsim: {} ({} paths x {} epochs, seed {})",
            prepared.setup.scenario.name, mc.paths, mc.epochs, mc.seed
        );
    }
    if let Some(shard) = args.shard {
        return run_shard(args, &prepared, shard);
    }
    let phase_start = Instant::now();
    let mut card = simulate(&prepared, args.threads, args.quiet)?;
    let trades_per_path = timings::trades_per_path(&prepared.setup);
    let mut phases = vec![timings::Phase {
        name: "simulate",
        wall: phase_start.elapsed(),
        paths: mc.paths,
        path_epochs: mc.paths * u64::from(mc.epochs),
        trades_routed: mc.paths * trades_per_path,
        candidates: 1,
    }];
    if optimizer_on(&prepared.setup, args.optimizer)? {
        let phase_start = Instant::now();
        let (result, counts) =
            sweep_counted(&prepared.setup, args.threads, args.quiet, args.paths)?;
        card.optimizer = Some(result);
        phases.push(timings::Phase {
            name: "optimizer",
            wall: phase_start.elapsed(),
            paths: counts.paths,
            path_epochs: counts.paths * u64::from(mc.epochs),
            trades_routed: counts.trades_routed,
            candidates: counts.candidates,
        });
    }
    emit(&report::render(&card, args.format), args.output.as_deref())?;
    if args.timings {
        timings::Report {
            scenario: prepared.setup.scenario.name.clone(),
            setup: setup_time,
            phases,
            total: started.elapsed(),
            threads: card.run_info.threads,
            peak_rss: timings::peak_rss(),
        }
        .print();
    }
    Ok(Outcome::Success)
}

/// Whether the sweep runs: `--optimizer`, or the scenario's `optimizer.enabled`.
fn optimizer_on(setup: &Setup, flag: bool) -> Result<bool> {
    let enabled = setup.scenario.optimizer.as_ref().is_some_and(|o| o.enabled);
    if (flag || enabled) && setup.scenario.capital.is_none() {
        return Err(Error::Usage(format!(
            "--optimizer needs a capital scenario; `{}` is routing-only (no capitalEfficiency block)",
            setup.scenario.name
        )));
    }
    Ok(flag || enabled)
}

/// Runs the optimizer sweep and ranks its candidates.
pub fn sweep(
    setup: &Setup,
    threads: usize,
    quiet: bool,
    paths_override: Option<u64>,
) -> Result<OptimizerResult> {
    Ok(sweep_counted(setup, threads, quiet, paths_override)?.0)
}

/// What a sweep did, for `--timings`.
struct SweepCounts {
    paths: u64,
    candidates: u64,
    trades_routed: u64,
}

/// [`sweep`], plus its counts.
fn sweep_counted(
    setup: &Setup,
    threads: usize,
    quiet: bool,
    paths_override: Option<u64>,
) -> Result<(OptimizerResult, SweepCounts)> {
    let spec = setup
        .scenario
        .capital
        .as_ref()
        .ok_or_else(|| Error::Usage("the optimizer needs a capital scenario".into()))?;
    let block = setup.scenario.optimizer.as_ref();
    let grid = optimizer::grid(block, spec, &setup.policy);
    let paths = paths_override
        .or(block.and_then(|b| b.paths))
        .unwrap_or(setup.scenario.monte_carlo.paths);
    if !quiet {
        eprintln!(
            "pmmsim: optimizer: {} candidates ({} rejected) x {} paths",
            grid.candidates.len(),
            grid.rejected.len(),
            paths
        );
    }
    let bar = progress_bar(paths, quiet);
    let range = Shard::ALL.path_range(paths);
    let (batches, trades_routed) = engine::with_threads(threads, || {
        engine::sweep::run_sweep_counted(setup, &grid.candidates, range, &|n| bar.inc(n))
    })
    .map_err(|e| Error::Usage(format!("cannot start {threads} threads: {e}")))?;
    bar.finish_and_clear();
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
    Ok((result, counts))
}
