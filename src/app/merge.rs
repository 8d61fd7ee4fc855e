//! `merge`: checks that partial results are the complete, disjoint shards of one run and
//! rebuilds the scorecard the unsharded run gives (apart from `run_info`).

use super::run::run_info;
use super::unix_now;
use crate::error::Result;
use crate::scorecard::Scorecard;
use crate::scorecard::assemble::assemble;
use crate::shard::{PartialRun, check_parts, setup_from};

/// Merges `parts`, each with the file name it came from (for error messages).
pub fn merge(parts: Vec<(String, PartialRun)>) -> Result<Scorecard> {
    let parts = check_parts(parts)?;
    let (file, first) = &parts[0];
    let setup = setup_from(first, file)?;
    let batches: Vec<_> = parts
        .iter()
        .flat_map(|(_, p)| p.batches.iter().cloned())
        .collect();
    let duration: f64 = parts.iter().map(|(_, p)| p.duration_secs).sum();
    Ok(assemble(
        &setup,
        &first.inputs,
        &batches,
        run_info(unix_now(), duration, 0),
    ))
}
