//! Sharded runs: `run --shard K/N` simulates only shard K's paths and writes a partial
//! result carrying its batches and the resolved inputs; `merge` checks that the parts
//! belong to one run (same inputs hash, tool and schema versions, disjoint and complete
//! coverage) and rebuilds the scorecard from their batches in path order, through the
//! same code as an unsharded run, so the two are identical apart from `run_info`.

use serde::{Deserialize, Serialize};

use crate::config::{ResolvedInputs, RunInputs};
use crate::engine::{BatchResult, Setup, Shard};
use crate::error::InputError;

/// `kind` of a partial-result file.
pub const PARTIAL_KIND: &str = "pmmsim-partial-run";

/// Parses `K/N` (0-based `K < N`).
pub fn parse_shard(text: &str) -> Result<Shard, String> {
    let (k, n) = text
        .split_once('/')
        .ok_or_else(|| format!("expected K/N (e.g. 0/4), got `{text}`"))?;
    let index: u64 = k
        .trim()
        .parse()
        .map_err(|_| format!("shard index `{k}` is not a whole number"))?;
    let count: u64 = n
        .trim()
        .parse()
        .map_err(|_| format!("shard count `{n}` is not a whole number"))?;
    if count == 0 || index >= count {
        return Err(format!("expected 0 <= K < N, got {index}/{count}"));
    }
    Ok(Shard { index, count })
}

/// One shard's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartialRun {
    /// Scorecard schema version of the tool that wrote it.
    pub schema_version: u32,
    /// Always `pmmsim-partial-run`.
    pub kind: String,
    pub tool_version: String,
    pub scenario: String,
    pub inputs_hash: String,
    pub inputs: ResolvedInputs,
    /// Paths of the whole run.
    pub total_paths: u64,
    pub shard_index: u64,
    pub shard_count: u64,
    /// First and one-past-last path of this shard.
    pub path_start: u64,
    pub path_end: u64,
    pub duration_secs: f64,
    pub batches: Vec<BatchResult>,
}

/// Reads one part from the bytes of `file`: UTF-8 text within the size limit, parsed as
/// a partial result whose `kind` is [`PARTIAL_KIND`]. This is how `merge` reads each of
/// its parts; [`check_parts`] then checks that they belong together.
pub fn read_partial(bytes: &[u8], file: &str) -> Result<PartialRun, InputError> {
    let text = crate::config::limits::decode_text(bytes, file)?;
    let part: PartialRun = crate::config::parse::parse_json(&text, file)?;
    if part.kind != PARTIAL_KIND {
        return Err(InputError::new(
            file,
            format!(
                "expected a partial run (kind `{PARTIAL_KIND}`), got kind `{}`",
                part.kind
            ),
        )
        .at("kind"));
    }
    Ok(part)
}

/// Rebuilds the run's `Setup` from the inputs embedded in a part, checking their hash.
pub fn setup_from(part: &PartialRun, file: &str) -> crate::error::Result<Setup> {
    if part.inputs.hash() != part.inputs_hash {
        return Err(InputError::new(
            file,
            "the embedded inputs do not match inputs_hash (the file was edited)",
        )
        .at("inputs")
        .into());
    }
    let run = RunInputs::from_resolved(part.inputs.clone(), file)?;
    Setup::new(run.scenario, run.policy)
}

/// Checks that `parts` (with their file names) are the complete, disjoint shards of one
/// run, and returns them sorted by shard index.
pub fn check_parts(
    mut parts: Vec<(String, PartialRun)>,
) -> Result<Vec<(String, PartialRun)>, InputError> {
    let Some((first_file, first)) = parts.first().cloned() else {
        return Err(InputError::new("<merge>", "no partial results given"));
    };
    for (file, p) in &parts {
        if p.kind != PARTIAL_KIND {
            return Err(InputError::new(
                file.as_str(),
                format!(
                    "expected a partial run (kind `{PARTIAL_KIND}`), got kind `{}`",
                    p.kind
                ),
            )
            .at("kind"));
        }
        let same = |what: &str,
                    a: &dyn std::fmt::Display,
                    b: &dyn std::fmt::Display|
         -> Result<(), InputError> {
            if a.to_string() == b.to_string() {
                Ok(())
            } else {
                Err(InputError::new(file.as_str(), format!("{what} {a} differs from {b} in {first_file}: the parts are not from one run")).at(what))
            }
        };
        same("schema_version", &p.schema_version, &first.schema_version)?;
        same("tool_version", &p.tool_version, &first.tool_version)?;
        same("inputs_hash", &p.inputs_hash, &first.inputs_hash)?;
        same("shard_count", &p.shard_count, &first.shard_count)?;
        same("total_paths", &p.total_paths, &first.total_paths)?;
        if p.shard_count == 0 || p.shard_index >= p.shard_count {
            return Err(InputError::new(
                file.as_str(),
                format!(
                    "shard {}/{}: expected 0 <= shard_index < shard_count",
                    p.shard_index, p.shard_count
                ),
            )
            .at("shard_index"));
        }
        let expected = Shard {
            index: p.shard_index,
            count: p.shard_count,
        }
        .path_range(p.total_paths);
        if p.path_start != expected.start || p.path_end != expected.end {
            return Err(InputError::new(
                file.as_str(),
                format!(
                    "shard {}/{} should cover paths {:?}",
                    p.shard_index, p.shard_count, expected
                ),
            )
            .at("path_start"));
        }
    }
    parts.sort_by_key(|(_, p)| p.shard_index);
    for (i, (file, p)) in parts.iter().enumerate() {
        if p.shard_index != i as u64 {
            return Err(InputError::new(
                file.as_str(),
                format!(
                    "shard {} appears twice or shard {i} is missing (need all of 0..{})",
                    p.shard_index, first.shard_count
                ),
            ));
        }
    }
    if parts.len() as u64 != first.shard_count {
        return Err(InputError::new(
            "<merge>",
            format!(
                "got {} parts of {} shards: shards {}..{} are missing",
                parts.len(),
                first.shard_count,
                parts.len(),
                first.shard_count
            ),
        ));
    }
    Ok(parts)
}
