//! `merge`: takes the checked parts of a sharded run one at a time ([`Merger::add`], so
//! a caller can read, check and drop one file after another), checks that they are the
//! complete, disjoint shards of one run and rebuilds the scorecard the unsharded run
//! gives (apart from `run_info`). Only the parts' batches are kept, in shard order.

use super::run::run_info;
use super::sweep::{rank_paths, sweep_grid};
use super::unix_now;
use crate::engine::BatchResult;
use crate::error::{InputError, Result};
use crate::scorecard::Scorecard;
use crate::scorecard::assemble::assemble;
use crate::shard::{PartialRun, SweepBatch, check_same_run, setup_from};

/// What a merge keeps of one part.
#[derive(Debug)]
struct Slot {
    file: String,
    batches: Vec<BatchResult>,
    sweep: Option<Vec<SweepBatch>>,
}

/// The parts merged so far.
#[derive(Debug, Default)]
pub struct Merger {
    /// The first part added, without its batches, and its file: every other part must
    /// belong to its run.
    first: Option<(String, PartialRun)>,
    /// Per shard index: the file it came from, its batches and its sweep's batches.
    slots: Vec<Option<Slot>>,
    duration_secs: f64,
}

impl Merger {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one part, already checked on its own by [`crate::shard::read_partial`],
    /// read from `file`.
    pub fn add(&mut self, file: String, mut part: PartialRun) -> Result<()> {
        let batches = std::mem::take(&mut part.batches);
        // The sweep's batches move out; an empty one stays as the mark that the part has
        // a sweep, for `check_same_run`.
        let sweep = part.sweep.take();
        if sweep.is_some() {
            part.sweep = Some(Vec::new());
        }
        match &self.first {
            Some((first_file, first)) => check_same_run(&part, &file, first, first_file)?,
            // A checked part has at most `MAX_SHARDS` shards.
            None => self.slots.resize_with(part.shard_count as usize, || None),
        }
        let index = part.shard_index as usize;
        if let Some(Slot { file: other, .. }) = &self.slots[index] {
            return Err(InputError::new(
                file.as_str(),
                format!(
                    "shard {index}/{} is given twice: also in {other}",
                    part.shard_count
                ),
            )
            .at("shard_index")
            .into());
        }
        self.duration_secs += part.duration_secs;
        self.slots[index] = Some(Slot {
            file: file.clone(),
            batches,
            sweep,
        });
        if self.first.is_none() {
            self.first = Some((file, part));
        }
        Ok(())
    }

    /// Checks that every shard was added and builds the scorecard.
    pub fn finish(self) -> Result<Scorecard> {
        let Some((file, first)) = self.first else {
            return Err(InputError::new("<merge>", "no partial results given").into());
        };
        let missing: Vec<String> = self
            .slots
            .iter()
            .enumerate()
            .filter(|(_, s)| s.is_none())
            .map(|(i, _)| i.to_string())
            .collect();
        if !missing.is_empty() {
            let shown = if missing.len() > 10 {
                format!(
                    "{} and {} more",
                    missing[..10].join(", "),
                    missing.len() - 10
                )
            } else {
                missing.join(", ")
            };
            return Err(InputError::new(
                "<merge>",
                format!(
                    "got {} parts of {} shards: missing shard {shown}",
                    self.slots.len() - missing.len(),
                    first.shard_count
                ),
            )
            .hint("run the missing shards with the same inputs and --shard K/N")
            .into());
        }
        let setup = setup_from(&first, &file)?;
        // Every part agreed with the first on whether the run has a sweep.
        let has_sweep = first.sweep.is_some();
        let slots: Vec<Slot> = self.slots.into_iter().flatten().collect();
        let mut batches = Vec::new();
        let mut sweep_paths = Vec::new();
        for slot in slots {
            batches.extend(slot.batches);
            for b in slot.sweep.into_iter().flatten() {
                sweep_paths.extend(b.paths);
            }
        }
        let mut card = assemble(
            &setup,
            &first.inputs,
            &batches,
            run_info(unix_now(), self.duration_secs, 0),
        );
        drop(batches);
        card.resolved_inputs.overrides = first.overrides;
        if has_sweep {
            let grid = sweep_grid(&setup)?;
            card.optimizer = Some(rank_paths(&setup, grid, sweep_paths));
        }
        Ok(card)
    }
}
