//! `pmmsim merge`: reads the partial results of a sharded run (compact Arrow IPC or JSON)
//! one file at a time, each checked by `shard::read_partial`, merges them and renders the
//! scorecard.

use crate::app::merge::Merger;
use crate::cli::MergeArgs;
use crate::config::limits::{MAX_SHARD_BYTES, read_bytes};
use crate::error::Result;
use crate::report::output::{emit, format_for};
use crate::report::{self};
use crate::shard::read_partial;

use super::Outcome;

/// `pmmsim merge`.
pub fn merge(args: &MergeArgs) -> Result<Outcome> {
    let format = format_for(args.format, args.output.as_deref())?;
    let mut merger = Merger::new();
    for path in &args.parts {
        let display = path.display().to_string();
        // One file at a time: its bytes are dropped once its part is merged.
        let bytes = read_bytes(path, MAX_SHARD_BYTES)?;
        let part = read_partial(&bytes, &display)?;
        drop(bytes);
        merger.add(display, part)?;
    }
    let mut card = merger.finish()?;
    card.seal()?;
    emit(report::render(&card, format)?, args.output.as_deref())?;
    Ok(Outcome::Success)
}
