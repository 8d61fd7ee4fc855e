//! `pmmsim merge`: reads the partial results of a sharded run one file at a time, each
//! checked by `shard::read_partial`, merges them and renders the scorecard.

use crate::app::merge::Merger;
use crate::cli::MergeArgs;
use crate::config::limits::read_text;
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
        let text = read_text(path)?;
        let part = read_partial(text.as_bytes(), &display)?;
        merger.add(display, part)?;
    }
    let card = merger.finish()?;
    emit(report::render(&card, format)?, args.output.as_deref())?;
    Ok(Outcome::Success)
}
