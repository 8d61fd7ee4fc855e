//! The library's orchestration layer. Each use case takes a checked request, runs the
//! engine and returns a result: `run` (a single run or one shard of it), `sized` (a run
//! that adds paths until its gates resolve), `sweep` (the optimizer), `validate` (the CI gate), `merge` (sharded runs) and `alerts` (alerting
//! rules from the policy). `commands/` only parses arguments, calls here and renders.
//! Progress and log lines go through [`Progress`], so the library never draws on a terminal.

pub mod advise;
pub mod alerts;
pub mod merge;
pub mod run;
pub mod sized;
pub mod sweep;
pub mod validate;

use crate::engine;
use crate::error::{Error, Result};

/// Where a long use case reports how it is going. Every method has a silent default.
pub trait Progress: Sync {
    /// A log line (e.g. which scenario starts).
    fn note(&self, _message: &str) {}
    /// A phase of `paths` paths starts.
    fn start(&self, _paths: u64) {}
    /// `paths` more paths finished (called from any worker thread).
    fn advance(&self, _paths: u64) {}
    /// The phase finished.
    fn finish(&self) {}
}

/// Reports nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Progress for Silent {}

/// Runs `f` on a pool of `threads` worker threads (0 = one per core).
pub fn with_threads<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> Result<T> {
    engine::with_threads(threads, f)
        .map_err(|e| Error::Internal(format!("cannot start {threads} worker threads: {e}")))
}

/// Seconds since the Unix epoch (0 if the clock is before it).
pub(crate) fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}
