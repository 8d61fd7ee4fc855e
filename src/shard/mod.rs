//! Sharded runs: `run --shard K/N` simulates only shard K's paths and writes a partial
//! result carrying its batches, the resolved inputs and a SHA-256 content digest;
//! [`read_partial`] turns one file's bytes into a part whose every claim is checked
//! (`check.rs`), and `merge` checks that the parts belong to one run (same inputs hash,
//! tool and schema versions, disjoint and complete coverage) and rebuilds the scorecard
//! from their batches in path order, through the same code as an unsharded run, so the two
//! are identical apart from `run_info`.

pub mod arrow;
mod check;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::config::parse::parse_json;
use crate::config::{ResolvedInputs, RunInputs};
use crate::engine::outcome::CapitalOutcome;
use crate::engine::{BatchResult, Setup, Shard};
use crate::error::{Error, InputError, Result};
use crate::scorecard::seal::RecordedOverrides;

/// `kind` of a partial-result file.
pub const PARTIAL_KIND: &str = "pmmsim-partial-run";

/// The most shards a run splits into (`N` of `--shard K/N`).
pub const MAX_SHARDS: u64 = 1 << 20;

/// Parses `K/N` (0-based `K < N`, `N` at most [`MAX_SHARDS`]).
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
    if count > MAX_SHARDS {
        return Err(format!("at most {MAX_SHARDS} shards, got {count}"));
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
    /// The command-line overrides of the run (already applied to `inputs`), for the merged
    /// scorecard to record as the unsharded run does.
    #[serde(default)]
    pub overrides: RecordedOverrides,
    /// Paths of the whole run.
    pub total_paths: u64,
    pub shard_index: u64,
    pub shard_count: u64,
    /// First and one-past-last path of this shard.
    pub path_start: u64,
    pub path_end: u64,
    pub duration_secs: f64,
    /// SHA-256 (hex) of the part's canonical JSON with this field left out: see
    /// [`PartialRun::content_digest`]. Empty only while the part is being built.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub digest: String,
    pub batches: Vec<BatchResult>,
    /// The optimizer sweep of a sweep scenario (`optimizer.enabled` or `--optimizer`) on
    /// the same paths: per batch, each path's outcome for every candidate of the grid in
    /// grid order. Absent when the run has no sweep.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sweep: Option<Vec<SweepBatch>>,
}

/// One batch of a sharded sweep: the same paths as the run's batch of that index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepBatch {
    /// Index of the batch's first path.
    pub first_path: u64,
    /// Per path in index order, per candidate in grid order.
    pub paths: Vec<Vec<CapitalOutcome>>,
}

/// An `io::Write` that feeds a SHA-256.
struct HashWriter(Sha256);

