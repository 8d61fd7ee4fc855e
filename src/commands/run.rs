//! `pmmsim run`: a single run (or one shard of it), the optimizer sweep when asked for or
//! enabled by the scenario, the `--export-*` files and `--paths-out` rows, and the
//! throughput report of `--timings`; `--advise` simulates the runbook procedures that
//! answer failed gates; `--from` reruns the inputs a scorecard embeds. The scorecard is sealed (inputs, options, digest) last.

use std::time::Instant;

use crate::app::Progress;
use crate::app::advise::advise;
use crate::app::run::{Rerun, RunRequest, prepare, run_shard, simulate_batches};
use crate::app::sized::{DEFAULT_INITIAL_PATHS, SizePlan, simulate_sized_batches};
use crate::app::sweep::{optimizer_enabled, sweep};
use crate::cli::RunArgs;
use crate::config::parse::parse_json;
use crate::config::raw::RawCommitments;
use crate::config::{COMMITMENTS_FILE, ConfigSource, Overrides};
use crate::error::{Error, Result};
use crate::report::output::{emit, format_for, format_name, format_of_extension};
use crate::report::{self, Format};
use crate::scorecard::seal::{Precision, RecordedOverrides, RunOptions};
use crate::timings;

use super::{Outcome, TerminalProgress};

