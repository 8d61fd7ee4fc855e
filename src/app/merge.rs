//! `merge`: takes the checked parts of a sharded run one at a time ([`Merger::add`], so
//! a caller can read, check and drop one file after another), checks that they are the
//! complete, disjoint shards of one run and rebuilds the scorecard the unsharded run
//! gives (apart from `run_info`). Only the parts' batches are kept, in shard order.

use super::run::run_info;
use super::unix_now;
use crate::engine::BatchResult;
use crate::error::{InputError, Result};
use crate::scorecard::Scorecard;
use crate::scorecard::assemble::assemble;
use crate::shard::{PartialRun, check_same_run, setup_from};

/// The parts merged so far.
#[derive(Debug, Default)]
pub struct Merger {
    /// The first part added, without its batches, and its file: every other part must
    /// belong to its run.
    first: Option<(String, PartialRun)>,
    /// Per shard index: the file it came from and its batches.
    slots: Vec<Option<(String, Vec<BatchResult>)>>,
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
        match &self.first {
            Some((first_file, first)) => check_same_run(&part, &file, first, first_file)?,
            // A checked part has at most `MAX_SHARDS` shards.
            None => self.slots.resize_with(part.shard_count as usize, || None),
        }
        let index = part.shard_index as usize;
        if let Some((other, _)) = &self.slots[index] {
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
        self.slots[index] = Some((file.clone(), batches));
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
        let batches: Vec<BatchResult> = self
            .slots
            .into_iter()
            .flat_map(|s| s.map(|(_, b)| b).unwrap_or_default())
            .collect();
        Ok(assemble(
            &setup,
            &first.inputs_hash,
            &batches,
            run_info(unix_now(), self.duration_secs, 0),
        ))
    }
}
