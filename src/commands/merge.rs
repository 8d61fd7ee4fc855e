//! `pmmsim merge`: reads the partial results of a sharded run, merges them and renders
//! the scorecard.

use crate::app::merge::merge as merge_parts;
use crate::cli::MergeArgs;
use crate::error::Result;
use crate::report::output::{emit, format_for};
use crate::report::{self};
use crate::shard::read_partial;

use super::Outcome;

/// `pmmsim merge`.
pub fn merge(args: &MergeArgs) -> Result<Outcome> {
    let format = format_for(args.format, args.output.as_deref())?;
    // Every file is read and recognised before any is parsed, so a scorecard among the
    // parts is named as such wherever it is.
    let texts = args
        .parts
        .iter()
        .map(|path| super::read_kind(path, super::FileKind::Shard))
        .collect::<Result<Vec<_>>>()?;
    let mut parts = Vec::new();
    for (path, text) in args.parts.iter().zip(texts) {
        let display = path.display().to_string();
        let part = read_partial(text.as_bytes(), &display)?;
        parts.push((display, part));
    }
    let card = merge_parts(parts)?;
    emit(report::render(&card, format)?, args.output.as_deref())?;
    Ok(Outcome::Success)
}