/// `pmmsim run`.
pub fn run(args: &RunArgs) -> Result<Outcome> {
    let started = Instant::now();
    let format = output_format(args)?;
    let from = args.from.as_deref().map(read_from).transpose()?;
    let overrides = Overrides {
        paths: args.paths,
        epochs: args.epochs,
        seed: args.seed,
        volume_scale: args.volume_scale,
    };
    // What the command line asks, or (`--from`) what the scorecard was run with.
    let (recorded, options) = match &from {
        Some(r) => (r.inputs.overrides, r.inputs.options),
        None => (
            RecordedOverrides::from(overrides),
            RunOptions {
                optimizer: args.optimizer,
                rare_events: args.rare_events,
                precision: args.precision.then_some(Precision {
                    initial_paths: args.paths.unwrap_or(DEFAULT_INITIAL_PATHS),
                    max_paths: args.max_paths,
                }),
                advise: args.advise,
            },
        ),
    };
    let request = RunRequest {
        scenario: match &from {
            Some(r) => r.file.clone(),
            None => args.scenario.clone().unwrap_or_default(),
        },
        config_dir: args.config_dir.clone(),
        policy: args.policy.clone(),
        overrides: if from.is_some() {
            Overrides::default()
        } else {
            overrides
        },
        rare_events: options.rare_events,
        from,
    };
    let prepared = prepare(&request)?;
    let setup = &prepared.setup;
    let setup_time = started.elapsed();
    let mc = setup.scenario.monte_carlo;
    // Warnings are printed even with --quiet: they say the run is not what the file says.
    for warning in &setup.scenario.warnings {
        eprintln!("pmmsim: warning: {warning}");
    }
    let progress = TerminalProgress::new(args.quiet);
    progress.note(&format!(
        "{} ({} paths x {} epochs, seed {})",
        setup.scenario.name, mc.paths, mc.epochs, mc.seed
    ));
    let optimizer = optimizer_enabled(setup, options.optimizer)?;
    if args.precision && args.shard.is_some() {
        return Err(Error::Usage(
            "--precision sizes a whole run; it cannot run one shard".into(),
        ));
    }
    if let Some(shard) = args.shard {
        if !args.export.exports().is_empty() {
            return Err(Error::Usage(
                "--shard writes a partial result, not a scorecard; export from the merged \
                 scorecard with `pmmsim report`"
                    .into(),
            ));
        }
        let part = run_shard(
            &prepared,
            recorded,
            shard,
            optimizer,
            args.threads,
            &progress,
        )?;
        if let Some(path) = &args.paths_out {
            report::paths::write(&part.batches, path)?;
        }
        let bytes = if shard_as_json(args) {
            let mut text = serde_json::to_string(&part).map_err(|e| {
                Error::Internal(format!("cannot serialise the partial result: {e}"))
            })?;
            text.push('\n');
            text.into_bytes()
        } else {
            crate::shard::arrow::encode(&part)?
        };
        emit(&bytes, args.output.as_deref())?;
        return Ok(Outcome::Success);
    }
    let phase_start = Instant::now();
    let (mut card, batches) = if let Some(p) = options.precision {
        let plan = SizePlan::new(p.initial_paths, p.max_paths)?;
        simulate_sized_batches(&request, &plan, args.threads, &progress)?
    } else {
        simulate_batches(&prepared, args.threads, &progress)?
    };
    if let Some(path) = &args.paths_out {
        report::paths::write(&batches, path)?;
    }
    drop(batches);
    let mc = card_monte_carlo(mc, &card);
    let mut phases = vec![timings::Phase {
        name: "simulate",
        wall: phase_start.elapsed(),
        paths: mc.paths,
        path_epochs: mc.paths * u64::from(mc.epochs),
        trades_routed: mc.paths * timings::trades_per_path(setup),
        candidates: 1,
    }];
    if optimizer {
        let phase_start = Instant::now();
        let done = sweep(setup, args.threads, Some(mc.paths), &progress)?;
        card.optimizer = Some(done.result);
        phases.push(timings::Phase {
            name: "optimizer",
            wall: phase_start.elapsed(),
            paths: done.counts.paths,
            path_epochs: done.counts.paths * u64::from(mc.epochs),
            trades_routed: done.counts.trades_routed,
            candidates: done.counts.candidates,
        });
    }
    if options.advise {
        let phase_start = Instant::now();
        let advice = advise(
            &card,
            &|| advice_commitments(args, request.from.as_ref()),
            args.threads,
            &progress,
        )?;
        let simulated = advice.iter().filter(|a| a.change.is_some()).count() as u64;
        card.advice = Some(advice);
        phases.push(timings::Phase {
            name: "advise",
            wall: phase_start.elapsed(),
            paths: simulated * mc.paths,
            path_epochs: simulated * mc.paths * u64::from(mc.epochs),
            trades_routed: simulated * mc.paths * timings::trades_per_path(setup),
            candidates: simulated,
        });
    }
    card.resolved_inputs.overrides = recorded;
    card.seal()?;
    super::report::write_exports(&card, &args.export.exports())?;
    emit(report::render(&card, format)?, args.output.as_deref())?;
    if args.timings {
        timings::Report {
            scenario: setup.scenario.name.clone(),
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

/// The inputs embedded in the scorecard `path` (`run --from`), read as `diff` reads a
/// scorecard: its digest, inputs hash and gates checked.
fn read_from(path: &std::path::Path) -> Result<Rerun> {
    let text = super::read_kind(path, super::FileKind::Scorecard)?;
    let file = path.display().to_string();
    let loaded = crate::diff::load_text(&text, &file)?;
    let advice_commitments = loaded
        .card
        .advice
        .iter()
        .flatten()
        .find_map(|a| a.commitments.clone());
    Ok(Rerun {
        file,
        inputs: loaded.card.resolved_inputs,
        advice_commitments,
    })
}

/// The treasury commitments a simulated deployment of the advice draws on: those the
/// scorecard's own advice used (`--from`), else the config source's file.
fn advice_commitments(args: &RunArgs, from: Option<&Rerun>) -> Result<Option<serde_json::Value>> {
    if let Some(from) = from {
        return Ok(from.advice_commitments.clone());
    }
    let source = ConfigSource::new(args.config_dir.clone())?;
    let file = source.read(COMMITMENTS_FILE)?;
    let raw: RawCommitments = parse_json(&file.text, &file.display)?;
    serde_json::to_value(raw)
        .map(Some)
        .map_err(|e| Error::Internal(format!("cannot serialise the commitments: {e}")))
}

/// The Monte Carlo settings the scorecard ran with (a sized run's last look sets the
/// paths).
fn card_monte_carlo(
    mut mc: crate::config::scenario::MonteCarlo,
    card: &crate::scorecard::Scorecard,
) -> crate::config::scenario::MonteCarlo {
    mc.paths = card.inputs.paths;
    mc
}

/// The scorecard format (`--format`, else the `-o` extension, else the table). A shard is
/// JSON or Arrow IPC ([`shard_as_json`]), so with `--shard` another format asked for
/// either way is an error.
fn output_format(args: &RunArgs) -> Result<Format> {
    let format = format_for(args.format, args.output.as_deref())?;
    if args.shard.is_some() {
        let asked = args
            .format
            .or_else(|| args.output.as_deref().and_then(format_of_extension));
        if let Some(other) = asked.filter(|f| *f != Format::Json) {
            return Err(Error::Usage(format!(
                "--shard writes a partial result as Arrow IPC or JSON, not {}; write it to a .arrow or .json file",
                format_name(other)
            )));
        }
    }
    Ok(format)
}

/// A shard is written as JSON to stdout, to a `.json` file or with `--format json`, and
/// as a compact Arrow IPC file otherwise (`-o part-K.arrow`).
fn shard_as_json(args: &RunArgs) -> bool {
    match args.output.as_deref() {
        None => true,
        Some(p) if p == std::path::Path::new("-") => true,
        Some(p) => {
            args.format == Some(Format::Json) || format_of_extension(p) == Some(Format::Json)
        }
    }
}