impl std::io::Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl PartialRun {
    /// SHA-256 (hex) of the part's compact JSON serialisation with `digest` left out:
    /// fields in declaration order, numbers as `serde_json` writes them (shortest
    /// round-trip form), so it is the same whichever encoding the file used.
    pub fn content_digest(&mut self) -> String {
        let digest = std::mem::take(&mut self.digest);
        let mut w = HashWriter(Sha256::new());
        let ok = serde_json::to_writer(&mut w, &*self).is_ok();
        self.digest = digest;
        if !ok {
            // Only a non-finite number fails to serialise; such a part is refused by
            // its value checks, and no digest matches it.
            return String::new();
        }
        w.0.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The part without its batches and sweep: what a compact shard keeps as its header.
    pub fn clone_header(&self) -> PartialRun {
        PartialRun {
            schema_version: self.schema_version,
            kind: self.kind.clone(),
            tool_version: self.tool_version.clone(),
            scenario: self.scenario.clone(),
            inputs_hash: self.inputs_hash.clone(),
            inputs: self.inputs.clone(),
            overrides: self.overrides,
            total_paths: self.total_paths,
            shard_index: self.shard_index,
            shard_count: self.shard_count,
            path_start: self.path_start,
            path_end: self.path_end,
            duration_secs: self.duration_secs,
            digest: self.digest.clone(),
            batches: Vec::new(),
            sweep: None,
        }
    }

    /// Writes the content digest into the part (done by `run --shard` last).
    pub fn seal(&mut self) {
        self.digest = self.content_digest();
    }
}

/// The run a part belongs to, rebuilt from the inputs it embeds (whose hash is checked).
pub fn setup_from(part: &PartialRun, file: &str) -> Result<Setup> {
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

/// The hint of every message about a file that is not a shard.
const WRITE_PARTS: &str = "write the parts with `pmmsim run SCENARIO --shard K/N -o part-K.json`";

/// Turns the bytes of one partial-result file (named `file` in messages) into a part
/// whose every claim is checked: it is a shard and not a scorecard or other JSON, its
/// content digest matches, its embedded inputs hash to `inputs_hash` and pass the same
/// checks as a run's, its shard geometry agrees with them, its batches tile exactly its
/// path range, its per-pool, per-chain and per-link arrays have the lengths of the
/// embedded deployment, and every value is finite and in its range. The one entry point
/// from a file to a part; never panics, whatever the bytes.
pub fn read_partial(bytes: &[u8], file: &str) -> Result<PartialRun> {
    if bytes.starts_with(arrow::MAGIC) {
        return check::check_part(arrow::decode(bytes, file)?, file);
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        Error::from(
            InputError::new(
                file,
                format!(
                    "is not a pmmsim shard: not UTF-8 text (invalid byte at offset {})",
                    e.valid_up_to()
                ),
            )
            .hint(WRITE_PARTS),
        )
    })?;
    recognise(text, file)?;
    let part: PartialRun = parse_json(text, file)?;
    check::check_part(part, file)
}

/// Refuses, with a message saying what it is, JSON that is not a partial result.
fn recognise(text: &str, file: &str) -> Result<()> {
    let top = match parse_json::<serde_json::Value>(text, file) {
        Ok(serde_json::Value::Object(top)) => top,
        Ok(_) => {
            return Err(InputError::new(
                file,
                "not a pmmsim shard: expected a JSON object at the top level",
            )
            .hint(WRITE_PARTS)
            .into());
        }
        Err(e) => return Err(e.into()),
    };
    let is_shard = top.get("kind").and_then(|k| k.as_str()) == Some(PARTIAL_KIND);
    if !is_shard && top.contains_key("schema_version") && top.contains_key("routing") {
        return Err(InputError::new(
            file,
            "this is a scorecard, not a shard: merge combines the partial results of \
             `pmmsim run SCENARIO --shard K/N`",
        )
        .hint(format!("{WRITE_PARTS}; a scorecard needs no merge"))
        .into());
    }
    Ok(())
}

/// Checks that `part` (read from `file`) belongs to the same run as `first` (read from
/// `first_file`): same schema and tool versions, inputs, shard count and paths.
pub fn check_same_run(
    part: &PartialRun,
    file: &str,
    first: &PartialRun,
    first_file: &str,
) -> Result<(), InputError> {
    let same = |what: &str,
                a: &dyn std::fmt::Display,
                b: &dyn std::fmt::Display|
     -> Result<(), InputError> {
        if a.to_string() == b.to_string() {
            Ok(())
        } else {
            Err(InputError::new(
                file,
                format!(
                    "{what} {a} differs from {b} in {first_file}: the parts are not from one run"
                ),
            )
            .at(what))
        }
    };
    same(
        "schema_version",
        &part.schema_version,
        &first.schema_version,
    )?;
    same("tool_version", &part.tool_version, &first.tool_version)?;
    same("inputs_hash", &part.inputs_hash, &first.inputs_hash)?;
    let overrides = |p: &PartialRun| serde_json::to_string(&p.overrides).unwrap_or_default();
    same("overrides", &overrides(part), &overrides(first))?;
    same("shard_count", &part.shard_count, &first.shard_count)?;
    same("total_paths", &part.total_paths, &first.total_paths)?;
    let sweeps = |p: &PartialRun| {
        if p.sweep.is_some() {
            "a sweep"
        } else {
            "no sweep"
        }
    };
    same("sweep", &sweeps(part), &sweeps(first))?;
    Ok(())
}
