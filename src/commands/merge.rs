//! `pmmsim merge`: reads the partial results of a sharded run, checks they are the
//! complete, disjoint shards of one run, and renders the merged scorecard.

use crate::cli::MergeArgs;
use crate::config::parse::parse_json;
use crate::error::{Error, Result};
use crate::report::{self, output::emit};
use crate::scorecard::assemble::assemble;
use crate::shard::{PartialRun, check_parts, setup_from};

use super::Outcome;
use super::run::run_info;

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
    let parts = check_parts(parts)?;
    let (file, first) = &parts[0];
    let setup = setup_from(first, file)?;
    let batches: Vec<_> = parts
        .iter()
        .flat_map(|(_, p)| p.batches.iter().cloned())
        .collect();
    let duration: f64 = parts.iter().map(|(_, p)| p.duration_secs).sum();
    let started = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let card = assemble(
        &setup,
        &first.inputs_hash,
        &batches,
        run_info(started, duration, 0),
    );
    emit(report::render(&card, args.format)?, args.output.as_deref())?;
    Ok(Outcome::Success)
}
