//! `pmmsim merge`: reads the partial results of a sharded run, merges them and renders
//! the scorecard.

use crate::app::merge::merge as merge_parts;
use crate::cli::MergeArgs;
use crate::config::parse::parse_json;
use crate::error::{Error, Result};
use crate::report::{self, output::emit};
use crate::shard::PartialRun;

use super::Outcome;

/// `pmmsim merge`.
pub fn merge(args: &MergeArgs) -> Result<Outcome> {
    let mut parts = Vec::new();
    for path in &args.parts {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        let display = path.display().to_string();
        let part: PartialRun = parse_json(&text, &display)?;
        parts.push((display, part));
    }
    let card = merge_parts(parts)?;
    emit(report::render(&card, args.format)?, args.output.as_deref())?;
    Ok(Outcome::Success)
}
